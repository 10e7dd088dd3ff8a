// Click-to-name: a button showing the name (or "Add a name") that turns into a text field.
// Enter saves through PATCH /api/v1/persons/{id}, Escape or leaving the field cancels.
import { api } from '../api.js';
import { displayName, fill, h, plural } from '../dom.js';
import { confirmDialog } from './dialog.js';

export function nameEditor(person, { onSaved, notify, large = false } = {}) {
  const wrapper = h('div', { class: `name-editor${large ? ' large' : ''}`, dataset: { testid: 'name-editor' } });

  function showButton() {
    const button = h('button', {
      type: 'button',
      class: `name-button${person.name ? '' : ' unnamed'}`,
      title: person.name ? 'Rename' : 'Add a name',
      'aria-label': person.name ? `Rename ${person.name}` : `Name this group of ${person.face_count} faces`,
      dataset: { testid: 'person-name-button' },
      onclick: showInput,
    }, person.name || 'Add a name');
    fill(wrapper, button);
    return button;
  }

  function showInput() {
    const id = `name-${person.id}-${Math.random().toString(36).slice(2, 8)}`;
    const input = h('input', {
      id, type: 'text', value: person.name, autocomplete: 'off', enterkeyhint: 'done',
      maxlength: '200', placeholder: 'Name', dataset: { testid: 'person-name-input' },
    });
    let saving = false;
    const form = h('form', { class: 'name-form' },
      h('label', { for: id, class: 'visually-hidden' }, 'Name'),
      input);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (name === person.name) {
        showButton().focus();
        return;
      }
      saving = true;
      input.disabled = true;
      try {
        const updated = await api.updatePerson(person.id, { name });
        Object.assign(person, updated);
        showButton().focus();
        notify?.(name ? `Named “${name}”` : 'Name removed');
        onSaved?.(updated);
      } catch (err) {
        saving = false;
        input.disabled = false;
        if (err.code === 'name_taken' && await mergeInstead(err.details.person_id)) return;
        input.focus();
        if (err.code !== 'name_taken') notify?.(`Could not save the name: ${err.message}`, 'error');
      }
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        showButton().focus();
      }
    });
    input.addEventListener('blur', () => {
      // Leaving the field without Enter keeps the old name; a save in flight finishes first.
      setTimeout(() => {
        if (!saving && wrapper.contains(input)) showButton();
      }, 150);
    });
    fill(wrapper, form);
    input.focus();
    input.select();
  }

  // 409 name_taken: someone is called that already. Offer to merge this person into them; true
  // when merged (the page then shows the person who stays).
  async function mergeInstead(existingId) {
    const existing = await api.person(existingId);
    const yes = await confirmDialog({
      title: `${displayName(existing)} already exists`,
      body: h('p', {}, `Is this the same person? Merging moves ${plural(person.face_count, 'face')} to `,
        `${displayName(existing)} (${plural(existing.face_count, 'face')}).`),
      confirmLabel: `Merge into ${displayName(existing)}`,
      cancelLabel: 'No, change the name',
      testid: 'name-taken-dialog',
    });
    if (!yes) return false;
    try {
      await api.mergePersons(existing.id, [person.id]);
      notify?.(`Merged into ${displayName(existing)}`, 'info', { keep: true });  // shown on their page
      location.hash = `#/person/${existing.id}`;
      return true;
    } catch (err) {
      notify?.(`Could not merge: ${err.message}`, 'error');
      return false;
    }
  }

  showButton();
  return wrapper;
}
