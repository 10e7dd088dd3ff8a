// The facetag web UI: hash routes, one view module per page. No framework and no build step:
// the browser loads these ES modules as they are, from the binary that serves the API.
import { api, onUnauthorized, setApiKey } from './api.js';
import { fill, h } from './dom.js';
import { renderPeople } from './views/people.js';
import { renderPerson } from './views/person.js';
import { renderPhoto } from './views/photo.js';
import { renderPhotos } from './views/photos.js';
import { renderReview } from './views/review.js';
import { renderSearch } from './views/search.js';
import { renderStatus } from './views/status.js';

const routes = [
  { pattern: /^\/people$/, nav: 'people', render: renderPeople },
  { pattern: /^\/person\/(\d+)$/, nav: 'people', render: renderPerson },
  { pattern: /^\/photos$/, nav: 'photos', render: renderPhotos },
  { pattern: /^\/photo\/(\d+)$/, nav: 'photos', render: renderPhoto },
  { pattern: /^\/review$/, nav: 'review', render: renderReview },
  { pattern: /^\/search$/, nav: 'search', render: renderSearch },
  { pattern: /^\/status$/, nav: 'status', render: renderStatus },
];

const main = document.getElementById('main');
let cleanup = null;  // what the current view must stop (timers) before the next one renders
let generation = 0;  // a view that finishes loading after the user moved on must not draw

// Parses "#/search?person=1&person=2" into a path and its query.
function currentRoute() {
  const raw = location.hash.replace(/^#/, '') || '/people';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

async function navigate() {
  if (cleanup) cleanup();
  cleanup = null;
  const mine = ++generation;
  const { path, query } = currentRoute();
  const route = routes.find((r) => r.pattern.test(path));
  if (!route) {
    location.replace('#/people');
    return;
  }
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === route.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const params = path.match(route.pattern).slice(1);
  const view = h('div', { class: 'view', 'aria-busy': 'true' });
  fill(main, view);
  const context = {
    query,
    isCurrent: () => mine === generation,
    notify,
    rerender: () => navigate(),
  };
  try {
    const stop = await route.render(view, params, context);
    if (mine === generation) cleanup = typeof stop === 'function' ? stop : null;
    else if (typeof stop === 'function') stop();
  } catch (err) {
    if (mine === generation) showError(view, err);
  } finally {
    view.removeAttribute('aria-busy');
  }
}

export function showError(container, err) {
  fill(
    container,
    h('p', { class: 'error', role: 'alert', dataset: { testid: 'error' } },
      err?.status === 401 ? 'An API key is needed (see above).' : `Something went wrong: ${err?.message ?? err}`),
  );
}

// A short message at the top of the page (e.g. "Saved"), cleared after a few seconds.
let noticeTimer = null;
function notify(text, kind = 'info') {
  const notice = document.getElementById('notice');
  notice.textContent = text;
  notice.dataset.kind = kind;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.hidden = true), kind === 'error' ? 8000 : 3000);
}

// The server answered 401: ask for the API key once, store it as the cookie, reload the view.
function askForKey() {
  const box = document.getElementById('auth');
  if (!box.hidden) return;
  const input = h('input', {
    id: 'api-key', type: 'password', autocomplete: 'current-password', required: true,
    dataset: { testid: 'api-key-input' },
  });
  const form = h('form', { class: 'auth-form', dataset: { testid: 'api-key-form' } },
    h('p', {}, 'This facetag server needs an API key.'),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('button', { type: 'submit', class: 'primary' }, 'Use key'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    box.hidden = true;
    fill(box);
    navigate();
  });
  fill(box, form);
  box.hidden = false;
  input.focus();
}

// Undo, on every page: the header's button, U or Ctrl+Z (Cmd+Z) outside text fields. The server
// keeps the last 10 corrections (POST /api/v1/undo); the view is drawn again to show the result.
async function undoLast() {
  try {
    const { undone } = await api.undo();
    notify(`Undone: ${undone.summary}`);
    navigate();
  } catch (err) {
    if (err.code === 'nothing_to_undo') notify('Nothing to undo.');
    else notify(`Could not undo: ${err.message}`, 'error');
  }
}
document.getElementById('undo-button').addEventListener('click', undoLast);
document.addEventListener('keydown', (event) => {
  const tag = event.target?.tagName;
  if (event.defaultPrevented || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
  if (document.querySelector('dialog[open]')) return;
  const ctrlZ = event.key === 'z' && (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey;
  const u = event.key === 'u' && !event.ctrlKey && !event.metaKey && !event.altKey;
  if (ctrlZ || u) {
    event.preventDefault();
    undoLast();
  }
});

onUnauthorized(askForKey);
window.addEventListener('hashchange', navigate);
navigate();
