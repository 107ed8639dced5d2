/**
 * The analysis the completion, hover, definition and outline providers read.
 * Diagnostics run in the worker; these providers need the AST and the
 * checker's side tables on the main thread. `sourceOf` is exact (hover, go
 * to definition: on demand). `recentSourceOf` has the current text with an
 * analysis that may be a few keystrokes old and refreshes when the editor is
 * idle, so completion popping up while typing never runs a full analysis on
 * the keystroke's path.
 */
import { analyze, type Analysis } from '@verdict/language';
import { SourceFile } from '@verdict/language-service';
import type { monaco } from '../monaco.ts';

let cached: { model: monaco.editor.ITextModel; version: number; source: SourceFile } | null = null;
let lastWithInput: Analysis | null = null;
let refresh: ReturnType<typeof setTimeout> | null = null;

const IDLE_MS = 300;

export function sourceOf(model: monaco.editor.ITextModel): SourceFile {
  const version = model.getVersionId();
  if (cached !== null && cached.model === model && cached.version === version) return cached.source;
  const text = model.getValue();
  const analysis = analyze(text);
  const source = new SourceFile(text, analysis);
  cached = { model, version, source };
  if (analysis.check.input.kind === 'record' && analysis.check.input.fields.size > 0) lastWithInput = analysis;
  return source;
}

/** The latest analysis of this model, possibly of an earlier version; a fresh one is computed when typing pauses. */
export function recentAnalysisOf(model: monaco.editor.ITextModel): Analysis {
  if (cached === null || cached.model !== model) return sourceOf(model).analysis;
  if (cached.version !== model.getVersionId()) {
    if (refresh !== null) clearTimeout(refresh);
    refresh = setTimeout(() => {
      refresh = null;
      if (!model.isDisposed()) sourceOf(model);
    }, IDLE_MS);
  }
  return cached.source.analysis;
}

/** The current text with the recent analysis, or the last one with a non-empty input schema if the text lost it (e.g. mid-edit). */
export function recentSourceOf(model: monaco.editor.ITextModel): SourceFile {
  const current = recentAnalysisOf(model);
  const hasInput = current.check.input.kind === 'record' && current.check.input.fields.size > 0;
  return new SourceFile(model.getValue(), hasInput ? current : (lastWithInput ?? current));
}
