// The people page: named people, then the unnamed groups the grouping found, each as a face
// thumbnail with a name that can be typed in place. A search box (as you type), a sort and a
// filter ask the server (GET /api/v1/persons?q=&sort=&filter=); the choice lives in the address
// (#/people?q=ra&sort=name&filter=named) so that reload, back and bookmarks keep it.
import { api, urls } from '../api.js';
import { fill, h, plural } from '../dom.js';
import { nameEditor } from './name-editor.js';

const SEARCH_DELAY_MS = 250;  // typing pauses this long before the server is asked
const SORTS = { faces: 'Most faces', name: 'Name', recent: 'Recently added' };
const FILTERS = { all: 'Everyone', named: 'Named', unnamed: 'Unnamed' };

export async function renderPeople(view, _params, context) {
  const choice = {
    q: (context.query.get('q') ?? '').trim(),
    sort: SORTS[context.query.get('sort')] ? context.query.get('sort') : 'faces',
    filter: FILTERS[context.query.get('filter')] ? context.query.get('filter') : 'all',
    hidden: context.query.get('hidden') === '1',
  };
  const results = h('div', { dataset: { testid: 'people-results' } });
  let asked = 0;  // answers to an older question are dropped

  // The address says what is shown; replaceState: typing is not a trail of history entries.
  function address(changes = {}) {
    const next = { ...choice, ...changes };
    const params = new URLSearchParams();
    if (next.q) params.set('q', next.q);
    if (next.sort !== 'faces') params.set('sort', next.sort);
    if (next.filter !== 'all') params.set('filter', next.filter);
    if (next.hidden) params.set('hidden', '1');
    const search = params.toString();
    return `#/people${search ? `?${search}` : ''}`;
  }

  async function load() {
    const mine = ++asked;
    results.setAttribute('aria-busy', 'true');
    try {
      const { persons } = await api.persons({ hidden: choice.hidden, q: choice.q, sort: choice.sort, filter: choice.filter });
      if (!context.isCurrent() || mine !== asked) return;
      drawResults(persons);
    } finally {
      if (mine === asked) results.removeAttribute('aria-busy');
    }
  }

  function change(changes) {
    Object.assign(choice, changes);
    history.replaceState(null, '', address());
    hiddenToggle.href = address({ hidden: !choice.hidden });
    return load().catch((err) => context.notify(`Could not load people: ${err.message}`, 'error'));
  }

  function drawResults(persons) {
    const named = persons.filter((p) => p.name);
    const unnamed = persons.filter((p) => !p.name && p.face_count > 0);
    const searching = choice.q || choice.filter !== 'all';
    fill(results,
      persons.length === 0 && !searching
        ? h('p', { class: 'empty', dataset: { testid: 'people-empty' } },
            'No faces yet. ', h('a', { href: '#/status' }, 'Index a folder of photos'), ' to find people.')
        : null,
      named.length === 0 && unnamed.length === 0 && searching
        ? h('p', { class: 'empty', dataset: { testid: 'people-no-match' } },
            choice.q ? `Nobody matches “${choice.q}”. ` : 'Nobody here. ',
            h('button', { type: 'button', class: 'secondary', onclick: () => { searchInput.value = ''; change({ q: '', filter: 'all' }); } },
              'Show everyone'))
        : null,
      section('Named', named, 'named-people', context),
      section('Unnamed groups', unnamed, 'unnamed-groups', context,
        ['Faces that look like the same person. Click “Add a name” to name a group, or ',
          h('a', { href: '#/review', dataset: { testid: 'review-link' } }, 'name everyone one by one'),
          ' (faces nobody has yet too, with suggestions).']));
  }

  const searchInput = h('input', {
    id: 'people-search', type: 'search', value: choice.q, placeholder: 'Name or number',
    autocomplete: 'off', spellcheck: 'false', dataset: { testid: 'people-search' },
  });
  let typing = null;
  searchInput.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => change({ q: searchInput.value.trim() }), SEARCH_DELAY_MS);
  });
  searchInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      clearTimeout(typing);
      change({ q: searchInput.value.trim() });
    }
  });
  const select = (id, label, options, value, key) => [
    h('label', { for: id }, label),
    h('select', {
      id, dataset: { testid: id },
      onchange: (event) => change({ [key]: event.target.value }),
    }, Object.entries(options).map(([v, text]) => h('option', { value: v, selected: v === value }, text)))];

  const hiddenToggle = h('a', {
    class: 'quiet-link', href: address({ hidden: !choice.hidden }),
    dataset: { testid: 'toggle-hidden' },
  }, choice.hidden ? 'Hide hidden people' : 'Show hidden people');

  await load();
  if (!context.isCurrent()) return () => clearTimeout(typing);
  fill(view,
    h('div', { class: 'page-head' },
      h('h1', {}, 'People'),
      hiddenToggle),
    h('form', { class: 'people-tools', role: 'search', onsubmit: (event) => event.preventDefault() },
      h('label', { for: 'people-search' }, 'Find'), searchInput,
      select('people-sort', 'Sort by', SORTS, choice.sort, 'sort'),
      select('people-filter', 'Show', FILTERS, choice.filter, 'filter')),
    results);
  return () => clearTimeout(typing);
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
