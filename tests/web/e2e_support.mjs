// What every browser test needs: failing with a message, a log line tagged with the test's name,
// a loopback port to start a server on, the browser, and a scratch folder kept on failure.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
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
