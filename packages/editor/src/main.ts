/** The Verdict editor: author, test, review and publish rulesets in the browser. */
import './style.css';
import { liveDiagnostics } from './language/diagnostics.ts';
import { LANGUAGE_ID, registerVerdict } from './language/register.ts';
import { monaco } from './monaco.ts';
import { api, ApiFailure, setUnauthorizedHandler, storedKey, storeKey } from './app/api.ts';
import { channelsPanel } from './app/channels.ts';
import { h } from './app/dom.ts';
import { discardDraft, draftNames, loadDraft, saveDraft } from './app/drafts.ts';
import { nameMarkers, NAME_OWNER, registerNameFix } from './app/name-check.ts';
import { RULESET_NAME, starterTemplate } from './app/new-ruleset.ts';
import { sideResizer } from './app/resizer.ts';
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
// Shift+Alt+F, Monaco's default, is taken by Chromium and desktops on Linux; Ctrl+Shift+F is bound below.
const FORMAT_SHORTCUT = 'Ctrl+Shift+F';
const formatButton = h('button', { id: 'format', type: 'button', title: `Format document (${FORMAT_SHORTCUT})`, 'aria-keyshortcuts': 'Control+Shift+F' }, 'Format');
const newButton = h('button', { id: 'new-ruleset', type: 'button', title: 'Start a new ruleset from a template' }, 'New…');
const draftBanner = h('div', { id: 'draft-banner', class: 'banner', role: 'status', hidden: true });
const messageInput = h('input', { id: 'publish-message', type: 'text', placeholder: 'What changed?', 'aria-label': 'Publish message', size: 24 });
const publishButton = h('button', { id: 'publish', type: 'button', class: 'primary' }, 'Publish');
const keyButton = h('button', { id: 'change-key', type: 'button' }, 'API key…');
const editorHost = h('div', { id: 'editor', class: 'editor-host' });
const side = h('aside', { class: 'side', 'aria-label': 'Tools' });
const layout = h('main', { class: 'layout' }, h('section', { class: 'source', 'aria-label': 'Ruleset source' }, editorHost));
layout.append(sideResizer(layout), side);

root.append(
  h(
    'header',
    { class: 'topbar' },
    h('h1', {}, 'Verdict'),
    h('label', { for: 'ruleset-select' }, 'Ruleset'),
    rulesetSelect,
    newButton,
    baseLabel,
    dirtyMark,
    formatButton,
    messageInput,
    publishButton,
    keyButton,
  ),
  draftBanner,
  layout,
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
  // Only shortcuts that work here are named (the lean Monaco build has no Alt+F1 accessibility help).
  ariaLabel: `Ruleset source editor. Press Ctrl+M to toggle whether Tab moves focus; ${FORMAT_SHORTCUT} formats.`,
  fixedOverflowWidgets: true,
});
window.__verdictEditor = { editor, model, monaco };
editor.addAction({
  id: 'verdict.format',
  label: 'Format Document',
  keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyF],
  run: () => editor.getAction('editor.action.formatDocument')?.run(),
});
// Monaco rejects the promises of cancelled requests (a hover the mouse left) with `Canceled`; that is
// not an error of the page.
window.addEventListener('unhandledrejection', (event) => {
  const reason: unknown = event.reason;
  if (reason instanceof Error && reason.name === 'Canceled' && reason.message === 'Canceled') event.preventDefault();
});

const state: AppState = { name: null, baseVersion: null, savedSource: '', editor, model, live, status, onOpened: [] };

const updateDirty = () => {
  const text = isDirty(state) ? '● unsaved changes' : '';
  // Writing the same text still invalidates layout, which Monaco then forces while typing.
  if (dirtyMark.textContent !== text) dirtyMark.textContent = text;
};
model.onDidChangeContent(updateDirty);

// The buffer's header against the ruleset it is edited as (see name-check.ts).
registerNameFix(LANGUAGE_ID, () => state.name);
const checkName = () => monaco.editor.setModelMarkers(model, NAME_OWNER, nameMarkers(model, state.name));
live.onChecked(checkName);

// Drafts: the unsaved buffer is kept per ruleset (localStorage) shortly after each edit.
let draftTimer: ReturnType<typeof setTimeout> | null = null;
const keepDraft = () => {
  if (state.name === null) return;
  if (isDirty(state)) saveDraft(state.name, model.getValue(), state.baseVersion);
  else discardDraft(state.name);
};
model.onDidChangeContent(() => {
  if (draftTimer !== null) clearTimeout(draftTimer);
  draftTimer = setTimeout(keepDraft, 300);
});
window.addEventListener('pagehide', keepDraft);
const showDraftBanner = (message: string | null) => {
  if (message === null) {
    draftBanner.hidden = true;
    draftBanner.replaceChildren();
    return;
  }
  const discard = h('button', { id: 'discard-draft', type: 'button' }, 'Discard draft');
  discard.addEventListener('click', () => {
    if (state.name !== null) discardDraft(state.name);
    model.setValue(state.savedSource);
    showDraftBanner(null);
    status('Draft discarded', 'ok');
  });
  draftBanner.replaceChildren(h('span', {}, message), discard);
  draftBanner.hidden = false;
};

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
  if (isDirty(state) && state.name !== name && !window.confirm(`Discard unsaved changes to ${state.name ?? 'this ruleset'}?`)) {
    rulesetSelect.value = state.name ?? '';
    return;
  }
  if (isDirty(state) && state.name !== null && state.name !== name) discardDraft(state.name);
  status(`Opening ${name}…`);
  try {
    const draft = loadDraft(name);
    const target = version ?? (await api.versions(name).catch(() => []))[0]?.version;
    if (target === undefined && draft === null) throw new Error(`${name} has no versions`);
    const record = target === undefined ? null : await api.version(name, target);
    state.name = name;
    state.baseVersion = target ?? null;
    state.savedSource = record?.source ?? '';
    monaco.editor.setModelMarkers(model, 'publish', []);
    // An explicit version (from History) is opened as published; otherwise an unsaved draft comes back.
    const restore = draft !== null && version === undefined && draft.source !== state.savedSource;
    model.setValue(restore ? draft.source : state.savedSource);
    if (!restore && draft !== null && version === undefined) discardDraft(name);
    rulesetSelect.value = name;
    baseLabel.textContent = target === undefined ? 'new' : `v${target}`;
    updateDirty();
    for (const listener of state.onOpened) listener();
    if (restore) {
      const stale = draft.baseVersion !== state.baseVersion ? ` (it was based on v${draft.baseVersion ?? '-'}; the latest is v${target ?? '-'})` : '';
      showDraftBanner(`Restored draft: unsaved changes to ${name} from ${new Date(draft.savedAt).toLocaleString()}${stale}.`);
      status(`Opened ${name} with a restored draft`, 'ok');
    } else {
      showDraftBanner(null);
      status(`Opened ${name}${target === undefined ? '' : ` v${target}`}`, 'ok');
    }
  } catch (error) {
    status(`Could not open ${name}: ${(error as Error).message}`, 'error');
  }
}

/** New ruleset: asks for a dotted name, then opens the starter template as an unpublished buffer. */
async function newRuleset(): Promise<void> {
  const name = await askForName();
  if (name === null) return;
  if (isDirty(state) && !window.confirm(`Discard unsaved changes to ${state.name ?? 'this ruleset'}?`)) return;
  if (isDirty(state) && state.name !== null) discardDraft(state.name);
  state.name = name;
  state.baseVersion = null;
  state.savedSource = '';
  monaco.editor.setModelMarkers(model, 'publish', []);
  model.setValue(starterTemplate(name));
  addOption(name, `${name} (new)`);
  rulesetSelect.value = name;
  baseLabel.textContent = 'new';
  showDraftBanner(null);
  updateDirty();
  for (const listener of state.onOpened) listener();
  status(`New ruleset ${name}: publish to create it`, 'ok');
}

function askForName(): Promise<string | null> {
  const input = h('input', { id: 'new-ruleset-name', type: 'text', placeholder: 'team.ruleset_name', autocomplete: 'off' });
  const error = h('p', { class: 'error', id: 'new-ruleset-error', role: 'alert' });
  const create = h('button', { id: 'new-ruleset-create', type: 'submit', class: 'primary' }, 'Create');
  const cancel = h('button', { type: 'button', value: 'cancel' }, 'Cancel');
  const form = h('form', { method: 'dialog' }, h('h2', {}, 'New ruleset'), h('label', { for: 'new-ruleset-name' }, 'Name (dotted, lowercase)'), input, error, h('div', { class: 'actions' }, cancel, ' ', create));
  const dialog = h('dialog', { id: 'new-ruleset-dialog', 'aria-label': 'New ruleset' }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    const done = (value: string | null) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = input.value.trim();
      const taken = Array.from(rulesetSelect.options).some((o) => o.value === name);
      if (!RULESET_NAME.test(name)) error.textContent = 'Use dotted lowercase words: letters, digits and _, e.g. payments.refunds.';
      else if (taken) error.textContent = `${name} already exists; pick it in the Ruleset list.`;
      else done(name);
    });
    cancel.addEventListener('click', () => done(null));
    dialog.addEventListener('cancel', () => done(null));
    dialog.showModal();
    input.focus();
  });
}

function addOption(value: string, label: string): void {
  if (Array.from(rulesetSelect.options).some((o) => o.value === value)) return;
  rulesetSelect.append(h('option', { value }, label));
}

async function loadRulesets(): Promise<void> {
  try {
    const list = await api.rulesets();
    rulesetSelect.replaceChildren(...list.map((r) => h('option', { value: r.name }, `${r.name} (v${r.latest_version ?? '-'})`)));
    for (const name of draftNames()) addOption(name, `${name} (draft)`);
    const first = list[0];
    if (first !== undefined && state.name === null) await openRuleset(first.name);
  } catch (error) {
    status(`Could not list rulesets: ${(error as Error).message}`, 'error');
  }
}

rulesetSelect.addEventListener('change', () => void openRuleset(rulesetSelect.value));
formatButton.addEventListener('click', () => void editor.getAction('editor.action.formatDocument')?.run());
newButton.addEventListener('click', () => void newRuleset());

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
    discardDraft(state.name);
    showDraftBanner(null);
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
  for (const name of draftNames()) addOption(name, `${name} (draft)`);
  if (state.name !== null) addOption(state.name, `${state.name} (new)`);
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
