/**
 * Version history: pick two versions to see Monaco's diff editor beside the
 * semantic diff (changed rules highlighted in the new text) and, on demand,
 * the decision impact of the newer one on a channel's recent traffic.
 */
import { parse } from '@verdict/language';
import { describeReport, type DiffReport, type ImpactReport, type RulesetDiff } from '@verdict/review';
import { monaco } from '../monaco.ts';
import { api, type VersionSummary } from './api.ts';
import { clear, h } from './dom.ts';
import type { AppState } from './state.ts';
import type { Tab } from './tabs.ts';

export function renderReport(target: HTMLElement, report: DiffReport): void {
  const blocks = describeReport(report);
  clear(
    target,
    blocks.map((b) =>
      h(
        'div',
        { class: 'review-block' },
        h('p', {}, h('strong', {}, b.ruleset), ` — ${b.summary}`),
        b.sections.map((s) =>
          h('div', {}, h('h4', {}, s.title), h('ul', {}, s.items.map((i) => h('li', { class: `mark-${i.mark}` }, `${i.mark}: ${i.text}`, i.from != null || i.to != null ? h('div', { class: 'fromto' }, h('del', {}, i.from ?? ''), ' → ', h('ins', {}, i.to ?? '')) : null)))),
        ),
      ),
    ),
  );
}

/** The changed and added rules of the new version, with the lines each spans there. */
function changedRuleLines(diff: RulesetDiff, source: string): Array<{ line: number; endLine: number; id: string; kind: string }> {
  const spans = new Map<string, number>();
  for (const decl of parse(source).ast.decls) if (decl.kind === 'Rule') spans.set(decl.name.name, decl.span.endLine);
  const entry = (r: { id: string; line: number }, kind: string) => ({ line: r.line, endLine: spans.get(r.id) ?? r.line, id: r.id, kind });
  return [...diff.rules.changed.map((r) => entry(r, 'changed')), ...diff.rules.added.map((r) => entry(r, 'added'))];
}

export function historyPanel(state: AppState, actions: { open(version: number): void }): Tab {
  const panel = h('section', { 'aria-label': 'History' });
  const list = h('ol', { id: 'versions', class: 'versions', reversed: true });
  const fromSelect = h('select', { id: 'diff-from', 'aria-label': 'Diff from version' });
  const toSelect = h('select', { id: 'diff-to', 'aria-label': 'Diff to version' });
  const compare = h('button', { id: 'diff-compare', type: 'button', class: 'primary' }, 'Compare');
  const sideBySide = h('input', { id: 'diff-side-by-side', type: 'checkbox' });
  const impactChannel = h('input', { id: 'impact-channel', type: 'text', value: 'production', size: 10, 'aria-label': 'Impact channel' });
  const impact = h('button', { id: 'diff-impact', type: 'button' }, 'Impact of "to" on channel');
  const diffHost = h('div', { id: 'diff-editor', class: 'diff-host', hidden: true });
  const semantic = h('div', { id: 'semantic-diff', 'aria-live': 'polite' });
  const impactOut = h('div', { id: 'impact', 'aria-live': 'polite' });
  panel.append(
    h('h3', {}, 'Versions'),
    list,
    h('div', { class: 'row' }, h('label', { for: 'diff-from' }, 'From'), fromSelect, h('label', { for: 'diff-to' }, 'to'), toSelect, compare, sideBySide, h('label', { for: 'diff-side-by-side' }, 'side by side')),
    diffHost,
    h('h3', {}, 'Semantic diff'),
    semantic,
    h('div', { class: 'row' }, impact, impactChannel),
    impactOut,
  );

  let diffEditor: monaco.editor.IStandaloneDiffEditor | null = null;
  let modelsInUse: monaco.editor.ITextModel[] = [];
  let versions: VersionSummary[] = [];
  sideBySide.addEventListener('change', () => diffEditor?.updateOptions({ renderSideBySide: sideBySide.checked }));

  let loadedFor = '';
  let generation = 0;
  const refresh = async () => {
    if (state.name === null) return;
    loadedFor = `${state.name}@${state.baseVersion ?? ''}`;
    const mine = ++generation;
    let fetched: VersionSummary[];
    try {
      // A new ruleset has no versions until its first publish.
      fetched = state.baseVersion === null ? [] : await api.versions(state.name);
    } catch (error) {
      if (mine === generation) clear(list, h('li', { class: 'error' }, (error as Error).message));
      return;
    }
    if (mine !== generation) return;
    versions = fetched;
    clear(
      list,
      versions.map((v) =>
        h('li', { 'data-version': v.version }, h('button', { type: 'button', class: 'link', onclick: () => actions.open(v.version) }, `v${v.version}`), ` ${v.message || '(no message)'} — ${v.author}, ${new Date(v.created_at).toLocaleString()}`),
      ),
    );
    const options = () => versions.map((v) => h('option', { value: v.version }, `v${v.version}`));
    clear(fromSelect, options());
    clear(toSelect, options());
    toSelect.value = String(versions[0]?.version ?? '');
    fromSelect.value = String(versions[1]?.version ?? versions[0]?.version ?? '');
  };

  compare.addEventListener('click', async () => {
    if (state.name === null) return;
    const from = Number(fromSelect.value);
    const to = Number(toSelect.value);
    try {
      const [a, b, report] = await Promise.all([api.version(state.name, from), api.version(state.name, to), api.diff(state.name, from, to)]);
      diffHost.hidden = false;
      diffEditor ??= monaco.editor.createDiffEditor(diffHost, { automaticLayout: true, readOnly: true, renderSideBySide: sideBySide.checked, useInlineViewWhenSpaceIsLimited: false, minimap: { enabled: false }, fontSize: 12 });
      for (const m of modelsInUse) m.dispose();
      const original = monaco.editor.createModel(a.source, 'verdict');
      const modified = monaco.editor.createModel(b.source, 'verdict');
      modelsInUse = [original, modified];
      diffEditor.setModel({ original, modified });
      const diff = (report as unknown as DiffReport).rulesets[0];
      if (diff !== undefined) {
        const lines = changedRuleLines(diff, b.source);
        const first = lines[0];
        // The diff is computed asynchronously; reveal the first changed rule once it is.
        if (first !== undefined) {
          const reveal = diffEditor.onDidUpdateDiff(() => {
            reveal.dispose();
            diffEditor?.getModifiedEditor().revealLineInCenter(first.line);
          });
          diffEditor.getModifiedEditor().revealLineInCenter(first.line);
        }
        diffEditor.getModifiedEditor().createDecorationsCollection(
          lines.map((l) => ({ range: new monaco.Range(l.line, 1, l.endLine, 1), options: { isWholeLine: true, className: `rule-${l.kind}`, glyphMarginClassName: 'rule-changed-glyph', hoverMessage: { value: `rule \`${l.id}\` ${l.kind}` } } })),
        );
      }
      renderReport(semantic, report as unknown as DiffReport);
    } catch (error) {
      clear(semantic, h('p', { class: 'error', role: 'alert' }, (error as Error).message));
    }
  });

  impact.addEventListener('click', async () => {
    if (state.name === null) return;
    try {
      const result = await api.impact(state.name, { version: Number(toSelect.value), channel: impactChannel.value });
      const report = result.impact[state.name] as ImpactReport | undefined;
      clear(
        impactOut,
        h('p', {}, `Against ${result.base.channel} (v${result.base.version}): ${report?.evaluated ?? 0} inputs replayed, ${report?.changed ?? 0} decisions change.`),
        h('ul', {}, (report?.transitions ?? []).map((t) => h('li', {}, `${t.from} → ${t.to}: ${t.count}`))),
        h('ul', {}, (report?.rules ?? []).map((r) => h('li', {}, `${r.rule}: now fires ${r.nowFires}, no longer fires ${r.noLongerFires}`))),
      );
    } catch (error) {
      clear(impactOut, h('p', { class: 'error', role: 'alert' }, (error as Error).message));
    }
  });

  state.onOpened.push(() => void refresh());
  return { id: 'history', label: 'History', panel, shown: () => void (loadedFor === `${state.name}@${state.baseVersion ?? ''}` ? undefined : refresh()) };
}
