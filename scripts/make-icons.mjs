// Generates every packaging icon from build/logo.svg: build/icon.png (512), build/icons/NxN.png
// (Linux AppImage/deb), build/icon.ico (Windows; PNG-compressed entries 16–256). Needs
// `rsvg-convert` (apt-get install librsvg2-bin); the ICO container is written here.
//   node scripts/make-icons.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = path.join(root, 'build');
const svg = path.join(build, 'logo.svg');

function png(size) {
  return execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), svg]);
}

/** An ICO file whose images are PNGs (supported by Windows Vista and later). */
export function icoFromPngs(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, data } of images) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2); // palette
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(path.join(build, 'icons'), { recursive: true });
  for (const size of [16, 32, 48, 64, 128, 256, 512]) {
    writeFileSync(path.join(build, 'icons', `${size}x${size}.png`), png(size));
  }
  writeFileSync(path.join(build, 'icon.png'), png(512));
  const ico = icoFromPngs(
    [16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: png(size) })),
  );
  writeFileSync(path.join(build, 'icon.ico'), ico);
  console.log(
    `[make-icons] build/icon.png, build/icon.ico (${ico.length} bytes), build/icons/*.png`,
  );
}
