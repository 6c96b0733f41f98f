import { z } from 'zod';
import { fen, id, isoTime, positiveFen, totalFen } from './primitives';
import { rulesEventPayloads } from './rules-events';
import { dunningEventPayloads } from './dunning-events';
import { chequeEventPayloads } from './cheque-events';
import { trustEventPayloads } from './trust-events';
import { serviceEventPayloads } from './service-events';
import { TENDER_KINDS, type TenderKind } from '../tenders';
import { verifierVersion } from './verifier';

/** Payloads of the append-only ledger events. These travel to head office unchanged. */
export const tenderRecord = z.object({
  kind: z.enum(TENDER_KINDS),
  amountFen: positiveFen,
  tenderedFen: fen.optional(),
  reference: z.string().max(64).optional(),
  detail: z.record(z.string(), z.string().max(128)).default({}),
});

export const receiptLineRecord = z.object({
  seasonId: id,
  seasonCode: z.string().max(20),
  amountFen: positiveFen,
  chargeFen: fen,
  pctTenths: z.number().int().min(0),
  balanceAfterFen: fen,
});

/** Amounts of valid receipts per tender kind; cheques stay pending until cleared. */
export const tenderTotals = z.object(
  Object.fromEntries(TENDER_KINDS.map((k) => [k, totalFen])) as Record<TenderKind, typeof totalFen>,
);

export const eventPayloads = {
  ...dunningEventPayloads,
  'book.issued': z.object({
    bookId: id,
    series: z.string().max(16),
    firstNo: z.number().int().positive(),
    lastNo: z.number().int().positive(),
    clerkId: id,
    approvedBy: id,
  }),
  'shift.opened': z.object({ shiftId: id, clerkId: id, openingFloatFen: fen }),
  'shift.closed': z.object({
    shiftId: id,
    clerkId: id,
    receiptCount: z.number().int().min(0),
    voidCount: z.number().int().min(0),
    /** Cash + card + QR/transfer of the shift's valid receipts; pending cheques are not collected. */
    collectedFen: totalFen,
    cashCollectedFen: totalFen,
    byTender: tenderTotals,
    denominations: z.record(z.string(), z.number().int().min(0)),
    expectedCashFen: z.number().int(),
    countedCashFen: totalFen,
    varianceFen: z.number().int(),
    varianceReason: z.string().max(200).nullable(),
    approvedBy: id.nullable(),
  }),
  'cash.moved': z.object({
    movementId: id,
    shiftId: id,
    kind: z.enum(['cash_in', 'cash_out', 'safe_drop']),
    amountFen: positiveFen,
    reason: z.string().max(200),
    approvedBy: id.nullable(),
  }),
  'receipt.spoiled': z.object({
    bookId: id,
    receiptNo: z.number().int().positive(),
    receiptLabel: z.string().max(40),
    shiftId: id,
    reason: z.string().max(200),
  }),
  'book.returned': z.object({
    bookId: id,
    clerkId: id,
    nextNo: z.number().int().positive(),
    approvedBy: id,
  }),
  'day.closed': z.object({
    closureNo: z.number().int().positive(),
    businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    receiptCount: z.number().int().min(0),
    voidCount: z.number().int().min(0),
    collectedFen: totalFen,
    byTender: tenderTotals,
    /** Net of voids since the first receipt of this terminal. */
    perpetualTotalFen: totalFen,
    /** Issued plus voided amounts since the first receipt: voids can never net this down. */
    perpetualAbsoluteFen: totalFen,
  }),
  'receipt.issued': z.object({
    receiptId: id,
    requestId: id,
    bookId: id,
    receiptNo: z.number().int().positive(),
    receiptLabel: z.string().max(40),
    householdId: id,
    accountNo: z.string().max(32),
    shiftId: id,
    totalFen: positiveFen,
    changeFen: fen,
    lines: z.array(receiptLineRecord).min(1),
    tenders: z.array(tenderRecord).min(1),
    /**
     * When the clerk opened this household's account (`household.account`), main's clock: the start
     * of the service time (features/service/service-clock.ts). Absent on receipts before migration
     * 0020 and when the clerk had not opened this household's account first.
     */
    serviceStartedAt: isoTime.optional(),
  }),
  'receipt.voided': z.object({
    receiptId: id,
    receiptLabel: z.string().max(40),
    shiftId: id,
    reason: z.string().max(200),
    approvedBy: id,
  }),
  'receipt.reprinted': z.object({ receiptId: id, reprintNo: z.number().int().positive() }),
  'approval.given': z.object({
    approverId: id,
    action: z.enum([
      'receipt.void',
      'book.issue',
      'book.return',
      'shift.variance',
      'cash.out',
      'day.close',
      'clerk.add',
    ]),
    subjectId: id,
    reason: z.string().max(200),
    /** The approver's verifier version (verifierVersionOf); written since issue 17. */
    verifier: verifierVersion.optional(),
  }),
  ...rulesEventPayloads,
  ...chequeEventPayloads,
  ...trustEventPayloads,
  ...serviceEventPayloads,
} as const;

export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;
export type TenderRecord = z.infer<typeof tenderRecord>;
export type ReceiptLineRecord = z.infer<typeof receiptLineRecord>;

export interface LedgerEvent<T extends EventType = EventType> {
  seq: number;
  id: string;
  terminalId: string;
  type: T;
  occurredAt: string;
  businessDate: string;
  clerkId: string | null;
  payload: EventPayload<T>;
  prevHash: string;
  hash: string;
}
