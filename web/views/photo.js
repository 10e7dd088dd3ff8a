// A photo with a box and a name over each face. Clicking a face opens a panel to name it, move
// it to someone, reject the suggested person or unassign it.
import { api, urls } from '../api.js';
import { displayName, fill, h, plural } from '../dom.js';
import { baseName } from './photo-grid.js';

export async function renderPhoto(view, [idText], context) {
  const id = Number(idText);
  const [photo, { persons }] = await Promise.all([api.photo(id), api.persons({ hidden: true })]);
  if (!context.isCurrent()) return;
  const selected = Number(context.query.get('face')) || null;

  const panel = h('aside', { class: 'face-panel', 'aria-live': 'polite', dataset: { testid: 'face-panel' } });
  const stage = h('div', { class: 'photo-stage', style: `aspect-ratio: ${photo.width || 4} / ${photo.height || 3}` },
    h('img', { src: urls.photoImage(id, 1600), alt: baseName(photo.path), dataset: { testid: 'photo-image' } }));
  const boxes = new Map();
  for (const face of photo.faces ?? []) {
    const [x, y, w, hgt] = face.box;
    const pct = (v, total) => `${((100 * v) / (total || 1)).toFixed(3)}%`;
    const label = face.person ? displayName(face.person) : 'Unknown';
    const box = h('button', {
      type: 'button',
      class: `face-box${face.person?.name ? ' named' : ''}`,
      style: `left:${pct(x, photo.width)};top:${pct(y, photo.height)};width:${pct(w, photo.width)};height:${pct(hgt, photo.height)}`,
      'aria-label': `Face: ${label}`,
      'aria-pressed': 'false',
      dataset: { testid: 'face-box', faceId: String(face.id) },
      onclick: () => select(face),
    }, h('span', { class: 'face-label' }, face.person?.name || (face.person ? '?' : '')));
    boxes.set(face.id, box);
    stage.append(box);
  }

  function select(face) {
    for (const [faceId, box] of boxes) box.setAttribute('aria-pressed', String(faceId === face.id));
    history.replaceState(null, '', `#/photo/${id}?face=${face.id}`);
    fill(panel, facePanel(face, persons, context));
    panel.querySelector('input')?.focus();
  }

  fill(view,
    h('div', { class: 'page-head' },
      h('h1', { class: 'photo-title', title: photo.path }, baseName(photo.path)),
      h('p', { class: 'meta' }, `${photo.width} × ${photo.height} · ${plural(photo.face_count, 'face')}`,
        photo.status !== 'ok' ? ` · ${photo.status}` : '')),
    annotation(photo.annotation),
    h('div', { class: 'photo-layout', dataset: { testid: 'photo-page', photoId: String(id) } },
      stage,
      panel));
  const initial = (photo.faces ?? []).find((f) => f.id === selected);
  if (initial) select(initial);
  else fill(panel, h('p', { class: 'hint' }, (photo.faces ?? []).length ? 'Click a face to name it or correct it.' : 'No faces were found in this photo.'));
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
        current ? h('a', { href: `#/person/${current.id}` }, 'Open this person') : h('p', { class: 'meta' }, 'Not assigned to anyone'))),
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
