/** The Verdict editor: author, test, review and publish rulesets in the browser. */
import './style.css';
import { liveDiagnostics } from './language/diagnostics.ts';
import { LANGUAGE_ID, registerVerdict } from './language/register.ts';
import { monaco } from './monaco.ts';
import { api, ApiFailure, setUnauthorizedHandler, storedKey, storeKey } from './app/api.ts';
import { channelsPanel } from './app/channels.ts';
import { h } from './app/dom.ts';
import { historyPanel } from './app/history.ts';
import { askForKey } from './app/key-dialog.ts';
import { playgroundPanel } from './app/playground.ts';
import { problemsPanel } from './app/problems.ts';
import { askToForce, publishMarkers } from './app/publish.ts';
import { isDirty, type AppState } from './app/state.ts';
import { tabs } from './app/tabs.ts';
import { testsPanel } from './app/tests-panel.ts';

const root = document.getElementById('app')!;

const statusLine = h('p', { id: 'status', role: 'status', 'aria-live': 'polite', class: 'status' });
const rulesetSelect = h('select', { id: 'ruleset-select', 'aria-label': 'Ruleset' });
const dirtyMark = h('span', { id: 'dirty', class: 'dirty', 'aria-live': 'polite' });
const baseLabel = h('span', { id: 'base-version', class: 'muted' });
const formatButton = h('button', { id: 'format', type: 'button', title: 'Format document (Shift+Alt+F)' }, 'Format');
const messageInput = h('input', { id: 'publish-message', type: 'text', placeholder: 'What changed?', 'aria-label': 'Publish message', size: 24 });
const publishButton = h('button', { id: 'publish', type: 'button', class: 'primary' }, 'Publish');
const keyButton = h('button', { id: 'change-key', type: 'button' }, 'API key…');
const editorHost = h('div', { id: 'editor', class: 'editor-host' });
const side = h('aside', { class: 'side', 'aria-label': 'Tools' });

root.append(
  h(
    'header',
    { class: 'topbar' },
    h('h1', {}, 'Verdict'),
    h('label', { for: 'ruleset-select' }, 'Ruleset'),
    rulesetSelect,
    baseLabel,
    dirtyMark,
    formatButton,
    messageInput,
    publishButton,
    keyButton,
  ),
  h('main', { class: 'layout' }, h('section', { class: 'source', 'aria-label': 'Ruleset source' }, editorHost), side),
  h('footer', {}, statusLine),
);

const status = (message: string, kind: 'info' | 'error' | 'ok' = 'info') => {
  statusLine.textContent = message;
  statusLine.dataset['kind'] = kind;
};

const model = monaco.editor.createModel('', LANGUAGE_ID, monaco.Uri.parse('inmemory://ruleset/source.policy'));
const live = liveDiagnostics(model);
registerVerdict({
  diagnostics: () => live.current(),
  outline: (m) => (m === model ? live.outline() : null),
  onFormatRefused: (diagnostics) => status(`Cannot format: ${diagnostics.length} syntax error${diagnostics.length === 1 ? '' : 's'} (${diagnostics[0]?.code ?? ''} ${diagnostics[0]?.message ?? ''})`, 'error'),
});
const editor = monaco.editor.create(editorHost, {
  model,
  automaticLayout: true,
  minimap: { enabled: false },
  glyphMargin: true,
  fontSize: 13,
  tabSize: 2,
  ariaLabel: 'Ruleset source editor. Press Ctrl+M to toggle whether Tab moves focus; Alt+F1 for accessibility help.',
  fixedOverflowWidgets: true,
});
window.__verdictEditor = { editor, model, monaco };

const state: AppState = { name: null, baseVersion: null, savedSource: '', editor, model, live, status, onOpened: [] };

const updateDirty = () => {
  const text = isDirty(state) ? '● unsaved changes' : '';
  // Writing the same text still invalidates layout, which Monaco then forces while typing.
  if (dirtyMark.textContent !== text) dirtyMark.textContent = text;
};
model.onDidChangeContent(updateDirty);

const panels = tabs([
  problemsPanel(state),
  playgroundPanel(state),
  testsPanel(state),
  historyPanel(state, { open: (version) => void openRuleset(state.name!, version) }),
  channelsPanel(state),
]);
side.append(panels.element);

window.addEventListener('beforeunload', (event) => {
  if (!isDirty(state)) return;
  event.preventDefault();
  event.returnValue = '';
});

async function openRuleset(name: string, version?: number): Promise<void> {
  if (isDirty(state) && !window.confirm(`Discard unsaved changes to ${state.name ?? 'this ruleset'}?`)) {
    rulesetSelect.value = state.name ?? '';
    return;
  }
  status(`Opening ${name}…`);
  try {
    const target = version ?? (await api.versions(name))[0]?.version;
    if (target === undefined) throw new Error(`${name} has no versions`);
    const record = await api.version(name, target);
    state.name = name;
    state.baseVersion = target;
    state.savedSource = record.source;
    monaco.editor.setModelMarkers(model, 'publish', []);
    model.setValue(record.source);
    rulesetSelect.value = name;
    baseLabel.textContent = `v${target}`;
    updateDirty();
    for (const listener of state.onOpened) listener();
    status(`Opened ${name} v${target}`, 'ok');
  } catch (error) {
    status(`Could not open ${name}: ${(error as Error).message}`, 'error');
  }
}

async function loadRulesets(): Promise<void> {
  try {
    const list = await api.rulesets();
    rulesetSelect.replaceChildren(...list.map((r) => h('option', { value: r.name }, `${r.name} (v${r.latest_version ?? '-'})`)));
    const first = list[0];
    if (first !== undefined && state.name === null) await openRuleset(first.name);
  } catch (error) {
    status(`Could not list rulesets: ${(error as Error).message}`, 'error');
  }
}

rulesetSelect.addEventListener('change', () => void openRuleset(rulesetSelect.value));
formatButton.addEventListener('click', () => void editor.getAction('editor.action.formatDocument')?.run());

publishButton.addEventListener('click', () => void publish(null));

/** Publishes the buffer; a version whose tests fail is offered for a forced publish with a reason. */
async function publish(forceReason: string | null): Promise<void> {
  if (state.name === null) return;
  const source = model.getValue();
  publishButton.disabled = true;
  status(forceReason === null ? 'Publishing…' : 'Publishing with failing tests…');
  let offerForce: ApiFailure | null = null;
  try {
    const published = await api.publish(state.name, source, messageInput.value, state.baseVersion, forceReason);
    monaco.editor.setModelMarkers(model, 'publish', []);
    state.baseVersion = published.version;
    state.savedSource = source;
    baseLabel.textContent = `v${published.version}`;
    messageInput.value = '';
    updateDirty();
    for (const listener of state.onOpened) listener();
    const forced = forceReason === null ? '' : ' (tests failing; reason recorded)';
    status(published.created ? `Published ${state.name} v${published.version}${forced}` : `Unchanged: ${state.name} v${published.version} already has this source`, 'ok');
    void loadRulesetsQuietly();
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 422) monaco.editor.setModelMarkers(model, 'publish', publishMarkers(error));
    status(`Publish refused: ${(error as Error).message}`, 'error');
    if (error instanceof ApiFailure && error.code === 'tests_failed' && forceReason === null) offerForce = error;
  } finally {
    publishButton.disabled = false;
  }
  if (offerForce !== null) {
    const reason = await askToForce(offerForce);
    if (reason !== null) await publish(reason);
  }
}

async function loadRulesetsQuietly(): Promise<void> {
  const list = await api.rulesets();
  const current = rulesetSelect.value;
  rulesetSelect.replaceChildren(...list.map((r) => h('option', { value: r.name }, `${r.name} (v${r.latest_version ?? '-'})`)));
  rulesetSelect.value = current;
}

async function start(): Promise<void> {
  if (storedKey() === null) storeKey(await askForKey());
  await loadRulesets();
}

setUnauthorizedHandler(() => {
  storeKey(null);
  status('The API key was refused; enter another.', 'error');
  void askForKey().then((key) => {
    storeKey(key);
    void loadRulesets();
  });
});
keyButton.addEventListener('click', () => void askForKey().then((key) => {
  storeKey(key);
  void loadRulesets();
}));

void start();
