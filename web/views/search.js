// Search photos by one or more people (the photos that show all of them) and by words of their
// captions and tags (facetag annotate). The choice lives in the address
// (#/search?text=beach&person=1&person=2) so it can be bookmarked.
import { api } from '../api.js';
import { fill, h, plural } from '../dom.js';
import { photoGrid } from './photo-grid.js';

const PAGE = 60;

export async function renderSearch(view, _params, context) {
  const chosen = new Set(context.query.getAll('person').map(Number).filter(Boolean));
  const text = (context.query.get('text') ?? '').trim();
  const go = (words, ids) => {
    const params = new URLSearchParams();
    if (words) params.set('text', words);
    for (const pid of ids) params.append('person', String(pid));
    const search = params.toString();
    location.hash = `#/search${search ? `?${search}` : ''}`;
  };
  const { persons } = await api.persons({ hidden: true });
  if (!context.isCurrent()) return;
  const candidates = persons
    .filter((p) => (p.name && p.face_count > 0) || chosen.has(p.id))
    .sort((a, b) => (a.name || '').localeCompare(b.name || ''));

  const chips = h('fieldset', { class: 'chips', dataset: { testid: 'search-people' } },
    h('legend', {}, 'Photos with all of'),
    candidates.length === 0 ? h('p', { class: 'empty' }, 'Name some people first.') : null,
    candidates.map((p) => {
      const inputId = `search-person-${p.id}`;
      return h('span', { class: 'chip' },
        h('input', {
          type: 'checkbox', id: inputId, value: String(p.id), checked: chosen.has(p.id),
          dataset: { testid: 'search-person' },
          onchange: (event) => {
            if (event.target.checked) chosen.add(p.id);
            else chosen.delete(p.id);
            go(text, chosen);
          },
        }),
        h('label', { for: inputId }, p.name || `Unnamed #${p.id}`));
    }));

  // Words of the captions and tags that `facetag annotate` wrote.
  const textInput = h('input', {
    id: 'search-text', type: 'search', value: text, placeholder: 'beach, birthday, snow…',
    dataset: { testid: 'search-text' },
  });
  const textForm = h('form', { class: 'stack-form', role: 'search', dataset: { testid: 'search-text-form' } },
    h('label', { for: 'search-text' }, 'Captions and tags'),
    h('div', { class: 'row' }, textInput, h('button', { type: 'submit', class: 'primary' }, 'Search')));
  textForm.addEventListener('submit', (event) => {
    event.preventDefault();
    go(textInput.value.trim(), chosen);
  });

  const results = h('section', { 'aria-labelledby': 'results-heading', dataset: { testid: 'search-results' } });
  fill(view, h('h1', {}, 'Search'), textForm, chips, results);
  if (chosen.size === 0 && !text) {
    fill(results, h('h2', { id: 'results-heading', class: 'visually-hidden' }, 'Results'),
      h('p', { class: 'hint' }, 'Type some words, or choose one or more people.'));
    return;
  }

  const ids = [...chosen];
  let loaded = [];
  async function loadMore() {
    const page = await api.photos({ persons: ids, text, limit: PAGE, offset: loaded.length });
    if (!context.isCurrent()) return;
    loaded = loaded.concat(page.photos);
    const more = loaded.length < page.total && page.photos.length > 0;
    fill(results,
      h('h2', { id: 'results-heading' }, plural(page.total, 'photo')),
      loaded.length ? photoGrid(loaded, 'search-grid', searchContext(text, ids))
        : h('p', { class: 'empty' }, text ? 'No photo matches.' : 'No photo shows all of them.'),
      more ? h('button', { type: 'button', class: 'secondary', onclick: loadMore }, 'Show more') : null);
  }
  await loadMore();
}

// What the photo page needs to walk these results (photo-context.js).
function searchContext(text, ids) {
  const params = new URLSearchParams({ in: 'search' });
  if (text) params.set('text', text);
  for (const id of ids) params.append('person', String(id));
  return params.toString();
}
