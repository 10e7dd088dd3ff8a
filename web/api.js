// The JSON API of docs/API.md. Every call goes through request(), which turns error answers into
// ApiError (with the server's code and message) and a 401 into a prompt for the API key.

export class ApiError extends Error {
  // details: the whole error object (409 name_taken also carries person_id and name).
  constructor(status, code, message, details = {}) {
    super(message || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const listeners = new Set();
// Called with no argument whenever the server answers 401 (the UI then asks for a key).
export function onUnauthorized(listener) {
  listeners.add(listener);
}

// The cookie session's CSRF token (docs/SECURITY.md): every change made with the key cookie
// carries it as X-CSRF-Token. undefined: not asked yet; null: this session needs none (no keys,
// or not a cookie session).
let csrfToken;

async function sessionToken() {
  if (csrfToken === undefined) {
    const response = await fetch('/api/v1/session', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) return null;  // the request itself then gets the server's answer
    csrfToken = (await response.json()).csrf_token ?? null;
  }
  return csrfToken;
}

async function send(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = await sessionToken();
    if (token) init.headers['X-CSRF-Token'] = token;
  }
  return fetch(`/api/v1${path}`, init);
}

async function request(method, path, body) {
  let response;
  try {
    response = await send(method, path, body);
    // A restarted server has new tokens: ask for this session's once, then try again.
    if (response.status === 403 && method !== 'GET') {
      const error = (await response.clone().json().catch(() => null))?.error;
      if (error?.code === 'csrf_token') {
        csrfToken = undefined;
        response = await send(method, path, body);
      }
    }
  } catch (err) {
    throw new ApiError(0, 'network', `The server did not answer (${err.message}).`);
  }
  if (response.status === 401) {
    csrfToken = undefined;
    listeners.forEach((listener) => listener());
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    if (response.ok) throw new ApiError(response.status, 'bad_json', 'The server sent invalid JSON.');
  }
  if (!response.ok) {
    const error = json?.error ?? {};
    throw new ApiError(response.status, error.code ?? 'http', error.message ?? `HTTP ${response.status}`, error);
  }
  return json;
}

// Sets the cookie the server accepts instead of an Authorization header (so that <img> works).
// The server compares the cookie's value as it is, so a key made of cookie-safe characters (as
// `facetag apikey create` makes them) is stored unchanged; anything else is percent-encoded.
export function setApiKey(key) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  const value = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/.test(key) ? key : encodeURIComponent(key);
  document.cookie = `facetag_key=${value}; Path=/; SameSite=Strict${secure}`;
  csrfToken = undefined;  // a new key is a new session
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  // q: part of a name (or an id); sort: faces, name, recent; filter: all, named, unnamed.
  persons: ({ hidden = false, named = false, q, sort, filter } = {}) =>
    request('GET', `/persons${query({
      hidden: hidden ? 1 : null, named: named ? 1 : null, q: q || null, sort: sort || null, filter: filter || null,
    })}`),
  person: (id) => request('GET', `/persons/${id}`),
  createPerson: (name) => request('POST', '/persons', { name }),
  updatePerson: (id, changes) => request('PATCH', `/persons/${id}`, changes),
  mergePersons: (id, others) => request('POST', `/persons/${id}/merge`, { ids: others }),
  personFaces: (id) => request('GET', `/persons/${id}/faces`),
  personPhotos: (id) => request('GET', `/persons/${id}/photos`),
  together: (id) => request('GET', `/persons/${id}/together`),
  photos: ({ persons = [], text, limit, offset } = {}) =>
    request('GET', `/photos${query({ person: persons, text: text || null, limit, offset })}`),
  photo: (id) => request('GET', `/photos/${id}`),
  // The timeline, newest first: `cursor` pages to older photos, `before` to newer ones.
  timeline: ({ cursor, before, limit } = {}) =>
    request('GET', `/photos${query({ sort: 'taken', cursor, before, limit })}`),
  // A face the detector missed: box [x, y, w, h] in the photo's pixels.
  drawFace: (photoId, box) => request('POST', `/photos/${photoId}/faces`, { box }),
  moveFace: (id, personId) => request('POST', `/faces/${id}/move`, { person: personId }),
  rejectFace: (id, personId) => request('POST', `/faces/${id}/reject`, { person: personId }),
  unassignFace: (id) => request('POST', `/faces/${id}/unassign`),
  // Several faces at once, all or none, one undo: action move (person: id, or null for a new
  // person), reject (person: who they are not) or unassign ("not a face").
  correctFaces: (action, faceIds, personId) =>
    request('POST', '/faces/batch', { action, faces: faceIds, ...(action === 'unassign' ? {} : { person: personId }) }),
  // The naming workflow: review items are {person: id} (an unnamed group) or {face: id}.
  review: (limit) => request('GET', `/review${query({ limit })}`),
  reviewAssign: (target, to) => request('POST', '/review/assign', { ...target, to }),
  reviewName: (target, name) => request('POST', '/review/name', { ...target, name }),
  reviewDismiss: (target) => request('POST', '/review/dismiss', target),
  mergeSuggestions: () => request('GET', '/merge-suggestions'),
  notSamePerson: (a, b) => request('POST', '/merge-suggestions/dismiss', { persons: [a, b] }),
  corrections: () => request('GET', '/corrections'),
  undo: () => request('POST', '/undo', {}),
  startIndex: (path) => request('POST', '/index', { path }),
  indexStatus: () => request('GET', '/index'),
  startRegroup: () => request('POST', '/group', {}),
  status: () => request('GET', '/status'),
  events: ({ person, source, limit, cursor } = {}) =>
    request('GET', `/events${query({ person, source, limit, cursor })}`),
};

export const urls = {
  thumbnail: (faceId, size = 160) => `/api/v1/faces/${faceId}/thumbnail?size=${size}`,
  photoImage: (photoId, max) => `/api/v1/photos/${photoId}/image${max ? `?max=${max}` : ''}`,
};
