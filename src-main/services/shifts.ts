import { openShift, shiftById, shiftTotals } from '../ledger/books-shifts';
import type { ClerkRow } from '../ledger/clerks';
import { appendEvent } from '../ledger/event-log';
import { uuidv7 } from '../ledger/ids';
import { ServiceError, writeTransaction, type ServiceContext } from './context';
import { shiftView } from './views';

/** The open shift of this counter, which must belong to `clerk`. */
export function requireOwnOpenShift(ctx: ServiceContext, clerk: ClerkRow) {
  const shift = openShift(ctx.db);
  if (!shift) throw new ServiceError('NO_OPEN_SHIFT');
  if (shift.clerk_id !== clerk.id)
    throw new ServiceError('SHIFT_OF_OTHER_CLERK', { clerkName: shift.clerk_name });
  return shift;
}

export function openNewShift(ctx: ServiceContext, clerk: ClerkRow, openingFloatFen: number) {
  return writeTransaction(ctx, (append) => {
    const existing = openShift(ctx.db);
    if (existing) throw new ServiceError('SHIFT_ALREADY_OPEN', { clerkName: existing.clerk_name });
    const shiftId = uuidv7(append.now.getTime());
    appendEvent(append, 'shift.opened', { shiftId, clerkId: clerk.id, openingFloatFen }, clerk.id);
    return shiftView(shiftById(ctx.db, shiftId)!);
  });
}

export function closeOwnShift(ctx: ServiceContext, clerk: ClerkRow) {
  return writeTransaction(ctx, (append) => {
    const shift = requireOwnOpenShift(ctx, clerk);
    const totals = shiftTotals(ctx.db, shift.id);
    appendEvent(
      append,
      'shift.closed',
      { shiftId: shift.id, clerkId: clerk.id, ...totals },
      clerk.id,
    );
    return { ...shiftView(shiftById(ctx.db, shift.id)!), ...totals };
  });
}
