import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ClientError } from '../../api/client';

export type XReport = CommandOutput<'shift.xReport'>;
export type ClosedShift = CommandOutput<'shift.close'>;
export type PrintJob = CommandOutput<'printer.jobs'>['jobs'][number];

/** ¥100 … ¥0.1 in fen, with the label printed on the note or coin. */
export const DENOMINATIONS = [
  [10000, '¥100'],
  [5000, '¥50'],
  [2000, '¥20'],
  [1000, '¥10'],
  [500, '¥5'],
  [100, '¥1'],
  [50, '¥0.5'],
  [10, '¥0.1'],
] as const;

export type Face = (typeof DENOMINATIONS)[number][0];
export type Counts = Record<Face, string>;

export const EMPTY_COUNTS = Object.fromEntries(DENOMINATIONS.map(([f]) => [f, ''])) as Counts;

/** A pieces field: blank is 0, digits only (full-width digits accepted), at most 1,000,000. */
export function parsePieces(text: string): number | null {
  const s = text
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .trim();
  if (s === '') return 0;
  if (!/^\d{1,7}$/.test(s)) return null;
  const n = Number(s);
  return n <= 1_000_000 ? n : null;
}

export function countedFen(counts: Counts): number | null {
  let total = 0;
  for (const [face] of DENOMINATIONS) {
    const n = parsePieces(counts[face]);
    if (n === null) return null;
    total += n * face;
  }
  return total;
}

export function denominationsInput(counts: Counts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [face] of DENOMINATIONS) {
    const n = parsePieces(counts[face]) ?? 0;
    if (n > 0) out[String(face)] = n;
  }
  return out;
}

export function isSessionLost(e: ClientError): boolean {
  return e.code === 'NOT_LOGGED_IN';
}

/** The thermal preview SVG as an image: no markup from the main side enters the DOM. */
export function SlipImage({ svg, label }: { svg: string; label: string }) {
  let bin = '';
  for (const b of new TextEncoder().encode(svg)) bin += String.fromCharCode(b);
  const src = `data:image/svg+xml;base64,${btoa(bin)}`;
  return <img className="slip-image" src={src} alt={label} data-testid="slip-preview" />;
}
