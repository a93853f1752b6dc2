// Export and import as an author does it: import the WordPress sample as a new draft and check
// its blocks, then export every format (with the live preview), copy, and download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useServerAndBrowser, openApp, openWithDraft, until, tempDir, paste } from './harness.mjs';

const fixture = fs.readFileSync(path.resolve(new URL('../fixtures/wp-classic-sample.txt', import.meta.url).pathname), 'utf8');

const shared = useServerAndBrowser({ before, after });

const button = (scope, name) => scope.getByRole('button', { name, exact: true });

/** A context whose codec worker module is held back (no service worker) until `open()`. */
async function heldWorker() {
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  let open;
  const gate = new Promise((resolve) => (open = resolve));
  await context.route(/codec_worker-[0-9a-f]+_bg\.wasm/, async (route) => {
    await gate;
    await route.continue();
  });
  return { context, open };
}

/** Resolves once the codec worker has started and takes jobs (it then answers within a moment). */
const workerRunning = (worker) =>
  worker.evaluate(() => new Promise((resolve) => {
    const check = () => (self.onmessage ? resolve() : setTimeout(check, 20));
    check();
  }));

test('importing the WordPress sample creates a new draft with bubbles, cards and speakers', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Existing post');
  await button(page, 'Import').click();
  const dialog = page.getByRole('dialog', { name: 'Import' });
  await dialog.getByRole('textbox', { name: 'Import text', exact: true }).fill('{"version": 1, "blo');
  await dialog.getByRole('combobox', { name: 'Import format', exact: true }).selectOption({ label: 'JSON' });
  await dialog.getByRole('alert').waitFor();
  assert.equal(await button(dialog, 'Import as new draft').isDisabled(), true, 'malformed input creates nothing');

  await dialog.getByRole('combobox', { name: 'Import format', exact: true }).selectOption({ label: 'Auto' });
  // Choose the file as an author would.
  await dialog.locator('input[type=file]').setInputFiles({ name: 'post.txt', mimeType: 'text/plain', buffer: Buffer.from(fixture) });
  await until(() => dialog.getByRole('textbox', { name: 'Import text', exact: true }).inputValue(), fixture);
  const found = dialog.locator('.ts-import__found');
  await until(async () => /4 bubbles/.test(await found.textContent()) && /1 link card/.test(await found.textContent()), true);
  assert.match(await found.textContent(), /WordPress/);
  await button(dialog, 'Import as new draft').click();
  await until(() => dialog.count(), 0);

  await until(() => page.locator('.ts-bubble').count(), 4);
  await until(() => page.locator('.ts-bubble__name').allTextContents(), ['パン屋のミナ', 'Ken', 'パン屋のミナ', 'パン屋のミナ']);
  await until(() => page.locator('.ts-bubble').evaluateAll((all) => all.map((b) => b.classList.contains('ts-bubble--right'))), [false, true, false, false]);
  await until(() => page.locator('.ts-card__title').allTextContents(), ['【保存版】酵母の起こし方ガイド']);
  const texts = await page.getByRole('textbox', { name: 'Bubble text', exact: true }).allInnerTexts();
  assert.ok(texts.some((text) => text.includes('( ﾟдﾟ)')), 'kaomoji intact');
  assert.deepEqual(await page.getByRole('textbox', { name: 'List item', exact: true }).allTextContents(), ['強力粉 300g', '水 200ml', '塩 5g']);

  await button(page, 'Speakers').click();
  const speakers = page.getByRole('dialog', { name: 'Speakers' });
  await speakers.waitFor();
  const names = await speakers.getByRole('textbox', { name: 'Speaker name', exact: true }).evaluateAll((inputs) => inputs.map((i) => i.value));
  assert.deepEqual(names.sort(), ['Ken', 'パン屋のミナ']);
  await page.keyboard.press('Escape');

  await button(page, 'Drafts').click();
  await until(async () => (await page.locator('.ts-draft__open').count()) >= 2, true, 'the import is a new draft beside the existing one');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('export: every format, the sandboxed preview, copy and download', async () => {
  const { page, context, errors } = await openWithDraft(shared.browser, shared.server.url, 'sample-post.json');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.server.url });
  await button(page, 'Export').click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  const format = dialog.getByRole('combobox', { name: 'Format', exact: true });
  await format.waitFor();
  assert.deepEqual(await format.locator('option').allTextContents(), ['HTML', 'Markdown', 'WordPress', 'JSON']);
  const output = dialog.getByRole('textbox', { name: 'Export output', exact: true });
  assert.equal(await output.getAttribute('readonly'), '');

  // HTML with inline styles, previewed in a sandboxed frame.
  await until(async () => (await output.inputValue()).includes('style='), true);
  const html = await output.inputValue();
  assert.ok(html.includes('パン屋のミナ') && html.includes('【保存版】酵母の起こし方ガイド'));
  assert.ok(!/<script|\son[a-z]+=/i.test(html));
  const frame = dialog.locator('iframe');
  assert.equal(await frame.getAttribute('sandbox'), '');
  const framed = page.frameLocator('iframe.ts-export__preview');
  await until(async () => (await framed.locator('body').textContent()).includes('こんにちは、ミナです。'), true);
  // The preview lays each block out as it comes into view, so a long post's shows at once.
  assert.equal(await framed.locator('body > p').first().evaluate((block) => getComputedStyle(block).contentVisibility), 'auto');
  await dialog.getByRole('checkbox', { name: 'Inline styles', exact: true }).uncheck();
  await until(async () => (await output.inputValue()).includes('class="tsz-'), true);
  // The stylesheet for class-styled HTML comes from the codec worker, downloaded as a file.
  const [sheet] = await Promise.all([page.waitForEvent('download'), button(dialog, 'Download stylesheet').click()]);
  assert.equal(sheet.suggestedFilename(), 'tsuzuri.css');
  const sheetFile = path.join(tempDir(), 'tsuzuri.css');
  await sheet.saveAs(sheetFile);
  assert.match(fs.readFileSync(sheetFile, 'utf8'), /\.tsz-post\{/);

  // Copy as rich text puts HTML and plain text on the clipboard.
  // One press is enough: the rich text is made when it is asked for.
  await button(dialog, 'Copy as rich text').click();
  await dialog.getByRole('status').filter({ hasText: /^Copied\.$/ }).waitFor({ timeout: 10_000 });
  const copied = await page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    const text = async (type) => (item.types.includes(type) ? (await item.getType(type)).text() : null);
    return { html: await text('text/html'), plain: await text('text/plain') };
  });
  // Made when pressed, in the codec worker: the post's HTML with inline styles, and its text.
  assert.ok(copied.html?.includes('こんにちは、ミナです。') && copied.html.includes('style='), copied.html?.slice(0, 200));
  assert.ok(copied.plain?.includes('こんにちは、ミナです。') && !copied.plain.includes('<'), copied.plain?.slice(0, 200));

  // Markdown in each flavor.
  await format.selectOption({ label: 'Markdown' });
  const flavor = dialog.getByRole('combobox', { name: 'Markdown flavor', exact: true });
  assert.deepEqual(await flavor.locator('option').allTextContents(), ['CommonMark', 'GFM', 'Zenn', 'Qiita', 'Hugo', 'Plain']);
  await flavor.selectOption({ label: 'Zenn' });
  await until(async () => (await output.inputValue()).includes('@[card](https://example.org/blog/sourdough-starter-guide/)'), true);
  await flavor.selectOption({ label: 'Hugo' });
  const shortcodes = [];
  const onDownload = (download) => shortcodes.push(download.suggestedFilename());
  page.on('download', onDownload);
  await button(dialog, 'Download shortcode templates').click();
  await until(() => [...shortcodes].sort(), ['bubble.html', 'card.html'], 'the shortcode templates download');
  page.off('download', onDownload);
  await flavor.selectOption({ label: 'Plain' });
  await until(async () => /\*\*パン屋のミナ\*\*/.test(await output.inputValue()), true);
  assert.ok(!/<[a-z]/.test(await output.inputValue()), 'Plain has no HTML');

  // WordPress classic text with JIN shortcodes.
  await format.selectOption({ label: 'WordPress' });
  await until(async () => (await output.inputValue()).includes('[chat face='), true);
  await button(dialog, 'Copy').click();
  await dialog.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
  assert.ok((await page.evaluate(() => navigator.clipboard.readText())).includes('[/chat]'));

  // JSON backup, downloaded.
  await format.selectOption({ label: 'JSON' });
  await until(async () => (await output.inputValue()).includes('"speakers"'), true);
  const [download] = await Promise.all([page.waitForEvent('download'), button(dialog, 'Download').click()]);
  const file = path.join(tempDir(), download.suggestedFilename());
  await download.saveAs(file);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(saved.document.title, 'はじめての週末ベーカリー');
  assert.equal(download.suggestedFilename(), 'はじめての週末ベーカリー.json');

  // A complete HTML document, downloaded.
  await format.selectOption({ label: 'HTML' });
  const [page2] = await Promise.all([page.waitForEvent('download'), button(dialog, 'Download').click()]);
  const htmlFile = path.join(tempDir(), page2.suggestedFilename());
  await page2.saveAs(htmlFile);
  const documentText = fs.readFileSync(htmlFile, 'utf8');
  assert.match(documentText, /<meta charset="utf-8">/i);
  assert.match(documentText, /<title>はじめての週末ベーカリー<\/title>/);
  assert.ok(!documentText.includes('content-visibility'), 'the downloaded page is as exported, without the preview\'s rule');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('the codecs load only when first needed, and a codec worker that cannot start loses nothing', async () => {
  // No service worker, so every request is the page's own and the route below decides.
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const requested = [];
  context.on('request', (request) => requested.push(new URL(request.url()).pathname));
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  await button(page, 'Add paragraph').click();
  await page.keyboard.type('kept ');
  assert.deepEqual(requested.filter((name) => name.includes('codec_worker')), [], 'opening and typing load no codec');

  // The worker cannot load: export says so, and a formatted paste goes in as plain text.
  await context.route(/codec_worker/, (route) => route.abort());
  await button(page, 'Export').click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByRole('alert').filter({ hasText: 'could not start' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('textbox', { name: 'Paragraph', exact: true }).click();
  await page.keyboard.press('End');
  await paste(page, { html: '<p><b>bold</b> words</p>', text: 'bold words' });
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['kept bold words']);
  await page.getByRole('alert').filter({ hasText: 'went in as plain text' }).waitFor();

  // Once it can load, the next export starts it afresh.
  await context.unroute(/codec_worker/);
  await button(page, 'Export').click();
  const output = dialog.getByRole('textbox', { name: 'Export output', exact: true });
  await until(async () => (await output.inputValue()).includes('kept bold words'), true);
  assert.ok(requested.some((name) => /codec_worker-[0-9a-f]+_bg\.wasm$/.test(name)));
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), [], 'a worker that cannot start is handled, not thrown');
  await context.close();
});

test('a long export shows its beginning in the box, and Copy takes all of it', async () => {
  const blocks = Array.from({ length: 1500 }, (_, i) => ({ id: `long${i}`, type: 'paragraph', data: { text: [{ text: `段落 ${i}: ${'自家製酵母でパンを焼く話。'.repeat(8)}` }] } }));
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript((doc) => {
    if (window.top !== window || localStorage.getItem('tsuzuri:index')) return;
    localStorage.setItem('tsuzuri:index', JSON.stringify({ version: 1, current: 'long', drafts: [{ id: 'long', title: doc.title }] }));
    localStorage.setItem('tsuzuri:draft:long', JSON.stringify(doc));
  }, { version: 1, title: 'Long', blocks });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.server.url });
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  await button(page, 'Export').click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByText('The box shows the beginning of a long output; Copy and Download use all of it.').waitFor({ timeout: 10_000 });
  const shown = await dialog.getByRole('textbox', { name: 'Export output', exact: true }).inputValue();
  assert.equal([...shown].length, 50_000, 'the box holds the first 50,000 characters');
  assert.ok(!shown.includes('段落 1499:'));
  await button(dialog, 'Copy').click();
  await dialog.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.length > shown.length && copied.startsWith(shown), 'Copy takes the whole output');
  assert.ok(copied.includes('段落 1499:'));
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('a formatted paste the worker reads while the author types on lands where the caret is', async () => {
  const { context, open } = await heldWorker();
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  await button(page, 'Add paragraph').click();
  await page.keyboard.type('start');
  await paste(page, { html: '<h2>Head</h2><p>tail</p>', text: 'Head\n\ntail' });
  // The worker is still loading: the author goes on typing.
  await page.keyboard.type(' more');
  open();
  const texts = () => page.locator('.ts-blocks [contenteditable=true]').allTextContents();
  await until(texts, ['start more', 'Head', 'tail'], 'the paste lands after the text typed meanwhile', 10_000);
  await button(page, 'Undo').click();
  await until(texts, ['start more'], 'one undo takes the paste back');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('late pastes land in the order they were made, after a composition, without taking the caret away', async () => {
  const { context, open } = await heldWorker();
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  const texts = () => page.locator('.ts-blocks [contenteditable=true]').allTextContents();
  const editable = (n) => page.locator('.ts-blocks [contenteditable=true]').nth(n);
  await button(page, 'Add paragraph').click();
  await page.keyboard.type('start');
  await page.keyboard.press('Enter');
  await page.keyboard.type('elsewhere');
  await paste(page, { html: '<p><b>one</b></p>', text: 'one' });
  // While the worker loads, the author pastes plain text into the first block, then goes back.
  await editable(0).click();
  await page.keyboard.press('End');
  await paste(page, { text: 'two' });
  await page.waitForTimeout(300);
  assert.deepEqual(await texts(), ['start', 'elsewhere'], 'a paste waits for the pastes made before it');
  const reading = page.getByRole('status').filter({ hasText: 'Reading the paste…' });
  await reading.waitFor();
  await editable(1).click();
  await page.keyboard.press('End');

  // An IME composes in the second block when the worker answers: nothing lands inside it.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'か', selectionStart: 1, selectionEnd: 1 });
  open();
  await workerRunning(page.workers().find((w) => w.url().includes('codec_worker')) ?? (await page.waitForEvent('worker')));
  await page.waitForTimeout(500);
  assert.deepEqual(await texts(), ['start', 'elsewhereか'], 'pastes wait for the composition to end');
  await cdp.send('Input.insertText', { text: '漢' });
  await until(texts, ['starttwo', 'elsewhere漢one'], 'each paste lands where it was made, in order', 10_000);
  await reading.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.ts-blocks strong').allTextContents().then((t) => t.join()), 'one');

  // The paste into the first block did not take the caret from where the author is.
  await page.keyboard.type('!');
  await until(texts, ['starttwo', 'elsewhere漢one!']);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('a codec worker that never answers is given up, and the next export starts afresh', async () => {
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  await context.clock.install();
  let hanging = true;
  await context.route(/codec_worker-[0-9a-f]+_bg\.wasm/, async (route) => {
    if (hanging) return; // never answered: the worker hangs while it starts
    await route.continue();
  });
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  await button(page, 'Add paragraph').click();
  await page.keyboard.type('kept');
  await button(page, 'Export').click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  const output = dialog.getByRole('textbox', { name: 'Export output', exact: true });
  await until(() => output.getAttribute('aria-busy'), 'true');
  await page.clock.runFor(91_000);
  await dialog.getByRole('alert').filter({ hasText: 'could not start' }).waitFor();
  assert.notEqual(await output.getAttribute('aria-busy'), 'true', 'no longer busy');

  hanging = false;
  await page.keyboard.press('Escape');
  await button(page, 'Export').click();
  await until(async () => (await output.inputValue()).includes('kept'), true, 'a new worker answers', 10_000);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('a paste made behind a paste of several blocks follows it, even when that one replaced its block', async () => {
  const { context, open } = await heldWorker();
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  const texts = () => page.locator('.ts-blocks [contenteditable=true]').allTextContents();
  await button(page, 'Add paragraph').click();
  await page.keyboard.type('hello world');
  for (let i = 0; i < ' world'.length; i++) await page.keyboard.press('ArrowLeft');
  // Two paragraphs split the block; the plain paste made right after goes after the second.
  await paste(page, { html: '<p>P1</p><p>P2</p>', text: 'P1\n\nP2' });
  await paste(page, { text: 'B' });
  open();
  await until(texts, ['helloP1', 'P2B world'], 'the second paste lands after the first', 10_000);

  // Into an empty paragraph a heading replaces the block; the paste behind it follows it.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await paste(page, { html: '<h2>Head</h2><p>body</p>', text: 'Head\n\nbody' });
  await paste(page, { text: ' more' });
  await until(texts, ['helloP1', 'P2B world', 'Head', 'body more'], 'it lands after the heading and paragraph, not at the end of the post', 10_000);
  await page.keyboard.type('!');
  await until(texts, ['helloP1', 'P2B world', 'Head', 'body more!']);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('a plain paste into a list waits its turn, its lines become items, and line breaks in an item stay in it', async () => {
  const { context, open } = await heldWorker();
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  const items = async () =>
    (await page.getByRole('textbox', { name: 'List item', exact: true }).allInnerTexts()).map((text) => text.replace(/\n$/, ''));
  const paragraphs = () => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents();
  await button(page, 'Add paragraph').click();
  await page.keyboard.type('start');
  await paste(page, { html: '<p><b>one</b></p>', text: 'one' });
  await page.keyboard.press('Enter');
  await page.keyboard.type('- ab');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('cd');
  await until(items, ['ab\ncd']);
  await paste(page, { text: 'x\ny' });
  await page.waitForTimeout(300);
  assert.deepEqual(await items(), ['ab\ncd'], 'the list paste waits for the paste made before it');
  open();
  await until(paragraphs, ['startone'], 'the formatted paste lands first', 10_000);
  await until(items, ['ab\ncdx', 'y'], 'each pasted line is an item; the line break stays inside its item');
  await page.keyboard.type('!');
  await until(items, ['ab\ncdx', 'y!'], 'the caret is after the paste');

  // A paragraph merged into the list joins its last item and splits no other.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('tail');
  await until(paragraphs, ['startone', 'tail']);
  await page.keyboard.press('Home');
  await page.keyboard.press('Backspace');
  await until(items, ['ab\ncdx', 'y!tail']);
  await button(page, 'Undo').click();
  await until(items, ['ab\ncdx', 'y!']);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});
