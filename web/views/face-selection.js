// A person's faces, to select several and correct them at once (POST /api/v1/faces/batch: all or
// none, one undo): move them to someone else, say they are not this person, or not a face.
//   click a checkbox, or any face once one is selected      select it
//   Shift+click, Shift+Space                                everything between it and the last one
//   Ctrl+A (Cmd+A) in the faces, "Select all"               every face; Escape: none
//   arrow keys                                              from face to face
import { api, urls } from '../api.js';
import { displayName, h, plural } from '../dom.js';
import { choosePerson } from './person-picker.js';

export function faceSelection(person, faces, others, context) {
  const selected = new Set();
  let anchor = null;  // index of the face clicked last: where a Shift+click range starts
  let busy = false;
  let shiftDown = false;  // a keyboard "click" (Shift+Space) carries no shiftKey of its own
  const name = displayName(person);

  const checks = faces.map((face, index) => {
    const check = h('input', {
      type: 'checkbox', class: 'face-check', 'aria-label': `Select face ${face.id}`,
      dataset: { testid: 'face-check', faceId: String(face.id) },
    });
    check.addEventListener('click', (event) => {
      pick(index, check.checked, event.shiftKey || shiftDown);
    });
    check.addEventListener('keydown', (event) => onKey(event, index));
    return check;
  });

  const tiles = faces.map((face, index) => {
    // The photo opens with this face selected, and next/previous walk this person's photos.
    const link = h('a', {
      href: `#/photo/${face.photo_id}?in=person&person=${person.id}&face=${face.id}`,
      title: 'Open the photo with this face selected', class: 'face-link',
      dataset: { testid: 'person-face', faceId: String(face.id) },
    },
      h('img', { class: 'thumb small', src: urls.thumbnail(face.id, 96), alt: `Face ${face.id}`, loading: 'lazy', width: '96', height: '96' }));
    // Once something is selected, a click on a face selects it instead of opening its photo.
    link.addEventListener('click', (event) => {
      if (selected.size === 0) return;
      event.preventDefault();
      pick(index, !selected.has(face.id), event.shiftKey);
    });
    return h('li', { class: 'face-tile', dataset: { testid: 'face-tile', faceId: String(face.id) } }, checks[index], link);
  });

  const count = h('span', { class: 'bulk-count', dataset: { testid: 'bulk-count' }, 'aria-live': 'polite' });
  const moveButton = h('button', { type: 'button', class: 'primary', dataset: { testid: 'bulk-move' }, onclick: move }, 'Move to…');
  const rejectButton = h('button', { type: 'button', class: 'secondary', dataset: { testid: 'bulk-reject' }, onclick: reject },
    `Not ${name}`);
  const unassignButton = h('button', { type: 'button', class: 'secondary', dataset: { testid: 'bulk-unassign' }, onclick: unassign },
    'Not a face');
  const bar = h('div', { class: 'bulk-bar', role: 'toolbar', 'aria-label': 'Selected faces', dataset: { testid: 'bulk-bar' } },
    count, moveButton, rejectButton, unassignButton,
    h('button', { type: 'button', class: 'secondary', dataset: { testid: 'bulk-clear' }, onclick: () => setAll(false) }, 'Clear'));
  const selectAll = h('button', { type: 'button', class: 'secondary', dataset: { testid: 'select-all' }, onclick: () => setAll(true) },
    `Select all ${plural(faces.length, 'face')}`);
  const grid = h('ul', { class: 'face-strip selectable', dataset: { testid: 'person-faces' } }, tiles);
  for (const type of ['keydown', 'keyup']) grid.addEventListener(type, (event) => (shiftDown = event.shiftKey));
  grid.addEventListener('keydown', (event) => {
    if (event.key === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      setAll(true);
    } else if (event.key === 'Escape' && selected.size) {
      event.preventDefault();
      setAll(false);
    }
  });

  function pick(index, on, range) {
    const [from, to] = range && anchor !== null ? [Math.min(anchor, index), Math.max(anchor, index)] : [index, index];
    for (let i = from; i <= to; ++i) {
      if (on) selected.add(faces[i].id);
      else selected.delete(faces[i].id);
    }
    anchor = index;
    draw();
  }

  function setAll(on) {
    for (const face of faces) {
      if (on) selected.add(face.id);
      else selected.delete(face.id);
    }
    anchor = null;
    draw();
  }

  function onKey(event, index) {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step) {
      event.preventDefault();
      checks[Math.max(0, Math.min(checks.length - 1, index + step))].focus();
    }
  }

  function draw() {
    faces.forEach((face, i) => {
      const on = selected.has(face.id);
      checks[i].checked = on;
      tiles[i].classList.toggle('is-selected', on);
    });
    grid.classList.toggle('selecting', selected.size > 0);
    bar.hidden = selected.size === 0;
    bar.dataset.count = String(selected.size);
    count.textContent = `${plural(selected.size, 'face')} selected`;
    for (const b of [moveButton, rejectButton, unassignButton]) b.disabled = busy;
  }

  // Runs one batch; then the page is drawn again (or, when the batch took every face of an
  // unnamed group, which is then gone, the page of where they went).
  async function apply(run, done, whereNext) {
    if (busy || selected.size === 0) return;
    busy = true;
    draw();
    const ids = faces.filter((f) => selected.has(f.id)).map((f) => f.id);
    try {
      const answer = await run(ids);
      const emptied = ids.length === faces.length && !person.name;
      context.notify(done(ids.length, answer), 'info', { keep: emptied });
      if (emptied) location.hash = whereNext(answer);
      else context.rerender();
    } catch (err) {
      busy = false;
      draw();
      const gone = err.details?.face_ids;
      context.notify(gone ? `Some faces are not there any more (${gone.join(', ')}): nothing was changed. Reload the page.`
        : `Could not change them: ${err.message}`, 'error');
    }
  }

  async function move() {
    const target = await choosePerson({
      title: `Move ${plural(selected.size, 'face')} to…`,
      hint: `Who are they, if not ${name}?`,
      persons: others,
      newPersonLabel: 'A new person',
    });
    if (!target) return;
    await apply((ids) => api.correctFaces('move', ids, target === 'new' ? null : target.id),
      (n, answer) => `Moved ${plural(n, 'face')} to ${displayName(answer.person)}`,
      (answer) => `#/person/${answer.person.id}`);
  }

  function reject() {
    return apply((ids) => api.correctFaces('reject', ids, person.id),
      (n) => `${plural(n, 'face')} marked as not ${name}`, () => '#/people');
  }

  function unassign() {
    return apply((ids) => api.correctFaces('unassign', ids),
      (n) => `${plural(n, 'face')} left out: not a face`, () => '#/people');
  }

  draw();
  return h('div', { class: 'face-selection' },
    h('p', { class: 'hint' }, selectAll, ' ',
      'Tick faces (Shift for a range) to move them to someone else or say who they are not.'),
    grid, bar);
}
