// Every photo as a timeline, newest first, by the date it was taken (EXIF; else the file's date,
// which the tile says). Pages of 100 come by keyset cursor (GET /photos?sort=taken) as the end of
// the list scrolls into view; thumbnails load lazily.
import { api, urls } from '../api.js';
import { fill, h, plural } from '../dom.js';
import { baseName } from './photo-grid.js';

const PAGE = 100;
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'long', timeZone: 'UTC' });

// "2021-06-01T10:00:00" is the camera's wall-clock time: read it as UTC so that no time zone
// moves it to another day.
function takenDate(taken) {
  return new Date(`${taken.slice(0, 19)}Z`);
}

export async function renderPhotos(view) {
  const list = h('div', { class: 'timeline-photos', dataset: { testid: 'timeline' } });
  const more = h('button', { type: 'button', class: 'secondary', dataset: { testid: 'timeline-more' } }, 'Show older photos');
  const status = h('p', { class: 'meta', 'aria-live': 'polite' });
  fill(view, h('h1', {}, 'Photos'), status, list, more);

  let cursor = null;
  let loading = false;
  let shown = 0;
  let month = null;  // the open month and day sections, continued by the next page
  let day = null;

  function add(photo) {
    const date = takenDate(photo.taken);
    const monthKey = photo.taken.slice(0, 7);
    const dayKey = photo.taken.slice(0, 10);
    if (month?.key !== monthKey) {
      month = { key: monthKey, section: h('section', { class: 'timeline-month', dataset: { testid: 'timeline-month', month: monthKey } },
        h('h2', {}, Number.isNaN(date.getTime()) ? 'Unknown date' : monthFormat.format(date))) };
      list.append(month.section);
      day = null;
    }
    if (day?.key !== dayKey) {
      day = { key: dayKey, grid: h('ul', { class: 'photo-grid' }) };
      month.section.append(h('h3', { class: 'timeline-day' }, Number.isNaN(date.getTime()) ? '' : dayFormat.format(date)), day.grid);
    }
    const when = photo.taken_from === 'exif' ? 'taken' : 'file date';
    day.grid.append(h('li', {},
      h('a', { href: `#/photo/${photo.id}?in=timeline`, class: 'photo-tile', dataset: { testid: 'photo-tile', photoId: String(photo.id) } },
        photo.status === 'ok'
          ? h('img', { src: urls.photoImage(photo.id, 400), alt: baseName(photo.path), loading: 'lazy', decoding: 'async' })
          : h('div', { class: 'photo-missing' }, photo.status),
        h('span', { class: 'photo-caption' }, baseName(photo.path), ' · ', plural(photo.face_count, 'face')),
        h('span', { class: `photo-date${photo.taken_from === 'exif' ? '' : ' from-file'}`, title: photo.taken_from === 'exif' ? 'Date taken (EXIF)' : 'No date in the photo: the file\'s modification date' },
          `${when} ${photo.taken.slice(0, 16).replace('T', ' ')}`))));
  }

  async function loadMore() {
    if (loading) return;
    loading = true;
    more.disabled = true;
    try {
      const page = await api.timeline({ cursor, limit: PAGE });
      page.photos.forEach(add);
      shown += page.photos.length;
      cursor = page.next_cursor;
      status.textContent = shown === 0 ? '' : `${plural(shown, 'photo')}${cursor ? ' so far' : ''}, newest first`;
      if (shown === 0) list.append(h('p', { class: 'empty' }, 'No photos yet: index a folder on the Status page.'));
    } finally {
      loading = false;
      more.disabled = false;
      more.style.display = cursor ? '' : 'none';  // (buttons' display in app.css beats [hidden])
    }
  }

  await loadMore();
  // The next page loads as the button comes near the screen; the button stays for keyboards.
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && cursor) loadMore().catch(() => {});
  }, { rootMargin: '600px' });
  observer.observe(more);
  more.addEventListener('click', () => loadMore().catch(() => {}));
  return () => observer.disconnect();
}
