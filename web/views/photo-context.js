// Where the photo page was opened from, carried in its address, so that next/previous walk that
// list and Esc goes back to it:
//   #/photo/12?in=timeline                    the timeline (also the default)
//   #/photo/12?in=person&person=3             person 3's photos
//   #/photo/12?in=search&person=1&text=beach  a search's results
import { api } from '../api.js';
import { displayName } from '../dom.js';

const SEARCH_LIMIT = 1000;

// The query that opens photos in the same context (kept when the photo page changes photo).
export function contextQuery(query) {
  const out = new URLSearchParams();
  const kind = query.get('in');
  if (kind === 'person' || kind === 'search') {
    out.set('in', kind);
    for (const person of query.getAll('person')) out.append('person', person);
    if (kind === 'search' && query.get('text')) out.set('text', query.get('text'));
  } else {
    out.set('in', 'timeline');
  }
  return out;
}

export function photoHref(id, context, faceId = null) {
  const query = new URLSearchParams(context);
  if (faceId) query.set('face', String(faceId));
  return `#/photo/${id}?${query}`;
}

// { back: {href, label}, previous: id | null, next: id | null } for `photo` in `context`.
export async function photoNeighbours(photo, context) {
  const kind = context.get('in');
  if (kind === 'person') {
    const personId = Number(context.get('person'));
    const [{ photos }, person] = await Promise.all([api.personPhotos(personId), api.person(personId)]);
    return inList(photos, photo.id, { href: `#/person/${personId}`, label: `${displayName(person)}’s photos` });
  }
  if (kind === 'search') {
    const persons = context.getAll('person').map(Number).filter(Boolean);
    const text = context.get('text') ?? '';
    const { photos } = await api.photos({ persons, text, limit: SEARCH_LIMIT });
    const search = new URLSearchParams();
    if (text) search.set('text', text);
    for (const p of persons) search.append('person', String(p));
    const tail = search.toString();
    return inList(photos, photo.id, { href: `#/search${tail ? `?${tail}` : ''}`, label: 'Search results' });
  }
  // The timeline: the photo's own cursor finds its neighbours, one photo each way.
  const back = { href: '#/photos', label: 'Photos' };
  if (!photo.cursor) return { back, previous: null, next: null };
  const [newer, older] = await Promise.all([
    api.timeline({ before: photo.cursor, limit: 1 }),
    api.timeline({ cursor: photo.cursor, limit: 1 }),
  ]);
  return { back, previous: newer.photos[0]?.id ?? null, next: older.photos[0]?.id ?? null };
}

function inList(photos, id, back) {
  const at = photos.findIndex((p) => p.id === id);
  if (at < 0) return { back, previous: null, next: null };
  return { back, previous: photos[at - 1]?.id ?? null, next: photos[at + 1]?.id ?? null };
}
