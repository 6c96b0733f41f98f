import { z } from 'zod';
import { id } from './primitives';
import { satisfactionScore } from './customer-view';

/** Where a satisfaction rating was given: the customer display (touch / mouse) or the clerk's keypad. */
export const ratingSource = z.enum(['display', 'keypad']);

/**
 * Ledger events of the service KPIs (issue 22). A rating is tied to one receipt (and through it to the
 * receipt's clerk); one rating per receipt. They travel to head office unchanged.
 */
export const serviceEventPayloads = {
  'service.rated': z.object({
    ratingId: id,
    receiptId: id,
    receiptLabel: z.string().max(40),
    score: satisfactionScore,
    source: ratingSource,
  }),
} as const;
