// What a person sees: a post with bubbles on both sides, cards, lists and code, at desktop and
// phone widths. Screenshots land in tests/e2e/artifacts/ to be looked at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openWithDraft, screenshot, until } from './harness.mjs';

const shared = useServerAndBrowser({ before, after });

for (const [label, viewport] of [['1280', { width: 1280, height: 900 }], ['375', { width: 375, height: 812 }]]) {
  test(`a post with bubbles and cards renders at ${label} px`, async () => {
    const { page, context, errors } = await openWithDraft(shared.browser, shared.server.url, 'sample-post.json', { viewport });
    await until(() => page.locator('.ts-bubble').count(), 3);
    await until(() => page.locator('.ts-card').count(), 2);
    const sides = await page.locator('.ts-bubble').evaluateAll((all) => all.map((b) => b.classList.contains('ts-bubble--right')));
    assert.deepEqual(sides, [false, true, false]);
    // Nothing overflows the page sideways on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
    await screenshot(page, `post-${label}`);
    // Favicons cannot load on this closed network; nothing else may fail.
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
    await context.close();
  });
}
