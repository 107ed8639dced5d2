import type { Diagnostic } from '@verdict/language';
import { clear, h } from './dom.ts';
import type { AppState } from './state.ts';
import type { Tab } from './tabs.ts';

/** The diagnostics of the buffer as a list; choosing one moves the cursor there. */
export function problemsPanel(state: AppState): Tab {
  const panel = h('section', { 'aria-label': 'Problems' });
  const summary = h('p', { id: 'problems-summary', class: 'muted' });
  const list = h('ul', { id: 'problems', class: 'problems' });
  panel.append(summary, list);
  let shown: string | null = null;
  const render = (diagnostics: Diagnostic[]) => {
    // Most edits leave the problems as they were: skip rebuilding (and re-laying out) the same list.
    const key = `${diagnostics.length}\n${diagnostics.slice(0, 200).map((d) => `${d.severity} ${d.span.line}:${d.span.column} ${d.code} ${d.message} ${d.hint ?? ''}`).join('\n')}`;
    if (key === shown) return;
    shown = key;
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    summary.textContent = diagnostics.length === 0 ? 'No problems.' : `${errors} error${errors === 1 ? '' : 's'}, ${diagnostics.length - errors} other`;
    clear(
      list,
      diagnostics.slice(0, 200).map((d) =>
        h(
          'li',
          { class: `sev-${d.severity}` },
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              onclick: () => {
                state.editor.revealLineInCenter(d.span.line);
                state.editor.setPosition({ lineNumber: d.span.line, column: d.span.column });
                state.editor.focus();
              },
            },
            `${d.span.line}:${d.span.column} ${d.code} ${d.message}`,
          ),
          d.hint ? h('div', { class: 'hint' }, `hint: ${d.hint}`) : null,
        ),
      ),
    );
  };
  state.live.onChecked(render);
  return { id: 'problems', label: 'Problems', panel };
}
