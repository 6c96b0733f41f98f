import { z } from 'zod';
import { authed, command } from './command';
import { explicitAllocation, receiptDetail } from './schemas';
import { dateOnly, fen, id, isoTime, localized, positiveFen, shortText, uuid } from './primitives';

const cardPayment = z.object({
  intentId: id,
  requestId: id,
  mode: z.enum(['terminal', 'manual']),
  state: z.enum(['intent', 'approved', 'completed', 'declined', 'failed', 'reversed']),
  householdId: id,
  shiftId: id,
  amountFen: fen,
  currency: z.number().int(),
  resultCode: z.number().int().nullable(),
  message: localized.nullable(),
  terminalId: z.string().nullable(),
  traceNo: z.string().nullable(),
  terminalReceiptNo: z.string().nullable(),
  authCode: z.string().nullable(),
  maskedPan: z.string().nullable(),
  cardName: z.string().nullable(),
  printLines: z.array(z.string()),
  receiptId: z.string().nullable(),
  resolution: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

const terminalTransaction = z.object({
  resultCode: z.number().int(),
  approved: z.boolean(),
  amountMinor: z.number().int().nullable(),
  currencyCode: z.number().int().nullable(),
  traceNo: z.string().nullable(),
  receiptNo: z.string().nullable(),
  terminalId: z.string().nullable(),
  date: z.string().nullable(),
  time: z.string().nullable(),
  maskedPan: z.string().nullable(),
  cardName: z.string().nullable(),
  cardType: z.number().int().nullable(),
  authCode: z.string().nullable(),
});

const paymentResult = z.object({
  payment: cardPayment,
  receipt: receiptDetail.nullable(),
});

const saleFields = {
  ...authed,
  requestId: uuid,
  householdId: id,
  amountFen: positiveFen,
  allocation: explicitAllocation.optional(),
};

/** Card terminal (ZVT) payments, recovery of unconfirmed ones, manual mode, reports. */
export const cardCommands = {
  'card.sale': command({
    summary:
      'Card payment on the terminal: write-ahead intent, sale, receipt on approval; idempotent by requestId',
    input: z.object(saleFields).strict(),
    output: paymentResult.extend({ replayed: z.boolean() }),
  }),
  'card.progress': command({
    summary: 'Live terminal texts (insert card, PIN, …) of the running card payment',
    input: z.object(authed).strict(),
    output: z.object({
      inFlight: z.string().nullable(),
      connected: z.boolean(),
      texts: z.array(
        z.object({
          kind: z.enum(['intermediate', 'line', 'result', 'connection']),
          code: z.number().int().nullable(),
          text: localized,
          at: isoTime,
        }),
      ),
    }),
  }),
  'card.abort': command({
    summary: 'Ask the terminal to abort the running card payment',
    input: z.object(authed).strict(),
    output: z.object({ requested: z.boolean() }),
  }),
  'card.reconnect': command({
    summary: 'Open the terminal line again and register; lists unconfirmed card payments',
    input: z.object(authed).strict(),
    output: z.object({
      connected: z.boolean(),
      terminalId: z.string().nullable(),
      pending: z.array(cardPayment),
    }),
  }),
  'card.pending': command({
    summary: 'Card payments whose outcome is not settled (after a crash, pulled cable, timeout)',
    input: z.object(authed).strict(),
    output: z.object({ payments: z.array(cardPayment) }),
  }),
  'card.inspect': command({
    summary:
      'Ask the terminal about an unconfirmed card payment; returns the facts and allowed actions',
    input: z.object({ ...authed, intentId: id }).strict(),
    output: z.object({
      payment: cardPayment,
      terminalReachable: z.boolean().nullable(),
      lastTransaction: terminalTransaction.nullable(),
      matches: z.boolean(),
      allowed: z.array(z.enum(['record', 'reverse', 'fail'])),
      message: localized,
    }),
  }),
  'card.resolve': command({
    summary:
      'Resolve an unconfirmed card payment: record as paid, reverse on the terminal, or mark failed',
    input: z
      .object({ ...authed, intentId: id, action: z.enum(['record', 'reverse', 'fail']) })
      .strict(),
    output: paymentResult,
  }),
  'card.manual': command({
    summary: 'Manual mode (standalone terminal): key in the terminal reference and auth code',
    input: z
      .object({
        ...saleFields,
        terminalRef: shortText(24),
        authCode: z
          .string()
          .trim()
          .regex(/^[0-9A-Za-z]{1,12}$/, 'auth code'),
        maskedPan: z
          .string()
          .regex(/^[0-9]{0,6}\*{2,13}[0-9]{4}$/, 'masked PAN: first 6 / last 4 at most')
          .optional(),
      })
      .strict(),
    output: paymentResult.extend({ replayed: z.boolean() }),
  }),
  'card.report': command({
    summary: 'Card takings of a business day (non-voided receipts): terminal vs manual',
    input: z.object({ ...authed, businessDate: dateOnly.optional() }).strict(),
    output: z.object({
      businessDate: dateOnly,
      terminalFen: fen,
      terminalCount: z.number().int(),
      manualFen: fen,
      manualCount: z.number().int(),
      unresolved: z.number().int(),
    }),
  }),
  'card.endOfDay': command({
    summary: 'End-of-day on the terminal; compares its total with the ledger’s terminal card total',
    input: z.object(authed).strict(),
    output: z.object({
      terminalTotalFen: fen,
      ledgerTerminalFen: fen,
      matches: z.boolean(),
      printLines: z.array(z.string()),
    }),
  }),
} as const;
