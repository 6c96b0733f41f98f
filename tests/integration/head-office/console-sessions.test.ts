// Head-office console sessions (issue 18): a fresh session id at every login (the cookie brought
// to it is ended), idle and absolute expiry on an injected clock (no sleeping), lockout per account
// and per source with an unknown username answering exactly like a wrong password, passwords never
// in the log, and the first administrator created once even when two instances start together.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../../head-office/src/console/accounts';
import { openPostgres } from '../../../head-office/src/db';
import {
  consoleLogin,
  newOperator,
  startHeadOffice,
  type ConsoleSession,
  type TestHeadOffice,
} from '../../support/head-office';

const MIN = 60_000;

describe('console sessions and lockout (PostgreSQL, injected clock)', () => {
  let ho: TestHeadOffice;
  let clock = Date.parse('2026-12-08T01:00:00Z');
  const tick = (ms: number) => (clock += ms);
  const log: string[] = [];
  const secrets = new Set<string>();
  let finance: { session: ConsoleSession; password: string };
  let admin: { session: ConsoleSession; password: string };
  const login = (user: string, password: string, cookie?: string) => {
    secrets.add(password);
    return consoleLogin(ho.url, user, password, cookie);
  };

  beforeAll(async () => {
    ho = await startHeadOffice('postgres', {
      now: () => new Date(clock),
      logger: { stream: { write: (line) => void log.push(line) }, level: 'info' },
    });
    finance = await newOperator(ho, 'li.kj', 'finance');
    admin = await newOperator(ho, 'zhou.admin', 'admin');
    for (const o of [finance, admin]) secrets.add(o.password);
  }, 120_000);
  afterAll(async () => ho?.close());

  it('every login gets a new session id and ends the session the browser brought (fixation)', async () => {
    const a = await login('li.kj', finance.password);
    const set = a.res.headers.getSetCookie()[0]!;
    expect(set).toMatch(/^ho_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\//);
    expect(set).not.toMatch(/Secure/); // plain HTTP here; HTTPS adds it
    expect(a.body).toMatchObject({
      operator: { username: 'li.kj', role: 'finance', mustChangePassword: false },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const b = await login('li.kj', finance.password, a.session!.cookie);
    expect(b.session!.cookie).not.toBe(a.session!.cookie);
    expect(b.session!.csrfToken).not.toBe(a.session!.csrfToken);
    expect((await a.session!.call('/v1/console/session')).status).toBe(401);
    const reload = await b.session!.call('/v1/console/session');
    expect(await reload.json()).toMatchObject({ csrfToken: b.session!.csrfToken });
    // a cookie planted by someone else (their own session) is ended too, not adopted
    const planted = await login('zhou.admin', admin.password);
    const victim = await login('li.kj', finance.password, planted.session!.cookie);
    expect(victim.session!.cookie).not.toBe(planted.session!.cookie);
    expect((await planted.session!.call('/v1/console/operators')).status).toBe(401);
    // only hashes are stored
    const stored = await ho.db.query<{ token_sha256: string; csrf_sha256: string }>(
      'SELECT token_sha256, csrf_sha256 FROM ho_operator_sessions',
    );
    const token = victim.session!.cookie.split('=')[1]!;
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(stored.some((r) => r.token_sha256 === sha(token))).toBe(true);
    expect(stored.some((r) => r.csrf_sha256 === sha(victim.session!.csrfToken))).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(victim.session!.csrfToken);
  });

  it('a session ends after 30 idle minutes, and 12 hours after login however busy', async () => {
    const idle = (await login('li.kj', finance.password)).session!;
    tick(29 * MIN);
    expect((await idle.call('/v1/console/session')).status).toBe(200);
    tick(29 * MIN); // 58 min after login, 29 after the last request
    expect((await idle.call('/v1/reports/overpayments')).status).toBe(200);
    tick(30 * MIN + 1000);
    expect((await idle.call('/v1/reports/overpayments')).status).toBe(401);
    expect((await idle.call('/v1/enrollment-codes', { json: { name: 'X' } })).status).toBe(401);

    const busy = (await login('li.kj', finance.password)).session!;
    let elapsed = 0;
    for (;;) {
      tick(20 * MIN);
      elapsed += 20 * MIN;
      const status = (await busy.call('/v1/console/session')).status;
      if (elapsed < 12 * 60 * MIN) expect(status, `${elapsed / MIN} min`).toBe(200);
      else {
        expect(status, `${elapsed / MIN} min`).toBe(401);
        break;
      }
    }
  });

  it('five failures lock the account for 15 minutes (429, Retry-After, what to do in Chinese); an administrator unlocks it', async () => {
    tick(16 * MIN);
    for (let i = 0; i < 5; i++)
      expect((await login('li.kj', `wrong-password-${i}`)).res.status).toBe(401);
    const locked = await login('li.kj', finance.password);
    expect(locked.res.status).toBe(429);
    expect(Number(locked.res.headers.get('retry-after'))).toBe(15 * 60);
    expect(locked.body.message).toMatch(/此账号已锁定.*分钟后.*再试.*管理员解锁/);
    expect(locked.session).toBeNull();
    tick(14 * MIN);
    const still = await login('li.kj', finance.password);
    expect(still.res.status).toBe(429);
    expect(Number(still.res.headers.get('retry-after'))).toBe(60);
    tick(MIN + 1000);
    expect((await login('li.kj', finance.password)).res.status).toBe(200);

    for (let i = 0; i < 5; i++) await login('li.kj', `wrong-again-${i}`);
    expect((await login('li.kj', finance.password)).res.status).toBe(429);
    const admin2 = (await login('zhou.admin', admin.password)).session!;
    const list = (await (await admin2.call('/v1/console/operators')).json()) as {
      operators: { username: string; lockedUntil: string | null }[];
    };
    expect(list.operators.find((o) => o.username === 'li.kj')!.lockedUntil).not.toBeNull();
    const unlock = await admin2.call('/v1/console/operators/li.kj/unlock', { json: {} });
    expect(await unlock.json()).toMatchObject({ wasLocked: true });
    expect((await login('li.kj', finance.password)).res.status).toBe(200);
  });

  it('an unknown username answers exactly like a wrong password, and locks the same way', async () => {
    tick(16 * MIN);
    const wrong = await login('li.kj', 'not-my-password');
    const unknown = await login('nobody.here', 'not-my-password');
    expect(unknown.res.status).toBe(wrong.res.status);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.res.headers.getSetCookie()).toEqual([]);
    for (let i = 0; i < 4; i++) await login('nobody.here', `guess-${i}`);
    const lockedUnknown = await login('nobody.here', 'guess-5');
    for (let i = 0; i < 4; i++) await login('li.kj', `guess-${i}`);
    const lockedKnown = await login('li.kj', 'guess-5');
    expect(lockedUnknown.res.status).toBe(429);
    expect(lockedUnknown.res.headers.get('retry-after')).toBe(
      lockedKnown.res.headers.get('retry-after'),
    );
    expect(Object.keys(lockedUnknown.body).sort()).toEqual(Object.keys(lockedKnown.body).sort());
    expect(lockedUnknown.body.message).toBe(lockedKnown.body.message);
  });

  it('twenty failures from one address lock that address for every account, for 15 minutes', async () => {
    tick(16 * MIN);
    for (let i = 0; i < 20; i++)
      expect((await login(`visitor${i}`, 'some-password')).res.status).toBe(401);
    const locked = await login('zhou.admin', admin.password);
    expect(locked.res.status).toBe(429);
    expect(locked.body.message).toMatch(/此地址登录失败次数过多.*分钟后.*再试/);
    tick(15 * MIN + 1000);
    expect((await login('zhou.admin', admin.password)).res.status).toBe(200);
    const refusals = await ho.db.query<{ detail: string }>(
      `SELECT detail FROM ho_audit WHERE action = 'login' AND outcome = 'refused'`,
    );
    expect(refusals.some((r) => JSON.parse(r.detail).scope === 'source')).toBe(true);
    expect(refusals.some((r) => JSON.parse(r.detail).scope === 'account')).toBe(true);
  });

  it('no password reaches the log (login, password change, operator creation and reset)', async () => {
    const a = (await login('zhou.admin', admin.password)).session!;
    const created = await a.call('/v1/console/operators', {
      json: { username: 'wu.sj', displayName: '吴审计', role: 'auditor' },
    });
    const { initialPassword } = (await created.json()) as { initialPassword: string };
    secrets.add(initialPassword);
    const w = (await login('wu.sj', initialPassword)).session!;
    secrets.add('Wu-New-Pass-2026');
    expect(
      (
        await w.call('/v1/console/password', {
          json: { current: initialPassword, next: 'Wu-New-Pass-2026' },
        })
      ).status,
    ).toBe(200);
    const reset = await a.call('/v1/console/operators/wu.sj/reset-password', { json: {} });
    secrets.add(((await reset.json()) as { initialPassword: string }).initialPassword);
    // a malformed login body is refused without echoing it
    const malformed = await fetch(`${ho.url}/v1/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'li.kj', password: 'Malformed-Secret-77', extra: 1 }),
    });
    secrets.add('Malformed-Secret-77');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toContain('Malformed-Secret-77');

    const text = log.join('');
    // the log did see these requests (so its silence about passwords means something)
    expect(text).toContain('/v1/console/login');
    expect(text).toContain('/v1/console/password');
    expect(text).toContain('/v1/console/operators/wu.sj/reset-password');
    expect(secrets.size).toBeGreaterThan(20);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('the first administrator', () => {
  let ho: TestHeadOffice;
  beforeAll(async () => {
    ho = await startHeadOffice('postgres');
  }, 120_000);
  afterAll(async () => ho?.close());

  it('is created once with a one-time password, even when two instances start at the same moment', async () => {
    const other = await openPostgres(ho.databaseUrl!, 2);
    try {
      const results = await Promise.all([ensureFirstAdmin(ho.db), ensureFirstAdmin(other)]);
      const winners = results.filter((p): p is string => p !== null);
      expect(winners).toHaveLength(1);
      expect(await ensureFirstAdmin(ho.db)).toBeNull();
      expect(await ensureFirstAdmin(other)).toBeNull();
    } finally {
      await other.close();
    }
    const ops = await ho.db.query<{ username: string; role: string; must: boolean }>(
      'SELECT username, role, must_change_password AS must FROM ho_operators',
    );
    expect(ops).toEqual([{ username: 'admin', role: 'admin', must: true }]);
    const audit = await ho.db.query<{ action: string }>(
      `SELECT action FROM ho_audit WHERE action = 'operator.bootstrap'`,
    );
    expect(audit).toHaveLength(1);
  });

  it('signs in with it and must change it before anything else', async () => {
    // the password is only known to the winner: reset it through the token to learn a new one
    const reset = await ho.admin('/v1/console/operators/admin/reset-password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { initialPassword } = (await reset.json()) as { initialPassword: string };
    const { session, body } = await consoleLogin(ho.url, 'admin', initialPassword);
    expect(body.operator).toMatchObject({ role: 'admin', mustChangePassword: true });
    const gated = await session!.call('/v1/console/operators');
    expect(await gated.json()).toMatchObject({ error: 'password_change_required' });
  });
});
