import { monaco } from '../monaco.ts';
import type { ApiFailure } from './api.ts';
import { h } from './dom.ts';

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

/**
 * The server refused a version whose own tests fail (422 `tests_failed`): lists each failing
 * test and offers to publish anyway with a reason, which the server records in the audit log.
 * Answers the reason, or null when the author cancels.
 */
export function askToForce(error: ApiFailure): Promise<string | null> {
  return new Promise((resolve) => {
    const failing = error.details.filter((d) => d.test !== undefined);
    const reason = h('textarea', { id: 'force-reason', rows: 2, placeholder: 'Why publish with failing tests?', 'aria-label': 'Reason for publishing with failing tests' });
    const submit = h('button', { type: 'submit', id: 'force-publish', class: 'danger' }, 'Publish anyway');
    const cancel = h('button', { type: 'button', id: 'force-cancel' }, 'Cancel');
    const list = h(
      'ul',
      { id: 'failing-tests', class: 'failing-tests' },
      ...failing.map((d) =>
        h('li', { 'data-test': d.test ?? '' }, h('strong', {}, d.test ?? ''), d.line === undefined ? '' : h('span', { class: 'muted' }, ` line ${d.line}`), h('div', { class: 'failure' }, (d.failures ?? [d.message]).join('; '))),
      ),
    );
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'force-dialog-title' }, `${failing.length} test${failing.length === 1 ? '' : 's'} of this version fail`),
      h('p', {}, 'The version was not published. Fix the tests, or publish anyway: the reason and the failing tests are recorded in the audit log.'),
      list,
      h('label', { for: 'force-reason' }, 'Reason'),
      reason,
      h('div', { class: 'actions' }, cancel, submit),
    );
    const dialog = h('dialog', { id: 'force-dialog', 'aria-labelledby': 'force-dialog-title' }, form);
    const finish = (answer: string | null) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    submit.disabled = true;
    reason.addEventListener('input', () => (submit.disabled = reason.value.trim() === ''));
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(null);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = reason.value.trim();
      if (text !== '') finish(text);
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}
