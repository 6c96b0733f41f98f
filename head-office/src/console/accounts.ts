// Operator accounts, sessions and login lockout (ho_operators, ho_operator_sessions,
// ho_login_failures, ho_login_locks: head-office migration 0010). Every time is the caller's
// `now` (server.ts's injectable clock), never the database's, so expiry is testable.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { HoDb, Queryable } from '../db';
import { appendAudit } from './audit';
import { hashPassword, oneTimePassword } from './passwords';
import { role, type Role } from './permissions';

export interface ConsolePolicy {
  idleMs: number;
  absoluteMs: number;
  /** Failures per account / per source within `windowMs` that lock it for `lockMs`. */
  accountFailures: number;
  sourceFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_POLICY: ConsolePolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  accountFailures: 5,
  sourceFailures: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, '2–32 letters, digits, . _ - (lower case)');

export const operatorInput = z
  .object({ username, displayName: z.string().trim().min(1).max(80), role })
  .strict();
export type OperatorInput = z.infer<typeof operatorInput>;

export interface OperatorRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  must_change_password: boolean;
  disabled_at: Date | null;
  created_at: Date;
  created_by: string;
}

export const publicOperator = (o: OperatorRow) => ({
  username: o.username,
  displayName: o.display_name,
  role: o.role,
  mustChangePassword: o.must_change_password,
});

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function findOperator(q: Queryable, name: string): Promise<OperatorRow | null> {
  const [row] = await q.query<OperatorRow>('SELECT * FROM ho_operators WHERE username = $1', [
    name,
  ]);
  return row ? { ...row, id: Number(row.id) } : null;
}

/** A new account with a one-time password (changed at first sign-in); null when the name is taken. */
export async function createOperator(
  q: Queryable,
  input: OperatorInput,
  createdBy: string,
  now: Date,
): Promise<{ operator: OperatorRow; initialPassword: string } | null> {
  const initialPassword = oneTimePassword();
  const [row] = await q.query<OperatorRow>(
    `INSERT INTO ho_operators (username, display_name, role, password_hash, must_change_password,
       created_at, created_by)
     VALUES ($1, $2, $3, $4, true, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING *`,
    [
      input.username,
      input.displayName,
      input.role,
      await hashPassword(initialPassword),
      now,
      createdBy,
    ],
  );
  return row ? { operator: { ...row, id: Number(row.id) }, initialPassword } : null;
}

/**
 * At `serve` start: when there is no operator at all, an administrator `admin` with a one-time
 * password. Answers that password to the one caller that created it (two instances starting at
 * once: the unique username decides), null otherwise.
 */
export async function ensureFirstAdmin(db: HoDb, now = new Date()): Promise<string | null> {
  const [any] = await db.query('SELECT 1 FROM ho_operators LIMIT 1');
  if (any) return null;
  const initialPassword = oneTimePassword();
  const hash = await hashPassword(initialPassword);
  return db.tx(async (q) => {
    const [row] = await q.query<{ id: number }>(
      `INSERT INTO ho_operators (username, display_name, role, password_hash, must_change_password,
         created_at, created_by)
       SELECT 'admin', '管理员', 'admin', $1, true, $2, 'serve'
       WHERE NOT EXISTS (SELECT 1 FROM ho_operators)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [hash, now],
    );
    if (!row) return null;
    await appendAudit(q, {
      at: now,
      actor: { operatorId: null, username: 'serve', role: null },
      action: 'operator.bootstrap',
      target: 'operator:admin',
      source: null,
      outcome: 'ok',
    });
    return initialPassword;
  });
}

// --- sessions -------------------------------------------------------------------------------

/** The CSRF token follows from the session token (so a reload can be given it again); only its hash is stored. */
export const csrfFor = (sessionToken: string) =>
  createHash('sha256').update(`csrf\0${sessionToken}`, 'utf8').digest('base64url');

export async function openSession(
  q: Queryable,
  operatorId: number,
  source: string,
  now: Date,
  policy: ConsolePolicy,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = csrfFor(token);
  await q.query(
    `INSERT INTO ho_operator_sessions (token_sha256, csrf_sha256, operator_id, created_at,
       last_seen_at, expires_at, source)
     VALUES ($1, $2, $3, $4, $4, $5, $6)`,
    [
      sha256Hex(token),
      sha256Hex(csrfToken),
      operatorId,
      now,
      new Date(now.getTime() + policy.absoluteMs),
      source,
    ],
  );
  return { token, csrfToken };
}

export interface LiveSession {
  tokenHash: string;
  csrfHash: string;
  operator: OperatorRow;
}

/** The session this token opened, when neither revoked, idle too long, past its end, nor its operator disabled. */
export async function liveSession(
  db: Queryable,
  token: string,
  now: Date,
  policy: ConsolePolicy,
): Promise<LiveSession | null> {
  const tokenHash = sha256Hex(token);
  const [s] = await db.query<{ csrf_sha256: string; operator_id: number }>(
    `UPDATE ho_operator_sessions SET last_seen_at = $2
     WHERE token_sha256 = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3
     RETURNING csrf_sha256, operator_id`,
    [tokenHash, now, new Date(now.getTime() - policy.idleMs)],
  );
  if (!s) return null;
  const [o] = await db.query<OperatorRow>(
    'SELECT * FROM ho_operators WHERE id = $1 AND disabled_at IS NULL',
    [s.operator_id],
  );
  return o ? { tokenHash, csrfHash: s.csrf_sha256, operator: { ...o, id: Number(o.id) } } : null;
}

export async function revokeSession(q: Queryable, tokenHash: string, now: Date): Promise<void> {
  await q.query(
    'UPDATE ho_operator_sessions SET revoked_at = $2 WHERE token_sha256 = $1 AND revoked_at IS NULL',
    [tokenHash, now],
  );
}

/** Ends every session of the operator but `keep` (a password change keeps the one it came from). */
export async function revokeOperatorSessions(
  q: Queryable,
  operatorId: number,
  now: Date,
  keep: string | null = null,
): Promise<number> {
  const rows = await q.query(
    `UPDATE ho_operator_sessions SET revoked_at = $2
     WHERE operator_id = $1 AND revoked_at IS NULL AND token_sha256 IS DISTINCT FROM $3 RETURNING 1`,
    [operatorId, now, keep],
  );
  return rows.length;
}

// --- lockout --------------------------------------------------------------------------------

export interface Lock {
  scope: 'account' | 'source';
  until: Date;
}

export async function activeLock(
  q: Queryable,
  name: string,
  source: string,
  now: Date,
): Promise<Lock | null> {
  const [l] = await q.query<{ scope: 'account' | 'source'; locked_until: Date }>(
    `SELECT scope, locked_until FROM ho_login_locks
     WHERE ((scope = 'account' AND key = $1) OR (scope = 'source' AND key = $2)) AND locked_until > $3
     ORDER BY locked_until DESC LIMIT 1`,
    [name, source, now],
  );
  return l ? { scope: l.scope, until: new Date(l.locked_until) } : null;
}

/** Records one failed login; locks the account and/or the source once they reach their limits. */
export async function recordFailure(
  q: Queryable,
  name: string,
  source: string,
  now: Date,
  policy: ConsolePolicy,
): Promise<Lock | null> {
  await q.query('INSERT INTO ho_login_failures (at, username, source) VALUES ($1, $2, $3)', [
    now,
    name,
    source,
  ]);
  const since = new Date(now.getTime() - policy.windowMs);
  // failures older than the window no longer count: kept no longer (the audit log has them)
  await q.query('DELETE FROM ho_login_failures WHERE (username = $1 OR source = $2) AND at <= $3', [
    name,
    source,
    since,
  ]);
  const [c] = await q.query<{ account: number; source: number }>(
    `SELECT (SELECT count(*)::int FROM ho_login_failures WHERE username = $1 AND at > $3) AS account,
            (SELECT count(*)::int FROM ho_login_failures WHERE source = $2 AND at > $3) AS source`,
    [name, source, since],
  );
  const until = new Date(now.getTime() + policy.lockMs);
  let lock: Lock | null = null;
  for (const [scope, key, n, limit] of [
    ['account', name, c!.account, policy.accountFailures],
    ['source', source, c!.source, policy.sourceFailures],
  ] as const) {
    if (n < limit) continue;
    await q.query(
      `INSERT INTO ho_login_locks (scope, key, locked_until) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE SET locked_until = excluded.locked_until`,
      [scope, key, until],
    );
    // the failures that made it are older than the window when it ends: the count starts again
    lock = { scope, until };
  }
  return lock;
}

/** An administrator lifts an account's lock and forgets its failures. */
export async function unlockAccount(q: Queryable, name: string): Promise<boolean> {
  const locks = await q.query(
    `DELETE FROM ho_login_locks WHERE scope = 'account' AND key = $1 RETURNING 1`,
    [name],
  );
  await q.query('DELETE FROM ho_login_failures WHERE username = $1', [name]);
  return locks.length > 0;
}

export async function clearAccountFailures(q: Queryable, name: string): Promise<void> {
  await q.query('DELETE FROM ho_login_failures WHERE username = $1', [name]);
}
