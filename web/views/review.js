// "Who is this?": the faces still waiting for a name, one at a time, biggest groups and most
// confident suggestions first (GET /api/v1/review), and people who may be the same person
// (GET /api/v1/merge-suggestions). Everything works from the keyboard:
//   Enter / y  the first suggestion      1–9  that suggestion      n or /  type a name
//   x  not a face      s or →  skip      r  show skipped again
//   m  merge the first suggested pair      d  they are different people (not suggested again)
//   u or Ctrl+Z  undo (app.js, on every page)
import { api, ApiError } from '../api.js';
import { displayName, fill, h, plural } from '../dom.js';
import { confirmDialog } from './dialog.js';
import { faceThumb } from './people.js';

const MAX_FACES_SHOWN = 8;

export async function renderReview(view, _params, context) {
  const skipped = new Set();  // this visit's skips: they come back on the next visit (or with r)
  let items = [];
  let total = 0;
  let merges = [];
  let busy = false;
  let nameInput = null;

  const keyOf = (item) => (item.kind === 'group' ? `person-${item.person_id}` : `face-${item.face_id}`);
  const targetOf = (item) => (item.kind === 'group' ? { person: item.person_id } : { face: item.face_id });
  const current = () => items.find((item) => !skipped.has(keyOf(item))) ?? null;

  async function load() {
    const [queue, suggestions] = await Promise.all([api.review(1000), api.mergeSuggestions()]);
    if (!context.isCurrent()) return;
    items = queue.items;
    total = queue.total;
    merges = suggestions.suggestions;
    draw();
  }

  // Runs one answer, then reloads the queue: an answer changes the suggestions of the others.
  async function act(run, done) {
    if (busy) return;
    busy = true;
    view.dataset.state = 'saving';
    try {
      await run();
      if (done) context.notify(done);
      await load();
    } catch (err) {
      draw();
      if (err instanceof Skip) {
        // Back to the name field, with what was typed.
        nameInput.value = err.typed;
        nameInput.focus();
      } else {
        context.notify(`Could not save: ${err.message}`, 'error');
      }
    } finally {
      busy = false;
    }
  }

  function assign(item, person) {
    return act(() => api.reviewAssign(targetOf(item), person.id), `This is ${displayName(person)}`);
  }

  function nameAs(item, name) {
    if (!name) return undefined;
    return act(async () => {
        try {
          await api.reviewName(targetOf(item), name);
        } catch (err) {
          if (!(err instanceof ApiError) || err.code !== 'name_taken') throw err;
          // Somebody is called that already (maybe "Raj" for "raj"): the same person, most likely.
          const existing = await api.person(err.details.person_id);
          const same = await confirmDialog({
            title: `${displayName(existing)} already exists`,
            body: h('div', { class: 'dialog-faces' },
              faceThumb(existing.sample_face_id, `Photo of ${displayName(existing)}`, 96),
              h('p', {}, `Is this ${displayName(existing)} (${plural(existing.face_count, 'face')})? `,
                'Enter merges; Escape goes back to the name.')),
            confirmLabel: `Same person: add to ${displayName(existing)}`,
            cancelLabel: 'No, go back',
            testid: 'name-taken-dialog',
          });
          if (!same) throw new Skip(name);
          await api.reviewAssign(targetOf(item), existing.id);
        }
      }, `Named “${name}”`);
  }

  function dismiss(item) {
    return act(() => api.reviewDismiss(targetOf(item)), item.kind === 'group' ? 'Hidden' : 'Not a face: left out');
  }

  function skip(item) {
    skipped.add(keyOf(item));
    draw();
  }

  async function merge(pair) {
    const { keep, other } = pair;
    const yes = await confirmDialog({
      title: 'Is this the same person?',
      body: h('div', { class: 'dialog-faces' },
        faceThumb(other.sample_face_id, displayName(other), 96),
        h('span', { 'aria-hidden': 'true' }, '→'),
        faceThumb(keep.sample_face_id, displayName(keep), 96),
        h('p', {}, `Move ${plural(other.face_count, 'face')} of ${displayName(other)} to ${displayName(keep)}?`)),
      confirmLabel: `Move ${plural(other.face_count, 'face')}`,
      testid: 'merge-dialog',
    });
    if (!yes) return;
    await act(() => api.mergePersons(keep.id, [other.id]), `Merged ${displayName(other)} into ${displayName(keep)}`);
  }

  function different(pair) {
    return act(() => api.notSamePerson(pair.keep.id, pair.other.id),
      `${displayName(pair.keep)} and ${displayName(pair.other)} are different people`);
  }

  function draw() {
    const item = current();
    view.dataset.state = 'ready';
    view.dataset.remaining = String(total);
    nameInput = null;
    fill(view,
      h('div', { class: 'page-head' },
        h('h1', {}, 'Who is this?'),
        h('p', { class: 'meta', dataset: { testid: 'review-count' } },
          total === 0 ? 'Everyone is named.' : `${plural(total, 'group or face', 'groups or faces')} to name`,
          skipped.size ? ` · ${skipped.size} skipped` : '')),
      item ? itemCard(item) : doneCard(),
      mergeSection(),
      h('p', { class: 'hint keys' },
        'Keys: Enter or y the first suggestion · 1–9 a suggestion · n type a name · x not a face · ',
        's skip · m merge the first pair · d not the same person · u undo'));
  }

  function doneCard() {
    if (total === 0) return h('p', { class: 'empty', dataset: { testid: 'review-done' } }, 'Every face has a name. ');
    return h('p', { class: 'empty', dataset: { testid: 'review-done' } },
      `${plural(skipped.size, 'item')} skipped. `,
      h('button', { type: 'button', class: 'secondary', onclick: () => { skipped.clear(); draw(); } }, 'Show them again (r)'));
  }

  function itemCard(item) {
    const faces = item.face_ids.slice(0, MAX_FACES_SHOWN);
    const inputId = `review-name-${keyOf(item)}`;
    nameInput = h('input', {
      id: inputId, type: 'text', autocomplete: 'off', maxlength: '200', placeholder: 'Name (n)',
      enterkeyhint: 'done', dataset: { testid: 'review-name-input' },
    });
    const form = h('form', { class: 'inline-form' },
      h('label', { for: inputId }, item.suggestions.length ? 'Someone else' : 'Name'),
      nameInput,
      h('button', { type: 'submit', class: 'secondary' }, 'Save'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      nameAs(item, nameInput.value.trim());
    });
    nameInput.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        nameInput.blur();
      }
    });
    return h('section', {
      class: 'review-item', 'aria-labelledby': 'review-item-title',
      dataset: { testid: 'review-item', key: keyOf(item), kind: item.kind, faces: String(item.face_count) },
    },
      h('h2', { id: 'review-item-title' },
        item.face_count > 1 ? `A group of ${plural(item.face_count, 'face')}` : 'A face without a name'),
      h('ul', { class: 'face-strip' }, faces.map((id) => h('li', {}, faceThumb(id, `Face ${id}`, 128)))),
      item.face_count > faces.length ? h('p', { class: 'meta' }, `and ${plural(item.face_count - faces.length, 'more face', 'more faces')}`) : null,
      item.suggestions.length
        ? h('ol', { class: 'suggestions', dataset: { testid: 'review-suggestions' } },
            item.suggestions.map((s, i) => h('li', {},
              h('button', {
                type: 'button', class: i === 0 ? 'suggestion primary' : 'suggestion',
                dataset: { testid: 'review-suggestion', personId: String(s.person.id) },
                onclick: () => assign(item, s.person),
              },
              faceThumb(s.face_id, `Photo of ${s.person.name}`, 64),
              h('span', { class: 'suggestion-text' },
                h('kbd', {}, String(i + 1)), ' ', s.person.name,
                h('span', { class: 'meta' }, ` distance ${s.distance.toFixed(2)}`))))))
        : h('p', { class: 'meta' }, 'Nobody named looks close enough to suggest.'),
      form,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', dataset: { testid: 'review-dismiss' }, onclick: () => dismiss(item) },
          'Not a face (x)'),
        h('button', { type: 'button', class: 'secondary', dataset: { testid: 'review-skip' }, onclick: () => skip(item) },
          'Skip (s)')));
  }

  function mergeSection() {
    if (merges.length === 0) return null;
    return h('section', { 'aria-labelledby': 'merge-heading', dataset: { testid: 'merge-suggestions' } },
      h('h2', { id: 'merge-heading' }, 'Is this the same person?'),
      h('ul', { class: 'merge-pairs' }, merges.map((pair, i) => h('li', {
        dataset: { testid: 'merge-pair', keep: String(pair.keep.id), other: String(pair.other.id) },
      },
        faceThumb(pair.keep.sample_face_id, displayName(pair.keep), 72),
        faceThumb(pair.other.sample_face_id, displayName(pair.other), 72),
        h('span', {}, `${displayName(pair.keep)} and ${displayName(pair.other)}`,
          h('span', { class: 'meta' }, ` distance ${pair.distance.toFixed(2)}`)),
        h('button', { type: 'button', class: 'secondary', onclick: () => merge(pair) }, i === 0 ? 'Merge (m)' : 'Merge'),
        h('button', { type: 'button', class: 'secondary', dataset: { testid: 'merge-pair-different' }, onclick: () => different(pair) },
          i === 0 ? 'Not the same (d)' : 'Not the same')))));
  }

  function onKey(event) {
    if (busy || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    const tag = event.target?.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    const item = current();
    const key = event.key;
    if (key === 'm' && merges.length) {
      event.preventDefault();
      merge(merges[0]);
    } else if (key === 'd' && merges.length) {
      event.preventDefault();
      different(merges[0]);
    } else if (key === 'r' && skipped.size) {
      event.preventDefault();
      skipped.clear();
      draw();
    } else if (!item) {
      return;
    } else if ((key === 'Enter' || key === 'y') && item.suggestions.length && tag !== 'BUTTON' && tag !== 'A') {
      event.preventDefault();
      assign(item, item.suggestions[0].person);
    } else if (/^[1-9]$/.test(key) && item.suggestions[Number(key) - 1]) {
      event.preventDefault();
      assign(item, item.suggestions[Number(key) - 1].person);
    } else if ((key === 'n' || key === '/') && nameInput) {
      event.preventDefault();
      nameInput.focus();
    } else if (key === 'x') {
      event.preventDefault();
      dismiss(item);
    } else if (key === 's' || key === 'ArrowRight') {
      event.preventDefault();
      skip(item);
    }
  }

  await load();
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

// Thrown when the user steps back from a dialog: nothing saved, nothing to report.
class Skip extends Error {
  constructor(name) {
    super('cancelled');
    this.typed = name;
  }
}
