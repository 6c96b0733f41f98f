import { z } from 'zod';
import {
  collectedFen,
  sumByKind,
  TENDER_KINDS,
  type TenderKind,
} from '@heating-cashier/core/tenders';

/**
 * The typed input of every printer template. Callers (services, the `receipt render` CLI) build
 * one of these; the fillers in `fillers.ts` turn it into template values. Money is integer fen,
 * area integer hundredths of m², times UTC ISO-8601 (printed in `timeZone`).
 */
const fen = z.number().int().min(0).max(10_000_000_000);
const signedFen = z.number().int().min(-10_000_000_000).max(10_000_000_000);
const text = (max: number) => z.string().max(max);
const isoTime = z.string().datetime({ offset: true });
const hexHash = z.string().regex(/^[0-9a-f]{64}$/);
const tenderKind = z.enum(TENDER_KINDS);

/** The parts of a receipt (一式三联), in print order; the printer setting prints the first n. */
export const RECEIPT_PARTS = ['customer', 'stub', 'accounting'] as const;
export type ReceiptPart = (typeof RECEIPT_PARTS)[number];

/** The copies of a written statement on a voided or spoiled receipt (一式四份), by holder. */
export const STATEMENT_COPIES = ['clerk', 'finance', 'ledger', 'leader'] as const;
export type StatementCopy = (typeof STATEMENT_COPIES)[number];

const common = {
  company: text(40),
  terminalName: text(40),
  timeZone: text(64).default('Asia/Shanghai'),
  isDemo: z.boolean().default(false),
};

export const receiptData = z
  .object({
    ...common,
    title: text(20).default('供热费收据'),
    receiptId: text(64).regex(/^[0-9A-Za-z-]+$/),
    receiptLabel: text(40),
    accountNo: text(32),
    name: text(60),
    address: text(120),
    areaHundredths: z.number().int().min(0),
    lines: z
      .array(
        z.object({
          seasonCode: text(20),
          amountFen: fen,
          chargeFen: fen,
          pctTenths: z.number().int().min(0).max(1000),
          rateFenPerM2: fen,
          /** an older season than the current one: printed as 陈欠 */
          arrears: z.boolean(),
          /**
           * What the season still owes after this payment: 0 prints 结清, more prints 部分缴费 with
           * the percentage. Jobs queued before it was kept fall back to the percentage alone.
           */
          balanceAfterFen: fen.optional(),
        }),
      )
      .min(1)
      .max(30),
    /** What is still owed per season after this payment (itemised arrears). */
    outstanding: z.array(z.object({ seasonCode: text(20), balanceFen: fen })).max(30),
    totalFen: fen,
    tenders: z
      .array(
        z.object({
          kind: tenderKind,
          amountFen: fen,
          tenderedFen: fen.optional(),
          reference: text(64).optional(),
          detail: z.record(z.string(), text(128)).default({}),
        }),
      )
      .min(1)
      .max(6),
    changeFen: fen,
    clerkName: text(40),
    clerkCode: text(20),
    issuedAt: isoTime,
    eventHash: hexHash,
    /** The QR text: the signed paper code (core/signing encodePaperReceipt). */
    paperCode: text(400).min(1),
    /** The part of the 一式三联 receipt: 第一联 客户联, 第二联 存根联, 第三联 记账联. */
    copy: z.enum(RECEIPT_PARTS),
    /** 0 = the original print; n ≥ 1 = the n-th reprint (补打). */
    reprintNo: z.number().int().min(0).default(0),
    /** Set when this print replaces a job whose outcome is unknown (connection dropped mid-job). */
    replacesUnknown: z.boolean().default(false),
    /** The card terminal's own print lines (ZVT `06 D1`/`06 D3`), printed under the customer copy. */
    terminalSlip: z.array(text(120)).max(100).default([]),
  })
  .strict();

export const voidNoticeData = z
  .object({
    ...common,
    receiptId: text(64),
    receiptLabel: text(40),
    accountNo: text(32),
    name: text(60),
    totalFen: fen,
    issuedAt: isoTime,
    voidedAt: isoTime,
    reason: text(200),
    clerkName: text(40),
    approverName: text(40),
    eventHash: hexHash,
  })
  .strict();

/**
 * The written statement (书面说明) on a voided receipt or a spoiled blank (废票), one copy per holder
 * (一式四份: the clerk keeps one; finance, the heating ledger clerk and the group leader get one).
 * A spoiled blank has no household or amount; an approver is printed when one was recorded.
 */
export const voidStatementData = z
  .object({
    ...common,
    kind: z.enum(['void', 'spoil']),
    receiptLabel: text(40),
    accountNo: text(32).nullable(),
    name: text(60).nullable(),
    totalFen: fen.nullable(),
    issuedAt: isoTime.nullable(),
    /** When the receipt was voided or the blank recorded as spoiled. */
    at: isoTime,
    reason: text(200),
    clerkName: text(40),
    clerkCode: text(20),
    approverName: text(40).nullable(),
    eventHash: hexHash,
    copy: z.enum(STATEMENT_COPIES),
    /** Printed again from the receipt screen or the print queue: marked 补打. */
    reprint: z.boolean().default(false),
  })
  .strict();

/** The state of each number of a returned receipt book; a run of unused numbers is one entry. */
const bookEntry = z
  .object({
    fromLabel: text(40),
    /** The last number of a run (unused numbers only); null for a single number. */
    toLabel: text(40).nullable(),
    state: z.enum(['issued', 'voided', 'spoiled', 'unused']),
    amountFen: fen.nullable(),
    accountNo: text(32).nullable(),
    /** Issued: the shift was closed with its hand-in slip (交款). */
    handedIn: z.boolean().nullable(),
  })
  .strict();

/** The list a returned book prints: every number and its state (issued, voided, spoiled, unused). */
export const bookReturnData = z
  .object({
    ...common,
    series: text(16),
    firstLabel: text(40),
    lastLabel: text(40),
    clerkName: text(40),
    clerkCode: text(20),
    returnedAt: isoTime,
    approverName: text(40),
    entries: z.array(bookEntry).max(20_000),
    eventHash: hexHash,
    copy: z.enum(['finance', 'clerk']),
    reprint: z.boolean().default(false),
  })
  .strict();

/** Card takings split: through the terminal (online) vs keyed in by hand (manual). */
const cardSplit = z
  .object({
    terminalCount: z.number().int().min(0),
    terminalFen: fen,
    manualCount: z.number().int().min(0),
    manualFen: fen,
  })
  .strict();

const denomination = z.object({ faceFen: fen, count: z.number().int().min(0) });

/** The finance rule for a shift: collected = cash + card + QR; pending cheques are not in it. */
const collectedExcludesCheques = (d: {
  collectedFen: number;
  byTender: { kind: TenderKind; amountFen: number }[];
}) => collectedFen(sumByKind(d.byTender)) === d.collectedFen;
const COLLECTED_RULE = {
  message: 'collectedFen must be the sum of the cash, card and QR tenders (cheques are pending)',
  path: ['collectedFen'],
};

export const handInSlipData = z
  .object({
    ...common,
    slipNo: text(40),
    businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    clerkName: text(40),
    clerkCode: text(20),
    shiftOpenedAt: isoTime,
    shiftClosedAt: isoTime,
    openingFloatFen: fen,
    receiptCount: z.number().int().min(0),
    voidCount: z.number().int().min(0),
    firstReceiptLabel: text(40).nullable(),
    lastReceiptLabel: text(40).nullable(),
    byTender: z.array(
      z.object({ kind: tenderKind, count: z.number().int().min(0), amountFen: fen }),
    ),
    collectedFen: fen,
    expectedCashFen: fen,
    countedCashFen: fen,
    denominations: z.array(denomination).max(20),
    varianceFen: signedFen,
    varianceApprovedBy: text(40).nullable(),
    handInFen: fen,
    cardSplit: cardSplit.optional(),
    copy: z.enum(['finance', 'clerk']),
    chainHash: hexHash,
  })
  .strict()
  .refine(collectedExcludesCheques, COLLECTED_RULE);

const reportTotals = z.object({
  receiptCount: z.number().int().min(0),
  voidCount: z.number().int().min(0),
  collectedFen: fen,
  voidedFen: fen,
  byTender: z.array(z.object({ kind: tenderKind, count: z.number().int().min(0), amountFen: fen })),
  cardSplit: cardSplit.optional(),
});
// No collected-total rule here: an X/Z total may also hold cheques that cleared in the period
// (cash-control); the filler prints them as their own row so the rows still add up.

export const xReportData = z
  .object({
    ...common,
    businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    printedAt: isoTime,
    clerkName: text(40),
    periodStart: isoTime,
    totals: reportTotals,
    byClerk: z.array(
      z.object({ clerkName: text(40), receiptCount: z.number().int(), collectedFen: fen }),
    ),
    headSeq: z.number().int().min(0),
  })
  .strict();

export const zReportData = xReportData
  .extend({
    zNo: z.number().int().min(1),
    periodEnd: isoTime,
    /** Since the terminal was installed; voids are subtracted. */
    perpetualFen: signedFen,
    /** Since the terminal was installed; voids are added, never netted away. */
    perpetualAbsoluteFen: fen,
    chainHash: hexHash,
  })
  .strict();

export const dunningNoticeData = z
  .object({
    ...common,
    noticeNo: text(40),
    accountNo: text(32),
    name: text(60),
    address: text(120),
    areaHundredths: z.number().int().min(0),
    arrears: z
      .array(z.object({ seasonCode: text(20), chargeFen: fen, paidFen: fen, balanceFen: fen }))
      .min(1)
      .max(30),
    totalFen: fen,
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    issuedAt: isoTime,
    contactPhone: text(40),
    counterAddress: text(120),
  })
  .strict();

export const testPageData = z
  .object({
    ...common,
    printedAt: isoTime,
    interfaceLabel: text(120),
    width: z.union([z.literal(32), z.literal(48)]),
    encoding: z.enum(['gb18030', 'cp936']),
  })
  .strict();

export const templateData = {
  receipt: receiptData,
  'void-notice': voidNoticeData,
  'void-statement': voidStatementData,
  'book-return': bookReturnData,
  'hand-in-slip': handInSlipData,
  'x-report': xReportData,
  'z-report': zReportData,
  'dunning-notice': dunningNoticeData,
  'test-page': testPageData,
} as const;

export type TemplateName = keyof typeof templateData;
export const templateNames = Object.keys(templateData) as TemplateName[];
export type TemplateInput<T extends TemplateName> = z.input<(typeof templateData)[T]>;
export type TemplateData<T extends TemplateName> = z.output<(typeof templateData)[T]>;
export type ReceiptData = TemplateData<'receipt'>;
export type VoidNoticeData = TemplateData<'void-notice'>;
export type VoidStatementData = TemplateData<'void-statement'>;
export type BookReturnData = TemplateData<'book-return'>;
export type HandInSlipData = TemplateData<'hand-in-slip'>;
export type XReportData = TemplateData<'x-report'>;
export type ZReportData = TemplateData<'z-report'>;
export type DunningNoticeData = TemplateData<'dunning-notice'>;
export type TestPageData = TemplateData<'test-page'>;

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templateData, name);
}
