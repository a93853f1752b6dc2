// After an update, a tab still open on the build before keeps working: the dialogs it had not
// loaded yet come from that build's cache, though the server and the new build no longer have
// them (their names are hashed per build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, openApp, distDir } from './harness.mjs';

const dialogsScript = /content="?\.\/(dialogs-[0-9a-f]+\.js)/.exec(fs.readFileSync(path.join(distDir, 'index.html'), 'utf8'))?.[1];
const dialogsModule = dialogsScript?.replace(/\.js$/, '_bg.wasm');

let release = 1;
const served = [];
let server;
let browser;
before(async () => {
  assert.ok(dialogsScript, 'index.html names the dialogs module');
  // The build's dialogs files exist on the server only for release 1.
  const dialogsFile = (name) => (request, response) => {
    served.push(`${release}:${name}`);
    if (release !== 1) return void response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'application/wasm', 'cache-control': 'no-cache' });
    fs.createReadStream(path.join(distDir, name)).pipe(response);
  };
  server = await serveDist({
    // Release 2 is another build: another cache, and a file list without release 1's dialogs.
    swBody: (body) =>
      release === 1
        ? body
        : body.replace(/const BUILD_ID = '([^']*)'/, "const BUILD_ID = '$1-release2'").replaceAll(/'\.\/dialogs-[0-9a-f]+(_bg\.wasm|\.js)', /g, ''),
    routes: { [`/${dialogsScript}`]: dialogsFile(dialogsScript), [`/${dialogsModule}`]: dialogsFile(dialogsModule) },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('a tab left on the build before an update still opens a dialog it never loaded', async () => {
  const context = await browser.newContext();
  const { page: oldTab } = await openApp(browser, server.url, { context });
  await oldTab.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10000 });
  assert.deepEqual([...new Set(served)].sort(), [`1:${dialogsScript}`, `1:${dialogsModule}`].sort(), 'release 1 precached its dialogs');

  // Release 2 comes out; the author takes it in another tab.
  release = 2;
  const newTab = await context.newPage();
  await newTab.goto(server.url);
  await newTab.locator('input.ts-title').waitFor();
  await newTab.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  const reload = newTab.getByRole('button', { name: 'Reload to update', exact: true });
  await reload.waitFor({ timeout: 15000 });
  await Promise.all([newTab.waitForEvent('load'), reload.click()]);
  await newTab.locator('input.ts-title').waitFor();
  await newTab.waitForFunction(async () => (await caches.keys()).some((key) => key.endsWith('-release2')), null, { timeout: 10000 });

  // The old tab, now served by release 2's worker, opens Settings for the first time.
  await oldTab.getByRole('button', { name: 'Settings', exact: true }).click();
  await oldTab.getByRole('dialog', { name: 'Settings' }).waitFor({ timeout: 10000 });
  assert.deepEqual(served.filter((entry) => entry.startsWith('2:')), [], 'nothing of the dialogs fetched from the server after the update');
  await context.close();
});
