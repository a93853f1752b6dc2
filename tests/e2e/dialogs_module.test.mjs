// The dialogs (drafts, export, import, speakers, settings) are a module of their own: a post
// opens without it, the first dialog wanted loads it, and a module that cannot load is said so
// without losing anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openApp, waitSaved, until } from './harness.mjs';

const shared = useServerAndBrowser({ before, after });

const dialogsFile = /\/dialogs-[0-9a-f]+(_bg\.wasm|\.js)$/;

async function typeParagraph(page, text) {
  await page.getByRole('button', { name: 'Add paragraph', exact: true }).click();
  const paragraph = page.getByRole('textbox', { name: 'Paragraph', exact: true }).last();
  await paragraph.click();
  await page.keyboard.type(text);
  await waitSaved(page);
}

test('a post opens without the dialogs; the first dialog wanted loads them, and every dialog then works on the open post', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await typeParagraph(page, 'Lazy dialogs 綴り');
  await page.waitForTimeout(300);
  assert.deepEqual(fetched.filter((file) => dialogsFile.test(file)), [], 'nothing of the dialogs before one is wanted');

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export' });
  await exportDialog.waitFor();
  const loaded = fetched.filter((file) => dialogsFile.test(file));
  assert.equal(loaded.length, 2, `the dialogs' script and module: ${loaded}`);
  const output = exportDialog.getByRole('textbox', { name: 'Export output', exact: true });
  await until(async () => (await output.inputValue()).includes('Lazy dialogs 綴り'), true, 'the export is of the open post', 10_000);
  await page.keyboard.press('Escape');
  await exportDialog.waitFor({ state: 'hidden' });
  // Focus goes back to the button that opened the dialog, in the editor's module.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Export');

  // The drafts panel lists the open draft under the title as typed, and renames it.
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Split module');
  await page.getByRole('button', { name: 'Drafts', exact: true }).click();
  const drafts = page.getByRole('dialog', { name: 'Drafts' });
  await drafts.getByRole('button', { name: 'Split module', exact: true }).waitFor();
  await drafts.getByRole('button', { name: 'Rename draft', exact: true }).click();
  await drafts.getByRole('textbox', { name: 'Draft title', exact: true }).fill('Renamed in the panel');
  await page.keyboard.press('Enter');
  await drafts.getByRole('button', { name: 'Renamed in the panel', exact: true }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Title', exact: true }).inputValue(), 'Renamed in the panel');
  await page.keyboard.press('Escape');

  // A setting changed in the dialogs reaches the editor, and the editor's language the dialogs.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('combobox', { name: 'Language', exact: true }).selectOption('ja');
  await page.getByRole('dialog', { name: '設定' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  await page.getByRole('dialog', { name: '設定' }).getByRole('combobox').first().selectOption('en');
  await settings.waitFor();
  await page.keyboard.press('Escape');

  // Loaded once: nothing of the dialogs is fetched again.
  assert.equal(fetched.filter((file) => dialogsFile.test(file)).length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test('dialogs that cannot load are reported, the post is unchanged, and a later try opens them', async () => {
  // Requests a service worker answers pass by page.route: this page has none.
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const { page } = await openApp(shared.browser, shared.server.url, { context });
  await typeParagraph(page, 'Still here');
  let refuse = true;
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(dialogsFile, async (route) => {
    if (!refuse) return route.continue();
    await held;
    return route.abort('connectionfailed');
  });
  const speakers = page.getByRole('button', { name: 'Speakers', exact: true });
  await speakers.click();
  // While the dialogs load, the button says it is busy.
  await until(() => speakers.getAttribute('aria-busy'), 'true', 'the button is busy while the dialogs load');
  release();
  await page.getByRole('alert').filter({ hasText: 'That dialog could not be loaded' }).waitFor();
  assert.equal(await speakers.getAttribute('aria-busy'), null);
  assert.equal(await page.getByRole('dialog').count(), 0);
  assert.equal(await page.getByRole('textbox', { name: 'Paragraph', exact: true }).last().textContent(), 'Still here');

  refuse = false;
  await page.getByRole('button', { name: 'Speakers', exact: true }).click();
  await page.getByRole('dialog', { name: 'Speakers' }).waitFor();
  await context.close();
});

test('a dialog asked for while the dialogs load is forgotten once the author types on', async () => {
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  await typeParagraph(page, 'Typing on');
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(dialogsFile, async (route) => {
    await held;
    return route.continue();
  });
  const exportButton = page.getByRole('button', { name: 'Export', exact: true });
  await exportButton.click();
  await until(() => exportButton.getAttribute('aria-busy'), 'true', 'the button is busy while the dialogs load');
  const paragraph = page.getByRole('textbox', { name: 'Paragraph', exact: true }).last();
  await paragraph.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' and on');
  assert.equal(await exportButton.getAttribute('aria-busy'), null, 'no longer waiting');
  release();
  // The module arrives; nothing opens over the typing, and the next click opens at once.
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole('dialog').count(), 0);
  assert.equal(await paragraph.textContent(), 'Typing on and on');
  await exportButton.click();
  await page.getByRole('dialog', { name: 'Export' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a dialog opened again takes the keys as soon as it shows: Escape at once closes it and focus goes back', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  await typeParagraph(page, 'Twice');
  for (const name of ['Settings', 'Settings', 'Export', 'Export']) {
    await page.getByRole('button', { name, exact: true }).click();
    const dialog = page.getByRole('dialog', { name });
    await dialog.waitFor();
    // No round trip in between: the key follows the dialog's showing as closely as it can.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 2_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), name);
  }
  // The closest a key can follow: Escape sent from the page the moment the dialog enters it,
  // before any frame, to wherever focus is then.
  await page.evaluate(() => {
    window.escapeSent = false;
    const watch = new MutationObserver(() => {
      if (!document.querySelector('.ts-dialog')) return;
      watch.disconnect();
      const key = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
      (document.activeElement ?? document.body).dispatchEvent(key);
      window.escapeSent = true;
    });
    watch.observe(document.body, { childList: true, subtree: true });
  });
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await until(() => page.evaluate(() => window.escapeSent), true, 'the dialog entered the page', 5_000);
  await page.getByRole('dialog', { name: 'Settings' }).waitFor({ state: 'hidden', timeout: 2_000 });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Settings');

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.waitFor();
  assert.equal(await settings.evaluate((panel) => panel.contains(document.activeElement)), true, 'focus is in the dialog once it shows');
  await page.keyboard.press('Escape');
  await settings.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await context.close();
});
