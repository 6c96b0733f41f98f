import { z } from 'zod';
import { fen, id, positiveFen } from './primitives';

/**
 * What the customer sees at the counter: the customer display (second window, or the web host's
 * `/customer` page paired by a code) and the pole display (客显, serial LED). Main composes it from
 * the clerk's screen state, so it carries nothing but the household on the counter right now, with
 * the name masked; it is pushed as the `customer.view` push event to customer-facing clients only.
 *
 * Phases: `idle` (welcome, nothing of anyone), `account` (a household is open: what it owes),
 * `payment` (an amount is being taken: allocation and, once typed, tendered and change), `paid`
 * (receipt issued: receipt number, change, then the rating while `ratingOpen`).
 */
export const customerViewPhase = z.enum(['idle', 'account', 'payment', 'paid']);

export const customerViewSeason = z.object({
  seasonCode: z.string().max(20),
  chargeFen: fen,
  owedFen: fen,
});

export const customerViewLine = z.object({
  seasonCode: z.string().max(20),
  amountFen: positiveFen,
  /** Share of the season's charge this payment covers, in tenths of a percent (allocation rule). */
  pctTenths: z.number().int(),
  partial: z.boolean(),
});

export const customerView = z.object({
  /** Increases with every view a counter publishes; a display ignores an older one. */
  version: z.number().int().nonnegative(),
  phase: customerViewPhase,
  companyName: z.string().max(80),
  /** e.g. `张*明`; null in `idle`. */
  householdNameMasked: z.string().max(40).nullable(),
  /** e.g. `3-2-***`; null in `idle`. */
  addressMasked: z.string().max(80).nullable(),
  seasons: z.array(customerViewSeason).max(20),
  owedFen: fen,
  /** This payment's total (总计); null before an amount is known. */
  amountFen: fen.nullable(),
  lines: z.array(customerViewLine).max(20),
  /** Cash tendered (收款) and change (找零); null when not (yet) known or not a cash payment. */
  tenderedFen: fen.nullable(),
  changeFen: fen.nullable(),
  receiptLabel: z.string().max(40).nullable(),
  /** The receipt the customer may rate now (phase `paid`); null when rating is closed. */
  ratingReceiptId: id.nullable(),
});

export type CustomerView = z.infer<typeof customerView>;
export type CustomerViewPhase = z.infer<typeof customerViewPhase>;

/** Satisfaction rating 1–5 (非常满意 … 很不满意) and its value on the seed's 100-point scale. */
export const satisfactionScore = z.number().int().min(1).max(5);
export const SATISFACTION_POINTS: Readonly<Record<1 | 2 | 3 | 4 | 5, number>> = {
  5: 100,
  4: 80,
  3: 60,
  2: 40,
  1: 20,
};
