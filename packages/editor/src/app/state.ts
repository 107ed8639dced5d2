import type { LiveDiagnostics } from '../language/diagnostics.ts';
import type { monaco } from '../monaco.ts';

/** What every panel shares: the open ruleset, its base version and the source editor. */
export interface AppState {
  name: string | null;
  /** The published version the buffer was opened from (the parent of the next publish). */
  baseVersion: number | null;
  /** The source as last opened or published; the buffer is dirty when it differs. */
  savedSource: string;
  editor: monaco.editor.IStandaloneCodeEditor;
  model: monaco.editor.ITextModel;
  live: LiveDiagnostics;
  status(message: string, kind?: 'info' | 'error' | 'ok'): void;
  /** Listeners told when another ruleset or version is opened or published. */
  onOpened: Array<() => void>;
}

export function isDirty(state: AppState): boolean {
  // The length is free; building the whole text (every keystroke) only when it matches.
  return state.model.getValueLength() !== state.savedSource.length || state.model.getValue() !== state.savedSource;
}
