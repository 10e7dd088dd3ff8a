// End-to-end test of the people pages and the UI's chrome (issue 15) in real headless Chromium
// driven by playwright-core, against `facetag serve` as a child process over a fresh catalog of
// the faces-bbt group photos:
//  - the Status page offers the server's photo roots, indexes twice, and keeps the last run's
//    summary with labels (5 files "Unchanged" the second time) past its refreshes, as /status does;
//  - the People page finds people as you type, sorts and filters them, and keeps the choice in
//    the address (a reload shows the same);
//  - a person's faces are selected (click, Shift+click, keyboard), moved to someone else through
//    the picker with faces, and marked "not X"; one undo (button, U) restores each whole batch;
//  - a photo page highlights the section it was opened from (none when opened by its address);
//  - notices go away on navigation, except "Undone" on the redrawn page;
//  - a person or photo that is not there has a page saying so, with links back that work;
//  - a slow answer shows a loading state after ~300 ms.
//
//   FACETAG_CLI=build/tools/cli/facetag node tests/web/people_pages.e2e.mjs
//
// Environment: FACETAG_CLI (required), FACETAG_CHROMIUM (default /usr/bin/chromium),
// FACETAG_KEEP_TEST_DIR=1 keeps the temporary directory (catalog, server log, screenshots).
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { api, facetagCli, fail, getJson, launchChromium, loadChromium, logger, runInTempDir, startServe, stopServer, waitUntilReady, watchPage } from './e2e_support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FACES_DIR = join(here, '..', 'data', 'faces-bbt');
const STEP_TIMEOUT_MS = 30_000;
const INDEX_TIMEOUT_MS = 180_000;
const PHOTOS = 5;

const log = logger('people_pages.e2e');

// Each face id of the person, sorted: what a batch changes and one undo must restore.
async function faceIds(base, personId) {
  const r = await api(base, 'GET', `/persons/${personId}/faces`);
  if (r.status !== 200) return [];
  return r.json.faces.map((f) => f.id).sort((a, b) => a - b);
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function run(work) {
  const cli = facetagCli();
  const { chromium, chromiumPath } = await loadChromium();

  const photoRoot = join(work, 'photos');
  await mkdir(photoRoot, { recursive: true });
  for (let i = 1; i <= PHOTOS; ++i) await copyFile(join(FACES_DIR, `bbt${i}.jpg`), join(photoRoot, `bbt${i}.jpg`));
  const { server, base, serverLog, exited } = await startServe(cli, work, join(work, 'catalog.db'), photoRoot);
  let browser = null;
  try {
    await waitUntilReady(server, base, serverLog);

    browser = await launchChromium(chromium, chromiumPath, join(work, 'chromium-profile'));
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    // The browser logs every 4xx answer; the 404s of the not-found pages are asked for.
    const pageErrors = watchPage(page, /status of 404/);
    const notice = page.locator('#notice');
    const screenshot = (name) => page.screenshot({ path: join(work, `${name}.png`), fullPage: true });

    // 1. Status: the photo roots are the choices; two runs; the summary stays, in words.
    await page.goto(`${base}/#/status`);
    const roots = page.getByTestId('index-root');
    await roots.first().waitFor();
    if ((await roots.count()) !== 1 || (await roots.first().textContent()) !== photoRoot) {
      fail(`the status page offers ${JSON.stringify(await roots.allTextContents())}, not the one photo root ${photoRoot}`);
    }
    await page.getByTestId('index-path-input').fill('');
    await roots.first().click();
    if ((await page.getByTestId('index-path-input').inputValue()) !== photoRoot) fail('choosing the root did not fill the field');
    const summaryValue = (key) => page.locator(`[data-testid="index-summary"] [data-key="${key}"] dd`).textContent();
    const summaryLabel = (key) => page.locator(`[data-testid="index-summary"] [data-key="${key}"] dt`).textContent();
    const finished = page.locator('[data-testid="index-state"][data-running="false"][data-phase="done"]');
    await page.getByTestId('index-start').click();
    await finished.waitFor({ timeout: INDEX_TIMEOUT_MS });
    await page.getByTestId('index-summary').waitFor();
    if ((await summaryValue('files')) !== String(PHOTOS)) fail(`first run: files ${await summaryValue('files')}`);
    if ((await summaryValue('unchanged')) !== '0') fail(`first run: unchanged ${await summaryValue('unchanged')}`);
    await page.getByTestId('index-start').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="index-summary"] [data-key="unchanged"] dd')?.textContent === n,
      String(PHOTOS), { timeout: INDEX_TIMEOUT_MS });
    await finished.waitFor();
    // The page refreshes every 3 s from GET /status: the summary must outlive that.
    await page.waitForTimeout(7000);
    if ((await summaryValue('unchanged')) !== String(PHOTOS)) fail('the summary vanished or changed after the page refreshed');
    if ((await summaryLabel('unchanged')) !== 'Unchanged (not read again)') fail(`"unchanged" is labelled ${await summaryLabel('unchanged')}`);
    if ((await summaryLabel('faces_added')) !== 'Faces found') fail(`raw keys shown: ${await summaryLabel('faces_added')}`);
    const status = await getJson(base, '/status');
    if (status.index?.summary?.unchanged !== PHOTOS) fail(`GET /status has no summary: ${JSON.stringify(status.index)}`);
    if (!same(status.photo_roots, [photoRoot])) fail(`GET /status photo_roots: ${JSON.stringify(status.photo_roots)}`);
    await screenshot('status');
    log('status page: roots offered, summary kept with labels');

    // Names for the three biggest groups: two with "ra" in them.
    const groups = (await getJson(base, '/persons')).persons.filter((p) => p.face_count > 0);
    if (groups.length < 4) fail(`expected at least 4 people, found ${groups.length}`);
    const [rajesh, leonard, raymond] = groups;
    for (const [p, name] of [[rajesh, 'Rajesh'], [leonard, 'Leonard'], [raymond, 'Raymond']]) {
      const r = await api(base, 'PATCH', `/persons/${p.id}`, { name });
      if (r.status !== 200) fail(`naming ${p.id} answered ${r.status}: ${r.text}`);
    }

    // 2. People: search as you type, sort, filter; the address keeps the choice.
    await page.getByTestId('nav-people').click();
    await page.getByTestId('named-people').waitFor();
    const namedIds = async () => page.getByTestId('named-people').getByTestId('person-card')
      .evaluateAll((cards) => cards.map((c) => Number(c.dataset.personId)));
    await page.getByTestId('people-search').pressSequentially('ra', { delay: 40 });
    await page.waitForFunction(() => location.hash.includes('q=ra'));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="named-people"] [data-testid="person-card"]').length === 2);
    if (await page.getByTestId('unnamed-groups').count()) fail('a search by name still lists unnamed groups');
    await page.getByTestId('people-sort').selectOption('name');
    await page.waitForFunction(() => location.hash.includes('sort=name'));
    await page.waitForFunction((ids) => JSON.stringify([...document.querySelectorAll('[data-testid="named-people"] [data-testid="person-card"]')]
      .map((c) => Number(c.dataset.personId))) === JSON.stringify(ids), [rajesh.id, raymond.id]);
    await page.reload();
    await page.getByTestId('named-people').waitFor();
    if ((await page.getByTestId('people-search').inputValue()) !== 'ra') fail('the search is not kept in the address');
    if ((await page.getByTestId('people-sort').inputValue()) !== 'name') fail('the sort is not kept in the address');
    if (!same(await namedIds(), [rajesh.id, raymond.id])) fail(`after a reload: ${JSON.stringify(await namedIds())}`);
    await page.getByTestId('people-search').fill('');
    await page.getByTestId('people-filter').selectOption('unnamed');
    await page.waitForFunction(() => location.hash.includes('filter=unnamed') && !location.hash.includes('q='));
    await page.getByTestId('unnamed-groups').waitFor();
    await page.getByTestId('named-people').waitFor({ state: 'detached' });
    await page.getByTestId('people-filter').selectOption('named');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="named-people"] [data-testid="person-card"]').length === 3);
    if (await page.getByTestId('unnamed-groups').count()) fail('"Named" still shows unnamed groups');
    if (!same(await namedIds(), [leonard.id, rajesh.id, raymond.id])) fail(`named, by name: ${JSON.stringify(await namedIds())}`);
    await screenshot('people-search');
    log('people page: search, sort and filter, kept in the address');

    // 3. A notice goes away on navigation; "Undone" stays on the redrawn page.
    await page.goto(`${base}/#/person/${leonard.id}`);
    await page.getByTestId('hide-button').click();
    await notice.filter({ hasText: 'Hidden' }).waitFor();
    await page.getByTestId('undo-button').click();
    await notice.filter({ hasText: 'Undone' }).waitFor();
    await page.getByTestId('person-page').waitFor();
    await page.waitForTimeout(300);
    if (!(await notice.isVisible())) fail('"Undone" was cleared by the redraw it announced');
    if ((await getJson(base, `/persons/${leonard.id}`)).hidden) fail('undo did not show Leonard again');
    await page.getByTestId('nav-search').click();
    await page.locator('[data-testid="nav-search"][aria-current="page"]').waitFor();
    if (await notice.isVisible()) fail('the notice survived going to another page');
    log('notices: cleared on navigation, "Undone" kept on its page');

    // 4. Bulk: Shift+click a range of Rajesh's faces, move them to Leonard with the picker.
    const rajeshFaces = await faceIds(base, rajesh.id);
    const leonardFaces = await faceIds(base, leonard.id);
    if (rajeshFaces.length < 3) fail(`Rajesh has only ${rajeshFaces.length} faces`);
    await page.goto(`${base}/#/person/${rajesh.id}`);
    const checks = page.getByTestId('face-check');
    await checks.first().waitFor();
    const bar = page.getByTestId('bulk-bar');
    if (await bar.isVisible()) fail('the bulk bar shows with nothing selected');
    await checks.nth(0).click();
    await checks.nth(2).click({ modifiers: ['Shift'] });
    await page.locator('[data-testid="bulk-bar"][data-count="3"]').waitFor();
    const picked = await page.locator('[data-testid="face-check"]:checked')
      .evaluateAll((els) => els.map((e) => Number(e.dataset.faceId)));
    await page.getByTestId('bulk-move').click();
    const moveDialog = page.getByTestId('move-dialog');
    await moveDialog.waitFor();
    const choice = moveDialog.locator(`[data-testid="move-choice"][data-person-id="${leonard.id}"]`);
    if ((await choice.locator('img.thumb').count()) !== 1) fail('the move picker shows no face for Leonard');
    if (await moveDialog.locator(`[data-testid="move-choice"][data-person-id="${rajesh.id}"]`).count()) fail('the picker offers Rajesh himself');
    await choice.click();
    await notice.filter({ hasText: 'Moved 3 faces to Leonard' }).waitFor();
    const leonardAfter = await faceIds(base, leonard.id);
    if (!same(leonardAfter, [...leonardFaces, ...picked].sort((a, b) => a - b))) fail(`Leonard after the move: ${leonardAfter}`);
    const corrections = (await getJson(base, '/corrections')).corrections;
    if (corrections[0].summary !== `moved 3 faces to person ${leonard.id}`) fail(`the batch logged "${corrections[0].summary}"`);
    await page.getByTestId('undo-button').click();
    await notice.filter({ hasText: 'Undone' }).waitFor();
    if (!same(await faceIds(base, rajesh.id), rajeshFaces) || !same(await faceIds(base, leonard.id), leonardFaces)) {
      fail('one undo did not bring the whole batch back');
    }
    log(`moved faces ${picked} to Leonard and back with one undo`);

    // 5. Bulk with the keyboard: Space, arrow, Shift+Space; "Not Rajesh"; U undoes it.
    await page.getByTestId('face-check').first().waitFor();
    await checks.nth(0).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+Space');
    await page.locator('[data-testid="bulk-bar"][data-count="2"]').waitFor();
    await page.getByTestId('bulk-reject').click();
    await notice.filter({ hasText: '2 faces marked as not Rajesh' }).waitFor();
    if ((await faceIds(base, rajesh.id)).length !== rajeshFaces.length - 2) fail('"Not Rajesh" did not take 2 faces off him');
    await page.getByTestId('person-page').waitFor();
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('u');
    await notice.filter({ hasText: 'Undone' }).waitFor();
    if (!same(await faceIds(base, rajesh.id), rajeshFaces)) fail('U did not bring both faces back');
    // Select all, then Escape selects none.
    await page.getByTestId('select-all').click();
    await page.locator(`[data-testid="bulk-bar"][data-count="${rajeshFaces.length}"]`).waitFor();
    await checks.nth(1).focus();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="bulk-bar"][data-count="0"]').waitFor({ state: 'attached' });
    if (await bar.isVisible()) fail('Escape left faces selected');
    // The merge picker: the same choices, with faces.
    await page.locator('details.merge summary').click();
    const mergeChoices = page.getByTestId('merge-choice');
    await mergeChoices.first().waitFor();
    if ((await mergeChoices.first().locator('img.thumb').count()) !== 1) fail('the merge picker shows no face');
    await screenshot('person-bulk');
    log('keyboard selection, "not Rajesh", U, select all and Escape checked');

    // 6. A photo opened from a person page stays in "People"; opened by its address, in nothing.
    await page.getByTestId('person-photos').getByTestId('photo-tile').first().click();
    await page.waitForFunction(() => location.hash.startsWith('#/photo/'));
    await page.locator('[data-testid="nav-people"][aria-current="page"]').waitFor();
    if (await page.locator('[data-testid="nav-search"][aria-current]').count()) fail('a photo page highlights Search');
    await page.reload();
    await page.locator('.view:not([aria-busy])').waitFor();
    if (await page.locator('[data-nav][aria-current]').count()) fail('a photo opened by its address highlights a section');
    log('nav: a photo page highlights where it was opened from');

    // 7. Not found: a title, a plain explanation, links back that work.
    await page.goto(`${base}/#/person/999999`);
    const notFound = page.getByTestId('not-found');
    await notFound.waitFor();
    const heading = await notFound.locator('h1').textContent();
    if (!/not here/.test(heading)) fail(`the not-found page says "${heading}"`);
    if (!(await notFound.textContent()).includes('There is no person 999999')) fail('the not-found page does not say what is missing');
    await notFound.getByTestId('back-to-people').click();
    await page.getByTestId('named-people').waitFor();
    await page.goto(`${base}/#/photo/999999`);
    await notFound.waitFor();
    await notFound.getByTestId('back-to-search').click();
    await page.getByTestId('search-text').waitFor();
    log('not-found pages with working links back');

    // 8. A slow answer: a loading state after ~300 ms, while aria-busy is set.
    const personsList = (url) => url.pathname === '/api/v1/persons';
    await page.route(personsList, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.getByTestId('nav-people').click();
    await page.locator('.view[aria-busy="true"] [data-testid="loading"]').waitFor({ timeout: 1400 });
    await page.getByTestId('named-people').waitFor();
    if (await page.getByTestId('loading').count()) fail('the loading state stayed after the page was drawn');
    await page.unroute(personsList);
    log('loading state shown while the API was slow');

    if (pageErrors.length) fail(`the page reported errors:\n${pageErrors.join('\n')}`);
  } finally {
    await browser?.close().catch(() => {});
    await stopServer(server, exited);
  }
}

await runInTempDir('people_pages.e2e', run);
