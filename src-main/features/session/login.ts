import type { ServiceContext } from '../../services/context';
import { currentShift } from '../cash/shifts';
import { isInitialPinHash } from '@heating-cashier/core/contract/trust-events';
import { authenticate, createSession, endSession } from './auth';

/**
 * Clerk login with code and PIN: a new session, the open shift and the clerk's receipt book.
 * `connection`: the caller's (wrong PINs lock the clerk on that connection only).
 */
export function login(ctx: ServiceContext, clerkCode: string, pin: string, connection?: string) {
  const clerk = authenticate(ctx, clerkCode, pin, connection);
  const { shift, book } = currentShift(ctx, clerk);
  return {
    ...createSession(ctx, clerk),
    clerk: { id: clerk.id, code: clerk.code, name: clerk.name, role: clerk.role },
    openShift: shift,
    book,
    mustChangePin: isInitialPinHash(clerk.pin_hash),
  };
}

export function logout(ctx: ServiceContext, session: string) {
  endSession(ctx, session);
  return { loggedOut: true as const };
}
