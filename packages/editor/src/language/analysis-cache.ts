/**
 * The analysis the completion, hover, definition and outline providers read.
 * Diagnostics run in the worker; these providers need the AST and the
 * checker's side tables on the main thread. `analysisOf` is exact (hover, go
 * to definition: on demand). `recentAnalysisOf` may be a few keystrokes old
 * and refreshes when the editor is idle, so completion popping up while
 * typing never runs a full analysis on the keystroke's path.
 */
import { analyze, type Analysis } from '@verdict/language';
import type { monaco } from '../monaco.ts';

let cached: { model: monaco.editor.ITextModel; version: number; analysis: Analysis } | null = null;
let lastWithInput: Analysis | null = null;
let refresh: ReturnType<typeof setTimeout> | null = null;

const IDLE_MS = 300;

export function analysisOf(model: monaco.editor.ITextModel): Analysis {
  const version = model.getVersionId();
  if (cached !== null && cached.model === model && cached.version === version) return cached.analysis;
  const analysis = analyze(model.getValue());
  cached = { model, version, analysis };
  if (analysis.check.input.kind === 'record' && analysis.check.input.fields.size > 0) lastWithInput = analysis;
  return analysis;
}

/** The latest analysis of this model, possibly of an earlier version; a fresh one is computed when typing pauses. */
export function recentAnalysisOf(model: monaco.editor.ITextModel): Analysis {
  if (cached === null || cached.model !== model) return analysisOf(model);
  if (cached.version !== model.getVersionId()) {
    if (refresh !== null) clearTimeout(refresh);
    refresh = setTimeout(() => {
      refresh = null;
      if (!model.isDisposed()) analysisOf(model);
    }, IDLE_MS);
  }
  return cached.analysis;
}

/** The recent analysis, or the last one with a non-empty input schema if the text lost it (e.g. mid-edit). */
export function schemaAnalysisOf(model: monaco.editor.ITextModel): Analysis {
  const current = recentAnalysisOf(model);
  if (current.check.input.kind === 'record' && current.check.input.fields.size > 0) return current;
  return lastWithInput ?? current;
}
