import { z } from 'zod';
import { id, isoTime, localized, positiveFen } from './primitives';

/**
 * The wire between a terminal and head office for QR (payment code) sales (issue 23). The terminal
 * never holds provider keys: it sends the scanned code and the amount, head office calls the
 * provider (head-office/src/qr/) and answers with the provider's outcome. Shared by both sides.
 */

export const qrWireProvider = z.enum(['alipay', 'wechat', 'unionpay']);

/**
 * Merchant order number (商户订单号, Alipay out_trade_no ≤ 64 chars of letters, digits and _):
 * the terminal makes it from its id and the intent id, so a repeated request is the same sale.
 */
export const outTradeNo = z
  .string()
  .regex(/^[A-Za-z0-9_]{8,64}$/, 'outTradeNo: 8-64 letters, digits or _');

export const qrSaleRequest = z
  .object({
    outTradeNo,
    provider: qrWireProvider,
    /** The customer's payment code as scanned (digits only). */
    authCode: z.string().regex(/^\d{16,24}$/, 'authCode: 16-24 digits'),
    amountFen: positiveFen,
    /** Order title (Alipay subject), e.g. 供热费 + household account. */
    subject: z.string().trim().min(1).max(128),
    householdId: id,
  })
  .strict();
export type QrSaleRequest = z.infer<typeof qrSaleRequest>;

/**
 * - paid: the provider confirmed the money (Alipay 10000 / TRADE_SUCCESS / TRADE_FINISHED);
 * - paying: the customer is still confirming on the phone (10003 / WAIT_BUYER_PAY), query again;
 * - failed: the provider refused (declined, invalid code, balance), nothing was taken;
 * - cancelled: head office cancelled it (timeout while paying, clerk abort); nothing taken;
 * - unknown: no final answer yet (provider silent, system error): query again, never pay again.
 */
export const qrSaleState = z.enum(['paid', 'paying', 'failed', 'cancelled', 'unknown']);
export type QrSaleState = z.infer<typeof qrSaleState>;

export const qrSaleAnswer = z
  .object({
    outTradeNo,
    provider: qrWireProvider,
    state: qrSaleState,
    amountFen: positiveFen,
    /** The provider's trade number (Alipay trade_no), once it has one. */
    tradeNo: z.string().max(64).nullable(),
    /** The buyer as the provider shows it (masked logon id), if given. */
    buyer: z.string().max(100).nullable(),
    paidAt: isoTime.nullable(),
    /** The provider's own code and sub-code (e.g. 40004 / ACQ.PAYMENT_AUTH_CODE_INVALID). */
    code: z.string().max(40).nullable(),
    subCode: z.string().max(80).nullable(),
    /** The provider's words for the clerk, with the next step (zh-CN, en). */
    message: localized,
  })
  .strict();
export type QrSaleAnswer = z.infer<typeof qrSaleAnswer>;

/**
 * The body of a cancel. With the sale's facts, a cancel of a sale head office never received
 * closes its out-trade number for good (a late or replayed copy of the sale request is then
 * answered `cancelled`, never paid), so the terminal can close its intent as not sent. `{}`: a
 * cancel of a known sale only (404 otherwise).
 */
export const qrCancelRequest = z.union([
  z.object({ provider: qrWireProvider, amountFen: positiveFen, householdId: id }).strict(),
  z.object({}).strict(),
]);
export type QrCancelRequest = z.infer<typeof qrCancelRequest>;

/** Routes (terminal bearer token): POST sales, GET sales/:outTradeNo (query), POST …/cancel. */
export const QR_ROUTES = {
  sale: '/v1/qr/sales',
  one: (no: string) => `/v1/qr/sales/${encodeURIComponent(no)}`,
  cancel: (no: string) => `/v1/qr/sales/${encodeURIComponent(no)}/cancel`,
} as const;
