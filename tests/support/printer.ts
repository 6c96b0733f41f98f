import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { qrcode } from 'receiptline';
import type { DecodedImage } from '../../src-main/devices/printer/escpos-decoder';
import type { TemplateName } from '../../src-main/devices/printer/template-data';

export const FIXTURES = join(import.meta.dirname, '../fixtures/printer');

export function fixture(name: TemplateName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** Lines without trailing blanks, trailing empty lines (feeds before the cut) removed. */
export function normalizeLines(lines: readonly string[]): string[] {
  const out = lines.map((l) => l.trimEnd());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** Whether a decoded raster image is the QR code of `data` (receiptline draws cells of `cell` dots). */
export function imageIsQrOf(image: DecodedImage, data: string, cell = 3): boolean {
  const matrix = qrcode.generate({ data, type: 'qrcode', cell, level: 'm' });
  if (matrix.length * cell !== image.height || matrix.length * cell !== image.width) return false;
  const bytesPerRow = Math.ceil(image.width / 8);
  const pixel = (y: number, x: number) =>
    ((image.bits[y * bytesPerRow + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
  return matrix.every((row, r) =>
    Array.from(row).every((m, c) => pixel(r * cell + 1, c * cell + 1) === m),
  );
}
