// Search photos by one or more people: the photos that show all of the chosen people.
// The choice lives in the address (#/search?person=1&person=2) so it can be bookmarked.
import { api } from '../api.js';
import { fill, h, plural } from '../dom.js';
import { photoGrid } from './photo-grid.js';

const PAGE = 60;

export async function renderSearch(view, _params, context) {
  const chosen = new Set(context.query.getAll('person').map(Number).filter(Boolean));
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
            const query = [...chosen].map((pid) => `person=${pid}`).join('&');
            location.hash = `#/search${query ? `?${query}` : ''}`;
          },
        }),
        h('label', { for: inputId }, p.name || `Unnamed #${p.id}`));
    }));

  const results = h('section', { 'aria-labelledby': 'results-heading', dataset: { testid: 'search-results' } });
  fill(view, h('h1', {}, 'Search'), chips, results);
  if (chosen.size === 0) {
    fill(results, h('h2', { id: 'results-heading', class: 'visually-hidden' }, 'Results'),
      h('p', { class: 'hint' }, 'Choose one or more people.'));
    return;
  }

  const ids = [...chosen];
  let loaded = [];
  async function loadMore() {
    const page = await api.photos({ persons: ids, limit: PAGE, offset: loaded.length });
    if (!context.isCurrent()) return;
    loaded = loaded.concat(page.photos);
    const more = loaded.length < page.total && page.photos.length > 0;
    fill(results,
      h('h2', { id: 'results-heading' }, plural(page.total, 'photo')),
      loaded.length ? photoGrid(loaded, 'search-grid') : h('p', { class: 'empty' }, 'No photo shows all of them.'),
      more ? h('button', { type: 'button', class: 'secondary', onclick: loadMore }, 'Show more') : null);
  }
  await loadMore();
}
