/**
 * Tender kinds (支付方式): the one table the main process, the renderer, the printer and head office
 * read. A new kind is a row here plus what the table cannot say: its input fields
 * (core/contract/schemas.ts `tenderInput`), its form (src-renderer/features/payment/payment-model.ts
 * and PaymentPage.tsx), a special receipt line if its reference is not enough
 * (src-main/devices/printer/fillers.ts), its translations (src-renderer/i18n/{zh-CN,en,cash}.ts)
 * and one migration (the receipt_tenders CHECK, a `<kind>_fen` column of daily_clerk_totals).
 */

/**
 * - cash: in the drawer (expected cash, drawer kick, change), collected when taken;
 * - electronic: collected when taken, reconciled against a bank or terminal statement;
 * - pending: collected only once cleared (cheque decisions, on the clearance day).
 */
export type TenderClass = 'cash' | 'electronic' | 'pending';

export interface TenderFacts {
  readonly class: TenderClass;
  /** The printed name: receipts, slips and A4 reports are Chinese-only. */
  readonly printLabel: string;
  /** The input field that becomes the ledger record's `reference` (null: none). */
  readonly reference: string | null;
  /** Input fields copied into the ledger record's `detail` when not empty, in this order. */
  readonly detail: readonly string[];
}

const TABLE = {
  cash: { class: 'cash', printLabel: '现金', reference: null, detail: [] },
  card: {
    class: 'electronic',
    printLabel: '银行卡',
    reference: 'terminalRef',
    detail: ['authCode', 'maskedPan'],
  },
  cheque: { class: 'pending', printLabel: '支票', reference: 'chequeNo', detail: ['bank'] },
  qr: { class: 'electronic', printLabel: '扫码/转账', reference: 'reference', detail: ['channel'] },
} as const satisfies Record<string, TenderFacts>;

export type TenderKind = keyof typeof TABLE;
export const TENDERS: { readonly [K in TenderKind]: TenderFacts } = TABLE;

/** Every kind, in the ledger's order (the CHECK constraint's, the wire's). */
export const TENDER_KINDS = Object.keys(TABLE) as [TenderKind, ...TenderKind[]];

export function isTenderKind(value: unknown): value is TenderKind {
  return typeof value === 'string' && Object.hasOwn(TABLE, value);
}

export const tenderClass = (kind: TenderKind): TenderClass => TENDERS[kind].class;
export const isPending = (kind: TenderKind): boolean => tenderClass(kind) === 'pending';
/** Cash kinds: counted in the drawer at close; taking one opens the drawer. */
export const inDrawer = (kind: TenderKind): boolean => tenderClass(kind) === 'cash';

const ofClass = (...classes: TenderClass[]) =>
  TENDER_KINDS.filter((k) => classes.includes(tenderClass(k)));

/** Collected when taken: everything but the pending kinds. */
export const COLLECTED_KINDS: readonly TenderKind[] = ofClass('cash', 'electronic');
export const ELECTRONIC_KINDS: readonly TenderKind[] = ofClass('electronic');
export const PENDING_KINDS: readonly TenderKind[] = ofClass('pending');
export const DRAWER_KINDS: readonly TenderKind[] = ofClass('cash');
/** The order of reports and slips: what is collected first, the pending kinds last. */
export const REPORT_ORDER: readonly TenderKind[] = [...COLLECTED_KINDS, ...PENDING_KINDS];

/** The printed names of `kinds` joined, e.g. the collected rule `现金 + 银行卡 + 扫码/转账`. */
export const printLabels = (kinds: readonly TenderKind[], separator = ' + '): string =>
  kinds.map((k) => TENDERS[k].printLabel).join(separator);

/** Amount per kind (fen). */
export type TenderTotals = Record<TenderKind, number>;

export function emptyTenderTotals(): TenderTotals {
  return Object.fromEntries(TENDER_KINDS.map((k) => [k, 0])) as TenderTotals;
}

/** The per-kind fields of any record that has one per kind (a row, an object with more fields). */
export function tenderTotalsOf(row: Readonly<Record<TenderKind, number>>): TenderTotals {
  return Object.fromEntries(TENDER_KINDS.map((k) => [k, row[k]])) as TenderTotals;
}

/** Adds up tenders (or rows per kind) by kind. */
export function sumByKind(
  tenders: readonly { readonly kind: TenderKind; readonly amountFen: number }[],
): TenderTotals {
  const totals = emptyTenderTotals();
  for (const t of tenders) totals[t.kind] += t.amountFen;
  return totals;
}

export function addTenderTotals(into: TenderTotals, add: Readonly<TenderTotals>): TenderTotals {
  for (const k of TENDER_KINDS) into[k] += add[k];
  return into;
}

const sumOf = (kinds: readonly TenderKind[], byTender: Readonly<TenderTotals>) =>
  kinds.reduce((n, k) => n + byTender[k], 0);

/**
 * The finance rule: collected = cash + card + QR/transfer, i.e. every kind but the pending ones
 * (a cheque counts once cleared, on the clearance day, which the caller adds when it has it).
 */
export const collectedFen = (byTender: Readonly<TenderTotals>): number =>
  sumOf(COLLECTED_KINDS, byTender);
/** Taken but not collected yet (cheques until they clear). */
export const pendingFen = (byTender: Readonly<TenderTotals>): number =>
  sumOf(PENDING_KINDS, byTender);
/** The e-payment share's numerator: card + QR/transfer. */
export const electronicFen = (byTender: Readonly<TenderTotals>): number =>
  sumOf(ELECTRONIC_KINDS, byTender);
/** Cash kept for receipts (tender amounts, i.e. tendered minus change). */
export const drawerFen = (byTender: Readonly<TenderTotals>): number =>
  sumOf(DRAWER_KINDS, byTender);

/** A tender as entered (contract `tenderInput`): the kind, the amount and the kind's own fields. */
export interface TenderInputFields {
  readonly kind: TenderKind;
  readonly amountFen: number;
  readonly tenderedFen?: number;
  readonly [field: string]: unknown;
}

/** A tender as the ledger keeps it (contract `tenderRecord`). */
export interface TenderRecordFields {
  kind: TenderKind;
  amountFen: number;
  tenderedFen?: number;
  reference?: string;
  detail: Record<string, string>;
}

/**
 * The ledger record of an entered tender: `reference` and `detail` from the fields the table
 * names; a cash kind keeps what was tendered; a pending kind starts with status pending.
 * `extra` is detail the caller adds (the card terminal's data).
 */
export function tenderRecordOf(
  t: TenderInputFields,
  extra: Readonly<Record<string, string>> = {},
): TenderRecordFields {
  const facts = TENDERS[t.kind];
  const text = (field: string) => {
    const v = t[field];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const reference = facts.reference === null ? undefined : text(facts.reference);
  const detail: Record<string, string> = {};
  for (const field of facts.detail) {
    const v = text(field);
    if (v !== undefined) detail[field] = v;
  }
  if (facts.class === 'pending') detail.status = 'pending';
  return {
    kind: t.kind,
    amountFen: t.amountFen,
    ...(facts.class === 'cash' && t.tenderedFen !== undefined
      ? { tenderedFen: t.tenderedFen }
      : {}),
    ...(reference !== undefined ? { reference } : {}),
    detail: { ...detail, ...extra },
  };
}
