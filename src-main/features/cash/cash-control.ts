import { clearedChequesFen } from '../cheques/cheques.store';
import { percentTenths } from '@heating-cashier/core/fees';
import { collectedFen, tenderTotalsOf } from '@heating-cashier/core/tenders';
import { bookById, currentBook } from './books-shifts.store';
import {
  cardSplit,
  confirmedQrFen,
  qrSplit,
  sumDayTotalColumns,
  type TenderTotals,
} from './cash.store';
import type { ClerkRow } from '../session/clerks.store';
import { appendEvent } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import { stmt } from '../../ledger/statements';
import { approverVerifier, requireSupervisor } from '../session/auth';
import { ServiceError, type ServiceContext } from '../../services/context';
import { writeTransaction } from '../../ledger/transaction';
import { receiptLabel } from '../payments/payments';
import { enqueueZReport } from '../printing/report-print';
import { enqueueBookReturnList, enqueueStatement } from '../printing/paper-rules';
import { shiftSummary } from './shift-report';
import { requireOwnOpenShift } from './shifts';
import { nextBusinessDate } from './day-closures';
import { serviceKpis } from '../service/kpis';

export function moveCash(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: {
    kind: 'cash_in' | 'cash_out' | 'safe_drop';
    amountFen: number;
    reason: string;
    supervisorCode?: string | undefined;
    supervisorPin?: string | undefined;
  },
) {
  let approver: ClerkRow | null = null;
  if (input.kind === 'cash_out') {
    if (!input.supervisorCode || !input.supervisorPin) throw new ServiceError('NOT_SUPERVISOR');
    approver = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  }
  return writeTransaction(ctx, (append) => {
    const shift = requireOwnOpenShift(ctx, clerk, append.businessDate);
    const movementId = uuidv7(append.now.getTime());
    if (approver) {
      appendEvent(
        append,
        'approval.given',
        {
          approverId: approver.id,
          verifier: approverVerifier(approver),
          action: 'cash.out',
          subjectId: movementId,
          reason: input.reason,
        },
        clerk.id,
      );
    }
    appendEvent(
      append,
      'cash.moved',
      {
        movementId,
        shiftId: shift.id,
        kind: input.kind,
        amountFen: input.amountFen,
        reason: input.reason,
        approvedBy: approver?.id ?? null,
      },
      clerk.id,
    );
    return {
      movementId,
      kind: input.kind,
      amountFen: input.amountFen,
      expectedCashFen: shiftSummary(ctx, shift.id).cash.expectedFen,
    };
  });
}

/** The next number of the clerk's book is spoiled paper: used up with a reason, so no gap can appear. */
export function spoilNextReceipt(ctx: ServiceContext, clerk: ClerkRow, reason: string) {
  return writeTransaction(ctx, (append) => {
    const shift = requireOwnOpenShift(ctx, clerk, append.businessDate);
    const book = currentBook(ctx.db, clerk.id);
    if (!book) throw new ServiceError('BOOK_EXHAUSTED');
    const label = receiptLabel(book.series, book.next_no, book.last_no);
    appendEvent(
      append,
      'receipt.spoiled',
      { bookId: book.id, receiptNo: book.next_no, receiptLabel: label, shiftId: shift.id, reason },
      clerk.id,
    );
    enqueueStatement(ctx, label); // the written statement, 一式四份
    return { receiptLabel: label, bookId: book.id };
  });
}

export function returnBook(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: { bookId: string; supervisorCode: string; supervisorPin: string },
) {
  const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  return writeTransaction(ctx, (append) => {
    const book = bookById(ctx.db, input.bookId);
    const returned = stmt(ctx.db, 'SELECT returned_seq FROM receipt_books WHERE id = ?').get(
      input.bookId,
    ) as { returned_seq: number | null } | undefined;
    if (!book || returned?.returned_seq !== null) throw new ServiceError('BOOK_NOT_RETURNABLE');
    appendEvent(
      append,
      'approval.given',
      {
        approverId: supervisor.id,
        verifier: approverVerifier(supervisor),
        action: 'book.return',
        subjectId: book.id,
        reason: `${book.series} ${book.next_no}-${book.last_no}`,
      },
      clerk.id,
    );
    const returnedEvent = appendEvent(
      append,
      'book.returned',
      { bookId: book.id, clerkId: book.clerk_id, nextNo: book.next_no, approvedBy: supervisor.id },
      clerk.id,
    );
    enqueueBookReturnList(ctx, book.id, supervisor, returnedEvent); // every number and its state
    return {
      bookId: book.id,
      series: book.series,
      usedUpTo: book.next_no - 1,
      unusedFrom: book.next_no <= book.last_no ? book.next_no : null,
    };
  });
}

interface DayTotals {
  receiptCount: number;
  voidCount: number;
  collectedFen: number;
  byTender: TenderTotals;
}

/** Totals of business dates in [from, to) from the day aggregates (optionally one clerk). */
function dayTotals(ctx: ServiceContext, from: string, to: string, clerkId?: string): DayTotals {
  const row = stmt(
    ctx.db,
    `SELECT coalesce(sum(receipts), 0) AS receiptCount, coalesce(sum(voids), 0) AS voidCount,
            ${sumDayTotalColumns()}
     FROM daily_clerk_totals WHERE business_date >= ? AND business_date < ? AND (? IS NULL OR clerk_id = ?)`,
  ).get(from, to, clerkId ?? null, clerkId ?? null) as {
    receiptCount: number;
    voidCount: number;
  } & TenderTotals;
  const byTender = tenderTotalsOf(row);
  return {
    receiptCount: row.receiptCount,
    voidCount: row.voidCount,
    // cheques: taken on the receipt's day (byTender.cheque), collected on the day they cleared
    collectedFen: collectedFen(byTender) + clearedChequesFen(ctx.db, from, to, clerkId),
    byTender,
  };
}

/**
 * Day closure (Z): the day's totals plus the perpetual total (net of voids) and the perpetual
 * absolute total (issued + voided amounts), so voids can never net the running totals away.
 * The closed day then takes no new shift or receipt at this counter (`requireDayOpen`), so the Z
 * stays the day's figures; a day that has not come yet cannot be closed.
 */
export function closeDay(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: { businessDate?: string | undefined; supervisorCode: string; supervisorPin: string },
) {
  const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  return writeTransaction(ctx, (append) => {
    const date = input.businessDate ?? append.businessDate;
    if (date > append.businessDate)
      throw new ServiceError('DAY_IN_FUTURE', { date, today: append.businessDate });
    const last = stmt(
      ctx.db,
      'SELECT closure_no, business_date FROM day_closures ORDER BY closure_no DESC LIMIT 1',
    ).get() as { closure_no: number; business_date: string } | undefined;
    if (last && last.business_date === date) throw new ServiceError('DAY_ALREADY_CLOSED', { date });
    if (last && last.business_date > date)
      throw new ServiceError('DAY_OUT_OF_ORDER', { date, last: last.business_date });
    const open = stmt(
      ctx.db,
      `SELECT c.name FROM shifts s JOIN clerks c ON c.id = s.clerk_id WHERE s.closed_seq IS NULL AND s.business_date <= ?`,
    ).get(date) as { name: string } | undefined;
    if (open) throw new ServiceError('DAY_HAS_OPEN_SHIFT', { date, clerkName: open.name });
    const period = dayTotals(ctx, date, nextBusinessDate(date));
    const perpetual = stmt(
      ctx.db,
      `SELECT coalesce(sum(issued_fen - voided_fen), 0) AS net, coalesce(sum(issued_fen + voided_fen), 0) AS absolute
       FROM daily_clerk_totals WHERE business_date <= ?`,
    ).get(date) as { net: number; absolute: number };
    const closureNo = (last?.closure_no ?? 0) + 1;
    appendEvent(
      append,
      'approval.given',
      {
        approverId: supervisor.id,
        action: 'day.close',
        subjectId: `Z${closureNo}`,
        reason: date,
        verifier: approverVerifier(supervisor),
      },
      clerk.id,
    );
    const payload = {
      closureNo,
      businessDate: date,
      ...period,
      perpetualTotalFen: perpetual.net,
      perpetualAbsoluteFen: perpetual.absolute,
    };
    appendEvent(append, 'day.closed', payload, clerk.id);
    enqueueZReport(
      ctx,
      clerk,
      payload,
      dailyReport(ctx, date).clerks.map((c) => ({
        clerkName: c.clerkName,
        receiptCount: c.receiptCount,
        collectedFen: c.collectedFen,
      })),
    );
    return payload;
  });
}

export function dailyReport(ctx: ServiceContext, businessDate: string) {
  // every clerk with receipts that day, or with a cheque of theirs cleared that day (a clerk may take
  // nothing on the day a cheque clears, e.g. the day after a Z), so the clerks add up to the total
  const clerks = stmt(
    ctx.db,
    `SELECT k.clerk_id AS clerkId, c.name AS clerkName FROM (
       SELECT clerk_id FROM daily_clerk_totals WHERE business_date = ?
       UNION SELECT r.clerk_id FROM cheque_decisions d JOIN receipts r ON r.id = d.receipt_id
       WHERE d.business_date = ? AND d.status = 'cleared' AND r.voided_seq IS NULL
     ) k JOIN clerks c ON c.id = k.clerk_id ORDER BY c.code`,
  ).all(businessDate, businessDate) as { clerkId: string; clerkName: string }[];
  const to = nextBusinessDate(businessDate);
  const total = dayTotals(ctx, businessDate, to);
  return {
    businessDate,
    clerks: clerks.map((c) => ({
      ...c,
      ...dayTotals(ctx, businessDate, to, c.clerkId),
      cardSplit: cardSplit(
        ctx.db,
        'r.business_date = ? AND r.clerk_id = ?',
        businessDate,
        c.clerkId,
      ),
    })),
    total,
    /** total.byTender.card split: terminal vs manual (count + amount). */
    cardSplit: cardSplit(ctx.db, 'r.business_date = ?', businessDate),
    /** total.byTender.qr split: confirmed through head office vs typed by the clerk (未确认). */
    qrSplit: qrSplit(ctx.db, 'r.business_date = ?', businessDate),
    ePaymentShareTenths: ePaymentShareTenths(ctx, businessDate, to, total),
    serviceKpis: serviceKpis(ctx, { from: businessDate, to }),
  };
}

/**
 * The seed's e-payment share of business dates [from, to): card + QR confirmed through head office
 * (qr.sale), over what was collected. A QR reference the clerk typed (未确认) is not counted until
 * finance has reconciled it; the daily report lists those apart (qrSplit). From the day aggregates.
 */
function ePaymentShareTenths(ctx: ServiceContext, from: string, to: string, total: DayTotals) {
  if (total.collectedFen === 0) return 0;
  const electronic = total.byTender.card + confirmedQrFen(ctx.db, from, to);
  return percentTenths(electronic, total.collectedFen);
}

/** ['2026-11-01', '2026-12-01'): the business dates of a 'YYYY-MM' month, as an index range. */
function monthRange(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [`${month}-01`, `${next}-01`];
}

/**
 * Monthly report. Collection per season counts what was paid elsewhere plus the lines of valid receipts
 * without a cheque tender (a cheque counts once cleared) plus subsidy received from the finance office;
 * receivable is the season's ADJUSTED charges: per household max(0, charge + adjustments), where the
 * adjustments are no-heat, reductions, write-offs, back-charges, re-rates, credit transfers, late fees
 * and early discounts (0007_domain_rules). The subsidy share stays in the receivable (adjust_fen + share
 * undoes the subsidy adjustment): it is owed by the finance office and collected when it arrives.
 */
export function monthlyReport(ctx: ServiceContext, month: string) {
  const [from, to] = monthRange(month);
  const total = dayTotals(ctx, from, to);
  // per season from the aggregates 0022 keeps (season_totals) and the day aggregates: a few rows
  const seasons = stmt(
    ctx.db,
    `SELECT s.code AS seasonCode, coalesce(t.receivable_fen, 0) AS receivableFen,
            coalesce(t.paid_elsewhere_fen, 0)
            + (SELECT coalesce(sum(amount_fen), 0) FROM daily_season_totals WHERE season_id = s.id)
            + coalesce(t.subsidy_receipts_fen, 0) AS collectedFen
     FROM seasons s LEFT JOIN season_totals t ON t.season_id = s.id ORDER BY s.code`,
  ).all() as { seasonCode: string; receivableFen: number; collectedFen: number }[];
  const currentCode = seasons.at(-1)?.seasonCode;
  const older = seasons.filter((s) => s.seasonCode !== currentCode);
  const olderReceivable = older.reduce((s, x) => s + x.receivableFen, 0);
  const olderOutstanding = older.reduce(
    (s, x) => s + Math.max(0, x.receivableFen - x.collectedFen),
    0,
  );
  const communities = stmt(
    ctx.db,
    `SELECT community, sum(receipts) AS receiptCount, sum(amount_fen) AS collectedFen FROM daily_community_totals
     WHERE business_date >= ? AND business_date < ? GROUP BY community HAVING sum(receipts) > 0 ORDER BY collectedFen DESC`,
  ).all(from, to) as { community: string; receiptCount: number; collectedFen: number }[];
  return {
    month,
    total,
    // No terminal/manual card split here: it needs the month's receipts (500k), not the day
    // aggregates; the daily report, the shift slip and X/Z carry it.
    ePaymentShareTenths: ePaymentShareTenths(ctx, from, to, total),
    seasons: seasons.map((s) => ({
      ...s,
      collectionRateTenths:
        s.receivableFen === 0
          ? 0
          : percentTenths(Math.min(s.collectedFen, s.receivableFen), s.receivableFen),
      outstandingFen: Math.max(0, s.receivableFen - s.collectedFen),
    })),
    arrearsRateTenths: olderReceivable === 0 ? 0 : percentTenths(olderOutstanding, olderReceivable),
    communities,
    serviceKpis: serviceKpis(ctx, { from, to }),
  };
}
