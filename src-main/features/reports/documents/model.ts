// A printable document as data: the A4 PDF (HTML → PdfRenderer) and the Excel export are both
// rendered from it, so the two never disagree. Money stays integer fen until the edge.

export type Cell =
  | string
  | { fen: number; strong?: boolean }
  | { int: number; strong?: boolean }
  | { pctTenths: number; strong?: boolean }
  | { text: string; strong?: boolean };

export interface DocColumn {
  label: string;
  /** Relative width (default 1). */
  width?: number;
}

export interface DocTable {
  kind: 'table';
  title: string;
  columns: DocColumn[];
  rows: Cell[][];
  /** Totals row. */
  foot?: Cell[];
  /** Shown instead of an empty table. */
  empty?: string;
}

export interface DocFacts {
  kind: 'facts';
  title: string;
  items: [string, Cell][];
}

/** Horizontal bars (value / max) — the PDF's stand-in for the screen's charts. */
export interface DocBars {
  kind: 'bars';
  title: string;
  /** Full-width value (default: the largest item), e.g. 1000 for rates in tenths of a percent. */
  max?: number;
  items: { label: string; value: number; display: Cell }[];
}

export type DocSection = DocTable | DocFacts | DocBars;

export interface Doc {
  /** File name without extension (ASCII). */
  fileBase: string;
  company: string;
  title: string;
  /** e.g. 财务联 / 收费员联 */
  copyLabel?: string;
  /** Header facts under the title. */
  meta: [string, string][];
  sections: DocSection[];
  /** Signature lines, e.g. 收费员 / 财务. */
  signatures?: string[];
  footer?: string;
  demo?: boolean;
}
