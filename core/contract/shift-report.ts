import { z } from 'zod';
import { tenderTotals } from './events';
import { dateOnly, fen, id, isoTime, totalFen } from './primitives';

const range = z.tuple([z.number().int(), z.number().int()]);

/** Card takings through the terminal (mode terminal) vs keyed in by hand (manual); they add up to byTender.card. */
export const cardSplitSchema = z.object({
  terminalCount: z.number().int(),
  terminalFen: totalFen,
  manualCount: z.number().int(),
  manualFen: totalFen,
});

/** The totals of one shift: what a close records. */
export const shiftSummarySchema = z.object({
  shiftId: id,
  clerk: z.object({ id, name: z.string() }),
  businessDate: dateOnly,
  openedAt: isoTime,
  closedAt: isoTime.nullable(),
  receiptCount: z.number().int(),
  voidCount: z.number().int(),
  spoiledCount: z.number().int(),
  collectedFen: totalFen,
  byTender: tenderTotals,
  cardSplit: cardSplitSchema,
  cash: z.object({
    openingFloatFen: fen,
    cashReceiptsFen: totalFen,
    cashInFen: totalFen,
    cashOutFen: totalFen,
    safeDropFen: totalFen,
    expectedFen: z.number().int(),
    countedFen: totalFen.nullable(),
    varianceFen: z.number().int().nullable(),
    denominations: z.record(z.string(), z.number().int()).nullable(),
    varianceReason: z.string().nullable(),
  }),
});

/** The figures of a hand-in slip (交款单) / X report: the totals plus every receipt, void and book range. */
export const shiftReportSchema = shiftSummarySchema.extend({
  books: z.array(
    z.object({
      bookId: id,
      series: z.string(),
      ranges: z.array(range),
      issued: z.number().int(),
      voided: z.number().int(),
      spoiled: z.number().int(),
      gaps: z.array(range),
    }),
  ),
  receipts: z.array(
    z.object({
      receiptLabel: z.string(),
      accountNo: z.string(),
      payer: z.string(),
      address: z.string(),
      areaHundredths: z.number().int(),
      totalFen: fen,
      changeFen: fen,
      voided: z.boolean(),
      voidReason: z.string().nullable(),
      lines: z.array(
        z.object({
          seasonCode: z.string(),
          rateFenPerM2: fen,
          amountFen: fen,
          pctTenths: z.number().int(),
          balanceAfterFen: fen,
          partial: z.boolean(),
        }),
      ),
      tenders: z.array(z.string()),
    }),
  ),
  voids: z.array(z.object({ receiptLabel: z.string(), reason: z.string() })),
  spoiled: z.array(z.object({ receiptLabel: z.string(), reason: z.string() })),
  chequesPending: z.array(
    z.object({ receiptLabel: z.string(), chequeNo: z.string(), bank: z.string(), amountFen: fen }),
  ),
  cashMovements: z.array(z.object({ kind: z.string(), amountFen: fen, reason: z.string() })),
  approvals: z.array(
    z.object({ action: z.string(), approverName: z.string(), reason: z.string() }),
  ),
  unsyncedEvents: z.number().int(),
});

export type ShiftReportOut = z.infer<typeof shiftReportSchema>;
