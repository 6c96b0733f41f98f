/** ¥100,000,000.00 — the largest amount any single money field may hold. */
export const MAX_FEN = 10_000_000_000;

export function isFen(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= MAX_FEN;
}

/** The one money formatter: `¥1,234.50`, `-¥0.05`, `¥0.00`. Works on the digit string, never divides. */
export function formatFen(fen: number, symbol: '¥' | '￥' | '' = '¥'): string {
  if (!Number.isSafeInteger(fen)) {
    throw new RangeError(`formatFen: not an integer number of fen: ${String(fen)}`);
  }
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const yuan = digits.slice(0, -2);
  const cents = digits.slice(-2);
  return `${sign}${symbol}${groupThousands(yuan)}.${cents}`;
}

/** What goes into an amount input: `1234.50` (no symbol, no grouping), easy to edit. */
export function fenToInput(fen: number): string {
  return formatFen(fen, '').replaceAll(',', '');
}

/** Area in hundredths of m² -> `85.23 m²` (the same digit-string formatting as fen). */
export function formatArea(hundredths: number): string {
  return `${formatFen(hundredths, '')} m²`;
}

function groupThousands(digits: string): string {
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return out;
}

const YUAN_PATTERN = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;
const MAX_YUAN_DIGITS = String(MAX_FEN / 100).length;

/**
 * Parses what a clerk types (`12`, `12.3`, `1,234.50`, `￥12.00`, full-width ０-９ and ．) into fen.
 * Returns null for anything else: signs, exponents, more than two decimals, empty, above MAX_FEN.
 */
export function parseYuanToFen(text: string): number | null {
  let s = toHalfWidth(text).trim();
  if (s.startsWith('¥') || s.startsWith('￥')) s = s.slice(1).trimStart();
  const m = YUAN_PATTERN.exec(s);
  if (m === null) return null;
  const yuanDigits = (m[1] ?? '').replaceAll(',', '').replace(/^0+(?=\d)/, '');
  if (yuanDigits.length > MAX_YUAN_DIGITS) return null;
  const fen = digitsToInt(yuanDigits) * 100 + digitsToInt((m[2] ?? '').padEnd(2, '0'));
  return fen <= MAX_FEN ? fen : null;
}

function toHalfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF0E]/g, (c) =>
    c === '\uFF0E' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30),
  );
}

function digitsToInt(digits: string): number {
  let n = 0;
  for (const d of digits) n = n * 10 + (d.charCodeAt(0) - 48);
  return n;
}
