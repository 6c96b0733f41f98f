// Head-office operators (issue 18): every operator route answers only a signed-in operator whose
// role the permission table allows (or the scripted operator token); cookie writes need the CSRF
// header and a same-site origin; a one-time password must be changed first; administrators
// manage accounts; every action lands in the append-only audit log. PostgreSQL, and PGlite once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, type Role } from '../../../head-office/src/console/permissions';
import { buildServer } from '../../../head-office/src/server';
import {
  consoleLogin,
  newOperator,
  startHeadOffice,
  type ConsoleSession,
  type TestHeadOffice,
} from '../../support/head-office';

const pathOf = (route: string) =>
  route.replace(':kind', 'payment').replace(':username', 'nobody').replace(/:\w+/g, 'x1');
const entries = Object.entries(PERMISSIONS).map(([key, access]) => {
  const [method, route] = key.split(' ') as [string, string];
  return { key, method, route, path: pathOf(route), access };
});

const count = async (ho: TestHeadOffice, table: string) =>
  (await ho.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

interface AuditRow {
  username: string;
  role: string | null;
  action: string;
  target: string | null;
  detail: string;
  source: string | null;
  outcome: string;
}
const auditRows = (ho: TestHeadOffice) =>
  ho.db.query<AuditRow>(
    'SELECT username, role, action, target, detail, source, outcome FROM ho_audit ORDER BY id',
  );

describe('head-office operators (PostgreSQL)', () => {
  let ho: TestHeadOffice;
  const s = {} as Record<Role, ConsoleSession>;
  const passwords = {} as Record<Role, string>;
  beforeAll(async () => {
    ho = await startHeadOffice('postgres');
    for (const r of ROLES) {
      const o = await newOperator(ho, `op-${r}`, r);
      s[r] = o.session;
      passwords[r] = o.password;
    }
  }, 120_000);
  afterAll(async () => ho?.close());

  it('every operator route in the permission table answers 401 without a session or token', async () => {
    const guarded = entries.filter((e) => e.access.roles !== 'public');
    expect(guarded.length).toBeGreaterThanOrEqual(25);
    for (const e of guarded) {
      const bare = await fetch(ho.url + e.path, { method: e.method });
      expect(bare.status, `${e.key} without a session`).toBe(401);
      const forged = await fetch(ho.url + e.path, {
        method: e.method,
        headers: { cookie: `ho_session=${'A'.repeat(43)}` },
      });
      expect(forged.status, `${e.key} with an unknown cookie`).toBe(401);
      const wrongToken = await fetch(ho.url + e.path, {
        method: e.method,
        headers: { authorization: 'Bearer not-the-token' },
      });
      expect(wrongToken.status, `${e.key} with a wrong token`).toBe(401);
    }
    // the terminals' own routes and health keep their own auth
    expect((await fetch(`${ho.url}/v1/health`)).status).toBe(200);
    expect((await fetch(`${ho.url}/v1/sync/pull`)).status).toBe(401);
  });

  it('a route without an entry in the permission table stops the server from starting', async () => {
    const table = PERMISSIONS as Record<string, (typeof PERMISSIONS)[string]>;
    const key = 'GET /v1/reports/overpayments';
    const saved = table[key]!;
    delete table[key];
    try {
      const app = buildServer({ db: ho.db, adminToken: 'x'.repeat(20), ingestThreads: 0 });
      await expect(app.ready()).rejects.toThrow(/GET \/v1\/reports\/overpayments has no entry/);
    } finally {
      table[key] = saved;
    }
  });

  it('each role reaches exactly the routes the table gives it (403 for the others)', async () => {
    for (const r of ROLES)
      for (const e of entries) {
        if (!Array.isArray(e.access.roles)) continue;
        const res = await s[r].call(e.path, { method: e.method });
        const allowed = (e.access.roles as readonly Role[]).includes(r);
        if (allowed) expect(res.status, `${r} ${e.key}`).not.toBe(403);
        else {
          expect(res.status, `${r} ${e.key}`).toBe(403);
          expect(((await res.json()) as { error: string }).error).toBe('forbidden');
        }
      }
  });

  it('representative routes: finance issues codes, the manager reads and checks, the auditor only reads', async () => {
    const before = await count(ho, 'ho_enrollment_codes');
    // finance: an enrollment code yes, the approval policy no
    const code = await s.finance.call('/v1/enrollment-codes', { json: { name: '三号窗口' } });
    expect(code.status).toBe(201);
    expect(
      (
        await s.finance.call('/v1/settings/relief-approvals', {
          method: 'PUT',
          json: { requiredApprovals: 2 },
        })
      ).status,
    ).toBe(403);
    // manager: reports and receipt checks yes, enrollment codes no (nothing written)
    expect((await s.manager.call('/v1/reports/overpayments')).status).toBe(200);
    const check = await s.manager.call('/v1/receipts/check', { json: { qr: 'HC2.nonsense' } });
    expect(check.status).toBe(200);
    expect((await s.manager.call('/v1/enrollment-codes', { json: { name: 'X' } })).status).toBe(
      403,
    );
    // auditor: every GET, the audit log; no write, no operator list
    expect((await s.auditor.call('/v1/reports/cheques')).status).toBe(200);
    expect((await s.auditor.call('/v1/console/audit')).status).toBe(200);
    expect((await s.auditor.call('/v1/receipts/check', { json: { qr: 'x' } })).status).toBe(403);
    expect((await s.auditor.call('/v1/console/operators')).status).toBe(403);
    expect((await s.finance.call('/v1/console/audit')).status).toBe(403);
    // admin: the policy
    const policy = await s.admin.call('/v1/settings/relief-approvals', {
      method: 'PUT',
      json: { requiredApprovals: 2 },
    });
    expect(policy.status).toBe(200);
    expect(await count(ho, 'ho_enrollment_codes')).toBe(before + 1);
  });

  it('a cookie write without the right CSRF header, or from another origin, is refused and changes nothing', async () => {
    const before = await count(ho, 'ho_enrollment_codes');
    const tries = [
      await s.finance.call('/v1/enrollment-codes', { json: { name: '无令牌' }, csrf: false }),
      await s.finance.call('/v1/enrollment-codes', {
        json: { name: '错令牌' },
        csrf: 'x'.repeat(43),
      }),
      // another operator's valid token is still the wrong one
      await s.finance.call('/v1/enrollment-codes', {
        json: { name: '别人的令牌' },
        csrf: s.admin.csrfToken,
      }),
      await s.finance.call('/v1/enrollment-codes', {
        json: { name: '跨站' },
        headers: { origin: 'https://evil.example' },
      }),
    ];
    for (const res of tries) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe('csrf');
    }
    expect(await count(ho, 'ho_enrollment_codes')).toBe(before);
    // a login from another site is refused too
    const crossLogin = await fetch(`${ho.url}/v1/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ username: 'op-finance', password: passwords.finance }),
    });
    expect(crossLogin.status).toBe(403);
    // the same origin with the token: accepted
    const sameOrigin = await s.finance.call('/v1/enrollment-codes', {
      json: { name: '同源' },
      headers: { origin: ho.url },
    });
    expect(sameOrigin.status).toBe(201);
    // the scripted token carries no cookie and needs no CSRF header
    const scripted = await ho.admin('/v1/enrollment-codes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '脚本' }),
    });
    expect(scripted.status).toBe(201);
    expect(await count(ho, 'ho_enrollment_codes')).toBe(before + 2);
    const refused = (await auditRows(ho)).filter(
      (a) => a.action === 'enrollment_code.issue' && a.outcome === 'refused',
    );
    expect(refused.filter((a) => JSON.parse(a.detail).refused === 'csrf')).toHaveLength(4);
  });

  it('a one-time password must be changed before anything else; the new one follows the rules', async () => {
    const created = await s.admin.call('/v1/console/operators', {
      json: { username: 'zhao.cw', displayName: '赵出纳', role: 'finance' },
    });
    expect(created.status).toBe(201);
    const { initialPassword, operator } = (await created.json()) as {
      initialPassword: string;
      operator: { mustChangePassword: boolean };
    };
    expect(operator.mustChangePassword).toBe(true);
    const { session, body } = await consoleLogin(ho.url, 'zhao.cw', initialPassword);
    expect(body.operator).toMatchObject({ role: 'finance', mustChangePassword: true });
    const gated = await session!.call('/v1/reports/overpayments');
    expect(gated.status).toBe(403);
    expect(await gated.json()).toMatchObject({ error: 'password_change_required' });
    expect((await session!.call('/v1/enrollment-codes', { json: { name: 'X' } })).status).toBe(403);
    expect((await session!.call('/v1/console/session')).status).toBe(200);
    const weak = [
      { current: initialPassword, next: 'short-pw1' }, // 9 characters
      { current: initialPassword, next: 'zhao.cw' },
      { current: initialPassword, next: 'ZHAO.CW' },
    ];
    for (const json of weak) {
      const r = await session!.call('/v1/console/password', { json });
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ error: 'weak_password' });
    }
    const wrong = await session!.call('/v1/console/password', {
      json: { current: 'not-the-one-1', next: 'Heating-2026-ok' },
    });
    expect(wrong.status).toBe(403);
    const ok = await session!.call('/v1/console/password', {
      json: { current: initialPassword, next: 'Heating-2026-ok' },
    });
    expect(ok.status).toBe(200);
    expect((await session!.call('/v1/reports/overpayments')).status).toBe(200);
    expect((await consoleLogin(ho.url, 'zhao.cw', initialPassword)).res.status).toBe(401);
  });

  it('a password change ends the operator’s other sessions; logout ends its own', async () => {
    const a = (await consoleLogin(ho.url, 'op-manager', passwords.manager)).session!;
    const b = (await consoleLogin(ho.url, 'op-manager', passwords.manager)).session!;
    const changed = await b.call('/v1/console/password', {
      json: { current: passwords.manager, next: 'Manager-New-2026' },
    });
    expect(await changed.json()).toMatchObject({ ok: true, otherSessionsEnded: 2 }); // a and s.manager
    expect((await a.call('/v1/reports/overpayments')).status).toBe(401);
    expect((await s.manager.call('/v1/reports/overpayments')).status).toBe(401);
    expect((await b.call('/v1/reports/overpayments')).status).toBe(200);
    s.manager = b;
    passwords.manager = 'Manager-New-2026';
    const c = (await consoleLogin(ho.url, 'op-manager', passwords.manager)).session!;
    expect((await c.call('/v1/console/logout', { json: {} })).status).toBe(200);
    expect((await c.call('/v1/console/session')).status).toBe(401);
  });

  it('administrators disable, enable, reset, re-role operators; never their own account', async () => {
    await newOperator(ho, 'qian.kj', 'finance', 'Qian-Pass-2026');
    const q = (await consoleLogin(ho.url, 'qian.kj', 'Qian-Pass-2026')).session!;
    const act = (path: string, json: unknown = {}) =>
      s.admin.call(`/v1/console/operators/qian.kj/${path}`, { json });
    expect((await act('disable')).status).toBe(200);
    expect((await q.call('/v1/reports/overpayments')).status).toBe(401);
    const disabled = await consoleLogin(ho.url, 'qian.kj', 'Qian-Pass-2026');
    expect(disabled.res.status).toBe(403);
    expect(disabled.body.error).toBe('account_disabled');
    expect((await act('enable')).status).toBe(200);
    expect((await consoleLogin(ho.url, 'qian.kj', 'Qian-Pass-2026')).res.status).toBe(200);
    const role = await act('role', { role: 'auditor' });
    expect(await role.json()).toMatchObject({ operator: { role: 'auditor' } });
    expect((await act('role', { role: 'cashier' })).status).toBe(400);
    const reset = await act('reset-password');
    const { initialPassword } = (await reset.json()) as { initialPassword: string };
    expect(initialPassword).toMatch(/^[A-Za-z0-9-]{20,}$/);
    const again = await consoleLogin(ho.url, 'qian.kj', initialPassword);
    expect(again.body.operator).toMatchObject({ role: 'auditor', mustChangePassword: true });
    // not on one's own account; an unknown one is 404; a taken name 409
    expect(
      (await s.admin.call('/v1/console/operators/op-admin/disable', { json: {} })).status,
    ).toBe(409);
    expect((await s.admin.call('/v1/console/operators/nobody/enable', { json: {} })).status).toBe(
      404,
    );
    expect(
      (
        await s.admin.call('/v1/console/operators', {
          json: { username: 'qian.kj', displayName: '钱', role: 'finance' },
        })
      ).status,
    ).toBe(409);
    const list = (await (await s.admin.call('/v1/console/operators')).json()) as {
      operators: { username: string; role: string }[];
    };
    expect(list.operators.find((o) => o.username === 'qian.kj')).toMatchObject({ role: 'auditor' });
    expect(JSON.stringify(list)).not.toMatch(/scrypt/);
  });

  it('every action is audited (who, what, target, source, outcome; no secret), readable by admin and auditor; the log is append-only', async () => {
    // one of each kind the other tests did not make
    const master = await ho.admin('/v1/master/payment', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ bogus: true }]),
    });
    expect(master.status).toBe(400);
    const bad = await consoleLogin(ho.url, 'op-auditor', 'wrong-password-1');
    expect(bad.res.status).toBe(401);
    expect(
      (await s.admin.call('/v1/console/operators/op-auditor/unlock', { json: {} })).status,
    ).toBe(200);
    const rows = await auditRows(ho);
    const has = (action: string, outcome: string, username?: string) =>
      rows.some(
        (r) =>
          r.action === action && r.outcome === outcome && (!username || r.username === username),
      );
    for (const [action, outcome, who] of [
      ['login', 'ok', 'op-finance'],
      ['login', 'refused', 'op-auditor'],
      ['logout', 'ok', 'op-manager'],
      ['password.change', 'ok', 'zhao.cw'],
      ['password.change', 'refused', 'zhao.cw'],
      ['operator.create', 'ok', 'op-admin'],
      ['operator.create', 'ok', 'token'],
      ['operator.create', 'refused', 'op-admin'],
      ['operator.disable', 'ok', 'op-admin'],
      ['operator.disable', 'refused', 'op-admin'],
      ['operator.enable', 'ok', 'op-admin'],
      ['operator.reset_password', 'ok', 'op-admin'],
      ['operator.role', 'ok', 'op-admin'],
      ['operator.unlock', 'ok', 'op-admin'],
      ['enrollment_code.issue', 'ok', 'op-finance'],
      ['enrollment_code.issue', 'ok', 'token'],
      ['enrollment_code.issue', 'refused', 'op-manager'],
      ['settings.relief_approvals', 'ok', 'op-admin'],
      ['receipt.check', 'ok', 'op-manager'],
      ['master.upsert', 'refused', 'token'],
    ] as const)
      expect(has(action, outcome, who), `${action} ${outcome} by ${who}`).toBe(true);
    const login = rows.find((r) => r.action === 'login' && r.username === 'op-finance')!;
    expect(login).toMatchObject({
      role: 'finance',
      target: 'operator:op-finance',
      source: '127.0.0.1',
    });
    const token = rows.find((r) => r.username === 'token')!;
    expect(token.role).toBe('admin');
    // no password, one-time password or enrollment code in any row
    const text = JSON.stringify(rows);
    for (const secret of [...Object.values(passwords), 'Heating-2026-ok', 'Qian-Pass-2026'])
      expect(text).not.toContain(secret);
    const codes = await ho.db.query<{ code_hash: string }>('SELECT * FROM ho_enrollment_codes');
    expect(codes.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/);

    // the auditor reads it, filtered and paged
    const page1 = (await (
      await s.auditor.call('/v1/console/audit?action=login&limit=2')
    ).json()) as { rows: { action: string; id: number }[]; next: number | null };
    expect(page1.rows).toHaveLength(2);
    expect(page1.rows.every((r) => r.action === 'login')).toBe(true);
    expect(page1.next).not.toBeNull();
    const page2 = (await (
      await s.auditor.call(`/v1/console/audit?action=login&limit=2&before=${page1.next}`)
    ).json()) as { rows: { id: number }[] };
    expect(page2.rows[0]!.id).toBeLessThan(page1.rows[1]!.id);
    const byToken = (await (await s.admin.call('/v1/console/audit?actor=token')).json()) as {
      rows: { username: string }[];
    };
    expect(byToken.rows.length).toBeGreaterThan(0);
    expect(byToken.rows.every((r) => r.username === 'token')).toBe(true);
    const future = (await (await s.admin.call('/v1/console/audit?from=2099-01-01')).json()) as {
      rows: unknown[];
    };
    expect(future.rows).toEqual([]);
    expect((await s.admin.call('/v1/console/audit?limit=0')).status).toBe(400);

    await expect(ho.db.query(`UPDATE ho_audit SET outcome = 'ok'`)).rejects.toThrow(/append-only/);
    await expect(ho.db.query('DELETE FROM ho_audit')).rejects.toThrow(/append-only/);
    expect(await count(ho, 'ho_audit')).toBe(rows.length);
  });
});

describe('head-office operators (PGlite)', () => {
  let ho: TestHeadOffice;
  beforeAll(async () => {
    ho = await startHeadOffice('pglite');
  }, 120_000);
  afterAll(async () => ho?.close());

  it('signs in, keeps a role to its routes and audits, on the embedded database too', async () => {
    const { session } = await newOperator(ho, 'sun.jl', 'manager');
    expect((await session.call('/v1/reports/reconciliation')).status).toBe(200);
    expect((await session.call('/v1/enrollment-codes', { json: { name: 'X' } })).status).toBe(403);
    expect((await fetch(`${ho.url}/v1/reports/reconciliation`)).status).toBe(401);
    const actions = (
      await ho.db.query<{ action: string; outcome: string }>(
        'SELECT action, outcome FROM ho_audit ORDER BY id',
      )
    ).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual([
      'operator.create:ok',
      'login:ok',
      'password.change:ok',
      'enrollment_code.issue:refused',
    ]);
    await expect(ho.db.query('DELETE FROM ho_audit')).rejects.toThrow(/append-only/);
  });

  it('never disables or demotes the last active administrator, even with the token', async () => {
    const byToken = (username: string, path: string, json: unknown = {}) =>
      ho.admin(`/v1/console/operators/${username}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
    await newOperator(ho, 'lone.admin', 'admin');
    for (const [path, json] of [
      ['disable', {}],
      ['role', { role: 'finance' }],
    ] as const) {
      const r = await byToken('lone.admin', path, json);
      expect(r.status, path).toBe(409);
      expect(await r.json()).toMatchObject({ error: 'last_admin' });
    }
    expect((await byToken('lone.admin', 'role', { role: 'admin' })).status).toBe(200);
    // with a second administrator the first may go; then the second is the last one
    await newOperator(ho, 'second.admin', 'admin');
    expect((await byToken('lone.admin', 'disable')).status).toBe(200);
    expect((await byToken('second.admin', 'role', { role: 'auditor' })).status).toBe(409);
    expect((await byToken('lone.admin', 'enable')).status).toBe(200);
    expect((await byToken('second.admin', 'role', { role: 'auditor' })).status).toBe(200);
    const refusals = await ho.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ho_audit WHERE outcome = 'refused' AND detail LIKE '%last_admin%'`,
    );
    expect(refusals[0]!.n).toBe(3);
  });
});
