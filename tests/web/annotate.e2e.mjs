// End-to-end test of captions and tags in the web UI, in real headless Chromium driven by
// playwright-core: the 5 faces-bbt group photos are indexed (`facetag index`), a group that is in
// some of them is named through the API, `facetag annotate` runs against facetag-fake-llm (the annotate tests'
// OpenAI-compatible server as a program, on a loopback port), then the search page finds the
// photos by a word of their captions (the non-ASCII name), the photo page shows caption and tags,
// and a tag links to a search for it.
//
//   FACETAG_CLI=build/tools/cli/facetag FACETAG_FAKE_LLM=build/tests/facetag-fake-llm node tests/web/annotate.e2e.mjs
//
// Environment as people.e2e.mjs, plus FACETAG_FAKE_LLM (required).
import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { facetagCli, fail, freePort, launchChromium, loadChromium, logger, runInTempDir, watchPage } from './e2e_support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const NAME = 'Zoë Annotated';
const STEP_TIMEOUT_MS = 30_000;

const log = logger('annotate.e2e');

// Runs a program to its end; its output is kept for the failure message.
function runToEnd(program, args) {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

// Starts a long-running program and resolves once its output matches `ready`.
function startUntil(program, args, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${program} not ready in 90 s: ${output}`)), 90_000);
    const seen = (d) => {
      output += d;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`${program} exited (${code}): ${output}`)));
  });
}

async function getJson(base, path, init) {
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  if (!response.ok) fail(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function run(work) {
  const cli = facetagCli();
  const fakeLlm = process.env.FACETAG_FAKE_LLM;
  if (!fakeLlm || !existsSync(fakeLlm)) fail(`FACETAG_FAKE_LLM=${fakeLlm} must name build/tests/facetag-fake-llm`);
  const { chromium, chromiumPath } = await loadChromium();

  const photos = join(work, 'photos');
  await mkdir(photos, { recursive: true });
  for (let i = 1; i <= 5; ++i) {
    await copyFile(join(here, '..', 'data', 'faces-bbt', `bbt${i}.jpg`), join(photos, `bbt${i}.jpg`));
  }
  const db = join(work, 'catalog.db');
  const index = await runToEnd(cli, ['index', '--db', db, photos]);
  if (index.code !== 0) fail(`facetag index failed (${index.code}): ${index.output}`);

  const children = [];
  let browser = null;
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    children.push(await startUntil(cli, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], /serving on/));
    // A group that is in some of the photos but not all gets a name with a non-ASCII letter.
    const { persons } = await getJson(base, '/api/v1/persons');
    const chosen = persons.find((p) => p.photo_count > 0 && p.photo_count < 5);
    if (!chosen) fail(`no group in fewer than all 5 photos: ${JSON.stringify(persons)}`);
    await getJson(base, `/api/v1/persons/${chosen.id}`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: NAME }),
    });

    const llmPort = await freePort();
    children.push(await startUntil(fakeLlm, ['--port', String(llmPort), '--model', 'e2e-model'], /chat\/completions/));
    const annotate = await runToEnd(cli, ['annotate', '--db', db, '--endpoint', `http://127.0.0.1:${llmPort}`,
                                          '--model', 'e2e-model']);
    if (annotate.code !== 0) fail(`facetag annotate failed (${annotate.code}): ${annotate.output}`);
    log(annotate.output.trim());

    browser = await launchChromium(chromium, chromiumPath, join(work, 'chromium-profile'));
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const pageErrors = watchPage(page);

    // 1. The search box finds the photos whose captions name her.
    await page.goto(`${base}/#/search`);
    await page.getByTestId('search-text').fill('zoe');  // accents and case ignored
    await page.getByTestId('search-text').press('Enter');
    const tiles = page.getByTestId('search-grid').getByTestId('photo-tile');
    await tiles.first().waitFor();
    const expected = (await getJson(base, `/api/v1/photos?text=${encodeURIComponent('Zoë')}`)).total;
    if (expected !== chosen.photo_count) fail(`the API finds ${expected} photos by her name, she is in ${chosen.photo_count}`);
    if ((await tiles.count()) !== expected) fail(`the search page shows ${await tiles.count()} photos, the API ${expected}`);
    if (!page.url().includes('text=zoe')) fail(`the search is not in the address: ${page.url()}`);
    await page.screenshot({ path: join(work, 'search.png'), fullPage: true });

    // 2. A photo's page shows its caption, tags and the model.
    await tiles.first().click();
    const caption = page.getByTestId('photo-caption');
    await caption.waitFor();
    if (!(await caption.textContent()).includes(NAME)) fail(`the caption does not name her: ${await caption.textContent()}`);
    const annotation = await page.getByTestId('photo-annotation').textContent();
    if (!annotation.includes('e2e-model')) fail(`the model is not shown: ${annotation}`);
    await page.screenshot({ path: join(work, 'photo.png'), fullPage: true });

    // 3. A tag is a link to a search for it: every photo has the tag "people".
    await page.getByTestId('photo-tag').filter({ hasText: 'people' }).click();
    await page.getByTestId('search-grid').waitFor();
    const all = await page.getByTestId('search-grid').getByTestId('photo-tile').count();
    if (all !== 5) fail(`a search for the tag "people" shows ${all} photos, not 5`);
    if ((await page.getByTestId('search-text').inputValue()) !== 'people') fail('the search box does not show the tag');

    if (pageErrors.length) fail(`the page reported errors:\n${pageErrors.join('\n')}`);
  } finally {
    await browser?.close().catch(() => {});
    for (const child of children) child.kill('SIGTERM');
  }
}

await runInTempDir('annotate.e2e', run);
