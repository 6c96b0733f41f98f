import { z } from 'zod';
import { authed, command, optionalSupervisor, supervisor } from './command';
import { shiftInfo } from './schemas';
import { tenderTotals } from './events';
import { dateOnly, fen, id, positiveFen, shortText, totalFen } from './primitives';
import { cardSplitSchema, shiftReportSchema, shiftSummarySchema } from './shift-report';
import { serviceKpiReport } from './service-commands';

/** ¥100, 50, 20, 10, 5, 1, 0.5, 0.1, 0.05, 0.02, 0.01 in fen -> pieces counted. */
const denominations = z
  .object({
    '10000': z.number().int().min(0).max(1_000_000),
    '5000': z.number().int().min(0).max(1_000_000),
    '2000': z.number().int().min(0).max(1_000_000),
    '1000': z.number().int().min(0).max(1_000_000),
    '500': z.number().int().min(0).max(1_000_000),
    '100': z.number().int().min(0).max(1_000_000),
    '50': z.number().int().min(0).max(1_000_000),
    '10': z.number().int().min(0).max(1_000_000),
    '5': z.number().int().min(0).max(1_000_000),
    '2': z.number().int().min(0).max(1_000_000),
    '1': z.number().int().min(0).max(1_000_000),
  })
  .partial()
  .strict();

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const exportFormat = z.enum(['pdf', 'xlsx', 'html']);

const dayTotals = z.object({
  receiptCount: z.number().int(),
  voidCount: z.number().int(),
  collectedFen: totalFen,
  byTender: tenderTotals,
});

/** Shift cash control, receipt-book accounting, day closure (Z) and reports. */
export const cashCommands = {
  'shift.close': command({
    summary:
      'Close the shift with the cash counted by denomination; variance above the limit needs reason + supervisor',
    input: z
      .object({
        ...authed,
        denominations,
        varianceReason: shortText(200).optional(),
        ...optionalSupervisor,
      })
      .strict(),
    output: shiftInfo.extend(shiftSummarySchema.shape),
  }),
  'shift.xReport': command({
    summary: 'X report of the open shift: the hand-in figures so far; changes nothing',
    input: z.object(authed).strict(),
    /** Plus the variance limit the close applies (setting cash.varianceThresholdFen). */
    output: shiftReportSchema.extend({ varianceThresholdFen: fen }),
  }),
  'shift.handInSlip': command({
    summary: 'Hand-in slip (交款单) figures of a shift',
    input: z.object({ ...authed, shiftId: id }).strict(),
    output: shiftReportSchema,
  }),
  'cash.move': command({
    summary:
      'Cash in / cash out / safe drop during the shift, with a reason (cash out: supervisor)',
    input: z
      .object({
        ...authed,
        kind: z.enum(['cash_in', 'cash_out', 'safe_drop']),
        amountFen: positiveFen,
        reason: shortText(200),
        ...optionalSupervisor,
      })
      .strict(),
    output: z.object({
      movementId: id,
      kind: z.string(),
      amountFen: fen,
      expectedCashFen: z.number().int(),
    }),
  }),
  'receipt.spoil': command({
    summary:
      'Record the next paper receipt as spoiled (damaged), with a reason; the number is used up',
    input: z.object({ ...authed, reason: shortText(200) }).strict(),
    output: z.object({ receiptLabel: z.string(), bookId: id }),
  }),
  'book.return': command({
    summary: 'Return a receipt book (stubs handed in, unused numbers go back); supervisor PIN',
    input: z.object({ ...authed, bookId: id, ...supervisor }).strict(),
    output: z.object({
      bookId: id,
      series: z.string(),
      usedUpTo: z.number().int(),
      unusedFrom: z.number().int().nullable(),
    }),
  }),
  'day.close': command({
    summary:
      'Day closure (Z) of a business day: period and perpetual totals, chained in the ledger',
    input: z.object({ ...authed, businessDate: dateOnly.optional(), ...supervisor }).strict(),
    output: dayTotals.extend({
      closureNo: z.number().int(),
      businessDate: dateOnly,
      perpetualTotalFen: totalFen,
      perpetualAbsoluteFen: totalFen,
    }),
  }),
  'report.daily': command({
    summary: 'Daily report by clerk for a business day',
    input: z.object({ ...authed, businessDate: dateOnly }).strict(),
    output: z.object({
      businessDate: dateOnly,
      clerks: z.array(
        dayTotals.extend({ clerkId: id, clerkName: z.string(), cardSplit: cardSplitSchema }),
      ),
      total: dayTotals,
      cardSplit: cardSplitSchema,
      /** total.byTender.qr: confirmed through head office (qr.sale) vs typed by the clerk (未确认). */
      qrSplit: z.object({
        confirmedCount: z.number().int(),
        confirmedFen: totalFen,
        unconfirmedCount: z.number().int(),
        unconfirmedFen: totalFen,
      }),
      /** Card + confirmed QR over collected, in tenths of a percent (unconfirmed QR not counted). */
      ePaymentShareTenths: z.number().int(),
      /** The seed's service KPIs of the day (issue 22). */
      serviceKpis: serviceKpiReport,
    }),
  }),
  'report.monthly': command({
    summary:
      'Monthly report: collected, by tender, e-payment share, collection and arrears rates, by community',
    input: z.object({ ...authed, month }).strict(),
    output: z.object({
      month: z.string(),
      total: dayTotals,
      ePaymentShareTenths: z.number().int(),
      seasons: z.array(
        z.object({
          seasonCode: z.string(),
          receivableFen: totalFen,
          collectedFen: totalFen,
          collectionRateTenths: z.number().int(),
          outstandingFen: totalFen,
        }),
      ),
      arrearsRateTenths: z.number().int(),
      communities: z.array(
        z.object({ community: z.string(), receiptCount: z.number().int(), collectedFen: totalFen }),
      ),
      /** The seed's service KPIs of the month (issue 22). */
      serviceKpis: serviceKpiReport,
    }),
  }),
  'shift.printX': command({
    summary:
      'Print the X report of the open shift on the receipt printer (through the print queue)',
    input: z.object(authed).strict(),
    output: z.object({ jobId: id, label: z.string() }),
  }),
  'shift.slipPreview': command({
    summary:
      'The thermal hand-in slip (交款单) of a closed shift as it prints: SVG preview and text',
    input: z.object({ ...authed, shiftId: id, copy: z.enum(['finance', 'clerk']) }).strict(),
    output: z.object({ svg: z.string(), text: z.string(), width: z.number().int() }),
  }),
  'report.export': command({
    summary:
      'A4 PDF (or Excel, or the A4 HTML) of a hand-in slip, a daily or a monthly report, base64',
    input: z.discriminatedUnion('report', [
      z
        .object({
          ...authed,
          report: z.literal('handInSlip'),
          shiftId: id,
          copy: z.enum(['finance', 'clerk']).optional(),
          format: exportFormat,
        })
        .strict(),
      z
        .object({
          ...authed,
          report: z.literal('daily'),
          businessDate: dateOnly,
          format: exportFormat,
        })
        .strict(),
      z.object({ ...authed, report: z.literal('monthly'), month, format: exportFormat }).strict(),
    ]),
    output: z.object({
      fileName: z.string(),
      mime: z.string(),
      base64: z.string(),
      bytes: z.number().int(),
    }),
  }),
} as const;
