// Choosing a person by their face (an unnamed group is only recognisable by its face): the
// person page's "Merge with another person" and its bulk "Move to…" use the same choices.
import { displayName, fill, h, plural } from '../dom.js';
import { faceThumb } from './people.js';

// Named people first (A-Z), then unnamed groups, biggest first; people without faces left out.
export function pickable(persons, exceptId) {
  return persons.filter((p) => p.id !== exceptId && p.face_count > 0)
    .sort((a, b) => Number(!a.name) - Number(!b.name) || (a.name || '').localeCompare(b.name || '') || b.face_count - a.face_count);
}

// A list of buttons, one per person, each with a face, the name and the number of faces.
export function personChoices(persons, { onChoose, testid, choiceTestid }) {
  return h('ul', { class: 'merge-picker', dataset: { testid } }, persons.map((p) => h('li', { dataset: { name: (p.name || '').toLowerCase() } },
    h('button', {
      type: 'button', class: 'merge-choice', dataset: { testid: choiceTestid, personId: String(p.id) },
      onclick: () => onChoose(p),
    },
    faceThumb(p.sample_face_id, displayName(p), 64),
    h('span', {}, displayName(p)),
    h('span', { class: 'meta' }, plural(p.face_count, 'face'))))));
}

// A modal picker: resolves with the chosen person, 'new' (a new person, when offered), or null
// (Escape, Cancel). Typing in its field narrows the choices by name.
export function choosePerson({ title, hint, persons, newPersonLabel, testid = 'move-dialog' }) {
  return new Promise((resolve) => {
    let chosen = null;
    const dialog = h('dialog', { class: 'confirm-dialog picker-dialog', 'aria-labelledby': `${testid}-title`, dataset: { testid } });
    const close = (value) => {
      chosen = value;
      dialog.close();
    };
    const list = personChoices(persons, { onChoose: close, testid: 'move-picker', choiceTestid: 'move-choice' });
    const filterId = `${testid}-filter`;
    const filter = h('input', { id: filterId, type: 'search', autocomplete: 'off', placeholder: 'Name', dataset: { testid: `${testid}-filter` } });
    filter.addEventListener('input', () => {
      const wanted = filter.value.trim().toLowerCase();
      for (const li of list.children) li.hidden = Boolean(wanted) && !li.dataset.name.includes(wanted);
    });
    fill(dialog, h('form', { method: 'dialog' },
      h('h2', { id: `${testid}-title` }, title),
      hint ? h('p', { class: 'hint' }, hint) : null,
      persons.length > 8 ? h('p', {}, h('label', { for: filterId }, 'Find '), filter) : null,
      list,
      h('div', { class: 'actions' },
        newPersonLabel ? h('button', { type: 'button', class: 'secondary', dataset: { testid: `${testid}-new` }, onclick: () => close('new') }, newPersonLabel) : null,
        h('button', { type: 'submit', class: 'secondary', value: 'cancel', dataset: { testid: `${testid}-cancel` } }, 'Cancel'))));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(chosen);
    });
    document.body.append(dialog);
    dialog.showModal();
    (persons.length > 8 ? filter : list.querySelector('button') ?? dialog.querySelector('button'))?.focus();
  });
}
