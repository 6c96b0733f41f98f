// Signed master rows at use time (issue 17, docs/trust.md "Master rows on the terminal"): a clerk
// row, a charge or a payment elsewhere altered in the SQLite file (without the terminal key)
// refuses the log-in or the payment with MASTER_ROW_INVALID naming the row, and the full check
// lists it. Also: the approvals name the approver's verifier version, and wrong PINs lock a clerk
// on one connection only. Real SQLite files; the attacker writes through their own connection.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifierVersionOf } from '@heating-cashier/core/contract/verifier';
import { dispatch } from '../../src-main/api/dispatch';
import { createVerifier } from '../../src-main/ledger/signing';
import {
  terminalSignature,
  verifyMasterRows,
  writePaymentElsewhere,
} from '../../src-main/features/sync/master-rows.store';
import { hashPin } from '../../src-main/features/session/auth';
import { insertClerk } from '../../src-main/features/session/clerks.store';
import {
  GLOBAL_MAX_PIN_ATTEMPTS,
  MAX_PIN_ATTEMPTS,
} from '../../src-main/features/session/pin-lockout';
import { householdsOwing, openTestTerminal, payCash, type TestTerminal } from '../support/terminal';
import { tempFolders } from '../support/temp-files';

const { file } = tempFolders();
let t: TestTerminal;
let attacker: Database.Database;

beforeEach(() => {
  const path = file();
  t = openTestTerminal(path, { households: 30 });
  attacker = new Database(path);
});
afterEach(() => {
  attacker.close();
  t.close();
});

const problems = () => verifyMasterRows(t.ctx.db, createVerifier()).problems;

async function refusal(name: 'session.login' | 'payment.take' | 'payment.preview', input: object) {
  const r = await t.call(name, input as Record<string, unknown>);
  expect(r.ok).toBe(false);
  return !r.ok ? r.error : null;
}

describe('signed master rows', () => {
  it('the demo district is signed by the terminal, every row verifies', () => {
    const r = verifyMasterRows(t.ctx.db, createVerifier());
    // 4 clerks + 2 seasons + 6 rates + 60 charges + 30 households
    expect(r).toEqual({ checked: 102, problems: [] });
    const signers = t.ctx.db
      .prepare(
        `SELECT DISTINCT signed_by FROM charges UNION SELECT DISTINCT signed_by FROM clerks
         UNION SELECT DISTINCT signed_by FROM households`,
      )
      .all();
    expect(signers).toEqual([{ signed_by: 'terminal' }]);
  });

  it('an altered charge refuses the payment and its preview, naming the row; the full check lists it', async () => {
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const [a, b] = householdsOwing(t, 1000);
    await payCash(t, session, a!, 100); // verified and remembered on the connection…
    // …then the charge is lowered in the file: the household seems to owe less.
    attacker
      .prepare('UPDATE charges SET charge_fen = charge_fen - 50000 WHERE household_id = ?')
      .run(a);
    const key = (
      t.ctx.db
        .prepare('SELECT season_id FROM charges WHERE household_id = ? ORDER BY season_id')
        .get(a) as { season_id: string }
    ).season_id;
    const take = {
      requestId: randomUUID(),
      tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
    };
    for (const name of ['payment.take', 'payment.preview'] as const) {
      const error = await refusal(name, {
        session,
        householdId: a,
        amountFen: 100,
        ...(name === 'payment.take' ? take : {}),
      });
      expect(error).toMatchObject({
        code: 'MASTER_ROW_INVALID',
        details: { table: 'charges', key: `${a}/${key}`, problem: 'altered' },
      });
      expect(error!.message['zh-CN']).toContain(`应收 ${a}/${key}`);
      expect(error!.message.en).toContain('re-sync the master data');
    }
    expect(problems()).toEqual(
      expect.arrayContaining([{ table: 'charges', key: `${a}/${key}`, problem: 'altered' }]),
    );
    // Another household is not affected.
    await payCash(t, session, b!, 100);
  });

  it('a household altered in the file (its name on the receipt) refuses the payment; a counter edit re-signs', async () => {
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const [a, b] = householdsOwing(t, 1000);
    await payCash(t, session, a!, 100);
    const accountNo = (
      t.ctx.db.prepare('SELECT account_no FROM households WHERE id = ?').get(a) as {
        account_no: string;
      }
    ).account_no;
    const originalName = (
      t.ctx.db.prepare('SELECT name FROM households WHERE id = ?').get(a) as { name: string }
    ).name;
    attacker.prepare("UPDATE households SET name = '赵六' WHERE id = ?").run(a);
    const pay = () =>
      refusal('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: a,
        amountFen: 100,
        tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
      });
    const error = await pay();
    expect(error).toMatchObject({
      code: 'MASTER_ROW_INVALID',
      details: { table: 'households', key: accountNo, problem: 'altered' },
    });
    expect(error!.message['zh-CN']).toContain(`用户户号 ${accountNo}`);
    expect(problems()).toEqual([{ table: 'households', key: accountNo, problem: 'altered' }]);
    // The flags the counter's own events move (blacklist, legal action, no heat) are not signed
    // fields: the projection replay checks those. An unsigned row is refused like an altered one.
    attacker.prepare('UPDATE households SET sig = NULL, signed_by = NULL WHERE id = ?').run(b);
    expect(
      await refusal('payment.preview', { session, householdId: b, amountFen: 100 }),
    ).toMatchObject({ details: { table: 'households', problem: 'unsigned' } });
    // A household edited at the counter (household.updated) is signed again by the terminal.
    // A counter edit re-signs the row, so it first requires the row to verify: it cannot launder
    // the altered name. Put back, the edit is signed and the payment goes through.
    const edit = () =>
      t.call('household.update', {
        session,
        householdId: a,
        phone: '13700000002',
        reason: '户主来电更新',
      });
    const refused = await edit();
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'MASTER_ROW_INVALID',
      details: { table: 'households', key: accountNo, problem: 'altered' },
    });
    attacker.prepare('UPDATE households SET name = ? WHERE id = ?').run(originalName, a);
    expect((await edit()).ok).toBe(true);
    expect(problems()).toEqual([
      { table: 'households', key: expect.any(String), problem: 'unsigned' },
    ]);
    await payCash(t, session, a!, 100);
  });

  it('paid elsewhere raised beside a signed charge is caught by the paid-before rule', async () => {
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const [a] = householdsOwing(t, 1000);
    attacker
      .prepare(
        'UPDATE charges SET paid_elsewhere_fen = paid_elsewhere_fen + 500 WHERE household_id = ?',
      )
      .run(a);
    const error = await refusal('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: a,
      amountFen: 100,
      tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
    });
    expect(error).toMatchObject({
      code: 'MASTER_ROW_INVALID',
      details: { table: 'charges', problem: 'paid-elsewhere-mismatch' },
    });
  });

  it('a payment elsewhere altered or unsigned refuses the payment', async () => {
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const [a] = householdsOwing(t, 5000);
    const season = (
      t.ctx.db.prepare('SELECT season_id FROM charges WHERE household_id = ? LIMIT 1').get(a) as {
        season_id: string;
      }
    ).season_id;
    const record = {
      id: 'bank-1',
      householdId: a!,
      seasonId: season,
      amountFen: 1000,
      source: 'bank' as const,
      originTerminalId: null,
      reference: 'B-1',
      paidAt: null,
    };
    writePaymentElsewhere(
      t.ctx.db,
      record,
      terminalSignature(t.ctx.db, 'payments_elsewhere', record),
      1,
    );
    await payCash(t, session, a!, 100);
    attacker.prepare("UPDATE payments_elsewhere SET reference = 'B-2' WHERE id = 'bank-1'").run();
    const take = () =>
      refusal('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: a,
        amountFen: 100,
        tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
      });
    expect(await take()).toMatchObject({
      details: { table: 'payments_elsewhere', key: 'bank-1', problem: 'altered' },
    });
    attacker.prepare("UPDATE payments_elsewhere SET sig = NULL WHERE id = 'bank-1'").run();
    expect(await take()).toMatchObject({
      details: { table: 'payments_elsewhere', key: 'bank-1', problem: 'unsigned' },
    });
    expect(problems()).toEqual([
      { table: 'payments_elsewhere', key: 'bank-1', problem: 'unsigned' },
    ]);
  });

  it("a PIN hash copied into the supervisor's row refuses that supervisor's log-in and approvals", async () => {
    const clerkSession = await t.login();
    // The attacker knows clerk 1001's PIN and copies its hash into supervisor 9001's row.
    attacker.exec(
      "UPDATE clerks SET pin_hash = (SELECT pin_hash FROM clerks WHERE code = '1001') WHERE code = '9001'",
    );
    expect(await refusal('session.login', { clerkCode: '9001', pin: '123456' })).toMatchObject({
      code: 'MASTER_ROW_INVALID',
      details: { table: 'clerks', key: '9001', problem: 'altered' },
    });
    // …nor does the real PIN work on the altered row, nor an approval given with it.
    expect(await refusal('session.login', { clerkCode: '9001', pin: '888888' })).toMatchObject({
      code: 'MASTER_ROW_INVALID',
    });
    const r = await t.call('day.close', {
      session: clerkSession,
      supervisorCode: '9001',
      supervisorPin: '123456',
    });
    expect(!r.ok && r.error.code).toBe('MASTER_ROW_INVALID');
    expect(problems()).toEqual([{ table: 'clerks', key: '9001', problem: 'altered' }]);
    // Other clerks are unaffected.
    await t.login('1002', '123456');
  });

  it('an unsigned clerk row refuses the log-in and the sessions already open', async () => {
    const session = await t.login('1002', '123456');
    attacker.exec("UPDATE clerks SET sig = NULL, signed_by = NULL WHERE code = '1002'");
    expect(await refusal('session.login', { clerkCode: '1002', pin: '123456' })).toMatchObject({
      code: 'MASTER_ROW_INVALID',
      details: { table: 'clerks', key: '1002', problem: 'unsigned' },
    });
    const r = await t.call('shift.current', { session });
    expect(!r.ok && r.error.code).toBe('MASTER_ROW_INVALID');
  });

  it('a role raised to supervisor is refused at the next command', async () => {
    const session = await t.login('1002', '123456');
    attacker.exec("UPDATE clerks SET role = 'supervisor' WHERE code = '1002'");
    const r = await t.call('shift.current', { session });
    expect(!r.ok && r.error).toMatchObject({
      code: 'MASTER_ROW_INVALID',
      details: { table: 'clerks', key: '1002' },
    });
  });
});

describe('approvals name the verifier version', () => {
  it('approval.given and relief.granted carry the approver’s verifier', async () => {
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const [a] = householdsOwing(t, 5000);
    const paid = await payCash(t, session, a!, 1000);
    await t.must('receipt.void', {
      session,
      receiptId: paid.id,
      reason: '录错',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    const sup = t.ctx.db.prepare("SELECT id, pin_hash FROM clerks WHERE code = '9001'").get() as {
      id: string;
      pin_hash: string;
    };
    const payload = JSON.parse(
      (
        t.ctx.db
          .prepare("SELECT payload FROM events WHERE type = 'approval.given' ORDER BY seq DESC")
          .get() as { payload: string }
      ).payload,
    ) as { approverId: string; verifier: string };
    expect(payload.approverId).toBe(sup.id);
    expect(payload.verifier).toBe(verifierVersionOf(sup.id, sup.pin_hash));
    expect(payload.verifier).toMatch(/^[0-9a-f]{16}$/);

    insertClerk(t.ctx.db, {
      id: 'C9002',
      code: '9002',
      name: '赵经理',
      role: 'supervisor',
      pin_hash: hashPin('777777'),
    });
    const season = (
      t.ctx.db.prepare('SELECT season_id FROM charges WHERE household_id = ? LIMIT 1').get(a) as {
        season_id: string;
      }
    ).season_id;
    await t.must('relief.grant', {
      session,
      householdId: a,
      seasonId: season,
      kind: 'reduction',
      amountFen: 100,
      reason: '困难户',
      approvals: [
        { supervisorCode: '9001', supervisorPin: '888888' },
        { supervisorCode: '9002', supervisorPin: '777777' },
      ],
    });
    const relief = JSON.parse(
      (
        t.ctx.db
          .prepare("SELECT payload FROM events WHERE type = 'relief.granted' ORDER BY seq DESC")
          .get() as { payload: string }
      ).payload,
    ) as { approvers: string[]; verifiers: Record<string, string> };
    const second = t.ctx.db.prepare("SELECT pin_hash FROM clerks WHERE id = 'C9002'").get() as {
      pin_hash: string;
    };
    expect(relief.verifiers).toEqual({
      [sup.id]: verifierVersionOf(sup.id, sup.pin_hash),
      C9002: verifierVersionOf('C9002', second.pin_hash),
    });
  });
});

describe('PIN lockout per connection', () => {
  const login = (connection: string, pin: string) =>
    dispatch(t.ctx, 'session.login', { clerkCode: '1002', pin }, undefined, { connection });

  it('five wrong PINs lock the clerk on that connection only', async () => {
    for (let i = 0; i < MAX_PIN_ATTEMPTS - 1; i++) {
      const r = await login('A', '999999');
      expect(!r.ok && r.error).toMatchObject({
        code: 'BAD_CREDENTIALS',
        details: { attemptsLeft: MAX_PIN_ATTEMPTS - 1 - i },
      });
    }
    const locked = await login('A', '999999');
    expect(!locked.ok && locked.error.code).toBe('CLERK_LOCKED');
    const evenRight = await login('A', '123456');
    expect(!evenRight.ok && evenRight.error.code).toBe('CLERK_LOCKED');
    // Another window or WebSocket client logs the clerk in.
    const b = await login('B', '123456');
    expect(b.ok).toBe(true);
    // The success on B reset the clerk's global count, not A's lock.
    const stillA = await login('A', '123456');
    expect(!stillA.ok && stillA.error.code).toBe('CLERK_LOCKED');
  });

  it('many connections cannot guess without bound: the global backstop locks everywhere', async () => {
    let n = 0;
    for (let c = 0; n < GLOBAL_MAX_PIN_ATTEMPTS; c++) {
      for (let i = 0; i < MAX_PIN_ATTEMPTS - 1 && n < GLOBAL_MAX_PIN_ATTEMPTS; i++, n++) {
        const r = await login(`probe-${c}`, '999999');
        expect(r.ok).toBe(false);
      }
    }
    const fresh = await login('fresh', '123456');
    expect(!fresh.ok && fresh.error.code).toBe('CLERK_LOCKED');
    // …for the lockout period only.
    const base = t.ctx.clock;
    t.ctx.clock = () => new Date(base().getTime() + 6 * 60 * 1000);
    const later = await login('fresh', '123456');
    expect(later.ok).toBe(true);
    t.ctx.clock = base;
  });
});
