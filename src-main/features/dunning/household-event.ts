import type { EventPayload, EventType } from '@heating-cashier/core/contract/events';
import { appendEvent } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import { writeTransaction } from '../../ledger/transaction';
import type { ServiceContext } from '../../services/context';
import { requireHousehold } from '../households/households';
import type { ClerkRow } from '../session/clerks.store';

/**
 * Records one event about an existing household in its own write transaction: `payload` is given
 * the new record's id (a UUIDv7 on the terminal's clock), which is returned.
 */
export function recordHouseholdEvent<T extends EventType>(
  ctx: ServiceContext,
  clerk: ClerkRow,
  householdId: string,
  type: T,
  payload: (id: string) => EventPayload<T>,
): string {
  requireHousehold(ctx, householdId);
  const id = uuidv7(ctx.clock().getTime());
  writeTransaction(ctx, (append) => appendEvent(append, type, payload(id), clerk.id));
  return id;
}
