import { receiptline } from './render';
import type { DecodedImage, DecodedQr } from './escpos-decoder';

/** A native QR symbol drawn as the printer would: the matrix of its data, `cell` dots per module. */
function qrAsImage(q: DecodedQr): DecodedImage {
  const level = (['l', 'm', 'q', 'h'] as const).find((l) => l === q.level) ?? 'm';
  const matrix = receiptline().qrcode.generate({
    data: q.data,
    type: 'qrcode',
    cell: q.cell,
    level,
  });
  const size = matrix.length * q.cell;
  const bpr = Math.ceil(size / 8);
  const bits = new Uint8Array(bpr * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (matrix[Math.floor(y / q.cell)]![Math.floor(x / q.cell)] === 1) {
        bits[y * bpr + (x >> 3)]! |= 0x80 >> (x & 7);
      }
    }
  }
  return { line: q.line, width: size, height: size, bits };
}

/** A decoded job as SVG (text lines in a CJK monospace font + images, QR symbols) for looking at. */
export function jobToSvg(
  job: { lines: string[]; images: DecodedImage[]; qrCodes?: DecodedQr[] },
  width: number,
): string {
  const images = [...job.images, ...(job.qrCodes ?? []).map(qrAsImage)];
  const charW = 12;
  const lineH = 30;
  const paper = width * charW + 24;
  let y = 12;
  const parts: string[] = [];
  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const imagesAt = (line: number) => images.filter((i) => i.line === line);
  const drawImages = (line: number) => {
    for (const img of imagesAt(line)) {
      // Black runs per row as rects: no image codec needed, crisp at any zoom.
      const bpr = Math.ceil(img.width / 8);
      const x0 = Math.floor((paper - img.width) / 2);
      const black = (r: number, c: number) =>
        ((img.bits[r * bpr + (c >> 3)] ?? 0) >> (7 - (c & 7))) & 1;
      for (let r = 0; r < img.height; r++) {
        for (let c = 0; c < img.width;) {
          if (!black(r, c)) {
            c++;
            continue;
          }
          let e = c;
          while (e < img.width && black(r, e)) e++;
          parts.push(`<rect x="${x0 + c}" y="${y + r}" width="${e - c}" height="1"/>`);
          c = e;
        }
      }
      y += img.height + 6;
    }
  };
  job.lines.forEach((line, i) => {
    drawImages(i);
    y += lineH;
    // One <text> per glyph at its column: CJK glyphs take two columns exactly as on paper.
    let col = 0;
    for (const ch of line) {
      // Every non-ASCII glyph came from GB18030 (FS & mode): printed 24 dots = 2 columns (×, ¥ too).
      const wide = ch.charCodeAt(0) >= 0x80;
      if (ch !== ' ') {
        parts.push(
          `<text x="${12 + col * charW}" y="${y - 6}" font-size="24" textLength="${wide ? 24 : 12}">${escape(ch)}</text>`,
        );
      }
      col += wide ? 2 : 1;
    }
  });
  drawImages(job.lines.length);
  y += 24;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${paper}" height="${y}" viewBox="0 0 ${paper} ${y}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g font-family="Noto Sans Mono CJK SC, Noto Sans CJK SC, monospace" fill="#000">${parts.join('')}</g></svg>`
  );
}
