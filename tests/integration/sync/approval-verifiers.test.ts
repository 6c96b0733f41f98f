// Approvals name the approver's PIN verifier version (issue 17, docs/trust.md "Head office"): a
// supervisor's PIN hash changed in the terminal's files — even re-signed there by someone holding
// the terminal key — makes every approval it gives carry a version head office never issued, and
// head office lists it in the approval-exceptions report with reason `verifier`. Real enrollment,
// real pushes over HTTP; PGlite and PostgreSQL 15.
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../../src-main/ledger/event-log';
import { writeTransaction } from '../../../src-main/ledger/transaction';
import { hashPin } from '../../../src-main/features/session/auth';
import { insertClerk } from '../../../src-main/features/session/clerks.store';
import { seasonAccounts } from '../../../src-main/features/households/accounts.store';
import { SyncWorker } from '../../../src-main/features/sync/worker';
import { terminalSignature, writeClerk } from '../../../src-main/features/sync/master-rows.store';
import { startHeadOffice, type Backend, type TestHeadOffice } from '../../support/head-office';
import {
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

const FAST = { backoffBaseMs: 5, backoffCapMs: 50, requestTimeoutMs: 5000 };

interface Row {
  eventId: string;
  action: string;
  reason: string;
  subjectId: string | null;
  reliefId: string | null;
  approvers: string[];
  problems: { code: string; approverId?: string }[];
}

describe.each<Backend>(['pglite', 'postgres'])('approval verifier versions on %s', (backend) => {
  let ho: TestHeadOffice;
  let dir: ReturnType<typeof tempDir>;
  let t: TestTerminal;

  beforeAll(async () => {
    ho = await startHeadOffice(backend);
    dir = tempDir('cashier-verifier-ho-');
    t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 40 });
    insertClerk(t.ctx.db, {
      id: 'C9002',
      code: '9002',
      name: '赵经理',
      role: 'supervisor',
      pin_hash: hashPin('777777'),
    });
  });
  afterAll(async () => {
    t?.close();
    dir?.cleanup();
    await ho?.close();
  });

  const sync = async () =>
    expect(
      await new SyncWorker(t.ctx, FAST).drain({ maxCycles: 6, deadlineMs: 20_000 }),
    ).toMatchObject({ done: true });

  const clerk = (code: string) =>
    t.ctx.db.prepare('SELECT * FROM clerks WHERE code = ?').get(code) as {
      id: string;
      name: string;
      role: 'clerk' | 'supervisor';
      pin_hash: string;
      signed_by: string;
    };

  /** Head office issues these clerks (as the terminal has them, or with another PIN hash). */
  async function issueClerks(codes: string[], pinHash?: string) {
    const body = codes.map((code) => {
      const c = clerk(code);
      return {
        id: c.id,
        code,
        name: c.name,
        role: c.role,
        pinHash: pinHash ?? c.pin_hash,
        active: true,
      };
    });
    const res = await ho.admin('/v1/master/clerk', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  }

  const exceptions = async () => {
    const res = await ho.admin(`/v1/reports/approval-exceptions?terminalId=${t.ctx.terminal.id}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { rows: Row[] }).rows;
  };

  it('flags approvals with a verifier version head office never issued, or none', async () => {
    await ho.enrol(t, 'verifier-counter');
    await issueClerks(['1001', '9001', '9002']);
    await sync();
    // the pulled rows are head office's now, and still log in
    expect(clerk('9001').signed_by).toBe('head-office');
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const [a, b, c, d] = householdsOwing(t, 5_000, 4);
    const voidIt = async (householdId: string, supervisorCode: string, supervisorPin: string) => {
      const r = await payCash(t, session, householdId, 1_000);
      await t.must('receipt.void', {
        session,
        receiptId: r.id,
        reason: '录错',
        supervisorCode,
        supervisorPin,
      });
      return r.id;
    };

    const fine = await voidIt(a!, '9001', '888888');
    // 9002's PIN changes at head office after this approval, before the counter pulls: still fine.
    const beforePinChange = await voidIt(b!, '9002', '777777');
    await issueClerks(['9002'], hashPin('555555'));

    // Someone holding the terminal key gives 9001 a PIN they know, and re-signs the row.
    const old = clerk('9001');
    const forgedRecord = {
      id: old.id,
      code: '9001',
      name: old.name,
      role: old.role,
      pinHash: hashPin('000000'),
      active: true,
    };
    writeClerk(t.ctx.db, forgedRecord, terminalSignature(t.ctx.db, 'clerks', forgedRecord));
    const forged = await voidIt(c!, '9001', '000000');
    const season = seasonAccounts(t.ctx.db, d!).find((s) => s.balanceFen >= 1_000)!.seasonId;
    const relief = await t.must('relief.grant', {
      session,
      householdId: d,
      seasonId: season,
      kind: 'reduction',
      amountFen: 500,
      reason: '困难户',
      approvals: [
        { supervisorCode: '9001', supervisorPin: '000000' },
        { supervisorCode: '9002', supervisorPin: '777777' },
      ],
    });
    // An approval from a build before issue 17 carries no verifier at all.
    const oldStyle = randomUUID();
    writeTransaction(t.ctx, (append) =>
      appendEvent(
        append,
        'approval.given',
        { approverId: old.id, action: 'cash.out', subjectId: oldStyle, reason: '旧版本' },
        clerk('1001').id,
      ),
    );
    await sync();

    const rows = await exceptions();
    const bySubject = new Map(rows.map((r) => [r.subjectId ?? r.reliefId, r]));
    expect(bySubject.has(fine)).toBe(false);
    expect(bySubject.has(beforePinChange)).toBe(false);
    expect(bySubject.get(forged)).toMatchObject({
      action: 'receipt.void',
      reason: 'verifier',
      approvers: [old.id],
      problems: [{ code: 'VERIFIER_NOT_ISSUED', approverId: old.id }],
    });
    expect(bySubject.get(oldStyle)).toMatchObject({
      action: 'cash.out',
      reason: 'verifier',
      problems: [{ code: 'VERIFIER_MISSING', approverId: old.id }],
    });
    // The relief: 9001's approval does not count, so one approver is left of the two required.
    expect(bySubject.get(relief.reliefId)).toMatchObject({
      action: 'relief.reduction',
      reason: 'verifier',
      problems: [
        { code: 'VERIFIER_NOT_ISSUED', approverId: old.id },
        { code: 'NOT_ENOUGH', distinct: 1, required: 2 },
      ],
    });
    // The demo book issues were approved by 9001 with the PIN head office issued: not listed.
    expect(rows.filter((r) => r.action === 'book.issue')).toEqual([]);
    expect(rows).toHaveLength(3);
  });
});
