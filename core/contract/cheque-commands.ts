import { z } from 'zod';
import { authed, command } from './command';
import { dateOnly, fen, id, isoTime, shortText, totalFen } from './primitives';

export const chequeStatus = z.enum(['pending', 'cleared', 'bounced']);

/** One cheque tender of a receipt issued at this terminal, with its decision when there is one. */
export const chequeView = z.object({
  receiptId: id,
  receiptLabel: z.string(),
  position: z.number().int().min(0),
  chequeNo: z.string(),
  bank: z.string(),
  amountFen: fen,
  householdId: id,
  accountNo: z.string(),
  householdName: z.string(),
  clerkId: id,
  clerkName: z.string(),
  issuedAt: isoTime,
  issuedDate: dateOnly,
  receiptVoided: z.boolean(),
  status: chequeStatus,
  decisionId: z.string().nullable(),
  /** The bank's date: cleared on / bounced on. */
  valueDate: dateOnly.nullable(),
  /** The business day the decision was recorded here: the day a cleared cheque counts as collected. */
  decidedDate: dateOnly.nullable(),
  decidedBy: z.string().nullable(),
  decidedByName: z.string().nullable(),
  source: z.enum(['counter', 'head-office']).nullable(),
  reason: z.string().nullable(),
  /** Arrears a bounce gave back, per season. */
  restored: z.array(z.object({ seasonId: id, seasonCode: z.string(), amountFen: fen })),
});

const target = { receiptId: id, position: z.number().int().min(0).max(50) };

export const chequeCommands = {
  'cheque.list': command({
    summary:
      'Cheques taken at this terminal: pending ones, or cleared/bounced ones decided in a date range',
    input: z
      .object({
        ...authed,
        status: z.enum(['pending', 'cleared', 'bounced', 'all']).default('pending'),
        from: dateOnly.optional(),
        to: dateOnly.optional(),
        limit: z.number().int().min(1).max(2000).default(500),
      })
      .strict(),
    output: z.object({ cheques: z.array(chequeView), totalFen }),
  }),
  'cheque.clear': command({
    summary: 'Supervisor/finance: a pending cheque reached the account (counts as collected today)',
    input: z.object({ ...authed, ...target, clearedOn: dateOnly.optional() }).strict(),
    output: chequeView,
  }),
  'cheque.bounce': command({
    summary:
      'Supervisor/finance: a pending cheque bounced; the household owes again exactly what it paid',
    input: z
      .object({ ...authed, ...target, bouncedOn: dateOnly.optional(), reason: shortText(200) })
      .strict(),
    output: chequeView,
  }),
};
