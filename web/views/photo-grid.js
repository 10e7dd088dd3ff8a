// A grid of photo thumbnails, each linking to its photo page. `from` is the query that tells the
// photo page where the user came from (photo-context.js), so that next/previous walk this list.
import { urls } from '../api.js';
import { h, plural } from '../dom.js';

export function photoGrid(photos, testid = 'photo-grid', from = '') {
  return h('ul', { class: 'photo-grid', dataset: { testid } }, photos.map((photo) => h('li', {},
    h('a', { href: `#/photo/${photo.id}${from ? `?${from}` : ''}`, class: 'photo-tile', dataset: { testid: 'photo-tile', photoId: String(photo.id) } },
      photo.status === 'ok'
        ? h('img', { src: urls.photoImage(photo.id, 400), alt: baseName(photo.path), loading: 'lazy', decoding: 'async' })
        : h('div', { class: 'photo-missing' }, photo.status),
      h('span', { class: 'photo-caption' }, baseName(photo.path), ' · ', plural(photo.face_count, 'face'))))));
}

export function baseName(path) {
  return String(path ?? '').split(/[\\/]/).pop();
}
