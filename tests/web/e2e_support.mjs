// What every browser test needs: failing with a message, a log line tagged with the test's name,
// the facetag binary, a loopback port to start a server on, the API's answers, the browser, and a
// scratch folder kept on failure.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function fail(message) {
  throw new Error(message);
}

export function logger(tag) {
  return (message) => console.log(`[${tag}] ${message}`);
}

// The built facetag binary that CTest names in FACETAG_CLI.
export function facetagCli() {
  const cli = process.env.FACETAG_CLI;
  if (!cli) fail('FACETAG_CLI must name the built facetag binary (build/tools/cli/facetag)');
  if (!existsSync(cli)) fail(`FACETAG_CLI=${cli} does not exist: build the facetag-cli target first`);
  return cli;
}

// A request to the server's JSON API at `base`: its status, its parsed answer and its text.
export async function api(base, method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`${base}/api/v1${path}`, init);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, text };
}

// A GET that must answer 200: its parsed answer.
export async function getJson(base, path) {
  const r = await api(base, 'GET', path);
  if (r.status !== 200) fail(`GET ${path} answered ${r.status}: ${r.text}`);
  return r.json;
}

// Starts `facetag serve --db DB --photos ROOT` on a free loopback port, its output going to
// <work>/serve.log. Not yet ready: waitUntilReady. Stop it with stopServer(server, exited).
export async function startServe(cli, work, db, photoRoot) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = join(work, 'serve.log');
  const out = createWriteStream(serverLog);
  const server = spawn(cli, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--photos', photoRoot],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.pipe(out);
  server.stderr.pipe(out);
  const exited = new Promise((resolve) => server.once('exit', resolve));
  return { server, base, serverLog, exited };
}

// Waits until the `facetag serve` child `server` answers /readyz at `base`; fails with its log
// (`serverLog`) when it exits first, or after 90 s.
export async function waitUntilReady(server, base, serverLog) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      fail(`facetag serve exited early (${server.exitCode ?? server.signalCode}):\n${await readFile(serverLog, 'utf8')}`);
    }
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  fail(`facetag serve was not ready within 90 s:\n${await readFile(serverLog, 'utf8')}`);
}

// Stops a server child: SIGTERM, SIGKILL after 10 s, and waits for `exited` (its exit event).
export async function stopServer(server, exited) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// A port nobody listens on right now (the server binds it a moment later).
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Debian's headless Chromium with a profile of its own in `profileDir`, quiet (no first-run,
// sync, updates or QUIC) so that nothing but the page under test makes requests.
export function launchChromium(chromium, executablePath, profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}

// Playwright and Debian's Chromium, or a failure that says how to install them.
export async function loadChromium() {
  const chromiumPath = process.env.FACETAG_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) fail(`${chromiumPath} not found: install Debian's chromium (scripts/setup.sh --tests)`);
  if (!existsSync(join(here, 'node_modules', 'playwright-core'))) {
    fail(`playwright-core is not installed in ${join(here, 'node_modules')}: ` +
         'run `npm ci` in tests/web (scripts/setup.sh --tests does it)');
  }
  const { chromium } = await import('playwright-core');
  return { chromium, chromiumPath };
}

// What a page must not do, collected as it happens: throw, log an error (other than one matching
// `expected`, e.g. /status of 409/ for an answer the test asks for), or open a browser dialog
// (dismissed; every question must be answerable in the page). Fail with them at the end.
export function watchPage(page, expected = null) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !(expected && expected.test(message.text())))
      problems.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`a browser dialog (${dialog.message()}): every question must be answerable in the page`);
    dialog.dismiss();
  });
  return problems;
}

// Runs `run(work)` in a new temporary folder, removed after a pass (unless FACETAG_KEEP_TEST_DIR)
// and kept after a failure, which sets the exit code.
export async function runInTempDir(tag, run) {
  const work = await mkdtemp(join(tmpdir(), `facetag-${tag}-`));
  let ok = false;
  try {
    await run(work);
    ok = true;
    console.log(`[${tag}] PASS`);
  } catch (err) {
    console.error(`[${tag}] FAIL: ${err.message}`);
    console.error(`[${tag}] kept ${work} (logs, screenshots)`);
    process.exitCode = 1;
  } finally {
    if (ok && !process.env.FACETAG_KEEP_TEST_DIR) await rm(work, { recursive: true, force: true });
  }
}
