// A modal question answered with the keyboard alone: Enter (the focused confirm button) says yes,
// Escape says no. Built on <dialog>, so focus stays inside it and the page behind is inert.
import { h } from '../dom.js';

export function confirmDialog({ title, body, confirmLabel, cancelLabel = 'Cancel', testid = 'confirm-dialog' }) {
  return new Promise((resolve) => {
    const confirm = h('button', { type: 'submit', class: 'primary', value: 'yes', dataset: { testid: `${testid}-confirm` } },
      confirmLabel);
    const cancel = h('button', { type: 'submit', class: 'secondary', value: 'no', formnovalidate: true,
      dataset: { testid: `${testid}-cancel` } }, cancelLabel);
    const titleId = `${testid}-title`;
    const dialog = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': titleId, dataset: { testid } },
      h('form', { method: 'dialog' },
        h('h2', { id: titleId }, title),
        body,
        h('div', { class: 'actions' }, confirm, cancel)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'yes');
    });
    document.body.append(dialog);
    dialog.showModal();
    confirm.focus();
  });
}
