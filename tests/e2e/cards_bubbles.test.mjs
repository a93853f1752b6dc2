// Link cards and speech bubbles: a speaker registry with faces from local files, bubbles on
// both sides that follow a renamed speaker, cards with full and minimal fields, and a bare URL
// pasted into an empty paragraph. Everything survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { useServerAndBrowser, openApp, screenshot, until, waitSaved } from './harness.mjs';

const shared = useServerAndBrowser({ before, after });

/** A solid-colour PNG of the given size, made here so the test needs no fixture files. */
function png(size, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([r, g, b]))]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const button = (page, name) => page.getByRole('button', { name, exact: true });

async function insertViaSlash(page, query) {
  await button(page, 'Add paragraph').click();
  await page.keyboard.type('/');
  await page.getByRole('listbox', { name: 'Blocks' }).waitFor();
  await page.keyboard.type(query);
  await page.keyboard.press('Enter');
}

test('speakers, bubbles on both sides, renaming, and a reload', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  await button(page, 'Speakers').click();
  const dialog = page.getByRole('dialog', { name: 'Speakers' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Add speaker', exact: true }).click();
  const name = dialog.getByRole('textbox', { name: 'Speaker name', exact: true });
  await name.fill('ミナ');
  await name.press('Enter');
  await dialog.getByRole('textbox', { name: 'Expression label', exact: true }).first().fill('normal');
  await dialog.getByRole('textbox', { name: 'Expression label', exact: true }).first().press('Enter');
  // A face from a local file: downscaled to at most 160 px and kept inline.
  await dialog.locator('input[type=file][data-expression="0"]').setInputFiles({ name: 'mina.png', mimeType: 'image/png', buffer: png(400, [230, 140, 90]) });
  await dialog.getByRole('button', { name: 'Add expression', exact: true }).click();
  const labels = dialog.getByRole('textbox', { name: 'Expression label', exact: true });
  await until(() => labels.count(), 2);
  await labels.nth(1).fill('smile');
  await labels.nth(1).press('Enter');
  await dialog.locator('input[type=file][data-expression="1"]').setInputFiles({ name: 'mina-smile.png', mimeType: 'image/png', buffer: png(300, [120, 180, 90]) });
  await until(() => dialog.locator('.ts-expression img').count(), 2);
  const faceWidth = await dialog.locator('.ts-expression img').first().evaluate((img) => img.naturalWidth);
  assert.ok(faceWidth <= 160, `face downscaled to ${faceWidth}px`);
  // A second speaker who sits on the right by default.
  await dialog.getByRole('button', { name: 'Add speaker', exact: true }).click();
  await until(() => name.count(), 2);
  await name.nth(1).fill('Ken');
  await name.nth(1).press('Enter');
  await dialog.getByRole('combobox', { name: 'Default side', exact: true }).nth(1).selectOption('right');
  await dialog.getByRole('combobox', { name: 'Border colour', exact: true }).nth(1).selectOption('blue');
  await page.keyboard.press('Escape');
  await until(() => dialog.count(), 0);

  await insertViaSlash(page, '吹き出し');
  const texts = page.getByRole('textbox', { name: 'Bubble text', exact: true });
  await until(() => texts.count(), 1);
  await page.keyboard.type('こんにちは、ミナです。');
  await page.getByRole('combobox', { name: 'Expression', exact: true }).first().selectOption('smile');

  await insertViaSlash(page, 'bubble');
  await until(() => texts.count(), 2);
  await page.getByRole('combobox', { name: 'Speaker', exact: true }).nth(1).selectOption({ label: 'Ken' });
  await texts.nth(1).click();
  await page.keyboard.type('酵母って、どれくらいで完成するの？');

  await insertViaSlash(page, 'bubble');
  await until(() => texts.count(), 3);
  await texts.nth(2).click();
  await page.keyboard.type('だいたい一週間です( ﾟдﾟ)');
  await button(page, 'Switch side').nth(2).click();

  const bubbles = page.locator('.ts-bubble');
  await until(() => bubbles.evaluateAll((all) => all.map((b) => b.classList.contains('ts-bubble--right'))), [false, true, true]);
  await until(() => page.locator('.ts-bubble__name').allTextContents(), ['ミナ', 'Ken', 'ミナ']);
  const faces = await page.locator('.ts-bubble .ts-face__img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src').slice(0, 22)));
  assert.deepEqual(faces.map((src) => src.startsWith('data:image/')), [true, true]);

  // Renaming the speaker updates every bubble that shows her.
  await button(page, 'Speakers').click();
  await dialog.getByRole('textbox', { name: 'Speaker name', exact: true }).first().fill('パン屋のミナ');
  await dialog.getByRole('textbox', { name: 'Speaker name', exact: true }).first().press('Enter');
  await page.keyboard.press('Escape');
  await until(() => page.locator('.ts-bubble__name').allTextContents(), ['パン屋のミナ', 'Ken', 'パン屋のミナ']);

  await waitSaved(page);
  await page.reload();
  await texts.first().waitFor();
  await until(() => texts.allTextContents(), ['こんにちは、ミナです。', '酵母って、どれくらいで完成するの？', 'だいたい一週間です( ﾟдﾟ)']);
  await until(() => page.locator('.ts-bubble__name').allTextContents(), ['パン屋のミナ', 'Ken', 'パン屋のミナ']);
  await until(() => bubbles.evaluateAll((all) => all.map((b) => b.classList.contains('ts-bubble--right'))), [false, true, true]);
  assert.equal(await page.getByRole('combobox', { name: 'Expression', exact: true }).first().inputValue(), 'smile');

  // Deleting a speaker that bubbles use asks first; the bubbles keep their name and face.
  await button(page, 'Speakers').click();
  let asked = '';
  page.once('dialog', async (question) => {
    asked = question.message();
    await question.accept();
  });
  await dialog.getByRole('button', { name: 'Delete speaker', exact: true }).nth(1).click();
  await until(() => dialog.getByRole('textbox', { name: 'Speaker name', exact: true }).count(), 1);
  assert.match(asked, /Delete anyway/);
  await page.keyboard.press('Escape');
  await until(() => page.locator('.ts-bubble__name').allTextContents(), ['パン屋のミナ', 'Ken', 'パン屋のミナ']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('link cards with full and minimal fields, URL validation, and a pasted bare URL', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  await insertViaSlash(page, 'リンクカード');
  const url = page.getByRole('textbox', { name: 'URL', exact: true });
  await until(() => url.count(), 1);
  await url.first().fill('javascript:alert(1)');
  await page.getByRole('alert').filter({ hasText: 'not allowed' }).waitFor();
  await url.first().fill('https://example.org/blog/sourdough-starter-guide/');
  await until(() => page.getByRole('alert').count(), 0);
  await page.getByRole('textbox', { name: 'Card title', exact: true }).fill('【保存版】酵母の起こし方ガイド');
  await page.getByRole('textbox', { name: 'Card description', exact: true }).fill('はじめてでも失敗しない酵母づくりの手順を、写真つきで解説します…');
  await page.getByRole('textbox', { name: 'Image URL', exact: true }).fill('https://example.org/broken-image.png');
  await page.getByRole('textbox', { name: 'Site name', exact: true }).fill('パンの学校');
  const cards = page.locator('.ts-card');
  await until(() => cards.first().locator('.ts-card__title').textContent(), '【保存版】酵母の起こし方ガイド');
  await until(() => cards.first().locator('.ts-card__site').textContent(), 'パンの学校');
  // The image cannot load here: the card degrades to one without a thumbnail.
  await until(() => cards.first().locator('.ts-card__thumb').count(), 0);

  await insertViaSlash(page, 'link card');
  await until(() => url.count(), 2);
  await url.nth(1).fill('https://blog.example.com/post/1');
  await until(() => cards.nth(1).locator('.ts-card__title').textContent(), 'blog.example.com');

  // A bare URL pasted into an empty paragraph becomes a card; one undo restores the link.
  await button(page, 'Add paragraph').click();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'https://example.net/article');
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await until(() => url.count(), 3);
  assert.equal(await url.nth(2).inputValue(), 'https://example.net/article');
  await button(page, 'Undo').click();
  await until(() => url.count(), 2);
  const paragraph = page.getByRole('textbox', { name: 'Paragraph', exact: true }).last();
  await until(() => paragraph.locator('a').getAttribute('href'), 'https://example.net/article');

  await waitSaved(page);
  await page.reload();
  await until(() => page.locator('.ts-card__title').allTextContents(), ['【保存版】酵母の起こし方ガイド', 'blog.example.com']);
  await screenshot(page, 'cards');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('an image chosen from a file is downscaled into the block and kept', async () => {
  const { page, context, errors } = await openApp(shared.browser, shared.server.url);
  await insertViaSlash(page, 'Image');
  // The styled button stands for the hidden input: choosing through the picker it opens.
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    button(page, 'Choose image file').click(),
  ]);
  await chooser.setFiles({ name: 'loaf.png', mimeType: 'image/png', buffer: png(2400, [200, 150, 90]) });
  const address = page.getByRole('textbox', { name: 'Image address', exact: true });
  await until(async () => (await address.inputValue()).startsWith('data:image/'), true);
  const width = await page.locator('.ts-image__preview').evaluate((img) => new Promise((resolve) => {
    if (img.complete) resolve(img.naturalWidth);
    else img.onload = () => resolve(img.naturalWidth);
  }));
  assert.equal(width, 1600);
  await waitSaved(page);
  await page.reload();
  await until(async () => (await page.getByRole('textbox', { name: 'Image address', exact: true }).inputValue()).startsWith('data:image/'), true);
  assert.deepEqual(errors, []);
  await context.close();
});
