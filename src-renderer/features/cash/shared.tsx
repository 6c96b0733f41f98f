import {
  countTotalFen,
  DENOMINATIONS_FEN,
  type Denomination,
  type DenominationCount,
} from '@heating-cashier/core/cash-count';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { formatFen } from '@heating-cashier/core/money';
import { textBase64 } from './download';

export type XReport = CommandOutput<'shift.xReport'>;
export type ClosedShift = CommandOutput<'shift.close'>;
export type PrintJob = CommandOutput<'printer.jobs'>['jobs'][number];

/** ¥100 … ¥0.1 in fen (the core's list), with the label printed on the note or coin: `¥0.5`. */
export const DENOMINATIONS = DENOMINATIONS_FEN.map(
  (face) => [face, formatFen(face).replace(/\.?0+$/, '')] as const,
);

export type Face = Denomination;
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

/** The pieces of each face the clerk typed (none for a blank field), or null while one is not valid. */
export function denominationsInput(counts: Counts): DenominationCount | null {
  const out: DenominationCount = {};
  for (const face of DENOMINATIONS_FEN) {
    const n = parsePieces(counts[face]);
    if (n === null) return null;
    if (n > 0) out[`${face}`] = n;
  }
  return out;
}

/** The cash counted (the core's sum of pieces × face), or null while a field is not valid. */
export function countedFen(counts: Counts): number | null {
  const pieces = denominationsInput(counts);
  const total = pieces && countTotalFen(pieces);
  return total?.ok ? total.value : null;
}

/** The thermal preview SVG as an image: no markup from the main side enters the DOM. */
export function SlipImage({ svg, label }: { svg: string; label: string }) {
  const src = `data:image/svg+xml;base64,${textBase64(svg)}`;
  return <img className="slip-image" src={src} alt={label} data-testid="slip-preview" />;
}
