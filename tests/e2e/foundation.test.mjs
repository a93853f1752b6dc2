// The first slice: add paragraphs, type English and Japanese (with IME composition), autosave,
// reload, and find the same text. Controls are found by role and accessible name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, blockButton, openApp, waitSaved, screenshot, until } from './harness.mjs';

const shared = useServerAndBrowser({ before, after });

/** Opens the app on a stored draft of `count` paragraphs (stored once: a reload keeps edits). */
async function openLongPost(id, count, text) {
  const blocks = Array.from({ length: count }, (_, i) => ({ id: `${id}${i}`, type: 'paragraph', data: { text: [{ text: text(i) }] } }));
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(([id, doc]) => {
    if (localStorage.getItem('tsuzuri:index')) return;
    localStorage.setItem('tsuzuri:index', JSON.stringify({ version: 1, current: id, drafts: [{ id, title: doc.title }] }));
    localStorage.setItem(`tsuzuri:draft:${id}`, JSON.stringify(doc));
  }, [id, { version: 1, title: id, blocks }]);
  return openApp(shared.browser, shared.server.url, { context });
}

/** Types through a real IME composition: preedit updates, Enter pressed while composing, commit. */
async function composeJapanese(page, steps, committed) {
  const cdp = await page.context().newCDPSession(page);
  for (const preedit of steps) {
    await cdp.send('Input.imeSetComposition', {
      text: preedit,
      selectionStart: preedit.length,
      selectionEnd: preedit.length,
    });
  }
  // Enter during composition belongs to the IME: it must not split the block.
  await cdp.send('Input.dispatchKeyEvent', {
    type: 'rawKeyDown',
    key: 'Enter',
    code: 'Enter',
    windowsVirtualKeyCode: 229,
    nativeVirtualKeyCode: 229,
  });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
  await cdp.send('Input.insertText', { text: committed });
  await cdp.detach();
}

test('first start opens an empty draft with the fixed accessible names', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  await assert.doesNotReject(page.getByRole('button', { name: 'Add paragraph', exact: true }).waitFor());
  assert.equal(await page.getByRole('textbox', { name: 'Paragraph', exact: true }).count(), 0);
  assert.equal(await page.getByRole('status').textContent(), 'Saved');
  assert.deepEqual(errors, []);
  await context.close();
});

test('paragraphs typed in English and Japanese survive a reload', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('週末のパン');

  await page.getByRole('button', { name: 'Add paragraph', exact: true }).click();
  const first = page.getByRole('textbox', { name: 'Paragraph', exact: true }).nth(0);
  await first.click();
  await page.keyboard.type('Hello, world.');

  await page.getByRole('button', { name: 'Add paragraph', exact: true }).click();
  const second = page.getByRole('textbox', { name: 'Paragraph', exact: true }).nth(1);
  await second.click();
  await page.keyboard.type('Bread ');
  await composeJapanese(page, ['p', 'ぱ', 'ぱん', 'パン'], 'パン');
  await page.keyboard.type(' is good');

  assert.equal(await page.getByRole('textbox', { name: 'Paragraph', exact: true }).count(), 2, 'Enter while composing must not split');
  assert.equal(await second.textContent(), 'Bread パン is good');
  await waitSaved(page);
  await screenshot(page, 'foundation-typed');

  await page.reload();
  await page.getByRole('textbox', { name: 'Title', exact: true }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Title', exact: true }).inputValue(), '週末のパン');
  const paragraphs = page.getByRole('textbox', { name: 'Paragraph', exact: true });
  assert.equal(await paragraphs.count(), 2);
  assert.equal(await paragraphs.nth(0).textContent(), 'Hello, world.');
  assert.equal(await paragraphs.nth(1).textContent(), 'Bread パン is good');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a block can be deleted, and the deletion is saved', async () => {
  const { page, context } = await openApp(shared.browser, shared.server.url);
  await page.getByRole('button', { name: 'Add paragraph', exact: true }).click();
  await page.keyboard.type('keep me');
  await page.getByRole('button', { name: 'Add paragraph', exact: true }).click();
  await page.keyboard.type('delete me');
  await (await blockButton(page, 1, 'Delete block')).click();
  await waitSaved(page);
  await page.reload();
  const paragraphs = page.getByRole('textbox', { name: 'Paragraph', exact: true });
  await paragraphs.first().waitFor();
  assert.equal(await paragraphs.count(), 1);
  assert.equal(await paragraphs.first().textContent(), 'keep me');
  await context.close();
});

test('the save indicator reads Saving… while a save is pending and is flushed on page hide', async () => {
  const { page, context } = await openApp(shared.browser, shared.server.url);
  await page.getByRole('button', { name: 'Add paragraph', exact: true }).click();
  await page.keyboard.type('quick');
  assert.equal(await page.getByRole('status').textContent(), 'Saving…');
  // Hiding the page flushes at once, without waiting for the debounce.
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  const stored = await page.evaluate(() => {
    const index = JSON.parse(localStorage.getItem('tsuzuri:index'));
    return localStorage.getItem(`tsuzuri:draft:${index.current}`);
  });
  assert.match(stored, /"quick"/);
  assert.equal(await page.getByRole('status').textContent(), 'Saved');
  await context.close();
});

test('a long post can be typed in at once, is built whole in slices, and keeps what was typed at both ends', async () => {
  const { page, errors, context } = await openLongPost('long', 600, (i) => `段落 ${i}`);
  // The first screen is there to type in while the rest is still being built.
  const first = page.getByRole('textbox', { name: 'Paragraph' }).first();
  await first.click();
  await page.keyboard.press('End');
  await page.keyboard.type('!');
  // A block added while the rest is being built takes nothing out of what is built.
  await page.keyboard.press('Enter');
  await page.keyboard.type('new');
  const all = page.locator('.ts-blocks .ts-block');
  await until(() => all.count(), 601);
  assert.equal(await first.textContent(), '段落 0!');
  assert.equal(await page.getByRole('textbox', { name: 'Paragraph' }).nth(1).textContent(), 'new');
  const last = page.getByRole('textbox', { name: 'Paragraph' }).last();
  await last.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' end');
  await waitSaved(page);
  await page.reload();
  await until(() => page.locator('.ts-blocks .ts-block').count(), 601);
  assert.equal(await page.getByRole('textbox', { name: 'Paragraph' }).first().textContent(), '段落 0!');
  assert.equal(await page.getByRole('textbox', { name: 'Paragraph' }).last().textContent(), '段落 599 end');
  assert.deepEqual(errors, []);
  await context.close();
});

test('in a long post, blocks move across the groups the list is built in, keep focus, and stay in order after a reload', async () => {
  const { page, errors, context } = await openLongPost('groups', 120, (i) => `p${i}`);
  const paragraphs = page.getByRole('textbox', { name: 'Paragraph' });
  await until(() => paragraphs.count(), 120);
  const texts = () => paragraphs.evaluateAll((all) => all.map((p) => p.textContent));
  // The list is built in groups; move the block that opens the second group up out of it
  // and back down past its old neighbour.
  const groups = page.locator('.ts-group');
  assert.ok((await groups.count()) >= 2);
  const k = Number((await groups.nth(1).getByRole('textbox', { name: 'Paragraph' }).first().textContent()).slice(1));
  const p = (n) => `p${n}`;
  await paragraphs.nth(k).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Alt+Shift+ArrowUp');
  await page.keyboard.type('!');
  await until(async () => (await texts()).slice(k - 2, k + 2), [p(k - 2), `p${k}!`, p(k - 1), p(k + 1)], 'moved up into the first group, focus kept');
  await page.keyboard.press('Alt+Shift+ArrowDown');
  await page.keyboard.press('Alt+Shift+ArrowDown');
  await page.keyboard.type('?');
  await until(async () => (await texts()).slice(k - 2, k + 2), [p(k - 2), p(k - 1), p(k + 1), `p${k}!?`], 'moved down into the second group, focus kept');
  // New blocks typed in one place grow its group past its limit (100): it splits, and the
  // caret stays in the block being typed.
  const sizes = () => groups.evaluateAll((all) => all.map((g) => g.querySelectorAll('.ts-block').length));
  const groupsBefore = (await sizes()).length;
  await paragraphs.nth(5).click();
  await page.keyboard.press('End');
  for (let i = 0; i < 75; i++) {
    await page.keyboard.press('Enter');
    await page.keyboard.type(`n${i}`);
  }
  await until(async () => (await texts()).slice(5, 8), ['p5', 'n0', 'n1']);
  await until(async () => (await texts()).slice(79, 82), ['n73', 'n74', 'p6'], 'every new block was typed into');
  assert.ok((await sizes()).length > groupsBefore, 'the grown group was split');
  assert.ok((await sizes()).every((size) => size <= 100));
  const expected = await texts();
  assert.equal(expected.length, 195);
  await waitSaved(page);
  await page.reload();
  await until(() => paragraphs.count(), 195);
  assert.deepEqual(await texts(), expected);
  assert.deepEqual(errors, []);
  await context.close();
});
