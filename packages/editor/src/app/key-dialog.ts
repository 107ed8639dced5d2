import { h } from './dom.ts';

let open: Promise<string> | null = null;

/** Asks for the API key in a modal dialog (once per session; kept in session storage by the caller). */
export function askForKey(): Promise<string> {
  open ??= new Promise<string>((resolve) => {
    const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true });
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, 'Connect to Verdict'),
      h('p', {}, 'Enter an API key with the read, evaluate and publish scopes. It is kept for this browser tab only.'),
      h('label', { for: 'api-key' }, 'API key'),
      input,
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'api-key-submit', class: 'primary' }, 'Connect')),
    );
    const dialog = h('dialog', { id: 'key-dialog', 'aria-labelledby': 'key-dialog-title' }, form);
    form.querySelector('h2')!.id = 'key-dialog-title';
    dialog.addEventListener('cancel', (event) => event.preventDefault());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (key === '') return;
      dialog.close();
      dialog.remove();
      open = null;
      resolve(key);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
  return open;
}
