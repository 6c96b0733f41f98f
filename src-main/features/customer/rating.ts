import { clerkById } from '../session/clerks.store';
import { receiptById } from '../receipts/receipts.store';
import { rateReceipt } from '../service/ratings';
import { ServiceError, type ServiceContext } from '../../services/context';
import { publishIdle } from './customer-view';

/**
 * `customer.rate`: the customer's 1–5 on the paired display, for the receipt the display shows now
 * and no other (the display never names a receipt itself). Stored by the service KPIs' rateReceipt
 * under the receipt's clerk; then the display goes back to the welcome screen.
 */
export function rateOnDisplay(ctx: ServiceContext, score: number) {
  const view = ctx.runtime.customer.lastView(ctx.clock().getTime());
  const receiptId = view?.phase === 'paid' ? view.ratingReceiptId : null;
  if (!receiptId) throw new ServiceError('CUSTOMER_NOTHING_TO_RATE');
  const receipt = receiptById(ctx.db, receiptId);
  const clerk = receipt ? clerkById(ctx.db, receipt.clerk_id) : null;
  if (!receipt || !clerk) throw new ServiceError('CUSTOMER_NOTHING_TO_RATE');
  const rating = rateReceipt(ctx, clerk, { receiptId, score, source: 'display' });
  publishIdle(ctx);
  return { receiptLabel: rating.receiptLabel, score: rating.score };
}
