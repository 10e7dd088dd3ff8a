// Status: the catalog, the recognition queue and throughput, indexing (with a form to index one
// of the folders the server may read, and the last run's summary, kept until the next run ends)
// and, in cluster mode, the workers. Refreshes itself while shown.
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

  // The folders `facetag serve --photos` allows: offered as they are, a sub-folder can be typed.
  const roots = status.photo_roots ?? [];
  const pathInput = h('input', {
    id: 'index-path', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false',
    value: roots.length === 1 ? roots[0] : '', placeholder: roots[0] ?? '', list: 'index-roots',
    disabled: roots.length === 0, dataset: { testid: 'index-path-input' },
  });
  const startButton = h('button', { type: 'submit', class: 'primary', dataset: { testid: 'index-start' } }, 'Start indexing');
  const rootChoices = h('ul', { class: 'root-choices', dataset: { testid: 'index-roots' } }, roots.map((root) => h('li', {},
    h('button', {
      type: 'button', class: 'secondary root-choice', dataset: { testid: 'index-root' },
      onclick: () => { pathInput.value = root; pathInput.focus(); },
    }, root))));
  const form = h('form', { class: 'stack-form', dataset: { testid: 'index-form' } },
    h('label', { for: 'index-path' }, 'Folder on the server'),
    h('div', { class: 'row' }, pathInput, startButton),
    h('datalist', { id: 'index-roots' }, roots.map((root) => h('option', { value: root }))),
    roots.length
      ? h('p', { class: 'hint' }, 'This server may read these folders (and everything in them):')
      : h('p', { class: 'hint', dataset: { testid: 'index-no-roots' } },
          'This server was started without --photos, so it cannot index from here. Start it with ',
          h('code', {}, 'facetag serve --photos DIR'), ' or use ', h('code', {}, 'facetag index DIR'), '.'),
    roots.length ? rootChoices : null,
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
      startButton.disabled = Boolean(status.index?.running) || roots.length === 0;
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
    startButton.disabled = Boolean(status.index?.running) || roots.length === 0;
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
    index.summary && typeof index.summary === 'object' ? summary(index.summary, running) : null);
}

function phaseText(phase, running) {
  if (!running && phase === 'done') return 'Done';
  if (!running) return 'Idle';
  return { scanning: 'Looking for photos…', indexing: 'Finding faces…', grouping: 'Grouping faces…' }[phase] ?? 'Working…';
}

// The last run's counts, as `facetag index` reports them (docs/LIBRARY.md), in words.
const SUMMARY_LABELS = [
  ['files', 'Photo files found'],
  ['unchanged', 'Unchanged (not read again)'],
  ['known_content', 'Already known (moved or copied)'],
  ['analyzed', 'Analysed'],
  ['added', 'New photos'],
  ['replaced', 'Changed photos'],
  ['failed', 'Failed'],
  ['faces_added', 'Faces found'],
  ['no_face', 'Photos with no face'],
  ['xmp_named_faces', 'Named from XMP'],
  ['missing', 'Gone missing'],
  ['new_people', 'New people'],
];

function summary(value, running) {
  const failures = value.failures ?? [];
  return h('section', { class: 'index-summary', 'aria-labelledby': 'index-summary-heading', dataset: { testid: 'index-summary' } },
    h('h3', { id: 'index-summary-heading' }, running ? 'The run before' : 'Last run'),
    h('dl', { class: 'facts' },
      SUMMARY_LABELS.filter(([key]) => key in value).map(([key, label]) =>
        h('div', { class: 'fact', dataset: { key } }, h('dt', {}, label), h('dd', {}, String(value[key])))),
      'seconds' in value ? h('div', { class: 'fact', dataset: { key: 'seconds' } }, h('dt', {}, 'Time'), h('dd', {}, duration(value.seconds))) : null),
    failures.length
      ? h('details', { class: 'failures', dataset: { testid: 'index-failures' } },
          h('summary', {}, `Why ${plural(failures.length, 'file')} failed`),
          h('ul', {}, failures.map((f) => h('li', {}, h('code', {}, f.path), ': ', f.error))))
      : null);
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
