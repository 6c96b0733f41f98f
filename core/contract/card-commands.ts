import { z } from 'zod';
import { authed, command, supervisor } from './command';
import { componentStatus, explicitAllocation, receiptDetail } from './schemas';
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

/**
 * The card terminal's settings (ZVT over serial): the port, its line settings and the protocol
 * options the driver has. Stored as JSON in the ledger's `settings` row `cardTerminal`, and read from
 * CASHIER_CARD_TERMINAL_CONFIG files (src-main/features/card/card-terminal-config.ts).
 */
export const cardTerminalSettings = z
  .object({
    path: z.string().min(1).max(200),
    baudRate: z.number().int().min(1200).max(115_200).default(9600),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(2),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    /** The terminal's ECR password (registration 06 00), six digits. */
    password: z
      .string()
      .regex(/^\d{6}$/, 'password: six digits')
      .default('000000'),
    /** ISO 4217 numeric currency; 156 = CNY. */
    currency: z.number().int().min(1).max(999).default(156),
    t3Ms: z.number().int().min(100).max(60_000).default(5000),
    t4Ms: z.number().int().min(1000).max(600_000).default(180_000),
    /** How often an idle terminal is registered again (06 00) to see it is still there; 0 = never. */
    heartbeatMs: z.number().int().min(0).max(3_600_000).default(30_000),
  })
  .strict();

/** A serial port as the settings screen takes it: /dev/ttyUSB0, /dev/pts/3, a pty link, COM3. */
export const cardPortPath = z
  .string()
  .trim()
  .min(1, 'port: required')
  .max(200)
  .regex(/^(\/[A-Za-z0-9/_.-]+|COM\d{1,3}|\\\\\.\\COM\d{1,3})$/, 'port: /dev/… or COMn');

const cardSettingsInput = cardTerminalSettings.extend({ path: cardPortPath });

/** Where the settings in effect came from (see README, card terminal: precedence). */
const cardSettingsSource = z.enum(['screen', 'option', 'file', 'env', 'none']);

const cardSettingsView = z.object({
  /** The terminal in use (null: none, manual card entry only). */
  settings: cardTerminalSettings.nullable(),
  source: cardSettingsSource,
  status: componentStatus,
  /** An environment variable or flag that sets a terminal while nothing is saved on screen. */
  envFallback: z.string().nullable(),
});

/** Card terminal (ZVT) payments, recovery of unconfirmed ones, manual mode, reports. */
export const cardCommands = {
  'card.ports': command({
    summary: 'Serial ports the system lists (serialport), for the card terminal settings',
    input: z.object(authed).strict(),
    output: z.object({
      ports: z.array(
        z.object({ path: z.string(), label: z.string(), manufacturer: z.string().nullable() }),
      ),
    }),
  }),
  'card.settings.get': command({
    summary: 'Card terminal settings in effect, where they came from, and the terminal state',
    input: z.object(authed).strict(),
    output: cardSettingsView,
  }),
  'card.settings.test': command({
    summary:
      'Test registration (06 00) with the given settings, nothing saved (supervisor login); never during a card transaction',
    input: z.object({ ...authed, settings: cardSettingsInput }).strict(),
    output: z.object({ terminalId: z.string().nullable(), message: localized }),
  }),
  'card.settings.set': command({
    summary:
      'Save the card terminal settings (supervisor PIN): registers first, then replaces the running terminal without restart; a port that fails changes nothing',
    input: z
      .object({
        ...authed,
        ...supervisor,
        /** false: no terminal, manual card entry only. */
        enabled: z.boolean(),
        settings: cardSettingsInput.optional(),
      })
      .strict()
      .refine((v) => !v.enabled || v.settings !== undefined, {
        message: 'settings: required when enabled',
        path: ['settings'],
      }),
    output: cardSettingsView.extend({ terminalId: z.string().nullable(), message: localized }),
  }),
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
