import type { Db } from '../../../src-main/ledger/db';

interface RawEvent {
  type: string;
  payload: Record<string, unknown>;
}

type Tender = {
  kind: 'cash' | 'card' | 'cheque' | 'qr';
  amountFen: number;
  detail?: Record<string, string>;
};

/**
 * Card tenders of the given receipt.issued payloads, through the terminal (detail.mode 'terminal')
 * vs keyed in by hand (any other card tender), straight from the event payloads.
 */
export function oracleCardSplit(payloads: readonly Record<string, unknown>[]) {
  const split = { terminalCount: 0, terminalFen: 0, manualCount: 0, manualFen: 0 };
  for (const p of payloads)
    for (const t of p.tenders as Tender[]) {
      if (t.kind !== 'card') continue;
      if (t.detail?.mode === 'terminal') {
        split.terminalCount += 1;
        split.terminalFen += t.amountFen;
      } else {
        split.manualCount += 1;
        split.manualFen += t.amountFen;
      }
    }
  return split;
}

/**
 * Recomputes a shift's hand-in figures from the raw event rows only — no projection, no service code —
 * so the slip can be checked against an independent derivation.
 */
export function oracleForShift(db: Db, shiftId: string) {
  const events = (
    db.prepare('SELECT type, payload FROM events ORDER BY seq').all() as {
      type: string;
      payload: string;
    }[]
  ).map((r): RawEvent => ({
    type: r.type,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
  const opened = events.find((e) => e.type === 'shift.opened' && e.payload.shiftId === shiftId)!;
  const issued = events.filter((e) => e.type === 'receipt.issued' && e.payload.shiftId === shiftId);
  const voidedIds = new Set(
    events.filter((e) => e.type === 'receipt.voided').map((e) => e.payload.receiptId as string),
  );
  const valid = issued.filter((e) => !voidedIds.has(e.payload.receiptId as string));
  const byTender = { cash: 0, card: 0, cheque: 0, qr: 0 };
  for (const r of valid)
    for (const t of r.payload.tenders as Tender[]) byTender[t.kind] += t.amountFen;
  const moves = events.filter((e) => e.type === 'cash.moved' && e.payload.shiftId === shiftId);
  const sum = (kind: string) =>
    moves
      .filter((m) => m.payload.kind === kind)
      .reduce((s, m) => s + (m.payload.amountFen as number), 0);
  const spoiled = events.filter(
    (e) => e.type === 'receipt.spoiled' && e.payload.shiftId === shiftId,
  );
  const numbersByBook = new Map<string, number[]>();
  for (const e of [...issued, ...spoiled]) {
    const book = e.payload.bookId as string;
    numbersByBook.set(book, [...(numbersByBook.get(book) ?? []), e.payload.receiptNo as number]);
  }
  return {
    receiptCount: issued.length,
    voidCount: issued.length - valid.length,
    spoiledCount: spoiled.length,
    byTender,
    cardSplit: oracleCardSplit(valid.map((r) => r.payload)),
    collectedFen: byTender.cash + byTender.card + byTender.qr,
    chequesPendingFen: byTender.cheque,
    expectedCashFen:
      (opened.payload.openingFloatFen as number) +
      byTender.cash +
      sum('cash_in') -
      sum('cash_out') -
      sum('safe_drop'),
    changeGivenFen: valid.reduce((s, r) => s + (r.payload.changeFen as number), 0),
    numbersByBook,
  };
}
