// Clerks added at the counter (issue 21, defect 4), on a real SQLite ledger: the demo district has
// two supervisors so a reduction (two different supervisors by default) works out of the box; a
// supervisor adds a clerk or supervisor with `clerk.add` (row signed with the terminal key, the
// approval in the ledger), the new supervisor logs in and approves; codes are unique; a clerk
// cannot approve; an enrolled terminal leaves clerks to head office.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
const S1 = { supervisorCode: '9001', supervisorPin: '888888' };
const DEMO_S2 = { supervisorCode: '9009', supervisorPin: '999999' };

beforeAll(async () => {
  dir = tempDir('cashier-clerks-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 30 });
  session = await t.login();
});
afterAll(() => {
  t.close();
  dir.cleanup();
});

const relief = (householdId: string, approvals: unknown[]) =>
  t.call('relief.grant', {
    session,
    householdId,
    seasonId: 'S2026',
    kind: 'reduction',
    amountFen: 1_000,
    reason: '困难户',
    approvals,
  });

describe('clerks and supervisors', () => {
  it('the demo district has two supervisors: a reduction needs no setup', async () => {
    expect((await t.must('rules.get', { session })).settings.reliefApprovals).toBe(2);
    const [h] = householdsOwing(t, 50_000, 1) as [string];
    const r = await relief(h, [S1, DEMO_S2]);
    expect(r.ok || r.error.code).toBe(true);
    if (r.ok)
      expect(r.value.approvers.map((a) => a.name).sort()).toEqual(['周经理', '李主管'].sort());
  });

  it('a supervisor adds a supervisor: signed row, approval in the ledger, logs in and approves', async () => {
    const events = (await t.must('terminal.info', {})).eventCount;
    const added = await t.must('clerk.add', {
      session,
      code: '9100',
      name: '孙经理',
      role: 'supervisor',
      pin: '246810',
      ...S1,
    });
    expect(added).toEqual({ id: 'C9100', code: '9100', name: '孙经理', role: 'supervisor' });
    const row = t.ctx.db
      .prepare("SELECT signed_by, sig, active FROM clerks WHERE code = '9100'")
      .get() as { signed_by: string; sig: string; active: number };
    expect(row).toMatchObject({ signed_by: 'terminal', active: 1 });
    expect(row.sig.length).toBeGreaterThan(40);
    const ev = t.ctx.db
      .prepare('SELECT type, clerk_id, payload FROM events WHERE seq > ? ORDER BY seq')
      .all(events) as { type: string; clerk_id: string; payload: string }[];
    expect(ev).toHaveLength(1);
    expect(ev[0]!.type).toBe('approval.given');
    expect(ev[0]!.clerk_id).toBe('C1001');
    expect(JSON.parse(ev[0]!.payload)).toMatchObject({
      approverId: 'C9001',
      action: 'clerk.add',
      subjectId: 'C9100',
    });
    // the new supervisor logs in (the signed row checks) and approves with 9001
    expect((await t.must('session.login', { clerkCode: '9100', pin: '246810' })).clerk.role).toBe(
      'supervisor',
    );
    const [, h] = householdsOwing(t, 50_000, 2) as [string, string];
    const r = await relief(h, [S1, { supervisorCode: '9100', supervisorPin: '246810' }]);
    expect(r.ok || r.error.code).toBe(true);
    // the whole ledger still verifies (master rows' signatures included)
    const v = await t.must('ledger.verify', { session });
    expect(v.ok).toBe(true);
  });

  it('adds a clerk; refuses a code in use, a clerk as approver and a wrong PIN, changing nothing', async () => {
    const clerk = await t.must('clerk.add', {
      session,
      code: '1003',
      name: '陈晨',
      role: 'clerk',
      pin: '135790',
      ...DEMO_S2,
    });
    expect(clerk.role).toBe('clerk');
    expect((await t.must('session.login', { clerkCode: '1003', pin: '135790' })).clerk.name).toBe(
      '陈晨',
    );
    const count = () =>
      (t.ctx.db.prepare('SELECT count(*) AS n FROM clerks').get() as { n: number }).n;
    const before = count();
    const input = { session, code: '1004', name: '刘洋', role: 'clerk', pin: '111111' };
    const taken = await t.call('clerk.add', { ...input, code: '1001', ...S1 });
    expect(taken.ok || taken.error.code).toBe('CLERK_CODE_TAKEN');
    expect(taken.ok || taken.error.message['zh-CN']).toContain('1001');
    const byClerk = await t.call('clerk.add', {
      ...input,
      supervisorCode: '1002',
      supervisorPin: '123456',
    });
    expect(byClerk.ok || byClerk.error.code).toBe('NOT_SUPERVISOR');
    const wrongPin = await t.call('clerk.add', { ...input, ...S1, supervisorPin: '000000' });
    expect(wrongPin.ok || wrongPin.error.code).toBe('BAD_CREDENTIALS');
    expect(count()).toBe(before);
  });

  it('an enrolled terminal gets its clerks from head office: refused with the next step', async () => {
    t.ctx.db
      .prepare("UPDATE sync_state SET head_office_url = 'https://ho.example' WHERE singleton = 1")
      .run();
    try {
      const r = await t.call('clerk.add', {
        session,
        code: '1005',
        name: '王芳',
        role: 'clerk',
        pin: '222222',
        ...S1,
      });
      expect(r.ok || r.error.code).toBe('CLERKS_MANAGED_BY_HEAD_OFFICE');
    } finally {
      t.ctx.db.prepare('UPDATE sync_state SET head_office_url = NULL WHERE singleton = 1').run();
    }
  });
});
