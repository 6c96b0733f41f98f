// X and Z reports on the thermal printer, through the print queue (a printer fault never blocks the
// day closure: the job is queued in the closure's transaction and printed after commit).
import { cardSplit, tenderRows, type TenderTotals } from '../cash/cash.store';
import type { ClerkRow } from '../session/clerks.store';
import { chainHead } from '../../ledger/event-log';
import { stmt } from '../../ledger/statements';
import type { TemplateInput } from '../../devices/printer/template-data';
import type { ServiceContext } from '../../services/context';
import { enqueuePrintJob, printerSettings } from './print-queue';
import { shiftSummary } from '../cash/shift-report';

function voidedFen(ctx: ServiceContext, where: string, arg: string): number {
  return (
    stmt(
      ctx.db,
      `SELECT coalesce(sum(r.total_fen), 0) AS v FROM receipts r WHERE ${where} AND r.voided_seq IS NOT NULL`,
    ).get(arg) as { v: number }
  ).v;
}

function base(ctx: ServiceContext) {
  return {
    company: printerSettings(ctx.db).companyName,
    terminalName: ctx.terminal.name,
    timeZone: ctx.terminal.timeZone,
    isDemo: ctx.terminal.isDemo,
  };
}

/** The X report of a shift as printed: the figures so far; nothing is written but the print job. */
export function xReportPrintData(
  ctx: ServiceContext,
  printedBy: ClerkRow,
  shiftId: string,
): TemplateInput<'x-report'> {
  const s = shiftSummary(ctx, shiftId);
  return {
    ...base(ctx),
    businessDate: s.businessDate,
    printedAt: ctx.clock().toISOString(),
    clerkName: printedBy.name,
    periodStart: s.openedAt,
    totals: {
      receiptCount: s.receiptCount,
      voidCount: s.voidCount,
      collectedFen: s.collectedFen,
      voidedFen: voidedFen(ctx, 'r.shift_id = ?', shiftId),
      byTender: tenderRows(ctx.db, s.byTender, 'r.shift_id = ?', shiftId),
      cardSplit: s.cardSplit,
    },
    byClerk: [
      { clerkName: s.clerk.name, receiptCount: s.receiptCount, collectedFen: s.collectedFen },
    ],
    headSeq: chainHead(ctx.db).seq,
  };
}

export function enqueueXReport(ctx: ServiceContext, printedBy: ClerkRow, shiftId: string): string {
  const data = xReportPrintData(ctx, printedBy, shiftId);
  return enqueuePrintJob(ctx, {
    template: 'x-report',
    subjectId: shiftId,
    label: `X 报表 ${data.businessDate} ${data.byClerk[0]?.clerkName ?? ''}`,
    data,
  });
}

/** Queues the Z report of a just-recorded day closure (called inside the closure's transaction). */
export function enqueueZReport(
  ctx: ServiceContext,
  printedBy: ClerkRow,
  z: {
    closureNo: number;
    businessDate: string;
    receiptCount: number;
    voidCount: number;
    collectedFen: number;
    byTender: TenderTotals;
    perpetualTotalFen: number;
    perpetualAbsoluteFen: number;
  },
  byClerk: { clerkName: string; receiptCount: number; collectedFen: number }[],
): string {
  const now = ctx.clock().toISOString();
  const first = stmt(ctx.db, 'SELECT min(opened_at) AS t FROM shifts WHERE business_date = ?').get(
    z.businessDate,
  ) as { t: string | null };
  const head = chainHead(ctx.db);
  const where = 'r.business_date = ?';
  return enqueuePrintJob(ctx, {
    template: 'z-report',
    subjectId: `Z${z.closureNo}`,
    label: `Z 报表 第${z.closureNo}号 ${z.businessDate}`,
    data: {
      ...base(ctx),
      businessDate: z.businessDate,
      printedAt: now,
      clerkName: printedBy.name,
      periodStart: first.t ?? now,
      totals: {
        receiptCount: z.receiptCount,
        voidCount: z.voidCount,
        collectedFen: z.collectedFen,
        voidedFen: voidedFen(ctx, where, z.businessDate),
        byTender: tenderRows(ctx.db, z.byTender, where, z.businessDate),
        cardSplit: cardSplit(ctx.db, where, z.businessDate),
      },
      byClerk,
      headSeq: head.seq,
      zNo: z.closureNo,
      periodEnd: now,
      perpetualFen: z.perpetualTotalFen,
      perpetualAbsoluteFen: z.perpetualAbsoluteFen,
      chainHash: head.hash,
    },
  });
}
