import { z } from 'zod';
import { authed, command } from './command';
import { explicitAllocation, receiptDetail } from './schemas';
import { id, isoTime, localized, positiveFen, uuid } from './primitives';
import { outTradeNo, qrWireProvider } from './qr-wire';

/**
 * One QR (payment code) sale as the counter keeps it (table qr_payments): the write-ahead intent,
 * what head office answered, and the receipt it became.
 * - intent: written before the sale went to head office; outcome not known yet;
 * - completed: paid and recorded as exactly one receipt;
 * - failed: the provider refused, or head office certainly did not send it; nothing taken;
 * - cancelled: cancelled at the provider (timeout while paying, clerk abort); nothing taken.
 */
export const qrPayment = z.object({
  intentId: id,
  requestId: id,
  outTradeNo,
  provider: qrWireProvider,
  /** The payment code masked (first 4, last 4): the full code is never stored. */
  maskedCode: z.string(),
  state: z.enum(['intent', 'completed', 'failed', 'cancelled']),
  householdId: id,
  shiftId: id,
  amountFen: positiveFen,
  tradeNo: z.string().nullable(),
  buyer: z.string().nullable(),
  paidAt: isoTime.nullable(),
  providerCode: z.string().nullable(),
  providerSubCode: z.string().nullable(),
  /** The provider's (or head office's) words and the next step. */
  message: localized.nullable(),
  receiptId: z.string().nullable(),
  resolution: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

const qrResult = z.object({ payment: qrPayment, receipt: receiptDetail.nullable() });

/** QR payments by the customer's payment code, settled through head office (issue 23). */
export const qrCommands = {
  'qr.sale': command({
    summary:
      'Scan-to-pay: write-ahead intent, sale through head office, one receipt when paid; idempotent by requestId',
    input: z
      .object({
        ...authed,
        requestId: uuid,
        householdId: id,
        amountFen: positiveFen,
        allocation: explicitAllocation.optional(),
        /** The payment code as the scanner (or the clerk) typed it. */
        code: z.string().trim().min(1).max(40),
        /** How it came in: a scanner burst or typed by hand (kept for the service log). */
        source: z.enum(['scanner', 'keyboard']).default('keyboard'),
      })
      .strict(),
    output: qrResult.extend({ replayed: z.boolean() }),
  }),
  'qr.pending': command({
    summary: 'QR sales whose outcome is not known yet (after a crash, a lost answer, an outage)',
    input: z.object(authed).strict(),
    output: z.object({ payments: z.array(qrPayment) }),
  }),
  'qr.resolve': command({
    summary:
      'Ask head office (which asks the provider) about an unresolved QR sale: paid becomes its receipt, refused or cancelled closes it, unknown stays',
    input: z.object({ ...authed, intentId: id }).strict(),
    output: qrResult,
  }),
  'qr.cancel': command({
    summary:
      'Clerk gives up on an unresolved QR sale: head office queries first (paid → receipt), otherwise cancels at the provider',
    input: z.object({ ...authed, intentId: id }).strict(),
    output: qrResult,
  }),
} as const;
