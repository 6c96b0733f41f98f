import type { serviceEventPayloads } from '@heating-cashier/core/contract/service-events';
import type { EventPayload, LedgerEvent } from '@heating-cashier/core/contract/events';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

type ServiceEventType = keyof typeof serviceEventPayloads;
type Handler<T extends ServiceEventType> = (db: Db, e: LedgerEvent<T>, p: EventPayload<T>) => void;

/** Projections of the service-KPI events (migration 0020): the rating, with its receipt's clerk. */
export const serviceProjectors: { [T in ServiceEventType]: Handler<T> } = {
  'service.rated': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO service_ratings (id, receipt_id, receipt_label, clerk_id, business_date, score, source, rated_at, seq)
       SELECT @ratingId, r.id, @receiptLabel, r.clerk_id, @businessDate, @score, @source, @occurredAt, @seq
       FROM receipts r WHERE r.id = @receiptId`,
    ).run({
      ...p,
      businessDate: e.businessDate,
      occurredAt: e.occurredAt,
      seq: e.seq,
    });
  },
};

/**
 * Projection tables of migrations 0020 and 0023, for rebuild and the rebuild == live check
 * (service_spans is kept by triggers on receipts and service_ratings, so replaying refills it).
 */
export const SERVICE_PROJECTION_TABLES = [
  { table: 'service_ratings', order: 'id' },
  { table: 'service_spans', order: 'receipt_id' },
] as const;
