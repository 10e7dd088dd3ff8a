// A photo with a box and a name over each face. Clicking a face (or Tab to it and Enter) opens a
// panel to name it, move it to someone, reject the suggested person or unassign it. ← and →
// walk the list the photo was opened from (photo-context.js), Esc goes back to it. A face the
// detector missed can be drawn (face-drawing.js).
import { api, urls } from '../api.js';
import { displayName, fill, h, plural } from '../dom.js';
import { faceDrawing } from './face-drawing.js';
import { contextQuery, photoHref, photoNeighbours } from './photo-context.js';
import { baseName } from './photo-grid.js';

// Small photos are shown at most this many times their size: enough to see a face, not so much
// that it turns to mush.
const MAX_UPSCALE = 1;

export async function renderPhoto(view, [idText], context) {
  const id = Number(idText);
  const [photo, { persons }] = await Promise.all([api.photo(id), api.persons({ hidden: true })]);
  if (!context.isCurrent()) return;
  const from = contextQuery(context.query);
  const selected = Number(context.query.get('face')) || null;

  const panel = h('aside', { class: 'face-panel', 'aria-live': 'polite', dataset: { testid: 'face-panel' } });
  const stage = h('div', { class: 'photo-stage', style: `aspect-ratio: ${photo.width || 4} / ${photo.height || 3}`, dataset: { testid: 'photo-stage' } },
    h('img', { src: urls.photoImage(id, 1600), alt: baseName(photo.path), dataset: { testid: 'photo-image' } }));
  const frame = h('div', { class: 'photo-frame' }, stage);
  const boxes = new Map();
  // Left to right, so that Tab walks the faces as they are seen.
  const faces = [...(photo.faces ?? [])].sort((a, b) => a.box[0] - b.box[0] || a.box[1] - b.box[1]);
  for (const face of faces) {
    const [x, y, w, hgt] = face.box;
    const pct = (v, total) => `${((100 * v) / (total || 1)).toFixed(3)}%`;
    const label = face.person ? displayName(face.person) : 'Unknown';
    const box = h('button', {
      type: 'button',
      class: `face-box${face.person?.name ? ' named' : ''}${face.drawn ? ' drawn' : ''}`,
      style: `left:${pct(x, photo.width)};top:${pct(y, photo.height)};width:${pct(w, photo.width)};height:${pct(hgt, photo.height)}`,
      'aria-label': `Face: ${label}`,
      'aria-pressed': 'false',
      dataset: { testid: 'face-box', faceId: String(face.id) },
      onclick: () => select(face),
    });
    boxes.set(face.id, box);
    stage.append(box);
    // Labels are the stage's children, drawn above every box: a neighbour's box never hides one.
    if (face.person) {
      stage.append(h('span', {
        class: 'face-label', 'aria-hidden': 'true', dataset: { testid: 'face-label', faceId: String(face.id) },
        style: `left:${pct(x, photo.width)};top:${pct(y + hgt, photo.height)}`,
        onclick: () => select(face),
      }, face.person?.name || '?'));
    }
  }

  function select(face, { focusPanel = true } = {}) {
    for (const [faceId, box] of boxes) box.setAttribute('aria-pressed', String(faceId === face.id));
    history.replaceState(null, '', photoHref(id, from, face.id));
    fill(panel, facePanel(face, persons, context));
    if (focusPanel) panel.querySelector('input')?.focus({ preventScroll: true });
  }

  const drawing = faceDrawing(stage, photo, (face) => {
    context.notify('Face added: name it below');
    location.replace(photoHref(id, from, face.id));  // the hash changes: the page is drawn again
  });

  const previous = h('a', { class: 'button secondary', 'aria-disabled': 'true', 'aria-keyshortcuts': 'ArrowLeft', title: 'Previous photo (←)', dataset: { testid: 'photo-previous' } }, '← Previous');
  const next = h('a', { class: 'button secondary', 'aria-disabled': 'true', 'aria-keyshortcuts': 'ArrowRight', title: 'Next photo (→)', dataset: { testid: 'photo-next' } }, 'Next →');
  const back = h('a', { class: 'quiet-link', href: '#/photos', 'aria-keyshortcuts': 'Escape', dataset: { testid: 'photo-back' } }, '← Photos');

  fill(view,
    h('nav', { class: 'photo-nav', 'aria-label': 'Photos' }, back, h('span', { class: 'photo-steps' }, previous, next)),
    h('div', { class: 'page-head' },
      h('h1', { class: 'photo-title', title: photo.path }, baseName(photo.path)),
      h('p', { class: 'meta' }, `${photo.width} × ${photo.height} · ${plural(photo.face_count, 'face')}`,
        photo.taken ? ` · ${photo.taken_from === 'exif' ? 'taken' : 'file date (no date in the photo)'} ${photo.taken.slice(0, 16).replace('T', ' ')}` : '',
        photo.status !== 'ok' ? ` · ${photo.status}` : '')),
    annotation(photo.annotation),
    h('div', { class: 'photo-layout', dataset: { testid: 'photo-page', photoId: String(id) } },
      frame,
      h('div', { class: 'photo-side' },
        panel,
        photo.status === 'ok' ? h('div', { class: 'face-panel draw-panel' }, drawing.toggle, drawing.form) : null)));

  // The photo fits the screen below where it starts, and never grows past its own size.
  function fit() {
    const ratio = (photo.width || 4) / (photo.height || 3);
    const top = frame.getBoundingClientRect().top + window.scrollY;
    const room = Math.max(window.innerHeight - top - 16, window.innerHeight * 0.5);
    const natural = (photo.width || Infinity) * MAX_UPSCALE;
    stage.style.width = `${Math.floor(Math.min(frame.clientWidth, natural, room * ratio))}px`;
  }
  fit();
  window.addEventListener('resize', fit);

  const initial = faces.find((f) => f.id === selected);
  if (initial) {
    select(initial, { focusPanel: false });
    boxes.get(initial.id).scrollIntoView({ block: 'center', inline: 'nearest' });
    boxes.get(initial.id).focus({ preventScroll: true });
  } else {
    fill(panel, h('p', { class: 'hint' }, faces.length ? 'Click a face (or Tab to it) to name it or correct it.' : 'No faces were found in this photo.'));
  }

  // Keys: ← previous, → next, Esc back (or out of drawing). Not while typing.
  let neighbours = { back: { href: '#/photos' }, previous: null, next: null };
  function onKey(event) {
    const tag = event.target?.tagName;
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || document.querySelector('dialog[open]')) {
      if (event.key === 'Escape' && drawing.active()) drawing.cancel();
      return;
    }
    if (event.key === 'ArrowLeft' && neighbours.previous) location.hash = photoHref(neighbours.previous, from);
    else if (event.key === 'ArrowRight' && neighbours.next) location.hash = photoHref(neighbours.next, from);
    else if (event.key === 'Escape') {
      if (drawing.active()) drawing.cancel();
      else location.hash = neighbours.back.href;
    } else return;
    event.preventDefault();
  }
  document.addEventListener('keydown', onKey);

  photoNeighbours(photo, from).then((found) => {
    if (!context.isCurrent()) return;
    neighbours = found;
    back.href = found.back.href;
    back.textContent = `← ${found.back.label}`;
    for (const [link, target] of [[previous, found.previous], [next, found.next]]) {
      if (target) {
        link.href = photoHref(target, from);
        link.removeAttribute('aria-disabled');
      }
    }
    view.dataset.neighbours = 'ready';
  }).catch(() => {});

  return () => {
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('resize', fit);
  };
}

// How the face came to its person: the user's choice, or grouping's with how close it was.
function howNamed(face) {
  const drawn = face.drawn ? ' · drawn by you' : '';
  if (!face.person) return `Not assigned to anyone${drawn}`;
  if (face.assignment === 'user') return `${face.person.name ? 'Named' : 'Placed'} by you${drawn}`;
  const distance = face.distance === null || face.distance === undefined ? '' : ` (distance ${face.distance.toFixed(2)})`;
  return `Grouped automatically${distance}${drawn}`;
}

function facePanel(face, persons, context) {
  const current = face.person;
  const named = persons.filter((p) => p.name);
  const act = async (what, call) => {
    try {
      await call();
      context.notify(what);
      context.rerender();
    } catch (err) {
      context.notify(`Could not do it: ${err.message}`, 'error');
    }
  };

  // Naming: an existing name moves the face to that person; a new name makes a person for it.
  const nameInput = h('input', {
    id: 'face-name', type: 'text', list: 'known-names', autocomplete: 'off', required: true,
    placeholder: 'Type a name', value: current?.name ?? '', dataset: { testid: 'face-name-input' },
  });
  const nameForm = h('form', { class: 'stack-form', dataset: { testid: 'face-name-form' } },
    h('label', { for: 'face-name' }, 'Who is this?'),
    h('div', { class: 'row' },
      nameInput,
      h('button', { type: 'submit', class: 'primary' }, 'Save')),
    h('datalist', { id: 'known-names' }, named.map((p) => h('option', { value: p.name }))));
  nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) return;
    const match = named.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (match && match.id === current?.id) return;
    act(`This face is now ${name}`, async () => {
      const target = match ?? (await api.createPerson(name));
      await api.moveFace(face.id, target.id);
    });
  });

  const moveSelect = h('select', { id: 'face-move', dataset: { testid: 'face-move-select' } },
    h('option', { value: '' }, 'Choose…'),
    h('option', { value: 'new' }, 'A new person of its own'),
    persons.filter((p) => p.id !== current?.id && p.face_count > 0)
      .sort((a, b) => Number(!a.name) - Number(!b.name) || b.face_count - a.face_count)
      .map((p) => h('option', { value: String(p.id) }, `${displayName(p)} (${plural(p.face_count, 'face')})`)));
  const moveForm = h('form', { class: 'stack-form' },
    h('label', { for: 'face-move' }, 'Move to'),
    h('div', { class: 'row' }, moveSelect, h('button', { type: 'submit', class: 'secondary' }, 'Move')));
  moveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!moveSelect.value) return;
    const target = moveSelect.value === 'new' ? null : Number(moveSelect.value);
    act('Face moved', () => api.moveFace(face.id, target));
  });

  return [
    h('div', { class: 'face-panel-head' },
      h('img', { class: 'thumb', src: urls.thumbnail(face.id, 96), alt: '', width: '96', height: '96' }),
      h('div', {},
        h('h2', {}, current ? displayName(current) : 'Unknown face'),
        h('p', { class: 'meta', dataset: { testid: 'face-how' } }, howNamed(face)),
        current ? h('a', { href: `#/person/${current.id}` }, 'Open this person') : null)),
    nameForm,
    moveForm,
    current
      ? h('div', { class: 'actions' },
          h('button', {
            type: 'button', class: 'secondary', dataset: { testid: 'face-reject' },
            onclick: () => act('Noted: not this person', () => api.rejectFace(face.id, current.id)),
          }, current.name ? `Not ${current.name}` : 'Not this group'),
          h('button', {
            type: 'button', class: 'secondary', dataset: { testid: 'face-unassign' },
            onclick: () => act('Face unassigned', () => api.unassignFace(face.id)),
          }, 'Unassign'))
      : null,
  ];
}

// What `facetag annotate` said about the photo: its caption, and its tags as links to a search.
function annotation(a) {
  if (!a) return null;
  return h('div', { class: 'annotation', dataset: { testid: 'photo-annotation' } },
    h('p', { class: 'caption', dataset: { testid: 'photo-caption' } }, a.caption),
    a.tags.length
      ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, a.tags.map((tag) =>
        h('li', {}, h('a', { href: `#/search?text=${encodeURIComponent(tag)}`, dataset: { testid: 'photo-tag' } }, tag))))
      : null,
    h('p', { class: 'meta' }, `Described by ${a.model}`));
}
