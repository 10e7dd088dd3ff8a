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

// nav: the header link to highlight; null (a photo) keeps the section the user came from.
// what: the thing a 404 is about, for the not-found page.
const routes = [
  { pattern: /^\/people$/, nav: 'people', render: renderPeople },
  { pattern: /^\/person\/(\d+)$/, nav: 'people', what: 'person', render: renderPerson },
  { pattern: /^\/photos$/, nav: 'photos', render: renderPhotos },
  { pattern: /^\/photo\/(\d+)$/, nav: null, what: 'photo', render: renderPhoto },
  { pattern: /^\/review$/, nav: 'review', render: renderReview },
  { pattern: /^\/search$/, nav: 'search', render: renderSearch },
  { pattern: /^\/status$/, nav: 'status', render: renderStatus },
];

const main = document.getElementById('main');
let cleanup = null;  // what the current view must stop (timers) before the next one renders
let generation = 0;  // a view that finishes loading after the user moved on must not draw
let section = null;  // the highlighted header link
const LOADING_DELAY_MS = 300;  // a quicker answer shows no spinner (it would only flicker)

// Parses "#/search?person=1&person=2" into a path and its query.
function currentRoute() {
  const raw = location.hash.replace(/^#/, '') || '/people';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

// redraw: the same page drawn again after a change (its notice stays).
async function navigate({ redraw = false } = {}) {
  if (cleanup) cleanup();
  cleanup = null;
  const mine = ++generation;
  const { path, query } = currentRoute();
  const route = routes.find((r) => r.pattern.test(path));
  if (!route) {
    location.replace('#/people');
    return;
  }
  if (!redraw) clearNoticeOnNavigation();
  // A photo belongs to no section of its own: it stays in the one it was opened from (none when
  // opened by its address).
  section = route.nav === null ? section : route.nav;
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const params = path.match(route.pattern).slice(1);
  const view = h('div', { class: 'view', 'aria-busy': 'true' });
  fill(main, view);
  const loading = setTimeout(() => {
    if (mine === generation && view.getAttribute('aria-busy') === 'true' && !view.hasChildNodes()) {
      view.append(h('div', { class: 'loading', role: 'status', dataset: { testid: 'loading' } },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…'));
    }
  }, LOADING_DELAY_MS);
  const context = {
    query,
    isCurrent: () => mine === generation,
    notify,
    rerender: () => navigate({ redraw: true }),
  };
  try {
    const stop = await route.render(view, params, context);
    if (mine === generation) cleanup = typeof stop === 'function' ? stop : null;
    else if (typeof stop === 'function') stop();
  } catch (err) {
    if (mine === generation) showError(view, err, route.what);
  } finally {
    clearTimeout(loading);
    view.removeAttribute('aria-busy');
  }
}

// A page that cannot be shown: what happened, in plain words, and the ways back.
export function showError(container, err, what) {
  const ways = h('p', { class: 'ways-back' },
    h('a', { href: '#/people', dataset: { testid: 'back-to-people' } }, 'All people'), ' · ',
    h('a', { href: '#/search', dataset: { testid: 'back-to-search' } }, 'Search photos'));
  if (err?.status === 401) {
    fill(container, h('p', { class: 'error', role: 'alert', dataset: { testid: 'error' } }, 'An API key is needed (see above).'));
    return;
  }
  if (err?.status === 404) {
    const id = currentRoute().path.split('/').pop();
    const [title, text] = what === 'person'
      ? ['This person is not here', `There is no person ${id}. They may have been merged into someone else, or deleted.`]
      : what === 'photo'
        ? ['This photo is not here', `There is no photo ${id}. It may have been removed from the catalog.`]
        : ['Not found', 'There is nothing at this address.'];
    fill(container, h('section', { class: 'problem', dataset: { testid: 'not-found' } },
      h('h1', {}, title), h('p', {}, text), ways));
    return;
  }
  fill(container, h('section', { class: 'problem', role: 'alert', dataset: { testid: 'error' } },
    h('h1', {}, 'This page could not be shown'),
    h('p', {}, err?.status === 0 ? 'The facetag server did not answer. Is it still running?' : `The server said: ${err?.message ?? err}`),
    h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => navigate({ redraw: true }) }, 'Try again')),
    ways));
}

// A short message at the bottom of the page (e.g. "Saved"), cleared after a few seconds or when
// the user goes to another page. { keep: true }: it announces the navigation that follows (e.g.
// "Undone", "Merged into Amy"), so it stays on the next page.
let noticeTimer = null;
let noticeKept = false;
function notify(text, kind = 'info', { keep = false } = {}) {
  const notice = document.getElementById('notice');
  notice.textContent = text;
  notice.dataset.kind = kind;
  notice.hidden = false;
  noticeKept = keep;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.hidden = true), kind === 'error' ? 8000 : 3000);
}

function clearNoticeOnNavigation() {
  if (noticeKept) {
    noticeKept = false;
    return;
  }
  clearTimeout(noticeTimer);
  document.getElementById('notice').hidden = true;
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
    navigate({ redraw: true });
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
    navigate({ redraw: true });
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
window.addEventListener('hashchange', () => navigate());
navigate();
