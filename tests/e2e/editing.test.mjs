// Rich editing as an author does it: split and merge, the slash and + menus, Markdown
// shortcuts, the formatting toolbar and shortcuts, reordering by keyboard and drag, undo/redo of
// every operation, paste, and IME composition. Controls are found by role and accessible name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openApp, screenshot, until, blockButton, paste } from './harness.mjs';

const shared = useServerAndBrowser({ before, after });

const paragraphs = (page) => page.getByRole('textbox', { name: 'Paragraph', exact: true });
const button = (page, name) => page.getByRole('button', { name, exact: true });

async function fresh() {
  const opened = await openApp(shared.browser, shared.server.url);
  await button(opened.page, 'Add paragraph').click();
  return opened;
}

async function texts(page, name = 'Paragraph') {
  // innerText, so a line break reads as a newline.
  const boxes = await page.getByRole('textbox', { name, exact: true }).allInnerTexts();
  return boxes.map((text) => text.replace(/\n$/, ''));
}

/** Kinds of blocks in order, read from each block's editable parts. */
async function blockSummary(page) {
  return page.locator('.ts-blocks .ts-block').evaluateAll((blocks) =>
    blocks.map((block) => {
      const box = block.querySelector('[role=textbox]');
      const kind = box?.getAttribute('aria-label') ?? (block.querySelector('hr') ? 'Divider' : block.querySelector('figure') ? 'Image' : '?');
      return `${kind}:${box?.textContent ?? ''}`;
    }),
  );
}

test('Enter splits at the caret, Backspace merges, and both undo and redo', async () => {
  const { page, context, errors } = await fresh();
  await page.keyboard.type('HelloWorld');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await until(() => texts(page), ['Hello', 'World']);
  await page.keyboard.type('Big ');
  await until(() => texts(page), ['Hello', 'Big World']);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Backspace');
  await until(() => texts(page), ['HelloBig World']);
  await page.keyboard.type('-');
  await until(() => texts(page), ['Hello-Big World'], 'the caret stays at the join');

  await button(page, 'Undo').click();
  await button(page, 'Undo').click();
  await until(() => texts(page), ['Hello', 'Big World']);
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['Hello', 'World']);
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['HelloWorld']);
  await page.keyboard.press('Control+Shift+z');
  await until(() => texts(page), ['Hello', 'World']);
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+y');
  await until(() => texts(page), ['HelloBig World']);
  await button(page, 'Redo').click();
  await until(() => texts(page), ['Hello-Big World']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Delete at the end pulls the next block in; arrows move between blocks', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('one');
  await page.keyboard.press('Enter');
  await page.keyboard.type('two');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await page.keyboard.press('Delete');
  await until(() => texts(page), ['onetwo']);
  await context.close();
});

test('the slash menu filters by English and Japanese names and is driven by keys', async () => {
  const { page, context, errors } = await fresh();
  await page.keyboard.type('/');
  const menu = page.getByRole('listbox', { name: 'Blocks' });
  await menu.waitFor();
  for (const name of ['Paragraph', 'Heading', 'List', 'Numbered list', 'Quote', 'Divider', 'Image', 'Code', 'Link card', 'Speaker bubble']) {
    assert.equal(await menu.getByRole('option', { name, exact: true }).count(), 1, `option ${name}`);
  }
  // The focused text points assistive technology at the menu and its active option.
  const text = page.locator('.ts-text:focus');
  const pointers = () => text.evaluate((el) => {
    const active = el.getAttribute('aria-activedescendant');
    return [el.getAttribute('aria-controls') === el.closest('.ts-block').querySelector('[role=listbox]')?.id,
      active && document.getElementById(active)?.getAttribute('aria-selected'), document.getElementById(active)?.textContent];
  });
  await until(pointers, [true, 'true', '¶Paragraph']);
  await page.keyboard.press('ArrowDown');
  await until(pointers, [true, 'true', 'HHeading']);
  await page.keyboard.type('見出し');
  assert.deepEqual(await menu.getByRole('option').allTextContents(), ['HHeading']);
  await page.keyboard.press('Enter');
  await page.keyboard.type('Title text');
  await until(() => texts(page, 'Heading'), ['Title text']);
  await until(() => menu.count(), 0);

  await page.keyboard.press('Enter');
  await page.keyboard.type('/q');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Escape');
  await until(() => menu.count(), 0, 'Escape closes the menu');
  assert.deepEqual(await text.evaluate((el) => [el.hasAttribute('aria-controls'), el.hasAttribute('aria-activedescendant')]), [false, false], 'no pointers once closed');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('/引用');
  await page.keyboard.press('Enter');
  await page.keyboard.type('wise words');
  await until(() => texts(page, 'Quote'), ['wise words']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the + button inserts a chosen block after the focused one', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('first');
  await button(page, 'Insert block').first().click();
  const filter = page.getByRole('combobox', { name: 'Filter blocks' });
  await filter.waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Filter blocks');
  await page.keyboard.type('divi');
  await page.keyboard.press('Enter');
  await button(page, 'Insert block').first().click();
  await filter.waitFor();
  await page.getByRole('option', { name: 'Code', exact: true }).click();
  await page.keyboard.type('let x = 1;');
  const summary = await blockSummary(page);
  assert.deepEqual(summary, ['Paragraph:first', 'Code:let x = 1;', 'Divider:']);
  await context.close();
});

test('Markdown shortcuts convert as you type, and one undo brings the characters back', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('## Big idea');
  await until(() => texts(page, 'Heading'), ['Big idea']);
  await page.keyboard.press('Enter');
  await page.keyboard.type('- milk');
  await page.keyboard.press('Enter');
  await page.keyboard.type('eggs');
  await page.keyboard.press('Tab');
  await until(() => texts(page, 'List item'), ['milk', 'eggs']);
  await until(() => page.locator('.ts-list__item--nested').count(), 1, 'Tab nests an item');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('so **very**');
  const last = paragraphs(page).last();
  await until(() => last.textContent(), 'so very');
  await page.keyboard.press('Control+z');
  await until(() => last.textContent(), 'so **very**', 'one undo brings the asterisks back');
  await page.keyboard.press('Control+y');
  await until(() => last.locator('strong').textContent(), 'very');
  await page.keyboard.type(' good');
  await until(() => last.textContent(), 'so very good');
  await until(() => last.locator('strong').textContent(), 'very', 'typing after the shortcut is plain');
  await page.keyboard.press('Enter');
  await page.keyboard.type('1. first');
  await until(() => texts(page, 'List item'), ['milk', 'eggs', 'first']);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('> said');
  await until(() => texts(page, 'Quote'), ['said']);
  await page.keyboard.press('Enter');
  await page.keyboard.type('---');
  assert.ok((await blockSummary(page)).includes('Divider:'));
  await context.close();
});

test('after a shortcut the author types on: --- opens a paragraph, undo keeps the caret, Backspace formats nothing', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('intro');
  await page.keyboard.press('Enter');
  await page.keyboard.type('---');
  await page.keyboard.type('after the break');
  await until(() => blockSummary(page), ['Paragraph:intro', 'Divider:', 'Paragraph:after the break']);

  // One undo brings the characters back with the caret after them: typing goes on there.
  await page.keyboard.press('Enter');
  await page.keyboard.type('## ');
  await until(() => page.getByRole('textbox', { name: 'Heading', exact: true }).count(), 1);
  await page.keyboard.press('Control+z');
  await page.keyboard.type('X');
  await until(() => paragraphs(page).last().textContent(), '## X');

  // Deleting back to a marker converts nothing; typing it does.
  await page.keyboard.press('Enter');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: '・あ', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '・あ' });
  await page.keyboard.press('Backspace');
  await until(() => paragraphs(page).last().textContent(), '・');
  assert.equal(await page.getByRole('textbox', { name: 'List item', exact: true }).count(), 0);
  await page.keyboard.press('Backspace');
  await page.keyboard.type('`b`');

  // A slash that names no block is text: Enter splits as usual.
  await page.keyboard.press('Enter');
  await page.keyboard.type('/etc/hosts');
  await page.keyboard.press('Enter');
  await page.keyboard.type('next');
  await until(() => texts(page), ['intro', 'after the break', '## X', 'b', '/etc/hosts', 'next']);

  // Enter at the start of a heading opens a paragraph above and keeps the heading.
  await page.keyboard.press('Enter');
  await page.keyboard.type('## タイトル');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await until(() => texts(page, 'Heading'), ['タイトル']);
  await until(() => texts(page), ['intro', 'after the break', '## X', 'b', '/etc/hosts', 'next', '']);

  // Backspace in an empty paragraph after a divider goes up to the text above.
  await paragraphs(page).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('---');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(' kept');
  await until(() => paragraphs(page).first().textContent(), 'intro kept');
  await context.close();
});

test('IME: undo returns the caret to where the composition began, and a field never keeps half-converted text', async () => {
  const { page, context } = await fresh();
  const cdp = await context.newCDPSession(page);
  const compose = async (steps, committed) => {
    for (const text of steps) await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    await cdp.send('Input.insertText', { text: committed });
  };
  await page.keyboard.type('abcd');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await compose(['に', 'にほん', '日本'], '日本');
  await until(() => texts(page), ['ab日本cd']);
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['abcd']);
  await page.keyboard.type('X');
  await until(() => texts(page), ['abXcd']);

  // The title: a pause while choosing a candidate records nothing half-converted.
  const title = page.getByRole('textbox', { name: 'Title', exact: true });
  await title.click();
  await page.keyboard.type('Tokyo ');
  await cdp.send('Input.imeSetComposition', { text: 'かんじ', selectionStart: 3, selectionEnd: 3 });
  await page.waitForTimeout(1500);
  await cdp.send('Input.imeSetComposition', { text: '漢字', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '漢字' });
  await until(() => title.inputValue(), 'Tokyo 漢字');
  await button(page, 'Undo').click();
  const undone = await title.inputValue();
  assert.ok(!undone.includes('かんじ'), `undo never shows the reading: ${undone}`);
  await context.close();
});

test('the formatting toolbar and shortcuts format a selection; bad link URLs are refused', async () => {
  const { page, context, errors } = await fresh();
  await page.keyboard.type('make this bold');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowLeft');
  const toolbar = page.getByRole('toolbar', { name: 'Formatting' });
  await toolbar.waitFor();
  for (const name of ['Bold', 'Italic', 'Strikethrough', 'Inline code', 'Highlight', 'Link']) {
    assert.equal(await toolbar.getByRole('button', { name, exact: true }).count(), 1, name);
  }
  await toolbar.getByRole('button', { name: 'Bold', exact: true }).click();
  const paragraph = paragraphs(page).first();
  await until(() => paragraph.locator('strong').textContent(), 'bold');
  await page.keyboard.press('Control+i');
  await until(() => paragraph.locator('em').textContent(), 'bold');
  await page.keyboard.press('Control+Shift+s');
  await until(() => paragraph.locator('s').textContent(), 'bold');
  await page.keyboard.press('Control+e');
  await until(() => paragraph.locator('code').textContent(), 'bold');
  await toolbar.getByRole('button', { name: 'Highlight', exact: true }).click();
  await until(() => paragraph.locator('mark').textContent(), 'bold');
  await page.keyboard.press('Control+b');
  await until(() => paragraph.locator('strong').count(), 0, 'toggling again removes bold');

  await page.keyboard.press('Control+k');
  const address = page.getByRole('textbox', { name: 'Link address', exact: true });
  await address.fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Apply link', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'not allowed' }).waitFor();
  await until(() => paragraph.locator('a').count(), 0);
  await address.fill('https://example.com/bread');
  await page.getByRole('button', { name: 'Apply link', exact: true }).click();
  await until(() => paragraph.locator('a').getAttribute('href'), 'https://example.com/bread');
  await button(page, 'Undo').click();
  await until(() => paragraph.locator('a').count(), 0, 'undo removes the link');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the formatting toolbar formats a selection inside a list item', async () => {
  const { page, context, errors } = await fresh();
  await page.keyboard.type('- milk');
  await page.keyboard.press('Enter');
  await page.keyboard.type('eggs and flour');
  for (let i = 0; i < 'flour'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
  const toolbar = page.getByRole('toolbar', { name: 'Formatting' });
  await toolbar.waitFor();
  await toolbar.getByRole('button', { name: 'Bold', exact: true }).click();
  const item = page.getByRole('textbox', { name: 'List item', exact: true }).nth(1);
  await until(() => item.locator('strong').textContent(), 'flour');
  await until(() => texts(page, 'List item'), ['milk', 'eggs and flour'], 'the items are as they were');
  await page.keyboard.press('Control+i');
  await until(() => item.locator('em').textContent(), 'flour', 'the selection is kept for the next shortcut');
  assert.deepEqual(errors, []);
  await context.close();
});

test('lists: Delete joins items, arrows leave an item from its first or last line, formatted paste keeps its marks', async () => {
  const { page, context, errors } = await fresh();
  const items = () => texts(page, 'List item');
  await page.keyboard.type('- ');
  await page.keyboard.press('Enter');
  await until(() => blockSummary(page), ['Paragraph:'], 'Enter in the only, empty item leaves the list');
  await page.keyboard.type('- one');
  await page.keyboard.press('Enter');
  await page.keyboard.type('two');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await page.keyboard.press('Delete');
  await until(items, ['onetwo'], 'Delete at the end of an item pulls the next one in');
  await page.keyboard.type('!');
  await until(items, ['one!two']);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await until(items, ['one', 'two']);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'List item', 'undo leaves the caret in the list');
  await page.keyboard.press('Control+y');
  await until(items, ['onetwo'], 'and keyboard redo goes on from there');

  await page.keyboard.press('End');
  await paste(page, { html: ' <b>bold</b> and <a href="https://example.com/">link</a>', text: ' bold and link' });
  const item = page.getByRole('textbox', { name: 'List item', exact: true }).first();
  await until(() => item.locator('strong').textContent(), 'bold', 'a formatted paste keeps bold', 10_000);
  assert.equal(await item.locator('a').getAttribute('href'), 'https://example.com/');
  assert.deepEqual(errors, []);
  await context.close();
});

test('undo with nothing focused still undoes the post, step by step, and never the browser\'s own editing', async () => {
  const { page, context, errors } = await fresh();
  await page.keyboard.type('para A');
  await page.keyboard.press('Enter');
  await page.keyboard.type('para B');
  await page.keyboard.press('Alt+Shift+ArrowUp');
  await until(() => texts(page), ['para B', 'para A']);
  await page.keyboard.type('Q');
  await page.keyboard.press('Control+d');
  await until(() => texts(page), ['para BQ', 'para BQ', 'para A']);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['para BQ', 'para A']);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['para B', 'para A']);
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['para A', 'para B'], 'the move is undone, not the typing again');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Enter at the start of a heading, then Backspace, keeps the heading', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('intro');
  await page.keyboard.press('Enter');
  await page.keyboard.type('## Title');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await until(() => blockSummary(page), ['Paragraph:intro', 'Paragraph:', 'Heading:Title']);
  await page.keyboard.press('Backspace');
  await until(() => blockSummary(page), ['Paragraph:intro', 'Heading:Title']);
  await context.close();
});

test('a paste into a code block goes in verbatim at the caret', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('/code');
  await page.keyboard.press('Enter');
  await page.keyboard.type('let x = ');
  await paste(page, { html: '<p><b>1;</b></p>', text: '1;\nconsole.log(x);' });
  await until(() => texts(page, 'Code'), ['let x = 1;\nconsole.log(x);']);
  await page.keyboard.type(' // done');
  await until(() => texts(page, 'Code'), ['let x = 1;\nconsole.log(x); // done']);
  assert.deepEqual(await blockSummary(page).then((blocks) => blocks.length), 1, 'no block was added after the code');
  await context.close();
});

test('blocks reorder by keyboard, buttons and drag; duplicate and delete undo', async () => {
  const { page, context } = await fresh();
  for (const word of ['alpha', 'beta', 'gamma']) {
    await page.keyboard.type(word);
    if (word !== 'gamma') await page.keyboard.press('Enter');
  }
  await page.keyboard.press('Alt+Shift+ArrowUp');
  await until(() => texts(page), ['alpha', 'gamma', 'beta']);
  await page.keyboard.type('!');
  await until(() => texts(page), ['alpha', 'gamma!', 'beta'], 'focus stays in the moved block');
  await (await blockButton(page, 0, 'Move block down')).click();
  await until(() => texts(page), ['gamma!', 'alpha', 'beta']);
  await (await blockButton(page, 2, 'Move block up')).click();
  await until(() => texts(page), ['gamma!', 'beta', 'alpha']);

  // Drag the last block's handle above the first.
  const from = await (await blockButton(page, 2, 'Drag to reorder')).boundingBox();
  const to = await paragraphs(page).first().boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + 10, to.y + 2, { steps: 8 });
  await page.mouse.up();
  await until(() => texts(page), ['alpha', 'gamma!', 'beta']);
  // The handle also moves its block with the arrow keys.
  await (await blockButton(page, 0, 'Drag to reorder')).focus();
  await page.keyboard.press('ArrowDown');
  await until(() => texts(page), ['gamma!', 'alpha', 'beta']);

  await paragraphs(page).first().click();
  await page.keyboard.press('Control+d');
  await until(() => texts(page), ['gamma!', 'gamma!', 'alpha', 'beta']);
  await (await blockButton(page, 3, 'Duplicate block')).click();
  await until(() => texts(page), ['gamma!', 'gamma!', 'alpha', 'beta', 'beta']);
  await (await blockButton(page, 0, 'Delete block')).click();
  assert.equal((await texts(page)).length, 4);
  for (let i = 0; i < 3; i++) await button(page, 'Undo').click();
  await until(() => texts(page), ['gamma!', 'alpha', 'beta']);
  await context.close();
});

test('a block can be turned into another kind keeping its text', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('keep me');
  await page.getByRole('combobox', { name: 'Block type', exact: true }).selectOption({ label: 'Heading' });
  await until(() => texts(page, 'Heading'), ['keep me']);
  // By keyboard, the level picker keeps focus while the heading changes under it.
  const level = page.getByRole('combobox', { name: 'Heading level', exact: true });
  await level.focus();
  await page.keyboard.press('ArrowDown');
  await until(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Heading level');
  await until(() => level.inputValue(), '3');
  await level.selectOption({ label: 'H4' });
  await page.getByRole('combobox', { name: 'Block type', exact: true }).selectOption({ label: 'Numbered list' });
  await until(() => texts(page, 'List item'), ['keep me']);
  await page.getByRole('combobox', { name: 'Block type', exact: true }).selectOption({ label: 'Quote' });
  await until(() => texts(page, 'Quote'), ['keep me']);
  await button(page, 'Undo').click();
  await until(() => texts(page, 'List item'), ['keep me']);
  await button(page, 'Redo').click();
  await until(() => texts(page, 'Quote'), ['keep me']);
  // A quote's citation is its own field, kept with the draft.
  await page.getByRole('textbox', { name: 'Citation', exact: true }).fill('a baker');
  await page.reload();
  await until(() => page.getByRole('textbox', { name: 'Citation', exact: true }).inputValue(), 'a baker');
  await until(() => texts(page, 'Quote'), ['keep me']);
  await context.close();
});

test('typing is grouped: a pause closes a group, and undo restores the caret', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('first words');
  await page.waitForTimeout(700);
  await page.keyboard.type(' second');
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['first words']);
  await page.keyboard.type('!');
  await until(() => texts(page), ['first words!'], 'the caret is back where the undone text began');
  await context.close();
});

test('typing elsewhere or over a selection is its own undo step, and undo puts the caret where it began', async () => {
  const { page, context } = await fresh();
  await page.keyboard.type('hello world');
  // The caret moved: what is typed at the start is a step of its own.
  await page.keyboard.press('Home');
  await page.keyboard.type('X');
  await until(() => texts(page), ['Xhello world']);
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['hello world'], 'one undo takes back only the X');
  await page.keyboard.type('Y');
  await until(() => texts(page), ['Yhello world'], 'the caret is back at the start');
  // Typing over a selection: undo brings the selected text back, the caret at its start.
  await page.keyboard.press('End');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.type('Z');
  await until(() => texts(page), ['Yhello Z']);
  await page.keyboard.press('Control+z');
  await until(() => texts(page), ['Yhello world']);
  await page.keyboard.type('!');
  await until(() => texts(page), ['Yhello !world'], 'the caret is where the selection began');
  await context.close();
});

test('paste: HTML is sanitised into blocks, plain text splits on blank lines, one undo step', async () => {
  const { page, context, errors } = await fresh();
  await page.keyboard.type('start ');
  await paste(page, {
    html: '<h2>Pasted <script>alert(1)</script>title</h2><p onclick="x()">Some <b>bold</b> and <a href="javascript:alert(1)">bad</a> <a href="https://ok.example/">good</a></p><ul><li>a</li><li>b</li></ul><img src=x onerror="alert(1)">',
    text: 'Pasted title',
  });
  // Formatted text is read by the codec worker, so the blocks arrive a moment later.
  await until(() => blockSummary(page), ['Paragraph:start ', 'Heading:Pasted title', 'Paragraph:Some bold and bad good', 'List item:a', 'Image:']);
  await until(() => page.locator('.ts-blocks a').count(), 1, 'only the safe link survives');
  assert.equal(await page.locator('.ts-blocks a').getAttribute('href'), 'https://ok.example/');
  const html = await page.locator('.ts-blocks').innerHTML();
  assert.ok(!/\son[a-z]+=|<script|javascript:/i.test(html), 'nothing executable reaches the page');
  await button(page, 'Undo').click();
  await until(() => blockSummary(page), ['Paragraph:start ']);

  await paragraphs(page).first().click();
  await page.keyboard.press('End');
  await paste(page, { text: 'line one\nline two\n\nsecond paragraph' });
  await until(() => texts(page), ['start line one\nline two', 'second paragraph']);
  assert.deepEqual(errors.filter((e) => !e.includes('404')), [], 'only the pasted image (src=x) fails to load');
  await context.close();
});

test('paste: Markdown text becomes headings, lists and formatting', async () => {
  const { page, context } = await fresh();
  await paste(page, { text: '## Pasted heading\n\nSome **bold** words\n\n- one\n- two\n' });
  await until(() => blockSummary(page), ['Heading:Pasted heading', 'Paragraph:Some bold words', 'List item:one']);
  await until(() => paragraphs(page).first().locator('strong').textContent(), 'bold');
  await context.close();
});

test('IME composition: Enter while composing commits, no split, one undo step per commit', async () => {
  const { page, context } = await fresh();
  const cdp = await page.context().newCDPSession(page);
  for (const preedit of ['k', 'か', 'かん', 'かんじ', '漢字']) {
    await cdp.send('Input.imeSetComposition', { text: preedit, selectionStart: preedit.length, selectionEnd: preedit.length });
  }
  await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
  await cdp.send('Input.insertText', { text: '漢字' });
  // Backspace while composing belongs to the IME too.
  await cdp.send('Input.imeSetComposition', { text: 'で', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Backspace', code: 'Backspace', windowsVirtualKeyCode: 229 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Backspace', code: 'Backspace', windowsVirtualKeyCode: 229 });
  await cdp.send('Input.imeSetComposition', { text: 'です', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: 'です' });
  await until(() => texts(page), ['漢字です']);
  await page.waitForTimeout(600);
  await page.keyboard.press('Control+z');
  await until(() => texts(page), [''], 'the committed text undoes as typing, never per candidate');
  await screenshot(page, 'editing-ime');
  await context.close();
});
