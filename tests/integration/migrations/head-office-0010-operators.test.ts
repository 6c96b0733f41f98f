// Head office's 0010_operators: operator accounts with one of four roles, sessions stored as hashes,
// login failures and locks, and the audit log that nothing may change or remove.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type HoDb } from '../../../head-office/src/db';

let db: HoDb;
beforeAll(async () => {
  db = await openPglite('memory://');
});
afterAll(async () => db?.close());

const addOperator = (username: string, role: string) =>
  db.query(
    `INSERT INTO ho_operators (username, display_name, role, password_hash, created_by)
     VALUES ($1, '测试', $2, 'scrypt$N=32768,r=8,p=1$c2FsdA$a2V5', 'test') RETURNING id`,
    [username, role],
  );

describe('head-office migration 0010_operators', () => {
  it('keeps one account per username, with a known role; a new account must change its password', async () => {
    const [v] = await db.query<{ v: number }>('SELECT max(version)::int AS v FROM ho_schema');
    expect(v!.v).toBeGreaterThanOrEqual(10);
    await addOperator('wang.kj', 'finance');
    await expect(addOperator('wang.kj', 'auditor')).rejects.toThrow(/duplicate key/);
    await expect(addOperator('li', 'cashier')).rejects.toThrow(/check constraint/);
    await expect(addOperator('Upper Case', 'admin')).rejects.toThrow(/check constraint/);
    const [row] = await db.query<{ must_change_password: boolean; disabled_at: Date | null }>(
      `SELECT must_change_password, disabled_at FROM ho_operators WHERE username = 'wang.kj'`,
    );
    expect(row).toEqual({ must_change_password: true, disabled_at: null });
  });

  it('a session belongs to an existing operator; one lock per account or source', async () => {
    await expect(
      db.query(
        `INSERT INTO ho_operator_sessions (token_sha256, csrf_sha256, operator_id, created_at,
           last_seen_at, expires_at, source) VALUES ('a', 'b', 999, now(), now(), now(), '1.2.3.4')`,
      ),
    ).rejects.toThrow(/foreign key/);
    await db.query(
      `INSERT INTO ho_login_locks (scope, key, locked_until) VALUES ('account', 'wang.kj', now())`,
    );
    await expect(
      db.query(
        `INSERT INTO ho_login_locks (scope, key, locked_until) VALUES ('account', 'wang.kj', now())`,
      ),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      db.query(`INSERT INTO ho_login_locks (scope, key, locked_until) VALUES ('user', 'x', now())`),
    ).rejects.toThrow(/check constraint/);
  });

  it('the audit log is append-only: UPDATE, DELETE and TRUNCATE raise', async () => {
    await db.query(
      `INSERT INTO ho_audit (username, role, action, target, source, outcome)
       VALUES ('wang.kj', 'finance', 'login', 'operator:wang.kj', '127.0.0.1', 'ok')`,
    );
    await expect(
      db.query(`INSERT INTO ho_audit (username, action, outcome) VALUES ('x', 'login', 'maybe')`),
    ).rejects.toThrow(/check constraint/);
    await expect(db.query(`UPDATE ho_audit SET outcome = 'refused'`)).rejects.toThrow(
      /ho_audit is append-only/,
    );
    await expect(db.query('DELETE FROM ho_audit')).rejects.toThrow(/ho_audit is append-only/);
    await expect(db.query('TRUNCATE ho_audit')).rejects.toThrow(/ho_audit is append-only/);
    const rows = await db.query<{ outcome: string; detail: string }>(
      'SELECT outcome, detail FROM ho_audit',
    );
    expect(rows).toEqual([{ outcome: 'ok', detail: '{}' }]);
  });
});
