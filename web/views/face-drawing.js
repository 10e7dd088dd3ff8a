// "Draw a missed face": drag a rectangle over the photo, or type its box, then add it
// (POST /photos/{id}/faces). The box is in the photo's pixels, whatever size it is shown at.
import { api } from '../api.js';
import { h } from '../dom.js';

const MIN_SIDE = 16;  // the server's kMinDescribedFaceSide: smaller boxes are refused

// Returns { start, cancel, active, toggle (the button), form }: `onAdded(face)` hears the new face.
export function faceDrawing(stage, photo, onAdded) {
  const overlay = h('div', { class: 'draw-box', hidden: true, dataset: { testid: 'draw-box' } });
  stage.append(overlay);
  const field = (name, label) => h('label', { class: 'draw-field' }, label,
    h('input', { type: 'number', name, min: '0', step: '1', required: true, inputmode: 'numeric', dataset: { testid: `draw-${name}` } }));
  const message = h('p', { class: 'form-message', role: 'alert', dataset: { testid: 'draw-message' } });
  const form = h('form', { class: 'draw-form', hidden: true, dataset: { testid: 'draw-form' } },
    h('p', { class: 'hint' }, 'Drag a rectangle around the face on the photo, or type its box in pixels.'),
    h('div', { class: 'row' }, field('x', 'Left'), field('y', 'Top'), field('w', 'Width'), field('h', 'Height')),
    message,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', dataset: { testid: 'draw-save' } }, 'Add this face'),
      h('button', { type: 'button', class: 'secondary', onclick: () => cancel() }, 'Cancel')));
  const toggle = h('button', {
    type: 'button', class: 'secondary', 'aria-pressed': 'false', dataset: { testid: 'draw-toggle' },
    onclick: () => (active() ? cancel() : start()),
  }, 'Draw a missed face');

  const input = (name) => form.elements.namedItem(name);
  const active = () => !form.hidden;

  function start() {
    form.hidden = false;
    stage.classList.add('drawing');
    toggle.setAttribute('aria-pressed', 'true');
    message.textContent = '';
    input('x').focus();
  }
  function cancel() {
    form.hidden = true;
    overlay.hidden = true;
    stage.classList.remove('drawing');
    toggle.setAttribute('aria-pressed', 'false');
    form.reset();
  }

  // Shows the box typed or dragged, in the photo's pixels.
  function show(box) {
    const pct = (v, total) => `${((100 * v) / total).toFixed(3)}%`;
    Object.assign(overlay.style, {
      left: pct(box[0], photo.width), top: pct(box[1], photo.height),
      width: pct(box[2], photo.width), height: pct(box[3], photo.height),
    });
    overlay.hidden = false;
  }
  function typedBox() {
    return ['x', 'y', 'w', 'h'].map((name) => Number(input(name).value));
  }
  form.addEventListener('input', () => {
    const box = typedBox();
    if (box.every(Number.isFinite) && box[2] > 0 && box[3] > 0) show(box);
  });

  // Dragging: pointer positions on the shown photo, mapped to the photo's pixels.
  let anchor = null;
  const toPhoto = (event) => {
    const rect = stage.getBoundingClientRect();
    const clamp = (v, max) => Math.min(Math.max(v, 0), max);
    return [
      clamp(((event.clientX - rect.left) / rect.width) * photo.width, photo.width),
      clamp(((event.clientY - rect.top) / rect.height) * photo.height, photo.height),
    ];
  };
  const dragged = (event) => {
    const [x, y] = toPhoto(event);
    return [Math.min(x, anchor[0]), Math.min(y, anchor[1]), Math.abs(x - anchor[0]), Math.abs(y - anchor[1])]
      .map((v) => Math.round(v));
  };
  stage.addEventListener('pointerdown', (event) => {
    if (!active() || event.button !== 0) return;
    event.preventDefault();
    anchor = toPhoto(event);
    stage.setPointerCapture(event.pointerId);
  });
  stage.addEventListener('pointermove', (event) => {
    if (anchor) show(dragged(event));
  });
  stage.addEventListener('pointerup', (event) => {
    if (!anchor) return;
    const box = dragged(event);
    anchor = null;
    ['x', 'y', 'w', 'h'].forEach((name, i) => (input(name).value = String(box[i])));
    show(box);
    form.querySelector('[type=submit]').focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const box = typedBox();
    if (Math.min(box[2], box[3]) < MIN_SIDE) {
      message.textContent = `A face needs a box of at least ${MIN_SIDE} × ${MIN_SIDE} pixels.`;
      return;
    }
    try {
      const face = await api.drawFace(photo.id, box);
      cancel();
      onAdded(face);
    } catch (err) {
      message.textContent = `Could not add it: ${err.message}`;
    }
  });

  return { toggle, form, active, cancel };
}
