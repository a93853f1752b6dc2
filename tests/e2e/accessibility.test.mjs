// Accessibility: axe-core finds no violations on the main screen (bubbles and cards present),
// with the slash menu open, and in every dialog, in both languages and both colour schemes.
// Also: the language follows the browser on first start and can be switched in Settings, and
// the Japanese UI has its own names while the English names stay exact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useServerAndBrowser, openWithDraft, screenshot, until } from './harness.mjs';

const axePath = path.resolve(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname);

const shared = useServerAndBrowser({ before, after });

async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: axePath });
  }
  const result = await page.evaluate(async () => {
    const outcome = await window.axe.run(document, { resultTypes: ['violations'] });
    return outcome.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return result;
}

const names = {
  en: { drafts: 'Drafts', speakers: 'Speakers', settings: 'Settings', export: 'Export', import: 'Import', close: 'Close', add: 'Add paragraph' },
  ja: { drafts: '下書き', speakers: '話し手', settings: '設定', export: '書き出し', import: '読み込み', close: '閉じる', add: '段落を追加' },
};

for (const locale of ['en', 'ja']) {
  for (const colorScheme of ['light', 'dark']) {
    test(`no axe violations: ${locale}, ${colorScheme}`, async () => {
      const { page, context } = await openWithDraft(shared.browser, shared.server.url, 'sample-post.json', {
        locale: locale === 'ja' ? 'ja-JP' : 'en-US',
        colorScheme,
      });
      const n = names[locale];
      await until(() => page.locator('.ts-bubble').count(), 3);
      await until(() => page.locator('html').getAttribute('lang'), locale);
      assert.deepEqual(await violations(page), [], 'main screen');

      await page.getByRole('button', { name: n.add, exact: true }).click();
      await page.keyboard.type('/');
      await page.getByRole('listbox').waitFor();
      assert.deepEqual(await violations(page), [], 'slash menu');
      await page.keyboard.press('Escape');

      for (const dialog of ['drafts', 'speakers', 'settings', 'export', 'import']) {
        await page.getByRole('button', { name: n[dialog], exact: true }).click();
        await page.getByRole('dialog').waitFor();
        assert.deepEqual(await violations(page), [], `${dialog} dialog`);
        await page.keyboard.press('Escape');
        await until(() => page.getByRole('dialog').count(), 0);
      }
      await screenshot(page, `a11y-${locale}-${colorScheme}`);
      await context.close();
    });
  }
}

test('language: from the browser first, then the Settings choice, which is kept', async () => {
  const { page, context } = await openWithDraft(shared.browser, shared.server.url, 'sample-post.json', { locale: 'ja-JP' });
  await page.getByRole('button', { name: '段落を追加', exact: true }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'タイトル', exact: true }).count(), 1);
  await page.getByRole('button', { name: '設定', exact: true }).click();
  const language = page.getByRole('combobox', { name: '言語', exact: true });
  await language.waitFor();
  assert.deepEqual(await language.locator('option').allTextContents(), ['日本語', 'English']);
  await language.selectOption({ label: 'English' });
  await page.getByRole('combobox', { name: 'Language', exact: true }).waitFor();
  const theme = page.getByRole('combobox', { name: 'Theme', exact: true });
  assert.deepEqual(await theme.locator('option').allTextContents(), ['System', 'Light', 'Dark']);
  await theme.selectOption({ label: 'Dark' });
  await until(() => page.locator('html').getAttribute('data-theme'), 'dark');
  await page.keyboard.press('Escape');
  await page.reload();
  await page.getByRole('button', { name: 'Add paragraph', exact: true }).waitFor();
  await until(() => page.locator('html').getAttribute('data-theme'), 'dark');
  await context.close();
});

test('dialogs trap focus, close on Escape, and give focus back', async () => {
  const { page, context } = await openWithDraft(shared.browser, shared.server.url, 'sample-post.json');
  const opener = page.getByRole('button', { name: 'Settings', exact: true });
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus stays in the dialog');
  }
  await page.keyboard.press('Escape');
  await until(() => dialog.count(), 0);
  await until(() => page.evaluate(() => document.activeElement?.textContent), 'Settings');
  await context.close();
});

test('toolbars move focus with the arrow keys', async () => {
  const { page, context } = await openWithDraft(shared.browser, shared.server.url, 'sample-post.json');
  const toolbar = page.getByRole('toolbar', { name: 'Editor' });
  await toolbar.getByRole('button', { name: 'Export', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await until(() => page.evaluate(() => document.activeElement?.textContent), 'Import');
  await page.keyboard.press('End');
  await until(() => page.evaluate(() => document.activeElement?.textContent), 'Settings');
  // Undo and Redo are disabled with no history, so the first enabled button is Drafts.
  await page.keyboard.press('ArrowRight');
  await until(() => page.evaluate(() => document.activeElement?.textContent), 'Drafts');
  await page.keyboard.press('ArrowLeft');
  await until(() => page.evaluate(() => document.activeElement?.textContent), 'Settings');
  await context.close();
});

test('the status bar counts characters, words and reading time', async () => {
  const { page, context } = await openWithDraft(shared.browser, shared.server.url, 'sample-post.json');
  const bar = page.getByRole('contentinfo');
  // The post is counted just after it is shown.
  await until(async () => /[1-9]\d* characters/.test(await bar.textContent()), true);
  const read = async () => {
    const text = await bar.textContent();
    return [Number(text.match(/(\d+) characters/)[1]), Number(text.match(/(\d+) words/)[1])];
  };
  const [characters, words] = await read();
  await page.getByRole('button', { name: 'Add paragraph', exact: true }).click();
  await page.keyboard.type('あいう abc');
  await until(read, [characters + 6, words + 1]);
  assert.match(await bar.textContent(), /\d+ min read/);
  await context.close();
});
