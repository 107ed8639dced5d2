/** Tests: run the buffer's `test` blocks in the browser; coverage shown in the gutter (rules never seen firing or passing). */
import { compile, runTests, type TestRun } from '@verdict/engine';
import { analyze } from '@verdict/language';
import { monaco } from '../monaco.ts';
import { clear, h } from './dom.ts';
import type { AppState } from './state.ts';
import type { Tab } from './tabs.ts';

export function coverageDecorations(run: TestRun): monaco.editor.IModelDeltaDecoration[] {
  return run.coverage.rules
    .filter((r) => r.fired === 0 || r.passed === 0)
    .map((r) => {
      const missing = r.fired === 0 && r.passed === 0 ? 'never evaluated by a test' : r.fired === 0 ? 'never fired in a test' : 'never passed in a test';
      return {
        range: new monaco.Range(r.line, 1, r.line, 1),
        options: {
          isWholeLine: true,
          glyphMarginClassName: r.fired === 0 ? 'coverage-glyph-unfired' : 'coverage-glyph-unpassed',
          glyphMarginHoverMessage: { value: `Coverage: rule \`${r.rule}\` ${missing}` },
          linesDecorationsClassName: 'coverage-line',
        },
      };
    });
}

export function testsPanel(state: AppState): Tab {
  const panel = h('section', { 'aria-label': 'Tests' });
  const run = h('button', { id: 'run-tests', type: 'button', class: 'primary' }, 'Run tests');
  const clearButton = h('button', { id: 'clear-coverage', type: 'button' }, 'Clear coverage');
  const output = h('div', { id: 'test-results', 'aria-live': 'polite' });
  const stale = h('p', { id: 'tests-stale', class: 'stale-note', role: 'status', hidden: true }, 'The buffer changed since these results: they may be out of date. Run tests again.');
  panel.append(h('div', { class: 'row' }, run, clearButton), stale, output);
  const decorations = state.editor.createDecorationsCollection();
  /** The model version the shown results are for; null when none are shown. */
  let resultsVersion: number | null = null;
  const markStale = (on: boolean) => {
    stale.hidden = !on;
    output.classList.toggle('stale', on);
  };
  state.model.onDidChangeContent(() => {
    if (resultsVersion !== null && resultsVersion !== state.model.getVersionId() && stale.hidden) markStale(true);
  });

  run.addEventListener('click', () => {
    const source = state.model.getValue();
    const analysis = analyze(source);
    const compiled = compile(analysis);
    if (compiled.ruleset === undefined) {
      clear(output, h('p', { class: 'error', role: 'alert' }, 'The buffer does not compile; see Problems.'));
      return;
    }
    const result = runTests(analysis.ast, source, compiled.ruleset);
    resultsVersion = state.model.getVersionId();
    markStale(false);
    const passed = result.results.filter((r) => r.passed).length;
    clear(
      output,
      h('p', { id: 'tests-summary' }, `${passed}/${result.results.length} passed — coverage ${result.coverage.percent.toFixed(0)}%`),
      h(
        'ul',
        { class: 'tests' },
        result.results.map((r) =>
          h(
            'li',
            { class: r.passed ? 'pass' : 'fail' },
            h('button', { type: 'button', class: 'link', onclick: () => state.editor.revealLineInCenter(r.line) }, `${r.passed ? '✓' : '✗'} ${r.name} (line ${r.line})`),
            r.failures.length > 0 ? h('ul', {}, r.failures.map((f) => h('li', {}, f))) : null,
          ),
        ),
      ),
      h('h3', {}, 'Rule coverage'),
      h(
        'table',
        { class: 'coverage' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Fired'), h('th', { scope: 'col' }, 'Passed'))),
        h('tbody', {}, result.coverage.rules.map((r) => h('tr', { class: r.fired === 0 || r.passed === 0 ? 'uncovered' : '' }, h('td', {}, r.rule), h('td', {}, String(r.fired)), h('td', {}, String(r.passed))))),
      ),
    );
    decorations.set(coverageDecorations(result));
  });
  clearButton.addEventListener('click', () => decorations.clear());
  state.onOpened.push(() => {
    decorations.clear();
    output.replaceChildren();
    resultsVersion = null;
    markStale(false);
  });
  return { id: 'tests', label: 'Tests', panel };
}
