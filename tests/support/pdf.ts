// Reading back the A4 PDFs the counter renders: their text as poppler lays it out, and the first page
// as a PNG beside the e2e screenshots (to look at).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SCREENSHOTS = join(import.meta.dirname, '..', 'e2e', 'screenshots');

/** The PDF's text, `pdftotext -layout` (columns kept on their lines). */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Writes the first page as `tests/e2e/screenshots/<name>-1.png` at `dpi`. */
export function pdfFirstPagePng(file: string, name: string, dpi = 80): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    String(dpi),
    '-f',
    '1',
    '-l',
    '1',
    file,
    join(SCREENSHOTS, name),
  ]);
}
