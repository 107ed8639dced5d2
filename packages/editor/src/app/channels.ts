/** Channels: where each points, move one to a version; params per channel: edit (validated by the server), reset, history. */
import { api, ApiFailure, type ParamsView } from './api.ts';
import { clear, h, json } from './dom.ts';
import type { AppState } from './state.ts';
import type { Tab } from './tabs.ts';

export function channelsPanel(state: AppState): Tab {
  const panel = h('section', { 'aria-label': 'Channels and params' });
  const list = h('ul', { id: 'channels', class: 'channels' });
  const moveChannel = h('input', { id: 'move-channel', type: 'text', value: 'production', size: 12 });
  const moveVersion = h('input', { id: 'move-version', type: 'number', min: 1, size: 5 });
  const moveReason = h('input', { id: 'move-reason', type: 'text', size: 16 });
  const move = h('button', { id: 'move', type: 'button' }, 'Move channel');
  const paramsChannel = h('select', { id: 'params-channel', 'aria-label': 'Channel whose params to edit' });
  const paramsForm = h('form', { id: 'params-form', class: 'params' });
  const paramsMessage = h('div', { id: 'params-message', 'aria-live': 'polite' });
  const historyOut = h('ol', { id: 'params-history', class: 'history' });
  panel.append(
    h('h3', {}, 'Channels'),
    list,
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'move-channel' }, 'Channel'),
      moveChannel,
      h('label', { for: 'move-version' }, 'to version'),
      moveVersion,
      h('label', { for: 'move-reason' }, 'reason'),
      moveReason,
      move,
    ),
    h('h3', {}, 'Params'),
    h('div', { class: 'row' }, h('label', { for: 'params-channel' }, 'Channel'), paramsChannel),
    paramsForm,
    paramsMessage,
    h('h3', {}, 'Channel history'),
    historyOut,
  );

  const showError = (error: unknown) =>
    clear(
      paramsMessage,
      h('div', { class: 'error', role: 'alert', id: 'params-error' }, (error as Error).message, error instanceof ApiFailure && error.details.length > 0 ? h('ul', {}, error.details.map((d) => h('li', {}, `${d.path ?? ''}: ${d.message}`))) : null),
    );

  const renderParams = (view: ParamsView) => {
    const inputs = new Map<string, HTMLInputElement>();
    const rows = view.declarations.map((d) => {
      const id = `param-${d.name}`;
      const input = h('input', { id, type: 'text', value: JSON.stringify(view.values[d.name]), 'data-param': d.name, size: 24 });
      inputs.set(d.name, input);
      const overridden = Object.prototype.hasOwnProperty.call(view.overrides, d.name);
      return h('div', { class: 'param' }, h('label', { for: id }, d.name), input, h('span', { class: 'muted' }, ` default ${JSON.stringify(d.default)}${overridden ? ' (overridden)' : ''}`), d.doc ? h('div', { class: 'muted' }, d.doc) : null);
    });
    const reason = h('input', { id: 'params-reason', type: 'text', size: 20 });
    clear(
      paramsForm,
      rows,
      h('div', { class: 'row' }, h('label', { for: 'params-reason' }, 'Reason'), reason, h('button', { id: 'params-save', type: 'submit', class: 'primary' }, 'Save params'), h('button', { id: 'params-reset', type: 'button', onclick: () => void reset() }, 'Reset to defaults')),
    );
    paramsForm.onsubmit = async (event) => {
      event.preventDefault();
      const changes: Record<string, unknown> = {};
      for (const [name, input] of inputs) {
        let value: unknown;
        try {
          value = JSON.parse(input.value);
        } catch {
          showError(new Error(`${name}: not a JSON value (strings need quotes)`));
          input.focus();
          return;
        }
        if (JSON.stringify(value) !== JSON.stringify(view.values[name])) changes[name] = value;
      }
      if (Object.keys(changes).length === 0) {
        clear(paramsMessage, h('p', {}, 'Nothing changed.'));
        return;
      }
      try {
        const next = await api.patchParams(state.name!, paramsChannel.value, changes, reason.value);
        renderParams(next);
        clear(paramsMessage, h('p', { class: 'ok', id: 'params-saved' }, `Saved: revision ${next.revision}`));
        void loadHistory();
      } catch (error) {
        showError(error);
      }
    };
  };

  const loadParams = async () => {
    if (state.name === null || paramsChannel.value === '') return;
    try {
      renderParams(await api.params(state.name, paramsChannel.value));
      void loadHistory();
    } catch (error) {
      showError(error);
    }
  };
  const reset = async () => {
    try {
      const next = await api.resetParams(state.name!, paramsChannel.value);
      renderParams(next);
      clear(paramsMessage, h('p', { class: 'ok' }, `Reset: revision ${next.revision}`));
      void loadHistory();
    } catch (error) {
      showError(error);
    }
  };
  const loadHistory = async () => {
    const items = await api.channelHistory(state.name!, paramsChannel.value);
    clear(historyOut, items.map((s) => h('li', {}, `rev ${s.revision}: v${s.version} ${json(s.params).replace(/\s+/g, ' ')} — ${s.author}${s.reason ? `: ${s.reason}` : ''}`)));
  };

  // Each refresh renders only if no newer one started, so a slow response never overwrites what the user typed since.
  let loadedFor = '';
  let generation = 0;
  const refresh = async () => {
    if (state.name === null) return;
    loadedFor = `${state.name}@${state.baseVersion ?? ''}`;
    const mine = ++generation;
    try {
      const channels = await api.channels(state.name);
      if (mine !== generation) return;
      clear(list, channels.map((c) => h('li', {}, h('strong', {}, c.channel), ` → v${c.version} (revision ${c.revision})`)));
      const current = paramsChannel.value;
      clear(paramsChannel, channels.map((c) => h('option', { value: c.channel }, c.channel)));
      if (channels.some((c) => c.channel === current)) paramsChannel.value = current;
      moveVersion.value = String(state.baseVersion ?? '');
      await loadParams();
      if (mine === generation) panel.dataset['loaded'] = state.name;
    } catch (error) {
      showError(error);
    }
  };

  move.addEventListener('click', async () => {
    try {
      const moved = await api.moveChannel(state.name!, moveChannel.value, Number(moveVersion.value), moveReason.value);
      clear(paramsMessage, h('p', { class: 'ok' }, `${moved.channel} now points at v${moved.version}`));
      await refresh();
    } catch (error) {
      showError(error);
    }
  });
  paramsChannel.addEventListener('change', () => void loadParams());
  state.onOpened.push(() => {
    delete panel.dataset['loaded'];
    void refresh();
  });
  return { id: 'channels', label: 'Channels', panel, shown: () => void (loadedFor === `${state.name}@${state.baseVersion ?? ''}` ? undefined : refresh()) };
}
