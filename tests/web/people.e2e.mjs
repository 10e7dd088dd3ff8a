// End-to-end test of the web UI in real headless Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core: `facetag serve` runs as a child process over a fresh catalog and a temporary
// photo root; the test indexes the photos through the status page, names an unnamed group on the
// people page by clicking its name and typing, then finds the name through the JSON API; a
// recognition of one of the person's photos then shows on their page's timeline.
//
//   FACETAG_CLI=build/tools/cli/facetag node tests/web/people.e2e.mjs
//
// Environment: FACETAG_CLI (required), FACETAG_CHROMIUM (default /usr/bin/chromium), FACETAG_KEEP_TEST_DIR=1 keeps the
// temporary directory (catalog, server log, screenshots) even when the test passes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { facetagCli, fail, freePort, launchChromium, loadChromium, logger, runInTempDir, waitUntilReady, watchPage } from './e2e_support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const TEST_NAME = 'Zoë E2E';  // non-ASCII on purpose: the name must survive UTF-8 both ways
const INDEX_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 30_000;

const log = logger('people.e2e');

// The test photos in the repository (tests/data/faces-bbt).
const FACES_DIR = join(here, '..', 'data', 'faces-bbt');

// The 5 group photos and a few single-face crops of three people.
async function makePhotoRoot(root) {
  const faces = FACES_DIR;
  if (!existsSync(join(faces, 'bbt1.jpg'))) fail(`test photos not found in ${faces}`);
  await mkdir(join(root, 'groups'), { recursive: true });
  await mkdir(join(root, 'crops'), { recursive: true });
  let count = 0;
  for (let i = 1; i <= 5; ++i) {
    await copyFile(join(faces, `bbt${i}.jpg`), join(root, 'groups', `bbt${i}.jpg`));
    ++count;
  }
  for (const person of ['sheldon', 'leonard', 'penny']) {
    for (let i = 1; i <= 3; ++i) {
      await copyFile(join(faces, person, `${person}${i}.png`), join(root, 'crops', `${person}${i}.png`));
      ++count;
    }
  }
  return count;
}

function startServer(cli, args, logPath) {
  const out = createWriteStream(logPath);
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

async function getJson(base, path) {
  const response = await fetch(`${base}${path}`);
  const text = await response.text();
  if (response.status !== 200) fail(`GET ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function run(work) {
  const cli = facetagCli();
  const { chromium, chromiumPath } = await loadChromium();

  const photoRoot = join(work, 'photos');
  const fileCount = await makePhotoRoot(photoRoot);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = join(work, 'serve.log');
  log(`work dir ${work}; ${fileCount} photos; serving on ${base}`);

  let server = null;
  let browser = null;  // the persistent context: closing it ends Chromium
  try {
    server = startServer(cli, ['serve', '--db', join(work, 'catalog.db'), '--listen', `127.0.0.1:${port}`,
                               '--photos', photoRoot, '--record-events'], serverLog);
    await waitUntilReady(server, base, serverLog);

    // A fresh profile: playwright passes it to Chromium as --user-data-dir.
    browser = await launchChromium(chromium, chromiumPath, join(work, 'chromium-profile'));
    const context = browser;
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const pageErrors = watchPage(page);

    // 1. Index the photo root through the status page's form.
    await page.goto(`${base}/#/status`);
    await page.getByTestId('index-path-input').fill(photoRoot);
    await page.getByTestId('index-start').click();
    log('indexing started from the status page');
    const finished = page.locator('[data-testid="index-state"][data-running="false"][data-phase="done"]');
    try {
      await finished.waitFor({ timeout: INDEX_TIMEOUT_MS });
    } catch (err) {
      const message = await page.getByTestId('index-message').textContent().catch(() => '');
      fail(`the index did not finish in the UI (${err.message}); form message: "${message}"`);
    }
    const errorText = await page.getByTestId('index-error').count();
    if (errorText) fail(`the status page shows an index error: ${await page.getByTestId('index-error').textContent()}`);
    const index = await getJson(base, '/api/v1/index');
    if (index.running || index.error) fail(`GET /api/v1/index after the run: ${JSON.stringify(index)}`);
    if (index.files_total !== fileCount || index.files_done !== fileCount) {
      fail(`expected ${fileCount} files indexed, GET /api/v1/index says ${JSON.stringify(index)}`);
    }
    if (!(index.faces_found > 0)) fail(`no faces found: ${JSON.stringify(index)}`);
    log(`index done: ${index.files_done} files, ${index.faces_found} faces`);
    await page.screenshot({ path: join(work, 'status.png'), fullPage: true });

    // 1b. The status page says what the photos were analysed with (as `facetag index` does), and
    // its "Re-group faces" button groups every face again in the background (POST /group).
    const analysis = await page.getByTestId('analysis-settings').textContent();
    if (!analysis.includes('ssd detector')) fail(`the status page's analysis line: "${analysis}"`);
    await page.getByTestId('regroup-start').click();
    await page.getByTestId('regroup-state').filter({ hasText: 'Re-grouped' }).waitFor({ timeout: INDEX_TIMEOUT_MS });
    const group = await getJson(base, '/api/v1/group');
    const counts = (await getJson(base, '/api/v1/status')).catalog;
    if (group.running || !group.report || group.report.faces !== counts.faces) {
      fail(`GET /api/v1/group after the re-grouping: ${JSON.stringify(group)}, catalog ${JSON.stringify(counts)}`);
    }
    log(`re-grouped from the status page: ${group.report.people} people`);

    // 2. The people page shows the unnamed groups, biggest first.
    await page.getByTestId('nav-people').click();
    const groups = page.getByTestId('unnamed-groups').getByTestId('person-card');
    await groups.first().waitFor();
    const before = (await getJson(base, '/api/v1/persons')).persons;
    const unnamedBefore = before.filter((p) => !p.name && p.face_count > 0);
    if ((await groups.count()) !== unnamedBefore.length) {
      fail(`the page shows ${await groups.count()} unnamed groups, the API ${unnamedBefore.length}`);
    }
    const personId = Number(await groups.first().getAttribute('data-person-id'));
    const card = page.getByTestId('unnamed-groups').locator(`[data-testid="person-card"][data-person-id="${personId}"]`);
    const biggest = Math.max(...unnamedBefore.map((p) => p.face_count));
    const chosen = before.find((p) => p.id === personId);
    if (!chosen || chosen.face_count !== biggest) {
      fail(`the first unnamed group (#${personId}) is not the biggest (${biggest} faces): ${JSON.stringify(chosen)}`);
    }
    const thumb = card.locator('img.thumb');
    await thumb.waitFor();
    const thumbLoaded = await thumb.evaluate((img) => img.decode().then(() => img.naturalWidth > 0, () => false));
    if (!thumbLoaded) fail(`the thumbnail of group #${personId} did not load (${await thumb.getAttribute('src')})`);

    // 3. Click the group's name, type, Enter.
    await card.getByTestId('person-name-button').click();
    const input = card.getByTestId('person-name-input');
    await input.fill(TEST_NAME);
    await input.press('Enter');
    await card.getByTestId('person-name-button').filter({ hasText: TEST_NAME }).waitFor();
    log(`named group #${personId} "${TEST_NAME}" in the UI`);
    await page.screenshot({ path: join(work, 'people.png'), fullPage: true });

    // 4. The API knows the name, on the same person, who has faces.
    const after = (await getJson(base, '/api/v1/persons')).persons;
    const named = after.filter((p) => p.name === TEST_NAME);
    if (named.length !== 1) fail(`expected one person named ${TEST_NAME}, GET /api/v1/persons: ${JSON.stringify(after)}`);
    if (named[0].id !== personId) fail(`the name landed on #${named[0].id}, not on the group clicked (#${personId})`);
    if (!(named[0].face_count > 0)) fail(`the named person has no faces: ${JSON.stringify(named[0])}`);
    const onlyNamed = (await getJson(base, '/api/v1/persons?named=1')).persons;
    if (!onlyNamed.some((p) => p.id === personId && p.name === TEST_NAME)) {
      fail(`GET /api/v1/persons?named=1 does not list #${personId}: ${JSON.stringify(onlyNamed)}`);
    }

    // 5. After a reload the person is among the named, and their page lists their photos.
    await page.reload();
    await page.getByTestId('named-people').locator(`[data-person-id="${personId}"]`).waitFor();
    await page.getByTestId('named-people').locator(`[data-person-id="${personId}"] a.thumb-link`).click();
    await page.getByTestId('person-page').waitFor();
    const photoTiles = await page.getByTestId('person-photos').getByTestId('photo-tile').count();
    if (photoTiles !== named[0].photo_count) {
      fail(`the person page shows ${photoTiles} photos, the API says ${named[0].photo_count}`);
    }

    // 6. A recognition of one of their photos is on their page's timeline, with its source.
    const { photos: theirs } = await getJson(base, `/api/v1/persons/${personId}/photos`);
    const recognized = await fetch(`${base}/api/v1/recognize?source=e2e-door`, {
      method: 'POST',
      headers: { 'Content-Type': theirs[0].path.endsWith('.png') ? 'image/png' : 'image/jpeg' },
      body: await readFile(theirs[0].path),
    });
    const answer = await recognized.json();
    if (!answer.faces?.some((f) => f.person?.id === personId)) {
      fail(`recognizing ${theirs[0].path} did not name #${personId}: ${JSON.stringify(answer)}`);
    }
    for (let i = 0; i < 50 && (await getJson(base, `/api/v1/events?person=${personId}`)).events.length === 0; ++i) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.reload();
    const event = page.getByTestId('timeline').getByTestId('timeline-event').first();
    await event.waitFor();
    const eventText = await event.textContent();
    if (!eventText.includes('e2e-door')) fail(`the timeline's newest event does not name its source: "${eventText}"`);
    await page.screenshot({ path: join(work, 'person.png'), fullPage: true });
    log('the recognition is on the person page\'s timeline');

    // The same page at phone width, for a look.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/people`);
    await page.getByTestId('named-people').waitFor();
    await page.screenshot({ path: join(work, 'people-phone.png'), fullPage: true });

    if (pageErrors.length) fail(`the page reported errors:\n${pageErrors.join('\n')}`);

    // 6. With API keys (any non-loopback bind), the UI asks for a key, keeps it in a cookie and
    //    sends the session's CSRF token with its changes: a rename still works (docs/SECURITY.md).
    await stopServer(server);
    server = null;
    const created = spawnSync(cli, ['apikey', 'create', '--name', 'e2e', '--db', join(work, 'catalog.db')],
                              { encoding: 'utf8' });
    if (created.status !== 0) fail(`facetag apikey create failed: ${created.stderr}`);
    const key = created.stdout.split('\n').find((line) => line.startsWith('ftk_'));
    if (!key) fail(`no key in the output of facetag apikey create: ${created.stdout}`);
    server = startServer(cli, ['serve', '--db', join(work, 'catalog.db'), '--listen', `0.0.0.0:${port}`,
                               '--photos', photoRoot], serverLog);
    await waitUntilReady(server, base, serverLog);
    await page.reload();  // the page is on #/people already: a reload asks the API again
    await page.getByTestId('api-key-input').fill(key);
    await page.getByTestId('api-key-form').locator('button[type="submit"]').click();
    const keyedCard = page.getByTestId('named-people').locator(`[data-testid="person-card"][data-person-id="${personId}"]`);
    await keyedCard.getByTestId('person-name-button').click();
    const renamed = `${TEST_NAME} 2`;
    await keyedCard.getByTestId('person-name-input').fill(renamed);
    await keyedCard.getByTestId('person-name-input').press('Enter');
    await keyedCard.getByTestId('person-name-button').filter({ hasText: renamed }).waitFor();
    const keyed = await fetch(`${base}/api/v1/persons/${personId}`, { headers: { Authorization: `Bearer ${key}` } });
    const keyedPerson = await keyed.json();
    if (keyedPerson.name !== renamed) fail(`renamed with the key cookie, the API says ${JSON.stringify(keyedPerson)}`);
    log('renamed again through the key cookie (with the CSRF token)');

    // The 401 that made the UI ask for the key is logged by Chromium; anything else is an error.
    const unexpected = pageErrors.filter((e) => !e.includes('status of 401'));
    if (unexpected.length) fail(`the page reported errors:\n${unexpected.join('\n')}`);
    log(`screenshots status.png, people.png, person.png, people-phone.png in ${work}` +
        (process.env.FACETAG_KEEP_TEST_DIR ? '' : ' (removed on success; FACETAG_KEEP_TEST_DIR=1 keeps them)'));
  } finally {
    await browser?.close().catch(() => {});
    await stopServer(server);
  }
}

await runInTempDir('people.e2e', run);
