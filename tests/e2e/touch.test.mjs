// A phone at 375 px, driven by touch: insert, format, reorder and export are all reachable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openApp, until, screenshot } from './harness.mjs';

const shared = useServerAndBrowser({ before, after });

test('at 375 px by touch: insert blocks, format a word, reorder, export', async () => {
  const context = await shared.browser.newContext({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });
  const { page, errors } = await openApp(shared.browser, shared.server.url, { context });
  const tap = (name, role = 'button') => page.getByRole(role, { name, exact: true });
  await tap('Add paragraph').tap();
  await page.keyboard.type('second');
  await tap('Add paragraph').tap();
  await page.keyboard.type('first');

  // Insert through the + menu, choosing by tap.
  await tap('Insert block').last().tap();
  await page.getByRole('listbox', { name: 'Blocks' }).getByRole('option', { name: 'Heading', exact: true }).tap();
  await page.keyboard.type('Title');
  await until(() => page.getByRole('textbox', { name: 'Heading', exact: true }).allTextContents(), ['Title']);

  // Format: select a word, then tap Bold in the floating toolbar.
  const paragraph = page.getByRole('textbox', { name: 'Paragraph', exact: true }).first();
  await paragraph.tap();
  await page.keyboard.press('End');
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Bold', exact: true }).tap();
  await until(() => paragraph.locator('strong').textContent(), 'second');

  // Reorder with the block's own buttons.
  const paragraphs = page.getByRole('textbox', { name: 'Paragraph', exact: true });
  await paragraphs.nth(1).tap();
  // The tapped block shows its controls.
  await page.locator('.ts-blocks .ts-block').nth(1).getByRole('button', { name: 'Move block up', exact: true }).tap();
  await until(() => paragraphs.allTextContents(), ['first', 'second']);

  // Export, and the controls fit the screen.
  await tap('Export').tap();
  const output = page.getByRole('textbox', { name: 'Export output', exact: true });
  await until(async () => (await output.inputValue()).includes('<strong'), true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
  await screenshot(page, 'touch-export-375');
  assert.deepEqual(errors, []);
  await context.close();
});
