// End-to-end harness: serves the release build (dist/) on 127.0.0.1 and drives Debian's
// Chromium through playwright-core, as a person would. No browser is ever downloaded.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
export const distDir = path.join(root, 'dist');
export const artifactsDir = path.join(root, 'tests', 'e2e', 'artifacts');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves dist/ on an ephemeral port of 127.0.0.1; resolves to { url, close }. Options:
 *  `routes` maps a path to a handler (request, response) for test-only endpoints, and
 *  `swSuffix()` returns text appended to sw.js (a changed worker, as a new release makes), and
 *  `swBody(text)` rewrites sw.js (a release with another build id and other files). */
export function serveDist(options = {}) {
  if (!fs.existsSync(path.join(distDir, 'index.html'))) {
    throw new Error('dist/index.html is missing: build the release first (scripts/test does)');
  }
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const route = options.routes?.[pathname];
    if (route) return void route(request, response);
    if (pathname === '/sw.js' && (options.swSuffix || options.swBody)) {
      let body = fs.readFileSync(path.join(distDir, 'sw.js'), 'utf8');
      if (options.swBody) body = options.swBody(body);
      if (options.swSuffix) body += options.swSuffix();
      response.writeHead(200, { 'content-type': types['.js'], 'cache-control': 'no-cache' });
      return void response.end(body);
    }
    let file = path.normalize(path.join(distDir, pathname));
    if (!file.startsWith(distDir)) {
      response.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this closed network needs (no background connections, no sandbox as root). */
export const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium. */
export async function launch() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs });
}

/** Opens the app in a fresh context and waits until the editor is mounted. */
export async function openApp(browser, url, options = {}) {
  const context = options.context ?? (await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  // The title field, whatever the UI language.
  await page.locator('input.ts-title').waitFor();
  return { context, page, errors };
}

export async function waitSaved(page) {
  await page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 10_000 });
}

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tsuzuri-e2e-'));
}

export async function screenshot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

/** Polls `read` until it deep-equals `expected` (views update asynchronously), then asserts. */
export async function until(read, expected, message, timeout = 3000) {
  const { isDeepStrictEqual } = await import('node:util');
  const deadline = Date.now() + timeout;
  let actual = await read();
  while (!isDeepStrictEqual(actual, expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    actual = await read();
  }
  const assert = (await import('node:assert/strict')).default;
  assert.deepEqual(actual, expected, message);
}

/** Opens the app on a stored draft (and speaker registry) from tests/fixtures/. */
export async function openWithDraft(browser, url, fixture, options = {}) {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const data = JSON.parse(fs.readFileSync(path.join(root, 'tests', 'fixtures', fixture), 'utf8'));
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
  });
  await context.addInitScript((data) => {
    // Only the app's own page: the export preview is a sandboxed frame without storage.
    if (window.top !== window) return;
    if (localStorage.getItem('tsuzuri:index')) return;
    localStorage.setItem('tsuzuri:index', JSON.stringify({ version: 1, current: 'fixture', drafts: [{ id: 'fixture', title: data.document.title, updated_ms: 0, chars: 0 }] }));
    localStorage.setItem('tsuzuri:draft:fixture', JSON.stringify(data.document));
    localStorage.setItem('tsuzuri:speakers', JSON.stringify(data.speakers));
  }, data);
  return openApp(browser, url, { context });
}

/** Registers the usual before/after hooks: one server and one browser for a test file. */
export function useServerAndBrowser(hooks, options = {}) {
  const shared = {};
  hooks.before(async () => {
    shared.server = await serveDist(options);
    shared.browser = await launch();
  });
  hooks.after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}

/** A control of the block at `index`: blocks show their controls when hovered or focused, so
 *  the pointer goes there first, as a person's would. */
export async function blockButton(page, index, name) {
  const block = page.locator('.ts-blocks .ts-block').nth(index);
  await block.hover();
  return block.getByRole('button', { name, exact: true });
}

/** Pastes into the focused element as the browser would, with HTML and/or plain text. */
export async function paste(page, { html = '', text = '' }) {
  await page.evaluate(
    ([html, text]) => {
      const data = new DataTransfer();
      if (html) data.setData('text/html', html);
      data.setData('text/plain', text);
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    [html, text],
  );
}
