import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { seasonAccounts } from '../../../src-main/features/households/accounts.store';
import type { Backend, TestHeadOffice } from '../../support/head-office';
import { syncSuite } from '../../support/sync-suite';
import type { TestTerminal } from '../../support/terminal';

const SUP = { code: '9001', pin: '888888' };

const balances = (t: TestTerminal, hh: string) =>
  seasonAccounts(t.ctx.db, hh).map((s) => [s.seasonId, s.balanceFen] as const);

function multiSeason(t: TestTerminal): string[] {
  return (
    t.ctx.db
      .prepare(
        `SELECT c.household_id AS id FROM charges c
         LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
         WHERE c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0) > 0
         GROUP BY c.household_id HAVING count(*) >= 2 ORDER BY c.household_id`,
      )
      .all() as { id: string }[]
  ).map((r) => r.id);
}

describe.each<Backend>(['pglite', 'postgres'])('cheques across head office on %s', (backend) => {
  const suite = syncSuite(backend, 30);
  let ho: TestHeadOffice;
  beforeAll(() => {
    ho = suite.ho;
  });
  const terminal = () => suite.terminal();
  const sync = (t: TestTerminal) => suite.sync(t);
  const decide = async (items: Record<string, unknown>[]) =>
    ho.admin('/v1/cheques/decisions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(items),
    });
  const report = async (q = '') =>
    (await (await ho.admin(`/v1/reports/cheques${q}`)).json()) as {
      rows: {
        receipt_id: string;
        status: string;
        decision_source: string | null;
        restored: { seasonId: string; amountFen: number }[];
      }[];
      conflicts: {
        id: string;
        receipt_id: string;
        detail: string;
        resolvedBy: string | null;
        resolution: string | null;
      }[];
    };

  it('head office clears and bounces by pull, counters clear by push; a bounce makes every counter see the arrears again; contrary decisions are listed, never lost', async () => {
    const a = terminal();
    const b = terminal();
    await ho.enrol(a, `A-${backend}`);
    await ho.enrol(b, `B-${backend}`);
    const clerk = await a.login();
    const sup = await a.login(SUP.code, SUP.pin);
    await a.must('shift.open', { session: clerk, openingFloatFen: 0 });
    const [h1, h2, h3, h4] = multiSeason(a);
    const before1 = balances(a, h1!);
    const owed1 = before1.reduce((s, [, f]) => s + f, 0);
    const pay = (hh: string, cash: number, cheque: number, no: string) =>
      a.must('payment.take', {
        session: clerk,
        requestId: randomUUID(),
        householdId: hh,
        amountFen: cash + cheque,
        tenders: [
          ...(cash > 0 ? [{ kind: 'cash', amountFen: cash, tenderedFen: cash }] : []),
          { kind: 'cheque', amountFen: cheque, chequeNo: no, bank: '工商银行' },
        ],
      });
    const r1 = await pay(h1!, 0, owed1, 'CHQ-1');
    const r2 = await pay(h2!, 50_00, 70_00, 'CHQ-2');
    const r3 = await pay(h3!, 0, 30_00, 'CHQ-3');
    await sync(a);
    await sync(b);
    expect((await report('?status=pending')).rows.map((r) => r.receipt_id).sort()).toEqual(
      [r1.id, r2.id, r3.id].sort(),
    );
    expect(balances(b, h1!).every(([, f]) => f === 0)).toBe(true); // B sees A's payment

    // all or nothing: one bad item refuses the request, nothing decided
    const bad = await decide([
      { receiptId: r3.id, position: 0, outcome: 'cleared', valueDate: '2026-12-20' },
      { receiptId: r1.id, position: 0, outcome: 'bounced', valueDate: '2026-12-20' },
      { receiptId: 'nope', position: 0, outcome: 'cleared', valueDate: '2026-12-20' },
    ]);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: unknown[] }).errors).toHaveLength(2);
    expect((await report('?status=pending')).rows).toHaveLength(3);

    // finance at head office: r1 bounced, r3 cleared
    const ok = await decide([
      {
        receiptId: r1.id,
        position: 0,
        outcome: 'bounced',
        valueDate: '2099-01-01',
        reason: '余额不足',
      },
      { receiptId: r3.id, position: 0, outcome: 'cleared', valueDate: '2099-01-01' },
    ]);
    expect(ok.status).toBe(200);
    await sync(a); // pulls both decisions, pushes their echo events
    await sync(b);
    const onA = await a.must('cheque.list', { session: sup, status: 'all' });
    const byReceipt = new Map(onA.cheques.map((c) => [c.receiptId, c]));
    expect(byReceipt.get(r1.id)).toMatchObject({
      status: 'bounced',
      source: 'head-office',
      decidedBy: 'head-office',
      reason: '余额不足',
    });
    expect(byReceipt.get(r3.id)).toMatchObject({ status: 'cleared', source: 'head-office' });
    expect(balances(a, h1!)).toEqual(before1); // A: exact arrears restored
    expect(balances(b, h1!)).toEqual(before1); // B: the pulled payment was lowered too

    // a supervisor at the counter clears r2's cheque: pushed up
    await a.must('cheque.clear', { session: sup, receiptId: r2.id, position: 1 });
    await sync(a);
    const all = await report();
    const st = new Map(all.rows.map((r) => [r.receipt_id, r]));
    expect(st.get(r1.id)).toMatchObject({ status: 'bounced', decision_source: 'head-office' });
    expect(st.get(r1.id)!.restored.reduce((s, x) => s + x.amountFen, 0)).toBe(owed1);
    expect(st.get(r2.id)).toMatchObject({ status: 'cleared', decision_source: 'counter' });
    expect(st.get(r3.id)).toMatchObject({ status: 'cleared', decision_source: 'head-office' });
    expect(all.conflicts).toEqual([]); // echoes were recognised

    // contrary decisions while the counter is offline: the first one at head office stands,
    // the counter's is listed as a conflict there, head office's is kept in sync_rejects here
    const r4 = await pay(h4!, 0, 40_00, 'CHQ-4');
    await sync(a);
    await a.must('cheque.clear', { session: sup, receiptId: r4.id, position: 0 });
    expect(
      (
        await decide([
          {
            receiptId: r4.id,
            position: 0,
            outcome: 'bounced',
            valueDate: '2099-01-01',
            reason: '印鉴不符',
          },
        ])
      ).status,
    ).toBe(200);
    await sync(a);
    const after = await report();
    expect(after.rows.find((r) => r.receipt_id === r4.id)).toMatchObject({ status: 'bounced' });
    expect(after.conflicts.map((c) => c.receipt_id)).toEqual([r4.id]);
    // the operator settles it with the bank and marks it resolved; the open list is empty again
    const settle = (id: string) =>
      ho.admin(`/v1/reports/cheque-conflicts/${id}/resolve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by: '财务 王会计', note: '银行确认已到账，总部退票作废' }),
      });
    expect((await settle('999999')).status).toBe(404);
    expect((await settle(after.conflicts[0]!.id)).status).toBe(200);
    expect((await settle(after.conflicts[0]!.id)).status).toBe(409);
    expect((await report()).conflicts).toEqual([]);
    expect((await report('?conflicts=resolved')).conflicts).toEqual([
      expect.objectContaining({ receipt_id: r4.id, resolvedBy: '财务 王会计' }),
    ]);
    expect((await report('?conflicts=all')).conflicts).toHaveLength(1);
    const rejects = a.ctx.db
      .prepare("SELECT kind, reason FROM sync_rejects WHERE kind = 'cheque'")
      .all() as { reason: string }[];
    expect(rejects).toHaveLength(1);
    expect(rejects[0]!.reason).toMatch(/already cleared/);

    // every chain verifies at head office
    for (const t of [a, b]) {
      const v = (await (await ho.admin(`/v1/terminals/${t.ctx.terminal.id}/verify`)).json()) as {
        ok: boolean;
      };
      expect(v.ok).toBe(true);
    }
  });
});
