import { z } from 'zod';
import { tenderRecord } from './events';
import {
  category,
  dateOnly,
  fen,
  id,
  isoTime,
  localized,
  positiveFen,
  role,
  shortText,
} from './primitives';

export { localized };

/** Shapes shared by several command tables. */
export const clerkInfo = z.object({ id, code: z.string(), name: z.string(), role });
export const shiftInfo = z.object({
  id,
  clerkId: id,
  clerkName: z.string(),
  businessDate: dateOnly,
  openingFloatFen: fen,
  openedAt: isoTime,
  closedAt: isoTime.nullable(),
});
export const bookInfo = z.object({
  id,
  series: z.string(),
  firstNo: z.number().int(),
  lastNo: z.number().int(),
  nextNo: z.number().int(),
  remaining: z.number().int(),
});

export const householdSummary = z.object({
  id,
  accountNo: z.string(),
  name: z.string(),
  address: z.string(),
  phoneLast4: z.string(),
  areaHundredths: z.number().int(),
  category,
  owedFen: fen,
  flags: z.object({
    subsidised: z.boolean(),
    noHeat: z.boolean(),
    blacklisted: z.boolean(),
    legalAction: z.boolean(),
  }),
});

export const seasonAccount = z.object({
  seasonId: id,
  seasonCode: z.string(),
  rateFenPerM2: fen,
  chargeFen: fen,
  paidElsewhereFen: fen,
  paidHereFen: fen,
  balanceFen: fen,
  inArrears: z.boolean(),
});

export const receiptSummary = z.object({
  id,
  receiptLabel: z.string(),
  householdId: id,
  totalFen: fen,
  changeFen: fen,
  issuedAt: isoTime,
  clerkId: id,
  shiftId: id,
  voided: z.boolean(),
  voidReason: z.string().nullable(),
  reprintCount: z.number().int(),
});

export const allocationLine = z.object({
  seasonId: id,
  seasonCode: z.string(),
  amountFen: positiveFen,
  chargeFen: fen,
  balanceBeforeFen: fen,
  balanceAfterFen: fen,
  partial: z.boolean(),
  pctTenths: z.number().int(),
});

export const explicitAllocation = z
  .array(z.object({ seasonId: id, amountFen: positiveFen }))
  .min(1)
  .max(20);

export const tenderInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cash'), amountFen: positiveFen, tenderedFen: positiveFen }).strict(),
  z
    .object({
      kind: z.literal('card'),
      amountFen: positiveFen,
      terminalRef: shortText(32),
      authCode: z.string().trim().max(12).optional(),
      maskedPan: z
        .string()
        .regex(/^[0-9*]{4,19}$/)
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('cheque'),
      amountFen: positiveFen,
      chequeNo: shortText(32),
      bank: shortText(40),
    })
    .strict(),
  z
    .object({
      kind: z.literal('qr'),
      amountFen: positiveFen,
      channel: z.enum(['wechat', 'alipay', 'unionpay', 'transfer']),
      reference: shortText(64),
    })
    .strict(),
]);

export const receiptDetail = receiptSummary.extend({
  bookId: id,
  receiptNo: z.number().int(),
  household: householdSummary,
  lines: z.array(allocationLine.omit({ balanceBeforeFen: true, partial: true })),
  tenders: z.array(tenderRecord),
  eventHash: z.string(),
  /** The receipt's QR text: core/signing encodePaperReceipt, signed by the terminal key. */
  paperCode: z.string(),
});

export const componentStatus = z.object({
  state: z.enum([
    'unavailable',
    'ready',
    'busy',
    'offline',
    'error',
    'paper_out',
    'paper_near_end',
    'cover_open',
  ]),
  detail: localized.nullable(),
});

export const verifyReport = z.object({
  ok: z.boolean(),
  eventsChecked: z.number().int(),
  headSeq: z.number().int(),
  headHash: z.string(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
  /** Issue 17: how it was checked, the signatures and keys met, what needs attention. */
  mode: z.enum(['full', 'incremental']).optional(),
  fromSeq: z.number().int().optional(),
  signaturesChecked: z.number().int().optional(),
  checkpointsChecked: z.number().int().optional(),
  keys: z
    .array(
      z.object({
        keyNo: z.number().int(),
        publicKey: z.string(),
        fromSeq: z.number().int(),
        reason: z.enum(['first', 'replaced']),
        certifiedSeq: z.number().int().nullable(),
        headOfficeKey: z.string().nullable(),
      }),
    )
    .optional(),
  headOfficeKey: z.string().nullable().optional(),
  warnings: z.array(z.string()).optional(),
  chainMs: z.number().optional(),
  replayMs: z.number().nullable().optional(),
  masterRows: z
    .object({
      checked: z.number().int(),
      problems: z.array(z.object({ table: z.string(), key: z.string(), problem: z.string() })),
    })
    .optional(),
});

/** The ledger's verified state on terminal.status: an `alarm` stops payments (LEDGER_ALARM). */
export const integrityStatus = z.object({
  state: z.enum(['ok', 'checking', 'alarm']),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
  source: z.enum(['startup', 'full']).nullable(),
  startupAt: z.string().nullable(),
  startupMs: z.number().nullable(),
  fullAt: z.string().nullable(),
  fullMs: z.number().nullable(),
  headSeq: z.number().int().nullable(),
  warnings: z.array(z.string()),
});
