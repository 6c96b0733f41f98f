import { z } from 'zod';
import { dateOnly, id, positiveFen } from './primitives';

/**
 * Cheque decisions (issue 7/8). A cheque tender is pending at payment; a supervisor at the counter
 * or head office later records it cleared or bounced. One decision has one `decisionId` everywhere:
 * head office's decision pulled by the terminal becomes the terminal's event with the same id, so
 * the echo pushed back up is recognised and never applied twice.
 */
const decision = {
  decisionId: id,
  receiptId: id,
  receiptLabel: z.string().max(40),
  /** Index of the cheque among the receipt's tenders. */
  position: z.number().int().min(0).max(50),
  chequeNo: z.string().max(64),
  amountFen: positiveFen,
  /** Who decided: the supervisor's clerk id, or 'head-office'. */
  decidedBy: id,
  source: z.enum(['counter', 'head-office']),
};

export const restoredLine = z.object({ seasonId: id, amountFen: positiveFen });

export const chequeEventPayloads = {
  'cheque.cleared': z.object({
    ...decision,
    /** The bank's value date (when the money reached the account). */
    clearedOn: dateOnly,
  }),
  'cheque.bounced': z.object({
    ...decision,
    bouncedOn: dateOnly,
    reason: z.string().min(1).max(200),
    /** The arrears given back to the household, per season (core/cheques chequeRestoration). */
    restored: z.array(restoredLine).min(1).max(50),
  }),
} as const;
