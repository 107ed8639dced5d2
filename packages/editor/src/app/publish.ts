import { monaco } from '../monaco.ts';
import type { ApiFailure } from './api.ts';

/** The server's 422 compile diagnostics as markers (owner `publish`), so a refused publish points at the lines. */
export function publishMarkers(error: ApiFailure): monaco.editor.IMarkerData[] {
  return error.details
    .filter((d) => typeof d.line === 'number')
    .map((d) => ({
      severity: monaco.MarkerSeverity.Error,
      message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
      ...(d.code === undefined ? {} : { code: d.code }),
      source: 'publish',
      startLineNumber: d.line!,
      startColumn: d.column ?? 1,
      endLineNumber: d.line!,
      endColumn: (d.column ?? 1) + 1,
    }));
}
