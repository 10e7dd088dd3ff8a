// End-to-end test of the naming workflow (issue 15) in real headless Chromium driven by
// playwright-core, against `facetag serve` as a child process over a fresh catalog of the
// faces-bbt group photos. With the keyboard alone it names the whole library through the review
// queue ("Who is this?"): skips one item and comes back to it, confirms suggestions with Enter,
// marks a face "not a face", types new names, and types a name someone already has (in other
// letters), which asks "Same person?" and merges on Enter. Then it merges a suggested pair
// ("Is this the same person?", m, Enter), undoes that with U and the naming before it with
// Ctrl+Z, and checks every step through the JSON API.
//
//   FACETAG_CLI=build/tools/cli/facetag node tests/web/review.e2e.mjs
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
const MAX_STEPS = 40;  // far more than the library needs: a loop that never ends is a failure

const log = logger('review.e2e');

async function person(base, id) {
  const r = await api(base, 'GET', `/persons/${id}`);
  return r.status === 200 ? r.json : null;
}

async function run(work) {
  const cli = facetagCli();
  const { chromium, chromiumPath } = await loadChromium();

  const photoRoot = join(work, 'photos');
  await mkdir(photoRoot, { recursive: true });
  for (let i = 1; i <= 5; ++i) await copyFile(join(FACES_DIR, `bbt${i}.jpg`), join(photoRoot, `bbt${i}.jpg`));
  const { server, base, serverLog, exited } = await startServe(cli, work, join(work, 'catalog.db'), photoRoot);
  let browser = null;
  try {
    // 1. A served, indexed library (through the API: the status page has its own test).
    await waitUntilReady(server, base, serverLog);
    const started = await api(base, 'POST', '/index', { path: photoRoot });
    if (started.status !== 202) fail(`POST /index answered ${started.status}: ${started.text}`);
    for (const until = Date.now() + 180_000; ;) {
      const state = await getJson(base, '/index');
      if (!state.running && state.phase === 'done') {
        if (state.error) fail(`index failed: ${state.error}`);
        break;
      }
      if (Date.now() > until) fail('the index did not finish in 180 s');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    // 2. Two faces of the biggest group were put aside by mistake (each alone, unnamed): the
    //    review must bring them back to their person.
    const queue0 = await getJson(base, '/review');
    const big = queue0.items[0];
    if (!big || big.kind !== 'group' || big.face_count < 4) fail(`unexpected first review item: ${JSON.stringify(big)}`);
    const splits = [];
    for (const faceId of big.face_ids.slice(1, 4)) {
      const moved = await api(base, 'POST', `/faces/${faceId}/move`, { person: null });
      if (moved.status !== 200) fail(`moving face ${faceId} out answered ${moved.status}: ${moved.text}`);
      splits.push(moved.json.person.id);
    }
    const [wrongSplit, newNameSplit, confirmSplit] = splits;
    const total0 = (await getJson(base, '/review')).total;
    log(`${total0} items to review; person ${big.person_id} split into ${splits.join(', ')}`);

    browser = await launchChromium(chromium, chromiumPath, join(work, 'chromium-profile'));
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    // The browser logs every 4xx answer; a 409 (name_taken) is part of the workflow under test.
    const pageErrors = watchPage(page, /status of 409/);

    await page.goto(`${base}/#/review`);
    const view = page.locator('.view[data-state="ready"]');
    await view.waitFor();
    // Read once the view has settled: no item means the queue is done (not something to wait for).
    const itemKey = async () => {
      await view.waitFor();
      const item = page.getByTestId('review-item');
      return (await item.count()) > 0 ? item.getAttribute('data-key') : null;
    };
    // After a key press: the view is drawn again, showing another item (or none).
    async function settled(previousKey) {
      await page.waitForFunction((key) => {
        const v = document.querySelector('.view');
        if (!v || v.dataset.state !== 'ready') return false;
        const item = document.querySelector('[data-testid="review-item"]');
        return (item ? item.dataset.key : null) !== key;
      }, previousKey, { timeout: STEP_TIMEOUT_MS });
    }

    // "Not the same person" (d) takes the first pair out of the suggestions; u brings it back.
    const firstPair = async () => {
      const pair = page.getByTestId('merge-pair').first();
      return `${await pair.getAttribute('data-keep')}+${await pair.getAttribute('data-other')}`;
    };
    const pairBefore = await firstPair();
    await page.keyboard.press('d');
    await page.waitForFunction((shown) => {
      const pair = document.querySelector('[data-testid="merge-pair"]');
      const v = document.querySelector('.view');
      return v?.dataset.state === 'ready' && (!pair || `${pair.dataset.keep}+${pair.dataset.other}` !== shown);
    }, pairBefore);
    const dismissedPair = (await getJson(base, '/merge-suggestions')).suggestions
      .some((p) => `${p.keep.id}+${p.other.id}` === pairBefore);
    if (dismissedPair) fail(`after d, GET /merge-suggestions still offers ${pairBefore}`);
    if ((await getJson(base, '/corrections')).corrections[0]?.kind !== 'different') fail('d was not logged as a correction');
    await page.keyboard.press('u');
    await page.waitForFunction((shown) => {
      const pair = document.querySelector('[data-testid="merge-pair"]');
      return document.querySelector('.view')?.dataset.state === 'ready' && pair &&
        `${pair.dataset.keep}+${pair.dataset.other}` === shown;
    }, pairBefore);
    log(`d and u on the merge suggestion ${pairBefore}`);

    let bigName = null;
    let skippedKey = null;
    let dismissed = 0, confirmed = 0, named = 0, mergedByName = 0;
    let lastKey = null;  // the last item answered: the first undo brings it back
    for (let step = 0; ; ++step) {
      if (step > MAX_STEPS) fail(`still reviewing after ${MAX_STEPS} answers`);
      const key = await itemKey();
      if (key === null) {
        const done = page.getByTestId('review-done');
        if (skippedKey && (await done.textContent()).includes('skipped')) {
          await page.keyboard.press('r');  // the skipped one comes back
          await page.getByTestId('review-item').waitFor();
          if ((await itemKey()) !== skippedKey) fail(`r brought back ${await itemKey()}, not the skipped ${skippedKey}`);
          skippedKey = 'answered';
          continue;
        }
        break;
      }
      const item = page.getByTestId('review-item');
      const suggestions = item.getByTestId('review-suggestion');
      const suggested = await suggestions.count();
      if (step > 0) lastKey = key;
      if (step === 0) {
        await page.screenshot({ path: join(work, 'review-item.png'), fullPage: true });
        skippedKey = key;
        await page.keyboard.press('s');
        await settled(key);
        continue;
      }
      if (key === `person-${wrongSplit}`) {
        // The name the big group got, typed in other letters: 409 name_taken, "Same person?".
        const ids = await suggestions.evaluateAll((buttons) => buttons.map((b) => Number(b.dataset.personId)));
        if (!ids.includes(big.person_id)) fail(`the split face is not suggested its person ${big.person_id}: ${ids}`);
        const text = await suggestions.first().textContent();
        if (!/distance 0\.\d\d/.test(text)) fail(`the suggestion shows no distance: "${text}"`);
        await page.keyboard.press('n');
        await page.keyboard.type(bigName.toLowerCase());
        await page.keyboard.press('Enter');
        const dialog = page.getByTestId('name-taken-dialog');
        await dialog.waitFor();
        if (!(await dialog.textContent()).includes(bigName)) fail(`the dialog does not name ${bigName}`);
        await page.screenshot({ path: join(work, 'name-taken.png') });
        await page.keyboard.press('Enter');
        await settled(key);
        ++mergedByName;
        continue;
      }
      if (key === `person-${newNameSplit}`) {
        await page.keyboard.press('n');
        await page.keyboard.type('Someone Else');
        await page.keyboard.press('Enter');
        await settled(key);
        ++named;
        continue;
      }
      if (key === `person-${confirmSplit}`) {
        // Its person is suggested: Enter when first, else its number.
        const ids = await suggestions.evaluateAll((buttons) => buttons.map((b) => Number(b.dataset.personId)));
        const at = ids.indexOf(big.person_id);
        if (at < 0) fail(`the split face is not suggested its person ${big.person_id}: ${ids}`);
        await page.keyboard.press(at === 0 ? 'Enter' : String(at + 1));
        await settled(key);
        ++confirmed;
        continue;
      }
      if (suggested > 0) {
        await page.keyboard.press('Enter');
        await settled(key);
        ++confirmed;
        continue;
      }
      if ((await item.getAttribute('data-kind')) === 'face' && dismissed === 0) {
        await page.keyboard.press('x');
        await settled(key);
        ++dismissed;
        continue;
      }
      const name = `Person ${step}`;
      await page.keyboard.press('n');
      await page.keyboard.type(name);
      await page.keyboard.press('Enter');
      await settled(key);
      if (key === `person-${big.person_id}`) bigName = name;
      ++named;
    }
    log(`queue done: ${named} named, ${confirmed} confirmed, ${mergedByName} merged by name, ${dismissed} not faces`);
    await page.screenshot({ path: join(work, 'review-done.png'), fullPage: true });

    // 3. The API agrees: nothing left, everybody named, the split faces where they belong.
    const after = await getJson(base, '/review');
    if (after.total !== 0) fail(`GET /review still lists ${after.total} items: ${JSON.stringify(after.items)}`);
    if (skippedKey !== 'answered') fail('the skipped item never came back');
    if (!bigName || dismissed !== 1 || mergedByName !== 1 || confirmed < 1) fail(`not every kind of answer was given (${bigName}, ${dismissed}, ${mergedByName})`);
    const bigNow = await person(base, big.person_id);
    if (await person(base, confirmSplit)) fail(`the split confirmed into its person (${confirmSplit}) still exists`);
    if (bigNow?.name !== bigName || bigNow.face_count !== big.face_count - 1) {
      fail(`person ${big.person_id} should be "${bigName}" with ${big.face_count - 1} faces: ${JSON.stringify(bigNow)}`);
    }
    if (await person(base, wrongSplit)) fail(`the split merged by name (${wrongSplit}) still exists`);
    const someone = await person(base, newNameSplit);
    if (someone?.name !== 'Someone Else' || someone.face_count !== 1) fail(`Someone Else: ${JSON.stringify(someone)}`);
    const persons = (await getJson(base, '/persons')).persons;
    const unnamed = persons.filter((p) => !p.name && p.face_count > 0);
    if (unnamed.length) fail(`unnamed people remain: ${JSON.stringify(unnamed)}`);
    const names = persons.map((p) => p.name.toLowerCase());
    if (new Set(names).size !== names.length) fail(`two people share a name: ${names}`);

    // 4. "Is this the same person?": the wrongly named split is offered; m, then Enter merges it.
    const pair = page.getByTestId('merge-pair').first();
    await pair.waitFor();
    if (Number(await pair.getAttribute('data-keep')) !== big.person_id ||
        Number(await pair.getAttribute('data-other')) !== newNameSplit) {
      fail(`the first merge suggestion is ${await pair.getAttribute('data-keep')} + ${await pair.getAttribute('data-other')}`);
    }
    if ((await pair.locator('img.thumb').count()) !== 2) fail('the merge suggestion does not show both faces');
    await page.keyboard.press('m');
    const mergeDialog = page.getByTestId('merge-dialog');
    await mergeDialog.waitFor();
    const question = await mergeDialog.textContent();
    if (!question.includes('Move 1 face of Someone Else') || question.includes('1 faces')) {
      fail(`the merge dialog says "${question}"`);
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('merge-pair').first().waitFor({ state: 'detached' });
    if (await person(base, newNameSplit)) fail('Someone Else still exists after the merge');
    if ((await person(base, big.person_id)).face_count !== big.face_count) fail('the merge did not bring the face back');
    log('merged the suggested pair');

    // 5. U undoes the merge, Ctrl+Z the last answer of the queue; the API shows each step.
    await page.keyboard.press('u');
    await page.getByTestId('merge-pair').first().waitFor();
    const back = await person(base, newNameSplit);
    if (back?.name !== 'Someone Else' || back.face_count !== 1) fail(`after undo, Someone Else is ${JSON.stringify(back)}`);
    if ((await person(base, big.person_id)).face_count !== big.face_count - 1) fail('undo left the face on the big group');
    await page.locator('.view[data-state="ready"]').waitFor();
    await page.keyboard.press('Control+z');
    await page.getByTestId('review-item').waitFor();
    if ((await itemKey()) !== lastKey) fail(`after Ctrl+Z the queue shows ${await itemKey()}, not ${lastKey}`);
    if ((await getJson(base, '/review')).total !== 1) fail('Ctrl+Z did not bring back exactly one item');
    const corrections = await getJson(base, '/corrections');
    if (corrections.undo_depth !== 10 || corrections.corrections.length === 0) fail(`GET /corrections: ${JSON.stringify(corrections)}`);
    log(`undid the merge (U) and the last answer (Ctrl+Z): ${lastKey} is back`);
    await page.screenshot({ path: join(work, 'review-undone.png'), fullPage: true });
    if (!(await page.getByTestId('undo-button').isVisible())) fail('no undo button in the header');

    // 6. Renaming on the people page to a name someone has (other letters): "already exists",
    //    Escape keeps both as they are, Enter merges and shows the person who stays.
    await page.goto(`${base}/#/people`);
    const card = page.locator(`[data-testid="person-card"][data-person-id="${newNameSplit}"]`);
    await card.getByTestId('person-name-button').click();
    await card.getByTestId('person-name-input').fill(bigName.toUpperCase());
    await card.getByTestId('person-name-input').press('Enter');
    const taken = page.getByTestId('name-taken-dialog');
    await taken.waitFor();
    if (!(await taken.textContent()).includes(`Merging moves 1 face to ${bigName}`)) {
      fail(`the name-taken dialog says "${await taken.textContent()}"`);
    }
    await page.keyboard.press('Escape');
    await taken.waitFor({ state: 'detached' });
    if ((await person(base, newNameSplit))?.name !== 'Someone Else') fail('Escape changed the name anyway');
    await card.getByTestId('person-name-input').press('Enter');
    await taken.waitFor();
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="person-page"][data-person-id="${big.person_id}"]`).waitFor();
    if (await person(base, newNameSplit)) fail('merging from the name editor left Someone Else');
    if ((await person(base, big.person_id)).face_count !== big.face_count) fail('the merge did not move the face');

    // 7. The person page's merge picker shows faces; its dialog counts faces right.
    await page.locator('details.merge summary').click();
    const choices = page.getByTestId('merge-choice');
    await choices.first().waitFor();
    if ((await choices.first().locator('img.thumb').count()) !== 1) fail('the merge picker shows no face');
    const candidate = await person(base, Number(await choices.first().getAttribute('data-person-id')));
    await choices.first().click();
    const pickDialog = page.getByTestId('merge-dialog');
    await pickDialog.waitFor();
    const faces = candidate.face_count === 1 ? '1 face' : `${candidate.face_count} faces`;
    if (!(await pickDialog.textContent()).includes(`Move ${faces} of`)) fail(`the merge dialog says "${await pickDialog.textContent()}"`);
    await page.keyboard.press('Escape');
    await pickDialog.waitFor({ state: 'detached' });
    if (!(await person(base, candidate.id))) fail('cancelling the merge dialog merged anyway');
    log('name_taken in the name editor and the merge picker checked');

    if (pageErrors.length) fail(`the page reported errors:\n${pageErrors.join('\n')}`);
  } finally {
    await browser?.close().catch(() => {});
    await stopServer(server, exited);
  }
}

await runInTempDir('review.e2e', run);
