// Finance's receipt search across counters (issue 18, head-office/src/receipt-search.ts) on receipts
// a real terminal pushed: each filter, voided or not, keyset pages, bad input refused; the new
// projection columns (clerk, tender classes) are checked against the events by the verify.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchReceipts } from '../../../head-office/src/receipt-search';
import { verifyChain } from '../../../head-office/src/store';
import type { Backend } from '../../support/head-office';
import { syncSuite } from '../../support/sync-suite';
import { householdsOwing, type TestTerminal } from '../../support/terminal';

describe.each<Backend>(['postgres', 'pglite'])('receipt search on %s', (backend) => {
  const suite = syncSuite(backend, 30);
  let t: TestTerminal;
  let ids: { a1: string; b: string; a2: string };
  let labels: Record<string, string>;
  let households: string[];

  beforeAll(async () => {
    t = suite.terminal();
    await suite.ho.enrol(t);
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 10_000 });
    households = householdsOwing(t, 5_000, 2);
    const pay = async (householdId: string, tenders: unknown[], amountFen: number) =>
      (
        await t.must('payment.take', {
          session,
          requestId: randomUUID(),
          householdId,
          amountFen,
          tenders: tenders as never,
        })
      ).id;
    const a1 = await pay(
      households[0]!,
      [{ kind: 'cash', amountFen: 1_234, tenderedFen: 1_234 }],
      1_234,
    );
    const b = await pay(
      households[1]!,
      [
        { kind: 'cash', amountFen: 1_000, tenderedFen: 1_000 },
        { kind: 'qr', amountFen: 2_000, channel: 'wechat', reference: 'WX0001' },
        { kind: 'cheque', amountFen: 1_500, chequeNo: 'ZP0001', bank: '农业银行' },
      ],
      4_500,
    );
    const a2 = await pay(households[0]!, [{ kind: 'cash', amountFen: 700, tenderedFen: 700 }], 700);
    await t.must('receipt.void', {
      session,
      receiptId: a2,
      reason: '收款有误',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    ids = { a1, b, a2 };
    labels = Object.fromEntries(
      (
        t.ctx.db.prepare('SELECT id, receipt_label AS label FROM receipts').all() as {
          id: string;
          label: string;
        }[]
      ).map((r) => [r.id, r.label]),
    );
    await suite.sync(t);
    // head office's own master rows for this household and clerk (an import, in real use)
    const hh = t.ctx.db
      .prepare('SELECT id, account_no FROM households WHERE id = ?')
      .get(households[0]) as { id: string; account_no: string };
    await suite.ho.db.query(
      `INSERT INTO ho_households (id, account_no, data) VALUES ($1, $2, '{}') ON CONFLICT DO NOTHING`,
      [hh.id, hh.account_no],
    );
    const clerk = t.ctx.db.prepare("SELECT id FROM clerks WHERE code = '1001'").pluck().get();
    await suite.ho.db.query(
      `INSERT INTO ho_clerks (id, code, data) VALUES ($1, '1001', '{}') ON CONFLICT DO NOTHING`,
      [clerk],
    );
  });

  const search = (f: Parameters<typeof searchReceipts>[1]) => searchReceipts(suite.ho.db, f);
  const idsOf = (r: Awaited<ReturnType<typeof search>>) => r.rows.map((x) => x.receiptId);

  it('finds a receipt by its printed number, with its counter, clerk and what it was paid with', async () => {
    const r = await search({ label: labels[ids.b]! });
    expect(r.rows).toEqual([
      expect.objectContaining({
        receiptId: ids.b,
        label: labels[ids.b],
        terminalId: t.ctx.terminal.id,
        householdId: households[1],
        clerkId: expect.any(String),
        totalFen: 4_500,
        cashFen: 1_000,
        electronicFen: 2_000,
        pendingFen: 1_500,
        voided: false,
      }),
    ]);
    expect(r.rows[0]!.terminalName).toBeTruthy();
    expect(r.next).toBeNull();
  });

  it('by household (id or account number), clerk (id or code), amount, day and void state', async () => {
    const byHousehold = await search({ householdId: households[0]! });
    expect(new Set(idsOf(byHousehold))).toEqual(new Set([ids.a1, ids.a2]));
    const accountNo = byHousehold.rows[0]!.accountNo;
    expect(accountNo).toBeTruthy();
    expect(idsOf(await search({ accountNo: accountNo! }))).toEqual(idsOf(byHousehold));
    const all = await search({ clerkCode: '1001' });
    expect(new Set(idsOf(all))).toEqual(new Set([ids.a1, ids.b, ids.a2]));
    expect(idsOf(await search({ clerkId: all.rows[0]!.clerkId! }))).toEqual(idsOf(all));
    expect(idsOf(await search({ clerkCode: '9999' }))).toEqual([]);
    expect(idsOf(await search({ amountFen: 1_234 }))).toEqual([ids.a1]);
    expect(idsOf(await search({ householdId: households[0]!, voided: 'voided' }))).toEqual([
      ids.a2,
    ]);
    expect(idsOf(await search({ householdId: households[0]!, voided: 'valid' }))).toEqual([ids.a1]);
    const day = all.rows[0]!.businessDate;
    expect(idsOf(await search({ from: day, to: day }))).toEqual(idsOf(all));
    expect(idsOf(await search({ to: '2000-01-01' }))).toEqual([]);
    expect(idsOf(await search({ terminalId: 'nobody' }))).toEqual([]);
  });

  it('pages newest first by keyset: the pages together are the whole answer, once each', async () => {
    const whole = idsOf(await search({}));
    expect(whole).toHaveLength(3);
    const paged: string[] = [];
    let after: { businessDate: string; receiptId: string } | undefined;
    for (let page = 0; page < 5; page++) {
      const r = await search({ limit: 1, ...(after ? { after } : {}) });
      paged.push(...idsOf(r));
      if (!r.next) break;
      after = r.next;
    }
    expect(paged).toEqual(whole);
  });

  it('refuses bad filters with the field named', async () => {
    await expect(search({ from: '2026-12-02', to: '2026-12-01' })).rejects.toThrow(/to/);
    await expect(search({ label: '' })).rejects.toThrow();
    await expect(search({ limit: 0 })).rejects.toThrow();
    await expect(search({ amountFen: 1.5 } as never)).rejects.toThrow();
    await expect(search({ from: '12/01/2026' })).rejects.toThrow();
  });

  it('answers over HTTP (GET /v1/receipts, GET /v1/reports/month) and refuses a bad query with 400', async () => {
    const get = async (path: string) => {
      const res = await suite.ho.admin(path);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const one = await get(`/v1/receipts?householdId=${households[0]}&limit=1`);
    expect(one.status).toBe(200);
    const page = one.body as Awaited<ReturnType<typeof search>>;
    expect(page.rows).toHaveLength(1);
    const two = await get(
      `/v1/receipts?householdId=${households[0]}&limit=1&afterDate=${page.next!.businessDate}&afterId=${page.next!.receiptId}`,
    );
    expect((two.body as typeof page).rows.map((r) => r.receiptId)).toEqual(
      idsOf(await search({ householdId: households[0]! })).slice(1, 2),
    );
    for (const bad of [
      '/v1/receipts?amountFen=12.5',
      '/v1/receipts?limit=0',
      '/v1/receipts?afterDate=2026-12-01',
      '/v1/receipts?from=2026-12-02&to=2026-12-01',
      '/v1/receipts?colour=red',
      '/v1/reports/month?month=2026-13',
      '/v1/reports/month?month=2026-11&trendMonths=x',
    ])
      expect((await get(bad)).status, bad).toBe(400);
    const day = (await search({})).rows[0]!.businessDate;
    const month = await get(`/v1/reports/month?month=${day.slice(0, 7)}&trendMonths=2`);
    expect(month.status).toBe(200);
    // the two valid receipts: 1,234 cash; 1,000 cash + 2,000 QR + 1,500 cheque (not cleared yet)
    expect(month.body.totals).toMatchObject({
      receipts: 2,
      voided: 1,
      issuedFen: 5_734,
      cashFen: 2_234,
      electronicFen: 2_000,
      chequesTakenFen: 1_500,
      chequesClearedFen: 0,
      collectedFen: 4_234,
      ePaymentPctTenths: 472,
    });
  });

  it('the verify compares the new columns with the events and names the one that differs', async () => {
    const id = t.ctx.terminal.id;
    expect(await verifyChain(suite.ho.db, id)).toMatchObject({ ok: true, firstBadReceipt: null });
    await suite.ho.db.query(
      'UPDATE ho_receipts SET electronic_fen = electronic_fen + 1 WHERE receipt_id = $1',
      [ids.b],
    );
    const bad = await verifyChain(suite.ho.db, id);
    expect(bad).toMatchObject({ ok: false, firstBadReceipt: labels[ids.b] });
    expect(JSON.stringify(bad)).toContain('electronic_fen');
    await suite.ho.db.query(
      'UPDATE ho_receipts SET electronic_fen = electronic_fen - 1, clerk_id = NULL WHERE receipt_id = $1',
      [ids.b],
    );
    expect(JSON.stringify(await verifyChain(suite.ho.db, id))).toContain('clerk_id');
  });
});
