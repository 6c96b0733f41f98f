import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';
import { terminalSignature } from '../sync/master-rows.store';

export interface ClerkRow {
  id: string;
  code: string;
  name: string;
  role: 'clerk' | 'supervisor';
  pin_hash: string;
  active: number;
  failed_pin_count: number;
  locked_until: string | null;
}

export function clerkByCode(db: Db, code: string): ClerkRow | null {
  return (
    (stmt(db, 'SELECT * FROM clerks WHERE code = ?').get(code) as ClerkRow | undefined) ?? null
  );
}

export function clerkById(db: Db, id: string): ClerkRow | null {
  return (stmt(db, 'SELECT * FROM clerks WHERE id = ?').get(id) as ClerkRow | undefined) ?? null;
}

/** A clerk made on this terminal (demo district, standalone sites): signed with the terminal key. */
export function insertClerk(
  db: Db,
  c: Pick<ClerkRow, 'id' | 'code' | 'name' | 'role' | 'pin_hash'>,
): void {
  const record = {
    id: c.id,
    code: c.code,
    name: c.name,
    role: c.role,
    pinHash: c.pin_hash,
    active: true,
  };
  const s = terminalSignature(db, 'clerks', record);
  stmt(
    db,
    'INSERT INTO clerks (id, code, name, role, pin_hash, active, sig, signed_by) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
  ).run(c.id, c.code, c.name, c.role, c.pin_hash, s.sig, s.signedBy);
}

/** A clerk's new PIN (session.changePin): the row re-signed with the terminal key, counters reset. */
export function setClerkPin(db: Db, clerk: ClerkRow, pinHash: string): void {
  const record = {
    id: clerk.id,
    code: clerk.code,
    name: clerk.name,
    role: clerk.role,
    pinHash,
    active: clerk.active === 1,
  };
  const s = terminalSignature(db, 'clerks', record);
  stmt(
    db,
    `UPDATE clerks SET pin_hash = ?, sig = ?, signed_by = ?, failed_pin_count = 0, locked_until = NULL
     WHERE id = ?`,
  ).run(pinHash, s.sig, s.signedBy, clerk.id);
}

export function recordPinFailure(db: Db, id: string, lockedUntil: string | null): void {
  stmt(
    db,
    'UPDATE clerks SET failed_pin_count = failed_pin_count + 1, locked_until = ? WHERE id = ?',
  ).run(lockedUntil, id);
}

export function resetPinFailures(db: Db, id: string): void {
  stmt(
    db,
    'UPDATE clerks SET failed_pin_count = 0, locked_until = NULL WHERE id = ? AND failed_pin_count > 0',
  ).run(id);
}

export function insertSession(
  db: Db,
  tokenHash: string,
  clerkId: string,
  createdAt: string,
  expiresAt: string,
): void {
  stmt(
    db,
    'INSERT INTO sessions (token_hash, clerk_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  ).run(tokenHash, clerkId, createdAt, expiresAt);
}

export function sessionClerk(db: Db, tokenHash: string, nowIso: string): ClerkRow | null {
  return (
    (stmt(
      db,
      `SELECT c.* FROM sessions s JOIN clerks c ON c.id = s.clerk_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND c.active = 1`,
    ).get(tokenHash, nowIso) as ClerkRow | undefined) ?? null
  );
}

export function deleteSession(db: Db, tokenHash: string): void {
  stmt(db, 'DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
}

export function deleteExpiredSessions(db: Db, nowIso: string): void {
  stmt(db, 'DELETE FROM sessions WHERE expires_at <= ?').run(nowIso);
}
