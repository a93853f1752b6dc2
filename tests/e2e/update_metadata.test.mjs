// A new release: the app offers "Reload to update" and nothing unsaved is lost. And link cards
// fill their empty fields from a metadata service when (and only when) the author set one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openApp, until } from './harness.mjs';

let release = 1;
const requests = [];
let server;
let browser;
before(async () => {
  server = await serveDist({
    swSuffix: () => `\n// release ${release}\n`,
    routes: {
      '/ogp': (request, response) => {
        const page = new URL(request.url, 'http://x').searchParams.get('url');
        requests.push(page);
        if (page.includes('broken')) return void response.writeHead(500).end('no');
        response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        response.end(JSON.stringify({ title: 'Fetched title', description: 'Fetched description', site_name: 'Fetched site' }));
      },
    },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const button = (scope, name) => scope.getByRole('button', { name, exact: true });

test('a new version is offered as "Reload to update" and the unsaved text survives it', async () => {
  const context = await browser.newContext();
  const { page } = await openApp(browser, server.url, { context });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10000 });
  await button(page, 'Add paragraph').click();
  await page.keyboard.type('typed just before the update');
  release = 2;
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  const reload = button(page, 'Reload to update');
  await reload.waitFor({ timeout: 15000 });
  await Promise.all([page.waitForEvent('load'), reload.click()]);
  await page.locator('input.ts-title').waitFor();
  await until(() => page.getByRole('textbox', { name: 'Paragraph', exact: true }).allTextContents(), ['typed just before the update']);
  await context.close();
});

test('link card metadata: nothing is requested by default; with an endpoint, empty fields fill', async () => {
  const { page, context } = await openApp(browser, server.url);
  const addCard = async (url) => {
    await button(page, 'Add paragraph').click();
    await page.keyboard.type(url);
    await page.keyboard.press('Enter');
  };
  await addCard('https://example.org/first');
  const urls = page.getByRole('textbox', { name: 'URL', exact: true });
  await until(() => urls.count(), 1, 'a URL typed alone becomes a card');
  await page.waitForTimeout(300);
  assert.deepEqual(requests, [], 'no endpoint set: nothing leaves the browser');

  await button(page, 'Settings').click();
  const endpoint = page.getByRole('textbox', { name: 'Link card metadata endpoint', exact: true });
  await endpoint.fill(`${server.url}ogp?url={url}`);
  await endpoint.press('Tab');
  await page.keyboard.press('Escape');

  await addCard('https://example.org/second');
  await until(() => page.getByRole('textbox', { name: 'Card title', exact: true }).nth(1).inputValue(), 'Fetched title');
  assert.equal(await page.getByRole('textbox', { name: 'Site name', exact: true }).nth(1).inputValue(), 'Fetched site');
  assert.deepEqual(requests, ['https://example.org/second']);

  await addCard('https://example.org/broken');
  await page.getByRole('alert').filter({ hasText: 'error 500' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Card title', exact: true }).nth(2).inputValue(), '');
  await context.close();
});
