// Drafts that are never lost: several drafts, search, rename, duplicate, trash and restore; two
// tabs; a full storage quota; unavailable storage; data from a newer version; and the PWA:
// installable, and working offline after one online visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { useServerAndBrowser, launchArgs, chromiumPath, tempDir, openApp, until, waitSaved } from './harness.mjs';

const shared = useServerAndBrowser({ before, after });

const button = (scope, name) => scope.getByRole('button', { name, exact: true });

async function typeParagraph(page, text) {
  await button(page, 'Add paragraph').click();
  await page.keyboard.type(text);
}

test('several drafts: create, switch, search, rename, duplicate, delete and restore', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Sourdough notes');
  await typeParagraph(page, 'levain at 26 degrees');
  await waitSaved(page);

  await button(page, 'Drafts').click();
  const panel = page.getByRole('dialog', { name: 'Drafts' });
  await button(panel, 'New draft').click();
  await until(() => panel.count(), 0);
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Baguette');
  await typeParagraph(page, 'shape gently');
  await waitSaved(page);

  await button(page, 'Drafts').click();
  await until(() => panel.locator('.ts-draft__open').allTextContents(), ['Baguette', 'Sourdough notes']);
  assert.match(await panel.locator('.ts-draft__meta').first().textContent(), /characters/);
  await panel.getByRole('searchbox', { name: 'Search drafts', exact: true }).fill('levain');
  await until(() => panel.locator('.ts-draft__open').allTextContents(), ['Sourdough notes']);
  await button(panel, 'Sourdough notes').click();
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['levain at 26 degrees']);
  await panel.getByRole('searchbox', { name: 'Search drafts', exact: true }).fill('');

  const row = (title) => panel.locator('.ts-draft', { has: page.getByRole('button', { name: title, exact: true }) });
  await button(row('Baguette'), 'Rename draft').click();
  const rename = panel.getByRole('textbox', { name: 'Draft title', exact: true });
  await rename.fill('Baguette day');
  await rename.press('Enter');
  await until(async () => (await panel.locator('.ts-draft__open').allTextContents()).sort(), ['Baguette day', 'Sourdough notes']);

  await button(row('Baguette day'), 'Duplicate draft').click();
  await until(() => panel.locator('.ts-drafts').first().locator('.ts-draft__open').count(), 3);
  await button(row('Baguette day (copy)'), 'Delete draft').click();
  const trash = panel.locator('.ts-trash');
  await until(() => trash.locator('.ts-draft__open').count(), 1);
  await button(trash, 'Restore draft').click();
  await until(() => trash.locator('.ts-draft__open').count(), 0);
  await until(() => panel.locator('.ts-draft__open').count(), 3);
  // The focused Restore button went with its row: the keyboard still works in the dialog.
  await page.keyboard.press('Escape');
  await until(() => panel.count(), 0, 'Escape closes the panel after its focused row went away');

  await page.reload();
  await until(() => page.getByRole('textbox', { name: 'Title', exact: true }).inputValue(), 'Sourdough notes');
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs: the list stays current, and a change to the open draft asks before overwriting', async () => {
  const context = await shared.browser.newContext();
  const { page: first } = await openApp(shared.browser, shared.server.url, { context });
  await first.getByRole('textbox', { name: 'Title', exact: true }).fill('Shared');
  await typeParagraph(first, 'from the first tab');
  await waitSaved(first);

  const { page: second } = await openApp(shared.browser, shared.server.url, { context });
  await until(() => second.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['from the first tab']);
  await button(second, 'Drafts').click();
  await until(() => second.locator('.ts-draft__open').allTextContents(), ['Shared']);
  await second.keyboard.press('Escape');

  await first.getByRole('textbox', { name: 'Paragraph', exact: true }).click();
  await first.keyboard.press('End');
  await first.keyboard.type(' and more');
  await waitSaved(first);
  await second.getByRole('alert').filter({ hasText: 'changed in another tab' }).waitFor();
  await button(second, 'Use the other tab\'s version').click();
  await until(() => second.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['from the first tab and more']);

  // A draft created in the first tab appears in the second tab's open panel.
  await button(second, 'Drafts').click();
  await button(first, 'Drafts').click();
  await second.getByRole('dialog', { name: 'Drafts' }).waitFor();
  await first.getByRole('dialog', { name: 'Drafts' }).waitFor();
  // With both lists open, the tabs stay quiet: neither makes the other re-read and write.
  const heard = () => second.evaluate(() => window.__storageEvents ?? 0);
  await second.evaluate(() => window.addEventListener('storage', () => (window.__storageEvents = (window.__storageEvents ?? 0) + 1)));
  await second.waitForTimeout(1000);
  assert.ok((await heard()) <= 2, `storage events while idle: ${await heard()}`);
  await button(first.getByRole('dialog', { name: 'Drafts' }), 'New draft').click();
  await first.getByRole('textbox', { name: 'Title', exact: true }).fill('Made elsewhere');
  await waitSaved(first);
  await until(async () => (await second.locator('.ts-draft__open').allTextContents()).sort(), ['Made elsewhere', 'Shared'], 'the open panel follows the other tab');
  await context.close();
});

test('a full storage quota: the save fails visibly, nothing stored is damaged, and it retries', async () => {
  const { page, context } = await openApp(shared.browser, shared.server.url);
  await typeParagraph(page, 'kept safe');
  await waitSaved(page);
  const storedBefore = await page.evaluate(() => {
    const index = JSON.parse(localStorage.getItem('tsuzuri:index'));
    return localStorage.getItem(`tsuzuri:draft:${index.current}`);
  });
  // Fill the rest of the quota, as large images would.
  await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 400; i++) {
      try {
        localStorage.setItem(`filler:${i}`, chunk);
      } catch {
        for (let size = 128 * 1024; size >= 16; size = Math.floor(size / 2)) {
          try {
            localStorage.setItem(`filler:tail:${size}`, 'x'.repeat(size));
          } catch {}
        }
        return;
      }
    }
  });
  await page.getByRole('textbox', { name: 'Paragraph', exact: true }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' plus a much longer sentence that no longer fits in the quota');
  await page.getByRole('status').filter({ hasText: 'Not saved: storage is full' }).waitFor({ timeout: 5000 });
  const storedDuring = await page.evaluate(() => {
    const index = JSON.parse(localStorage.getItem('tsuzuri:index'));
    return localStorage.getItem(`tsuzuri:draft:${index.current}`);
  });
  assert.equal(storedDuring, storedBefore, 'the stored draft is untouched');
  // Leaving the draft now would lose the unsaved sentence: a new draft is refused, and says why.
  await button(page, 'Drafts').click();
  const panel = page.getByRole('dialog', { name: 'Drafts' });
  await button(panel, 'New draft').click();
  // Said inside the panel, which stays open.
  await panel.getByRole('alert').filter({ hasText: 'This draft stays open' }).waitFor();
  await page.keyboard.press('Escape');
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['kept safe plus a much longer sentence that no longer fits in the quota']);
  // Space is freed (the author empties the trash or removes images): the retry saves it.
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('filler:')) localStorage.removeItem(key);
  });
  await page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 10000 });
  await page.reload();
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['kept safe plus a much longer sentence that no longer fits in the quota']);
  await context.close();
});

test('storage unavailable: the editor works in memory and says nothing will be kept', async () => {
  const context = await shared.browser.newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('denied', 'SecurityError');
    };
  });
  const { page } = await openApp(shared.browser, shared.server.url, { context });
  await page.getByRole('status').filter({ hasText: 'browser storage is unavailable' }).waitFor();
  await typeParagraph(page, 'still editable');
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['still editable']);
  await context.close();
});

test('an unreadable list of drafts is rebuilt; its copy is offered after reloads until deleted', async () => {
  const context = await shared.browser.newContext();
  const good = JSON.stringify({ version: 1, title: 'Good', blocks: [{ id: 'a', type: 'paragraph', data: { text: [{ text: 'kept text' }] } }] });
  await context.addInitScript((good) => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('tsuzuri:index', '{"version":1,"drafts":[{');
    localStorage.setItem('tsuzuri:draft:good', good);
  }, good);
  const { page } = await openApp(shared.browser, shared.server.url, { context });
  await page.getByRole('alert').filter({ hasText: 'The list of drafts could not be read' }).waitFor();
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['kept text']);
  const download = button(page, 'Download the unreadable draft');
  await until(() => download.count(), 1);
  await page.reload();
  await until(() => download.count(), 1, 'offered again after a reload');
  await button(page, 'Delete the kept copy').click();
  await until(() => download.count(), 0);
  await page.reload();
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['kept text']);
  assert.equal(await download.count(), 0, 'a deleted copy is not offered again');
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes('recovery')));
  assert.deepEqual(keys, []);
  await context.close();
});

test('a draft from a newer version opens read-only and is never overwritten', async () => {
  const context = await shared.browser.newContext();
  const newer = JSON.stringify({ version: 9, title: 'From the future', blocks: [{ id: 'a', type: 'paragraph', data: { text: [{ text: 'hello' }] } }, { id: 'b', type: 'hologram', data: { x: 1 } }] });
  await context.addInitScript((newer) => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('tsuzuri:index', JSON.stringify({ version: 1, current: 'f', drafts: [{ id: 'f', title: 'From the future' }] }));
    localStorage.setItem('tsuzuri:draft:f', newer);
  }, newer);
  const { page } = await openApp(shared.browser, shared.server.url, { context });
  await page.getByRole('status').filter({ hasText: 'Read-only' }).waitFor();
  await page.getByRole('alert').filter({ hasText: 'newer version' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Paragraph', exact: true }).getAttribute('contenteditable'), 'false');
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  assert.equal(await page.evaluate(() => localStorage.getItem('tsuzuri:draft:f')), newer);
  await context.close();
});

test('installable, and offline after one visit: reload, edit, reload again', async () => {
  // Installability needs a profile on disk (an incognito context is never installable).
  const context = await chromium.launchPersistentContext(tempDir(), {
    executablePath: chromiumPath,
    headless: true,
    args: launchArgs,
  });
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10000 });
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, []);

  await typeParagraph(page, 'written online');
  await waitSaved(page);
  await context.setOffline(true);
  await page.reload();
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['written online']);
  await page.getByRole('textbox', { name: 'Paragraph', exact: true }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' and offline');
  await waitSaved(page);
  await page.reload();
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['written online and offline']);
  await context.setOffline(false);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});
