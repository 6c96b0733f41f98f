import { isInitialPinHash } from '@heating-cashier/core/contract/trust-events';
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import {
  clerkByCode,
  deleteExpiredSessions,
  deleteSession,
  insertSession,
  recordPinFailure,
  resetPinFailures,
  sessionClerk,
  type ClerkRow,
} from './clerks.store';
import { randomToken } from '../../ledger/ids';
import { ServiceError, type ServiceContext } from '../../services/context';
import { requireSignedClerk } from '../sync/master-rows';
import { verifierVersionOf } from '@heating-cashier/core/contract/verifier';
import { sha256Hex } from '../../ledger/sha256';
import {
  GLOBAL_MAX_PIN_ATTEMPTS,
  LOCAL_CONNECTION,
  LOCKOUT_MS,
  MAX_PIN_ATTEMPTS,
} from './pin-lockout';

export { LOCKOUT_MS, MAX_PIN_ATTEMPTS };
const SCRYPT = { N: 16384, r: 8, p: 1, keyLen: 32 };
export const SESSION_MS = 12 * 60 * 60 * 1000;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, SCRYPT.keyLen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function pinMatches(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/**
 * What an unknown clerk code's PIN is checked against: the same scrypt cost as a real check (which
 * codes exist is not revealed), made without running scrypt at start; its key matches no PIN.
 */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${randomBytes(16).toString('base64')}$${Buffer.alloc(SCRYPT.keyLen).toString('base64')}`;

// Every command hashes its session token; the counter sends the same token over and over.
let lastToken = '';
let lastTokenHash = '';

function tokenHash(token: string): string {
  if (token !== lastToken) {
    lastTokenHash = createHash('sha256').update(token).digest('hex');
    lastToken = token;
  }
  return lastTokenHash;
}

/**
 * Checks a clerk's code and PIN; returns the clerk. The clerk's row must verify first (its
 * signature covers the PIN hash, role and active flag: MASTER_ROW_INVALID names an altered row).
 * Wrong PINs lock the clerk on `connection` after MAX_PIN_ATTEMPTS, and everywhere after
 * GLOBAL_MAX_PIN_ATTEMPTS from any connections (pin-lockout.ts).
 */
export function authenticate(
  ctx: ServiceContext,
  code: string,
  pin: string,
  connection: string = LOCAL_CONNECTION,
): ClerkRow {
  const clerk = clerkByCode(ctx.db, code);
  if (!clerk || clerk.active !== 1) {
    pinMatches(pin, DUMMY_HASH); // same cost as a real check: do not reveal which codes exist
    throw new ServiceError('BAD_CREDENTIALS', { attemptsLeft: MAX_PIN_ATTEMPTS });
  }
  requireSignedClerk(ctx, clerk.id);
  const now = ctx.clock();
  if (clerk.locked_until && clerk.locked_until > now.toISOString()) {
    throw new ServiceError('CLERK_LOCKED', { until: clerk.locked_until });
  }
  const pins = ctx.runtime.pins;
  const lockedHere = pins.lockedUntil(clerk.id, connection, now);
  if (lockedHere) throw new ServiceError('CLERK_LOCKED', { until: lockedHere });
  if (!pinMatches(pin, clerk.pin_hash)) {
    // The row's count is the global backstop (every connection adds to it).
    const failures = (clerk.locked_until ? 0 : clerk.failed_pin_count) + 1;
    const globalLock =
      failures >= GLOBAL_MAX_PIN_ATTEMPTS
        ? new Date(now.getTime() + LOCKOUT_MS).toISOString()
        : null;
    if (clerk.locked_until) resetPinFailures(ctx.db, clerk.id);
    recordPinFailure(ctx.db, clerk.id, globalLock);
    const here = pins.fail(clerk.id, connection, now);
    const lock = globalLock ?? here.lockedUntil;
    if (lock) throw new ServiceError('CLERK_LOCKED', { until: lock });
    throw new ServiceError('BAD_CREDENTIALS', {
      attemptsLeft: Math.min(here.attemptsLeft, GLOBAL_MAX_PIN_ATTEMPTS - failures),
    });
  }
  resetPinFailures(ctx.db, clerk.id);
  pins.succeed(clerk.id, connection);
  return clerk;
}

export function createSession(
  ctx: ServiceContext,
  clerk: ClerkRow,
): { session: string; expiresAt: string } {
  const now = ctx.clock();
  const session = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_MS).toISOString();
  deleteExpiredSessions(ctx.db, now.toISOString());
  insertSession(ctx.db, tokenHash(session), clerk.id, now.toISOString(), expiresAt);
  return { session, expiresAt };
}

/** The logged-in clerk is a supervisor (settings tests, imports: no second person needed). */
export function requireSupervisorSession(clerk: ClerkRow): void {
  if (clerk.role !== 'supervisor') throw new ServiceError('SUPERVISOR_SESSION_REQUIRED');
}

export function requireClerk(ctx: ServiceContext, session: string): ClerkRow {
  const clerk = sessionOwner(ctx, session);
  // A PIN head office issued works for one thing only: setting a new one (session.changePin).
  if (isInitialPinHash(clerk.pin_hash)) throw new ServiceError('PIN_CHANGE_REQUIRED');
  return clerk;
}

/** The session's clerk, even one who still has to replace an initial PIN (log-out, PIN change). */
export function sessionOwner(ctx: ServiceContext, session: string): ClerkRow {
  const clerk = sessionClerk(ctx.db, tokenHash(session), ctx.clock().toISOString());
  if (!clerk) throw new ServiceError('NOT_LOGGED_IN');
  // The session's clerk row is what every command acts on (role, active): it must still verify.
  // Remembered on the connection once verified, so this costs a lookup while the row is unchanged.
  requireSignedClerk(ctx, clerk.id);
  return clerk;
}

export function endSession(ctx: ServiceContext, session: string): void {
  deleteSession(ctx.db, tokenHash(session));
}

/**
 * A supervisor's code + PIN given at the counter for one action. `connection`: the caller's, when
 * the transport's handler passes it (withSupervisor); approvals asked for inside a use case count
 * their wrong PINs in the process's LOCAL_CONNECTION bucket (and the global backstop).
 */
export function requireSupervisor(
  ctx: ServiceContext,
  code: string,
  pin: string,
  connection: string = LOCAL_CONNECTION,
): ClerkRow {
  const supervisor = authenticate(ctx, code, pin, connection);
  if (supervisor.role !== 'supervisor') throw new ServiceError('NOT_SUPERVISOR');
  return supervisor;
}

/**
 * The verifier version an approval event names for its approver (core/contract/verifier): which PIN
 * hash accepted the approval, so head office can tell it from the ones it issued.
 */
export function approverVerifier(approver: Pick<ClerkRow, 'id' | 'pin_hash'>): string {
  return verifierVersionOf(approver.id, approver.pin_hash, sha256Hex);
}
