// Release builds only (run by scripts/precache in trunk's staging directory): minifies the
// wasm-bindgen glue scripts, which trunk's own minification leaves as written for ES modules,
// and brings index.html's integrity hashes up to date for the files it changed. It runs before
// the files are hashed into their names and into the service worker's build id.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { minify } from 'terser';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/minify.mjs <staging directory>');
const htmlPath = path.join(dir, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');

// The app's glue and the dialogs' are ES modules; the codec worker's is a classic script whose
// global (`wasm_bindgen`) its start script calls, so its top-level names are kept.
const glue = fs
  .readdirSync(dir)
  .filter((name) => /^(tsuzuri-[0-9a-f]+|dialogs|codec_worker)\.js$/.test(name))
  .map((name) => ({ name, module: !name.startsWith('codec_worker') }));
if (!glue.some(({ name }) => name.startsWith('tsuzuri-'))) throw new Error(`no app glue in ${dir}`);

const integrity = (text) => `sha384-${crypto.createHash('sha384').update(text).digest('base64')}`;
for (const { name, module } of glue) {
  const file = path.join(dir, name);
  const source = fs.readFileSync(file, 'utf8');
  const result = await minify(source, { module, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (typeof result.code !== 'string' || result.code.length === 0) throw new Error(`terser gave nothing for ${name}`);
  // The page fetches the app's glue with an integrity check (its modulepreload link).
  const before = integrity(source);
  if (html.includes(before)) html = html.replaceAll(before, integrity(result.code));
  fs.writeFileSync(file, result.code);
  console.log(`[minify] ${name}: ${source.length} -> ${result.code.length} bytes`);
}
fs.writeFileSync(htmlPath, html);
