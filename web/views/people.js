// The people page: named people, then the unnamed groups the clustering found, biggest first,
// each as a face thumbnail with a name that can be typed in place.
import { api, urls } from '../api.js';
import { fill, h, plural } from '../dom.js';
import { nameEditor } from './name-editor.js';

export async function renderPeople(view, _params, context) {
  const showHidden = context.query.get('hidden') === '1';
  const { persons } = await api.persons({ hidden: showHidden });
  if (!context.isCurrent()) return;
  const bySize = [...persons].sort((a, b) => b.face_count - a.face_count || a.id - b.id);
  const named = bySize.filter((p) => p.name);
  const unnamed = bySize.filter((p) => !p.name && p.face_count > 0);

  const hiddenToggle = h('a', {
    class: 'quiet-link', href: showHidden ? '#/people' : '#/people?hidden=1',
    dataset: { testid: 'toggle-hidden' },
  }, showHidden ? 'Hide hidden people' : 'Show hidden people');

  fill(view,
    h('div', { class: 'page-head' },
      h('h1', {}, 'People'),
      hiddenToggle),
    persons.length === 0
      ? h('p', { class: 'empty', dataset: { testid: 'people-empty' } },
          'No faces yet. ', h('a', { href: '#/status' }, 'Index a folder of photos'), ' to find people.')
      : null,
    section('Named', named, 'named-people', context),
    section('Unnamed groups', unnamed, 'unnamed-groups', context,
      ['Faces that look like the same person. Click “Add a name” to name a group, or ',
        h('a', { href: '#/review', dataset: { testid: 'review-link' } }, 'name everyone one by one'),
        ' (faces nobody has yet too, with suggestions).']));
}

function section(title, persons, testid, context, hint) {
  if (persons.length === 0) return null;
  const headingId = `heading-${testid}`;
  return h('section', { class: 'people-section', 'aria-labelledby': headingId, dataset: { testid } },
    h('h2', { id: headingId }, title, ' ', h('span', { class: 'count' }, `(${persons.length})`)),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('ul', { class: 'card-grid' }, persons.map((person) => h('li', {}, personCard(person, context)))));
}

export function personCard(person, context, { subtitle } = {}) {
  const card = h('article', {
    class: `person-card${person.hidden ? ' is-hidden' : ''}`,
    dataset: { testid: 'person-card', personId: String(person.id), named: person.name ? '1' : '0' },
  });
  const link = h('a', { class: 'thumb-link', href: `#/person/${person.id}` },
    faceThumb(person.sample_face_id, person.name ? `Photo of ${person.name}` : `Unnamed group ${person.id}`));
  fill(card,
    link,
    nameEditor(person, {
      notify: context.notify,
      onSaved: () => card.dataset.named = person.name ? '1' : '0',
    }),
    h('p', { class: 'meta' },
      subtitle ?? `${plural(person.face_count, 'face')} · ${plural(person.photo_count, 'photo')}`,
      person.hidden ? ' · hidden' : ''));
  return card;
}

export function faceThumb(faceId, alt, size = 160) {
  if (!faceId) return h('div', { class: 'thumb placeholder', role: 'img', 'aria-label': alt }, '?');
  return h('img', {
    class: 'thumb', src: urls.thumbnail(faceId, size), alt, loading: 'lazy', decoding: 'async',
    width: String(size), height: String(size),
  });
}
