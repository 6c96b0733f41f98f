import { z } from 'zod';
import { authed, command } from './command';
import { customerView, customerViewPhase, satisfactionScore } from './customer-view';
import { fen, id, isoTime, positiveFen } from './primitives';
import { explicitAllocation } from './schemas';

/**
 * What the clerk's screen shows now, as the clerk's renderer states it (`customer.show`). Main
 * composes the customer view from the ledger itself; the renderer never sends names or amounts
 * owed, only which household, the amount being taken and the cash tendered.
 */
export const customerScreen = z
  .object({
    phase: customerViewPhase,
    householdId: id.optional(),
    /** This payment's total; absent while the amount field does not hold a valid amount. */
    amountFen: positiveFen.optional(),
    /** The clerk's own split (F6); absent: oldest season first, as the payment does. */
    allocation: explicitAllocation.optional(),
    /** Cash tendered by the customer (收款). */
    tenderedFen: fen.optional(),
    /** The cash part of a split payment (the rest by card, cheque, QR); absent: all of amountFen. */
    cashFen: positiveFen.optional(),
    /** The receipt just issued (phase `paid`). */
    receiptId: id.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const need = (field: keyof typeof s, ok: boolean, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    const only = (allowed: readonly (keyof typeof s)[]) => {
      for (const key of Object.keys(s) as (keyof typeof s)[]) {
        if (key !== 'phase' && !allowed.includes(key))
          ctx.addIssue({ code: 'custom', path: [key], message: `not allowed in phase ${s.phase}` });
      }
    };
    switch (s.phase) {
      case 'idle':
        only([]);
        break;
      case 'account':
        need('householdId', s.householdId !== undefined, 'required in phase account');
        only(['householdId']);
        break;
      case 'payment':
        need('householdId', s.householdId !== undefined, 'required in phase payment');
        only(['householdId', 'amountFen', 'allocation', 'tenderedFen', 'cashFen']);
        if (s.cashFen !== undefined && s.amountFen !== undefined && s.cashFen > s.amountFen)
          need('cashFen', false, 'the cash part cannot exceed the amount');
        break;
      case 'paid':
        need('householdId', s.householdId !== undefined, 'required in phase paid');
        need('receiptId', s.receiptId !== undefined, 'required in phase paid');
        only(['householdId', 'receiptId']);
        break;
    }
  });

/** The customer display (issue 22): the clerk states the screen; a paired display reads and rates. */
export const customerCommands = {
  'customer.show': command({
    summary:
      'The clerk’s screen state for the customer display: main composes the masked customer view and pushes it',
    input: z.object({ ...authed, screen: customerScreen }).strict(),
    output: z.object({ version: z.number().int().nonnegative(), phase: customerViewPhase }),
  }),
  'customer.pairingCode': command({
    summary:
      'The 6-digit code a /customer page enters to become this counter’s customer display (renew: a new one)',
    input: z.object({ ...authed, renew: z.boolean().default(false) }).strict(),
    output: z.object({
      code: z.string().regex(/^\d{6}$/),
      expiresAt: isoTime,
      /** Customer displays paired now (web pages and the Electron customer window). */
      displays: z.number().int().nonnegative(),
    }),
  }),
  'customer.pair': command({
    summary:
      'Pair this connection as a customer display with the code shown on the clerk’s screen; returns the current view',
    input: z.object({ code: z.string().regex(/^\d{6}$/, 'six digits') }).strict(),
    output: z.object({ view: customerView }),
  }),
  'customer.current': command({
    summary: 'The current customer view (a paired customer display only)',
    input: z.object({}).strict(),
    output: z.object({ view: customerView }),
  }),
  'customer.rate': command({
    summary:
      'The customer’s 1–5 rating of the receipt on the display now (a paired customer display only)',
    input: z.object({ score: satisfactionScore }).strict(),
    output: z.object({ receiptLabel: z.string(), score: satisfactionScore }),
  }),
} as const;
