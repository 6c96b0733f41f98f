import { expectedCashFen } from '@heating-cashier/core/cash-count';
import { collectedFen, drawerFen, isPending, type TenderKind } from '@heating-cashier/core/tenders';
import { formatAddress } from '../households/households.store';
import { shiftById } from './books-shifts.store';
import { cardSplit, cashMovements, tenderTotals } from './cash.store';
import { chainHead } from '../../ledger/event-log';
import { stmt } from '../../ledger/statements';
import { ServiceError, type ServiceContext } from '../../services/context';

/** Consecutive numbers folded into ranges: [1,2,3,5] -> [[1,3],[5,5]]. */
export function numberRanges(numbers: readonly number[]): [number, number][] {
  const sorted = [...numbers].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const n of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

interface ReceiptRowForSlip {
  id: string;
  receipt_label: string;
  receipt_no: number;
  book_id: string;
  total_fen: number;
  change_fen: number;
  voided: number;
  void_reason: string | null;
  account_no: string;
  name: string;
  community: string;
  building: string;
  unit: string;
  room: string;
  area_hundredths: number;
  category: string;
}

/**
 * The totals of one shift — counts, tenders, cash flows, expected and counted cash — from aggregate
 * queries: what a close needs, without the per-receipt lists of the slip.
 */
export function shiftSummary(ctx: ServiceContext, shiftId: string) {
  const { db } = ctx;
  const shift = shiftById(db, shiftId);
  if (!shift) throw new ServiceError('SHIFT_NOT_FOUND');
  const closing = stmt(
    db,
    `SELECT counted_cash_fen, variance_fen, denominations, variance_reason,
            (SELECT count(*) FROM receipts WHERE shift_id = s.id) AS receipts,
            (SELECT count(*) FROM receipts WHERE shift_id = s.id AND voided_seq IS NOT NULL) AS voids,
            (SELECT count(*) FROM spoiled_receipts WHERE shift_id = s.id) AS spoiled
     FROM shifts s WHERE id = ?`,
  ).get(shiftId) as {
    counted_cash_fen: number | null;
    variance_fen: number | null;
    denominations: string | null;
    variance_reason: string | null;
    receipts: number;
    voids: number;
    spoiled: number;
  };
  const byTender = tenderTotals(db, 'r.shift_id = ?', shiftId);
  const moves = stmt(
    db,
    'SELECT kind, sum(amount_fen) AS amount FROM cash_movements WHERE shift_id = ? GROUP BY kind',
  ).all(shiftId) as { kind: string; amount: number }[];
  const moved = (kind: string) => moves.find((m) => m.kind === kind)?.amount ?? 0;
  const flows = {
    openingFloatFen: shift.opening_float_fen,
    cashReceiptsFen: drawerFen(byTender),
    cashInFen: moved('cash_in'),
    cashOutFen: moved('cash_out'),
    safeDropFen: moved('safe_drop'),
  };
  return {
    shiftId,
    clerk: { id: shift.clerk_id, name: shift.clerk_name },
    businessDate: shift.business_date,
    openedAt: shift.opened_at,
    closedAt: shift.closed_at,
    receiptCount: closing.receipts,
    voidCount: closing.voids,
    spoiledCount: closing.spoiled,
    /** Cash + card + QR of valid receipts; cheques are pending until cleared. */
    collectedFen: collectedFen(byTender),
    byTender,
    /** byTender.card split: through the terminal vs keyed in by hand (finance checks these against the bank). */
    cardSplit: cardSplit(db, 'r.shift_id = ?', shiftId),
    cash: {
      ...flows,
      expectedFen: expectedCashFen(flows),
      countedFen: closing.counted_cash_fen,
      varianceFen: closing.variance_fen,
      denominations: closing.denominations
        ? (JSON.parse(closing.denominations) as Record<string, number>)
        : null,
      varianceReason: closing.variance_reason,
    },
  };
}

/**
 * Everything a hand-in slip (交款单) or an X report shows for one shift, read from the projections.
 * An X report is this for the open shift; nothing is written.
 */
export function shiftReport(ctx: ServiceContext, shiftId: string) {
  const { db } = ctx;
  const summary = shiftSummary(ctx, shiftId);
  const receipts = stmt(
    db,
    `SELECT r.id, r.receipt_label, r.receipt_no, r.book_id, r.total_fen, r.change_fen, r.voided_seq IS NOT NULL AS voided,
            r.void_reason, h.account_no, h.name, h.community, h.building, h.unit, h.room, h.area_hundredths, h.category
     FROM receipts r JOIN households h ON h.id = r.household_id WHERE r.shift_id = ? ORDER BY r.issued_seq`,
  ).all(shiftId) as ReceiptRowForSlip[];
  const lines = stmt(
    db,
    `SELECT l.receipt_id, s.code AS seasonCode, l.amount_fen AS amountFen, l.pct_tenths AS pctTenths,
            l.balance_after_fen AS balanceAfterFen, coalesce(rt.rate_fen_per_m2, 0) AS rateFenPerM2
     FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id JOIN seasons s ON s.id = l.season_id
     JOIN households h ON h.id = r.household_id
     LEFT JOIN rates rt ON rt.season_id = l.season_id AND rt.category = h.category
     WHERE r.shift_id = ? ORDER BY s.code`,
  ).all(shiftId) as {
    receipt_id: string;
    seasonCode: string;
    amountFen: number;
    pctTenths: number;
    balanceAfterFen: number;
    rateFenPerM2: number;
  }[];
  const tenders = stmt(
    db,
    `SELECT t.receipt_id, t.kind, t.amount_fen, t.reference, t.detail FROM receipt_tenders t
     JOIN receipts r ON r.id = t.receipt_id WHERE r.shift_id = ? ORDER BY t.position`,
  ).all(shiftId) as {
    receipt_id: string;
    kind: TenderKind;
    amount_fen: number;
    reference: string | null;
    detail: string;
  }[];
  const spoiled = stmt(
    db,
    'SELECT book_id, receipt_no, receipt_label, reason FROM spoiled_receipts WHERE shift_id = ? ORDER BY seq',
  ).all(shiftId) as {
    book_id: string;
    receipt_no: number;
    receipt_label: string;
    reason: string;
  }[];
  const books = stmt(db, 'SELECT id, series FROM receipt_books').all() as {
    id: string;
    series: string;
  }[];
  const seriesOf = new Map(books.map((b) => [b.id, b.series]));

  const usedByBook = new Map<string, number[]>();
  for (const [book, no] of [
    ...receipts.map((r) => [r.book_id, r.receipt_no] as const),
    ...spoiled.map((x) => [x.book_id, x.receipt_no] as const),
  ]) {
    const list = usedByBook.get(book) ?? [];
    list.push(no);
    usedByBook.set(book, list);
  }
  const bookUsage = [...usedByBook].map(([bookId, numbers]) => {
    const ranges = numberRanges(numbers);
    return {
      bookId,
      series: seriesOf.get(bookId) ?? '',
      ranges,
      issued: receipts.filter((r) => r.book_id === bookId).length,
      voided: receipts.filter((r) => r.book_id === bookId && r.voided === 1).length,
      spoiled: spoiled.filter((s) => s.book_id === bookId).length,
      /** Numbers between the first and last used in this shift that are neither issued nor spoiled. */
      gaps: ranges.slice(1).map((r, i) => [ranges[i]![1] + 1, r[0] - 1] as [number, number]),
    };
  });

  const moves = cashMovements(db, shiftId);
  const approvals = stmt(
    db,
    `SELECT json_extract(e.payload, '$.action') AS action, c.name AS approverName, json_extract(e.payload, '$.reason') AS reason
     FROM events e JOIN clerks c ON c.id = json_extract(e.payload, '$.approverId')
     WHERE e.type = 'approval.given' AND e.seq BETWEEN ? AND ?`,
  ).all(
    (stmt(db, 'SELECT opened_seq FROM shifts WHERE id = ?').get(shiftId) as { opened_seq: number })
      .opened_seq,
    (
      stmt(
        db,
        'SELECT coalesce(closed_seq, (SELECT max(seq) FROM events)) AS s FROM shifts WHERE id = ?',
      ).get(shiftId) as { s: number }
    ).s,
  ) as { action: string; approverName: string; reason: string }[];

  const valid = receipts.filter((r) => r.voided === 0);
  const validIds = new Set(valid.map((r) => r.id));
  const labelOf = new Map(receipts.map((r) => [r.id, r.receipt_label]));
  const linesByReceipt = groupBy(lines, (l) => l.receipt_id);
  const tendersByReceipt = groupBy(tenders, (t) => t.receipt_id);
  return {
    ...summary,
    books: bookUsage,
    receipts: receipts.map((r) => ({
      receiptLabel: r.receipt_label,
      accountNo: r.account_no,
      payer: r.name,
      address: formatAddress(r),
      areaHundredths: r.area_hundredths,
      totalFen: r.total_fen,
      changeFen: r.change_fen,
      voided: r.voided === 1,
      voidReason: r.void_reason,
      lines: (linesByReceipt.get(r.id) ?? []).map(({ receipt_id: _id, ...l }) => ({
        ...l,
        partial: l.balanceAfterFen > 0,
      })),
      tenders: (tendersByReceipt.get(r.id) ?? []).map((t) => t.kind),
    })),
    voids: receipts
      .filter((r) => r.voided === 1)
      .map((r) => ({ receiptLabel: r.receipt_label, reason: r.void_reason ?? '' })),
    spoiled: spoiled.map((s) => ({ receiptLabel: s.receipt_label, reason: s.reason })),
    chequesPending: tenders
      .filter((t) => isPending(t.kind) && validIds.has(t.receipt_id))
      .map((t) => ({
        receiptLabel: labelOf.get(t.receipt_id) ?? '',
        chequeNo: t.reference ?? '',
        bank: (JSON.parse(t.detail) as { bank?: string }).bank ?? '',
        amountFen: t.amount_fen,
      })),
    cashMovements: moves.map((m) => ({ kind: m.kind, amountFen: m.amount_fen, reason: m.reason })),
    approvals,
    unsyncedEvents: ctx.status?.sync?.().pendingEvents ?? chainHead(db).seq,
  };
}

export type ShiftReport = ReturnType<typeof shiftReport>;
