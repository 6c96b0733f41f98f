import {
  SATISFACTION_POINTS,
  satisfactionScore,
} from '@heating-cashier/core/contract/customer-view';
import type { CommandOutput } from '@heating-cashier/core/contract/commands';
import { ratingSource } from '@heating-cashier/core/contract/service-events';
import type { ClerkRow } from '../session/clerks.store';
import { appendEvent } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import { writeTransaction } from '../../ledger/transaction';
import { ServiceError, type ServiceContext } from '../../services/context';
import { receiptById } from '../receipts/receipts.store';
import { ratingOfReceipt, type RatingRow } from './service.store';

export type RatingView = CommandOutput<'service.rate'>;

export interface RateInput {
  receiptId: string;
  /** 1–5: 5 非常满意 (very satisfied) … 1 很不满意 (very dissatisfied). */
  score: number;
  source: 'display' | 'keypad';
}

function ratingView(r: RatingRow): RatingView {
  return {
    ratingId: r.id,
    receiptId: r.receipt_id,
    receiptLabel: r.receipt_label,
    clerkId: r.clerk_id,
    score: r.score,
    points: SATISFACTION_POINTS[r.score],
    source: r.source,
    ratedAt: r.rated_at,
  };
}

/**
 * The customer's satisfaction rating of one receipt (issue 22), from the customer display or the
 * clerk's keypad: one `service.rated` event, tied to the receipt and, through it, to the receipt's
 * clerk. One rating per receipt (a second is RATING_ALREADY_GIVEN); a void receipt is not rated
 * (RATING_RECEIPT_VOID); an unknown one is RECEIPT_NOT_FOUND. Rating is optional and its own small
 * transaction: it never holds up a payment or the next customer. The rating's time also ends the
 * receipt's service time "to the customer leaving".
 */
export function rateReceipt(ctx: ServiceContext, actor: ClerkRow, input: RateInput): RatingView {
  const score = satisfactionScore.safeParse(input.score);
  if (!score.success) throw new ServiceError('RATING_SCORE_INVALID');
  const source = ratingSource.parse(input.source);
  const ratingId = uuidv7(ctx.clock().getTime());
  writeTransaction(ctx, (append) => {
    const receipt = receiptById(ctx.db, input.receiptId);
    if (!receipt) throw new ServiceError('RECEIPT_NOT_FOUND');
    if (receipt.voided_seq !== null) {
      throw new ServiceError('RATING_RECEIPT_VOID', { label: receipt.receipt_label });
    }
    if (ratingOfReceipt(ctx.db, receipt.id)) {
      throw new ServiceError('RATING_ALREADY_GIVEN', { label: receipt.receipt_label });
    }
    appendEvent(
      append,
      'service.rated',
      {
        ratingId,
        receiptId: receipt.id,
        receiptLabel: receipt.receipt_label,
        score: score.data,
        source,
      },
      actor.id,
    );
  });
  return ratingView(ratingOfReceipt(ctx.db, input.receiptId)!);
}
