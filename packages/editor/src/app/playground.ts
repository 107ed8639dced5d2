/**
 * Playground: an input JSON editor (completion and validation from the
 * ruleset's input JSON Schema) and the decision for it: from the buffer
 * compiled in the browser, or from the published version on a channel.
 */
import { compile, literalValue, type CompiledRuleset, type Decision } from '@verdict/engine';
import { parse } from '@verdict/language';
import { monaco } from '../monaco.ts';
import { api } from './api.ts';
import { clear, h, json } from './dom.ts';
import type { AppState } from './state.ts';
import type { Tab } from './tabs.ts';

const SCHEMA_URI = 'inmemory://verdict/input.schema.json';

/** The first test's input, as a starting point. */
function sampleInput(source: string): unknown {
  for (const decl of parse(source).ast.decls) {
    if (decl.kind !== 'Test' || decl.input === null) continue;
    try {
      return literalValue(decl.input);
    } catch {
      continue;
    }
  }
  return {};
}

export function renderDecision(target: HTMLElement, decision: Pick<Decision, 'decision' | 'score' | 'violations' | 'outputs' | 'errors' | 'trace'>, where: string): void {
  clear(
    target,
    h('p', {}, h('strong', { id: 'playground-decision', class: `outcome outcome-${decision.decision}` }, decision.decision), ` score ${decision.score} — ${where}`),
    h('h3', {}, `Violations (${decision.violations.length})`),
    h(
      'ul',
      { id: 'playground-violations' },
      decision.violations.map((v) => h('li', {}, h('code', {}, v.rule), ` ${v.outcome} (${v.severity}) line ${v.location.line}: ${v.message}`, v.suggestion ? h('pre', {}, json(v.suggestion)) : null)),
    ),
    h('h3', {}, 'Outputs'),
    h('pre', { id: 'playground-outputs' }, json(decision.outputs)),
    decision.errors.length > 0 ? h('h3', {}, 'Errors') : null,
    decision.errors.length > 0 ? h('pre', {}, json(decision.errors)) : null,
    h(
      'details',
      {},
      h('summary', {}, 'Trace'),
      h(
        'ul',
        { class: 'trace' },
        (decision.trace?.rules ?? []).map((r) =>
          h('li', {}, h('code', {}, r.rule), ` ${r.result}${r.skipped ? ' (skipped by index)' : ''}`, r.values.length > 0 ? h('ul', {}, r.values.map((v) => h('li', {}, h('code', {}, v.expr), ` = ${JSON.stringify(v.value)}`))) : null),
        ),
      ),
    ),
  );
}

export function playgroundPanel(state: AppState): Tab {
  const panel = h('section', { 'aria-label': 'Playground' });
  const host = h('div', { id: 'playground-input', class: 'json-host', role: 'group', 'aria-labelledby': 'playground-input-label' });
  const channelInput = h('input', { id: 'playground-channel', type: 'text', value: 'production', 'aria-label': 'Channel for published evaluation', size: 10 });
  const local = h('button', { id: 'evaluate-local', type: 'button', class: 'primary' }, 'Evaluate buffer');
  const remote = h('button', { id: 'evaluate-remote', type: 'button' }, 'Evaluate published');
  const sample = h('button', { id: 'playground-sample', type: 'button' }, 'Sample from tests');
  const paramsSelect = h('select', { id: 'playground-params', 'aria-label': 'Params for evaluating the buffer' }, h('option', { value: '' }, 'default params'));
  const result = h('div', { id: 'playground-result', 'aria-live': 'polite' });
  panel.append(
    h('h3', { id: 'playground-input-label' }, 'Input (JSON)'),
    host,
    h('div', { class: 'row' }, local, h('label', { for: 'playground-params' }, 'with'), paramsSelect),
    h('div', { class: 'row' }, remote, h('label', { for: 'playground-channel' }, 'on'), channelInput, sample),
    result,
  );
  /** The channels of the open ruleset, as choices of params for the buffer (their current values). */
  const loadChannels = async () => {
    const name = state.name;
    paramsSelect.replaceChildren(h('option', { value: '' }, 'default params'));
    if (name === null) return;
    try {
      const channels = await api.channels(name);
      if (state.name !== name) return;
      for (const c of channels) paramsSelect.append(h('option', { value: c.channel }, `${c.channel}'s params`));
    } catch {
      // A ruleset not published yet has no channels: defaults only.
    }
  };

  const model = monaco.editor.createModel('{}', 'json', monaco.Uri.parse('inmemory://playground/input.json'));
  let editor: monaco.editor.IStandaloneCodeEditor | null = null;
  let compiled: { version: number; ruleset: CompiledRuleset | null } | null = null;

  const compileBuffer = (): CompiledRuleset | null => {
    const version = state.model.getVersionId();
    if (compiled?.version !== version) {
      const result = compile(state.model.getValue());
      compiled = { version, ruleset: result.ruleset ?? null };
      if (result.ruleset) {
        monaco.json.jsonDefaults.setDiagnosticsOptions({ validate: true, enableSchemaRequest: false, schemas: [{ uri: SCHEMA_URI, fileMatch: [model.uri.toString()], schema: result.ruleset.inputSchema }] });
      }
    }
    return compiled.ruleset;
  };
  const fillSample = () => model.setValue(json(sampleInput(state.model.getValue())));
  const parseInput = (): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: JSON.parse(model.getValue()) as unknown };
    } catch (error) {
      clear(result, h('p', { class: 'error', role: 'alert' }, `The input is not valid JSON: ${(error as Error).message}`));
      return { ok: false };
    }
  };

  local.addEventListener('click', async () => {
    const input = parseInput();
    if (!input.ok) return;
    const ruleset = compileBuffer();
    if (ruleset === null) {
      clear(result, h('p', { class: 'error', role: 'alert' }, 'The buffer does not compile; see Problems.'));
      return;
    }
    const channel = paramsSelect.value;
    let params: Record<string, unknown> = {};
    if (channel !== '' && state.name !== null) {
      try {
        // The channel's overrides, validated against the buffer's params (a param the buffer renamed is refused).
        params = (await api.params(state.name, channel)).overrides;
      } catch (error) {
        clear(result, h('p', { class: 'error', role: 'alert', id: 'playground-error' }, `Could not read ${channel}'s params: ${(error as Error).message}`));
        return;
      }
    }
    const checked = ruleset.validateParams(params);
    if (!checked.ok) {
      clear(result, h('p', { class: 'error', role: 'alert', id: 'playground-error' }, `${channel}'s params do not fit this buffer: ${checked.error.message}`), h('ul', {}, checked.error.details.map((d) => h('li', {}, `${d.path}: ${d.message}`))));
      return;
    }
    const evaluated = ruleset.evaluate(input.value, { explain: true, params });
    if (!evaluated.ok) {
      clear(result, h('p', { class: 'error', role: 'alert', id: 'playground-error' }, evaluated.error.message), h('ul', {}, evaluated.error.details.map((d) => h('li', {}, `${d.path}: ${d.message}`))));
      return;
    }
    renderDecision(result, evaluated, channel === '' ? 'this buffer, default params' : `this buffer, ${channel}'s params`);
  });
  remote.addEventListener('click', async () => {
    const input = parseInput();
    if (!input.ok || state.name === null) return;
    try {
      const body = await api.evaluate(state.name, input.value, channelInput.value);
      renderDecision(result, body as unknown as Decision, `${state.name} v${String(body['version'])} on ${channelInput.value}`);
    } catch (error) {
      clear(result, h('p', { class: 'error', role: 'alert', id: 'playground-error' }, (error as Error).message));
    }
  });
  sample.addEventListener('click', fillSample);
  state.onOpened.push(() => {
    fillSample();
    compileBuffer();
    void loadChannels();
  });

  return {
    id: 'playground',
    label: 'Playground',
    panel,
    shown: () => {
      editor ??= monaco.editor.create(host, { model, automaticLayout: true, minimap: { enabled: false }, fontSize: 12, ariaLabel: 'Playground input JSON', lineNumbers: 'off', fixedOverflowWidgets: true });
      compileBuffer();
    },
  };
}
