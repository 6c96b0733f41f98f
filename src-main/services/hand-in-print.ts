import { clerkById } from '../ledger/clerks';
import { chainHead } from '../ledger/event-log';
import { stmt } from '../ledger/statements';
import type { ServiceContext } from './context';
import { enqueuePrintJob, printerSettings } from './print-queue';
import type { shiftSummary } from './shift-report';

const COPIES = [
  ['finance', '财务联'],
  ['clerk', '收费员联'],
] as const;

/**
 * Queues the hand-in slip (交款单) of a just-closed shift twice — finance copy and clerk copy — in the
 * close's transaction; printing happens after commit and a printer fault never blocks the close.
 */
export function enqueueHandInSlips(
  ctx: ServiceContext,
  summary: ReturnType<typeof shiftSummary>,
  approverId: string | null,
): void {
  const { db } = ctx;
  const labels = stmt(
    db,
    'SELECT min(receipt_label) AS first, max(receipt_label) AS last FROM receipts WHERE shift_id = ?',
  ).get(summary.shiftId) as { first: string | null; last: string | null };
  const counts = stmt(
    db,
    `SELECT t.kind AS kind, count(DISTINCT t.receipt_id) AS n FROM receipt_tenders t JOIN receipts r ON r.id = t.receipt_id
     WHERE r.shift_id = ? AND r.voided_seq IS NULL GROUP BY t.kind`,
  ).all(summary.shiftId) as { kind: 'cash' | 'card' | 'cheque' | 'qr'; n: number }[];
  const countOf = new Map(counts.map((c) => [c.kind, c.n]));
  const counted = summary.cash.countedFen ?? 0;
  const base = {
    company: printerSettings(db).companyName,
    terminalName: ctx.terminal.name,
    timeZone: ctx.terminal.timeZone,
    isDemo: ctx.terminal.isDemo,
    slipNo: `${summary.businessDate.replaceAll('-', '')}-${summary.shiftId.slice(-6).toUpperCase()}`,
    businessDate: summary.businessDate,
    clerkName: summary.clerk.name,
    clerkCode: clerkById(db, summary.clerk.id)?.code ?? '',
    shiftOpenedAt: summary.openedAt,
    shiftClosedAt: summary.closedAt ?? ctx.clock().toISOString(),
    openingFloatFen: summary.cash.openingFloatFen,
    receiptCount: summary.receiptCount,
    voidCount: summary.voidCount,
    firstReceiptLabel: labels.first,
    lastReceiptLabel: labels.last,
    byTender: (['cash', 'card', 'qr', 'cheque'] as const).map((kind) => ({
      kind,
      count: countOf.get(kind) ?? 0,
      amountFen: summary.byTender[kind],
    })),
    collectedFen: summary.collectedFen,
    expectedCashFen: Math.max(0, summary.cash.expectedFen),
    countedCashFen: counted,
    denominations: Object.entries(summary.cash.denominations ?? {}).map(([face, count]) => ({
      faceFen: Number(face),
      count,
    })),
    varianceFen: summary.cash.varianceFen ?? 0,
    varianceApprovedBy: approverId ? (clerkById(db, approverId)?.name ?? null) : null,
    /** The float stays in the drawer; the rest of the counted cash goes to finance. */
    handInFen: Math.max(0, counted - summary.cash.openingFloatFen),
    chainHash: chainHead(db).hash,
  };
  for (const [copy, label] of COPIES) {
    enqueuePrintJob(ctx, {
      template: 'hand-in-slip',
      subjectId: summary.shiftId,
      label: `交款单 ${base.slipNo} ${label}`,
      data: { ...base, copy },
    });
  }
}
