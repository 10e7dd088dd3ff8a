// Status: the catalog, the recognition queue and throughput, indexing (with a form to index a
// folder on the server) and, in cluster mode, the workers. Refreshes itself while shown.
import { api } from '../api.js';
import { fill, h, plural } from '../dom.js';

const FAST_MS = 1000;  // while an index runs
const SLOW_MS = 3000;

export async function renderStatus(view, _params, context) {
  let status = await api.status();
  if (!context.isCurrent()) return;
  let timer = null;
  let stopped = false;

  const indexBox = h('section', { class: 'panel', 'aria-labelledby': 'index-heading', dataset: { testid: 'index-panel' } });
  const catalogBox = h('section', { class: 'panel', 'aria-labelledby': 'catalog-heading' });
  const serviceBox = h('section', { class: 'panel', 'aria-labelledby': 'service-heading' });
  const clusterBox = h('section', { class: 'panel wide', 'aria-labelledby': 'cluster-heading', dataset: { testid: 'cluster-panel' } });
  const indexState = h('div', { dataset: { testid: 'index-state' } });
  const message = h('p', { class: 'form-message', role: 'alert', dataset: { testid: 'index-message' } });

  const pathInput = h('input', {
    id: 'index-path', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: '/srv/photos', dataset: { testid: 'index-path-input' },
  });
  const startButton = h('button', { type: 'submit', class: 'primary', dataset: { testid: 'index-start' } }, 'Start indexing');
  const form = h('form', { class: 'stack-form', dataset: { testid: 'index-form' } },
    h('label', { for: 'index-path' }, 'Folder on the server'),
    h('div', { class: 'row' }, pathInput, startButton),
    h('p', { class: 'hint' }, 'A folder (or a file) under one of the photo roots given to facetag serve with --photos.'),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    startButton.disabled = true;
    try {
      await api.startIndex(pathInput.value.trim());
      context.notify('Indexing started');
      await refreshIndex();
    } catch (err) {
      message.textContent = err.code === 'conflict' ? 'An index is already running.'
        : err.code === 'forbidden_path' ? 'That folder is outside the photo roots this server may read.'
        : `Could not start: ${err.message}`;
    } finally {
      startButton.disabled = Boolean(status.index?.running);
      schedule();
    }
  });

  // Re-group (POST /group): every face grouped into people again, names and corrections kept;
  // beside it, what the catalog's photos were analysed with (the same for the CLI and this page).
  const analysisLine = h('p', { class: 'hint', dataset: { testid: 'analysis-settings' } });
  const regroupState = h('span', { class: 'meta', role: 'status', dataset: { testid: 'regroup-state' } });
  const regroupButton = h('button', { type: 'button', dataset: { testid: 'regroup-start' } }, 'Re-group faces');
  regroupButton.addEventListener('click', async () => {
    regroupButton.disabled = true;
    try {
      await api.startRegroup();
      status = { ...status, group: { running: true } };
      context.notify('Re-grouping started');
    } catch (err) {
      message.textContent = err.code === 'conflict' ? 'Wait until the index or re-grouping running now is done.'
        : `Could not re-group: ${err.message}`;
    } finally {
      drawRegroup();
      schedule();
    }
  });
  function drawRegroup() {
    const group = status.group ?? {};
    const analysis = status.analysis ?? {};
    analysisLine.textContent = `Photos are analysed with: ${analysis.catalog ?? analysis.index ?? '–'}`;
    regroupButton.disabled = Boolean(group.running || status.index?.running);
    regroupState.textContent = group.running ? 'Re-grouping…'
      : group.error ? `Re-grouping failed: ${group.error}`
      : group.report ? `Re-grouped: ${plural(group.report.people, 'person', 'people')}, ${plural(group.report.changed_faces, 'face')} changed person`
      : '';
  }

  fill(indexBox, h('h2', { id: 'index-heading' }, 'Indexing'), indexState, form, analysisLine,
    h('div', { class: 'row' }, regroupButton, regroupState));
  fill(view, h('h1', {}, 'Status'), h('div', { class: 'panels' }, indexBox, catalogBox, serviceBox, clusterBox));

  function draw() {
    drawIndex(indexState, status.index ?? {});
    drawRegroup();
    startButton.disabled = Boolean(status.index?.running);
    const c = status.catalog ?? {};
    fill(catalogBox, h('h2', { id: 'catalog-heading' }, 'Catalog'),
      h('dl', { class: 'facts', dataset: { testid: 'catalog-facts' } },
        fact('Photos', c.photos), fact('Faces', c.faces), fact('People', c.people),
        fact('Failed', c.failed), fact('Missing', c.missing)));
    const q = status.queue ?? {};
    const t = status.throughput ?? {};
    fill(serviceBox, h('h2', { id: 'service-heading' }, 'Service'),
      h('dl', { class: 'facts' },
        fact('Queue', `${q.depth ?? 0} / ${q.capacity ?? 0}`),
        fact('Recognitions/s', number(t.recognitions_per_s)),
        fact('Descriptors/s', number(t.descriptors_per_s)),
        fact('Version', status.version),
        fact('Up for', duration(status.uptime_s))),
      h('meter', { min: '0', max: String(q.capacity || 1), value: String(q.depth ?? 0), 'aria-label': 'Queue depth' }));
    drawCluster(clusterBox, status.cluster);
  }

  async function refreshIndex() {
    status = { ...status, index: await api.indexStatus() };
    if (!stopped) draw();
  }

  let ticks = 0;
  function schedule() {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(tick, status.index?.running || status.group?.running ? FAST_MS : SLOW_MS);
  }
  async function tick() {
    try {
      // The whole status every few seconds; only the index (GET /index) in between while it runs.
      if (status.index?.running && ++ticks % 3 !== 0) await refreshIndex();
      else {
        status = await api.status();
        if (!stopped) draw();
      }
    } catch (err) {
      if (!stopped) message.textContent = `Status unavailable: ${err.message}`;
    }
    schedule();
  }

  draw();
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function drawIndex(box, index) {
  const running = Boolean(index.running);
  const phase = index.phase ?? 'idle';
  box.dataset.running = String(running);
  box.dataset.phase = phase;
  box.dataset.filesDone = String(index.files_done ?? 0);
  const total = index.files_total ?? 0;
  const done = index.files_done ?? 0;
  fill(box,
    h('p', { class: `phase phase-${phase}`, dataset: { testid: 'index-phase' } }, phaseText(phase, running)),
    total > 0 || running
      ? h('progress', { max: String(total || 1), value: String(done), 'aria-label': 'Files indexed', dataset: { testid: 'index-progress' } })
      : null,
    h('dl', { class: 'facts' },
      fact('Files', total ? `${done} / ${total}` : String(done)),
      fact('Faces found', index.faces_found ?? 0),
      running ? fact('Files/s', number(index.files_per_s)) : null,
      running && index.eta_s ? fact('Time left', duration(index.eta_s)) : null),
    index.error ? h('p', { class: 'error', role: 'alert', dataset: { testid: 'index-error' } }, index.error) : null,
    index.summary ? summary(index.summary) : null);
}

function phaseText(phase, running) {
  if (!running && phase === 'done') return 'Done';
  if (!running) return 'Idle';
  return { scanning: 'Looking for photos…', indexing: 'Finding faces…', clustering: 'Grouping faces…' }[phase] ?? 'Working…';
}

function summary(value) {
  if (typeof value !== 'object') return h('p', { class: 'meta', dataset: { testid: 'index-summary' } }, String(value));
  return h('dl', { class: 'facts', dataset: { testid: 'index-summary' } },
    Object.entries(value).filter(([, v]) => typeof v !== 'object').map(([k, v]) => fact(k.replaceAll('_', ' '), v)));
}

function drawCluster(box, cluster) {
  box.hidden = !cluster;
  if (!cluster) return;
  const workers = cluster.workers ?? [];
  fill(box, h('h2', { id: 'cluster-heading' }, 'Cluster'),
    h('dl', { class: 'facts' },
      fact('Workers', workers.length), fact('Queued jobs', cluster.queue_depth),
      fact('In flight', cluster.in_flight), fact('Failed', cluster.failed)),
    workers.length === 0 ? h('p', { class: 'empty' }, 'No worker has reported yet.') : h('div', { class: 'table-wrap' },
      h('table', { dataset: { testid: 'cluster-workers' } },
        h('caption', { class: 'visually-hidden' }, 'Workers'),
        h('thead', {}, h('tr', {}, ['Name', 'Host', 'Threads', 'Model', 'Jobs done', 'Rate/s', 'Last seen'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, workers.map((w) => h('tr', {},
          h('td', {}, w.name), h('td', {}, w.host), h('td', {}, w.threads), h('td', {}, w.model),
          h('td', {}, w.jobs_done), h('td', {}, number(w.rate)),
          h('td', { class: (w.last_seen_s ?? 0) > 30 ? 'stale' : '' }, `${duration(w.last_seen_s)} ago`)))))));
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value ?? '–')];
}

function number(value) {
  if (value === undefined || value === null) return '–';
  return value >= 100 ? Math.round(value).toString() : Number(value).toFixed(1);
}

function duration(seconds) {
  if (seconds === undefined || seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return plural(s, 'second');
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
