// A person: their name (editable), hide, merge with someone else, their faces (select several to
// move them, say they are not this person, or not a face), when they were last recognised, their
// photos and the people they appear with.
import { api } from '../api.js';
import { displayName, fill, h, plural } from '../dom.js';
import { confirmDialog } from './dialog.js';
import { faceSelection } from './face-selection.js';
import { nameEditor } from './name-editor.js';
import { faceThumb, personCard } from './people.js';
import { personChoices, pickable } from './person-picker.js';
import { photoGrid } from './photo-grid.js';
import { TIMELINE_LENGTH, timeline } from './timeline.js';

export async function renderPerson(view, [idText], context) {
  const id = Number(idText);
  const [person, { faces }, { photos }, { companions }, { persons }, events] = await Promise.all([
    api.person(id), api.personFaces(id), api.personPhotos(id), api.together(id),
    api.persons({ hidden: true }), api.events({ person: id, limit: TIMELINE_LENGTH }),
  ]);
  if (!context.isCurrent()) return;

  const selection = faceSelection(person, faces, pickable(persons, id), context);
  const hideButton = h('button', {
    type: 'button', class: 'secondary', dataset: { testid: 'hide-button' },
    'aria-pressed': person.hidden ? 'true' : 'false',
    onclick: async () => {
      try {
        await api.updatePerson(id, { hidden: !person.hidden });
        context.notify(person.hidden ? 'Shown again on the people page' : 'Hidden from the people page');
        context.rerender();
      } catch (err) {
        context.notify(`Could not change it: ${err.message}`, 'error');
      }
    },
  }, person.hidden ? 'Unhide' : 'Hide');

  fill(view,
    h('div', { class: 'person-head', dataset: { testid: 'person-page', personId: String(id) } },
      faceThumb(person.sample_face_id, displayName(person), 160),
      h('div', { class: 'person-head-text' },
        h('h1', { class: 'visually-hidden' }, displayName(person)),
        nameEditor(person, { notify: context.notify, large: true }),
        h('p', { class: 'meta' },
          `${plural(person.face_count, 'face')} · ${plural(person.photo_count, 'photo')}`,
          person.hidden ? ' · hidden' : ''),
        h('div', { class: 'actions' },
          hideButton,
          h('a', { class: 'button secondary', href: `#/search?person=${id}` }, 'Search with others')))),
    mergeForm(person, persons, context),
    h('section', { 'aria-labelledby': 'faces-heading' },
      h('h2', { id: 'faces-heading' }, 'Faces'),
      faces.length === 0 ? h('p', { class: 'empty' }, 'No faces.') : selection),
    timeline(events, id),
    h('section', { 'aria-labelledby': 'together-heading' },
      h('h2', { id: 'together-heading' }, 'Appears with'),
      companions.length === 0
        ? h('p', { class: 'empty' }, 'Nobody else in the same photos.')
        : h('ul', { class: 'card-grid', dataset: { testid: 'companions' } }, companions.map(({ person: other, shared_photos }) => h('li', {},
            personCard(other, context, { subtitle: h('a', { href: `#/search?person=${id}&person=${other.id}` }, `${plural(shared_photos, 'photo')} together`) }))))),
    h('section', { 'aria-labelledby': 'photos-heading' },
      h('h2', { id: 'photos-heading' }, 'Photos'),
      photos.length === 0 ? h('p', { class: 'empty' }, 'No photos.') : photoGrid(photos, 'person-photos', `in=person&person=${id}`)));
}

// "Merge with": the chosen person's faces join this one (POST /persons/{id}/merge). Candidates are
// shown as faces, since an unnamed group is only recognisable by its face.
function mergeForm(person, persons, context) {
  const others = pickable(persons, person.id);
  if (others.length === 0) return null;
  async function mergeOne(other) {
    const yes = await confirmDialog({
      title: 'Is this the same person?',
      body: h('div', { class: 'dialog-faces' },
        faceThumb(other.sample_face_id, displayName(other), 96),
        h('span', { 'aria-hidden': 'true' }, '→'),
        faceThumb(person.sample_face_id, displayName(person), 96),
        h('p', {}, `Move ${plural(other.face_count, 'face')} of ${displayName(other)} to ${displayName(person)}?`)),
      confirmLabel: `Move ${plural(other.face_count, 'face')}`,
      testid: 'merge-dialog',
    });
    if (!yes) return;
    try {
      await api.mergePersons(person.id, [other.id]);
      context.notify(`Merged ${displayName(other)} into ${displayName(person)}`);
      context.rerender();
    } catch (err) {
      context.notify(`Could not merge: ${err.message}`, 'error');
    }
  }
  return h('details', { class: 'merge' }, h('summary', {}, 'Merge with another person'),
    h('p', { class: 'hint' }, `Choose who is the same person as ${displayName(person)}:`),
    personChoices(others, { onChoose: mergeOne, testid: 'merge-picker', choiceTestid: 'merge-choice' }));
}
