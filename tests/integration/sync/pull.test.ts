import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../head-office/src/import';
import { owedFen } from '../../../src-main/features/households/accounts.store';
import { configureSync, syncState } from '../../../src-main/features/sync/store';
import { SyncWorker } from '../../../src-main/features/sync/worker';
import type { Backend, TestHeadOffice } from '../../support/head-office';
import { FAST_SYNC as FAST, syncSuite } from '../../support/sync-suite';
import { householdsOwing } from '../../support/terminal';

const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');

describe.each<Backend>(['pglite', 'postgres'])('master data and catch-up on %s', (backend) => {
  const suite = syncSuite(backend, 30);
  let ho: TestHeadOffice;
  beforeAll(() => {
    ho = suite.ho;
  });
  const terminal = (clock?: () => Date) => suite.terminal(clock);

  it('imports with a row-level report (nothing half-imported), then terminals pull households, rates, charges, bank payments, clerks and books', async () => {
    const t = terminal();
    await ho.enrol(t);
    // a file with two bad rows is refused whole
    const bad = await importFile(
      ho.db,
      'households',
      'csv',
      csv([
        ['account_no', 'name', 'community', 'building', 'unit', 'room', 'area_m2', 'category'],
        ['20000001', '赵一', '幸福里', '3', '2', '501', '85.23', 'residential'],
        ['20000002', '', '幸福里', '3', '2', '502', '85.2x', 'residential'],
        ['20000003', '钱三', '幸福里', '3', '2', '503', '90', 'palace'],
      ]),
      'bad.csv',
    );
    expect(bad.accepted).toBe(false);
    expect(bad.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'name'],
      [3, 'area_m2'],
      [4, 'category'],
    ]);
    expect(await ho.db.query('SELECT 1 FROM ho_households')).toEqual([]);

    const ok = (kind: Parameters<typeof importFile>[1], rows: string[][]) =>
      importFile(ho.db, kind, 'csv', csv(rows), `${kind}.csv`);
    expect(
      (
        await ok('households', [
          [
            'account_no',
            'name',
            'phone',
            'community',
            'building',
            'unit',
            'room',
            'area_m2',
            'category',
          ],
          ['20000001', '赵一', '13912345678', '幸福里', '3', '2', '501', '85.23', 'residential'],
          ['10000001', '改名户', '13900000001', '新小区', '9', '1', '101', '100', 'residential'],
        ])
      ).accepted,
    ).toBe(true);
    // seasons arrive as XLSX
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('seasons');
    ws.addRow([
      'code',
      'starts_on',
      'ends_on',
      'no_heat_deadline',
      'no_heat_ratio_pct',
      'rate_residential',
      'rate_commercial',
      'rate_public',
    ]);
    ws.addRow([
      '2027-2028',
      '2027-11-15',
      '2028-03-15',
      '2027-10-15',
      50,
      '26.50',
      '38.00',
      '31.00',
    ]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const seasons = await importFile(ho.db, 'seasons', 'xlsx', xlsx, 'seasons.xlsx');
    expect(seasons).toMatchObject({ accepted: true, written: 4 });
    expect(
      (
        await ok('charges', [
          ['account_no', 'season', 'charge', 'paid_before'],
          ['20000001', '2027-2028', '2258.60', '0'],
        ])
      ).accepted,
    ).toBe(true);
    expect(
      (
        await ok('payments', [
          ['reference', 'account_no', 'season', 'amount', 'source', 'paid_at'],
          ['BANK-0001', '20000001', '2027-2028', '1000.00', 'bank', '2027-11-20'],
        ])
      ).accepted,
    ).toBe(true);
    expect(
      (
        await ok('clerks', [
          ['code', 'name', 'role', 'pin'],
          ['1003', '孙红', 'clerk', '246810'],
        ])
      ).accepted,
    ).toBe(true);
    expect(
      (
        await ok('books', [
          ['terminal_id', 'clerk_code', 'series', 'first_no', 'last_no'],
          [t.ctx.terminal.id, '1003', 'K', '1', '100'],
        ])
      ).accepted,
    ).toBe(true);

    const w = new SyncWorker(t.ctx, FAST);
    expect(await w.drain({ maxCycles: 5, deadlineMs: 20_000 })).toMatchObject({ done: true });
    const session = await t.login();
    // FTS kept in step: new household found, renamed household found by its new name only
    const found = await t.must('household.search', { session, query: '3-2-501' });
    expect(found.results.map((h) => h.accountNo)).toContain('20000001');
    expect(
      (await t.must('household.search', { session, query: '改名户' })).results.map((h) => h.id),
    ).toEqual(['H10000001']);
    // balance reflects the bank withholding: 2258.60 - 1000.00
    expect(owedFen(t.ctx.db, 'H20000001')).toBe(125860);
    // the pulled clerk logs in with the PIN set at head office; the allocated book is there
    const s2 = await t.login('1003', '246810');
    expect(s2).toBeTruthy();
    const book = t.ctx.db
      .prepare("SELECT series, first_no, last_no FROM receipt_books WHERE series = 'K'")
      .get();
    expect(book).toEqual({ series: 'K', first_no: 1, last_no: 100 });
    expect(w.status()).toMatchObject({ balanceStale: false, pendingEvents: 0, state: 'ready' });
    // a withdrawn bank payment (amount 0) restores the balance
    const res = await ho.admin('/v1/master/payment', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          id: 'bank:BANK-0001:S2027',
          householdId: 'H20000001',
          seasonId: 'S2027',
          amountFen: 0,
          source: 'bank',
          originTerminalId: null,
          reference: 'BANK-0001',
          paidAt: null,
        },
      ]),
    });
    expect(res.status).toBe(200);
    await w.drain({ maxCycles: 3, deadlineMs: 10_000 });
    expect(owedFen(t.ctx.db, 'H20000001')).toBe(225860);
  });

  it('days offline: collection goes on, status says offline with the oldest pending age; on reconnect everything arrives', async () => {
    let now = Date.parse('2026-12-01T02:00:00Z');
    const t = terminal(() => new Date(now));
    const token = await ho.enrol(t);
    configureSync(t.ctx.db, 'http://127.0.0.1:9', token); // head office unreachable
    const w = new SyncWorker(t.ctx, FAST);
    const owing = householdsOwing(t, 100 * 10, 30);
    for (let day = 0; day < 3; day++) {
      const session = await t.login();
      if (day === 0) await t.must('shift.open', { session, openingFloatFen: 0 });
      for (let i = 0; i < 40; i++) {
        now += 60_000;
        await t.must('payment.take', {
          session,
          requestId: randomUUID(),
          householdId: owing[i % owing.length],
          amountFen: 100,
          tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
        });
      }
      expect(await w.cycle()).toBe('retry');
      now += 24 * 3600_000;
    }
    const offline = w.status();
    expect(offline.state).toBe('offline');
    expect(offline.pendingEvents).toBeGreaterThan(120);
    expect(offline.oldestPendingAt! < '2026-12-01T03:00:00Z').toBe(true);
    expect(offline.balanceStale).toBe(true);
    configureSync(t.ctx.db, ho.url, token);
    const small = new SyncWorker(t.ctx, { ...FAST, batchSize: 25 });
    expect(await small.drain({ maxCycles: 3, deadlineMs: 20_000 })).toMatchObject({ done: true });
    const days = await ho.db.query<{ business_date: string; n: number }>(
      `SELECT business_date, count(*)::int AS n FROM ho_receipts WHERE terminal_id = $1 GROUP BY 1 ORDER BY 1`,
      [t.ctx.terminal.id],
    );
    expect(days).toEqual([
      { business_date: '2026-12-01', n: 40 },
      { business_date: '2026-12-02', n: 40 },
      { business_date: '2026-12-03', n: 40 },
    ]);
    expect(syncState(t.ctx.db).acked_seq).toBe(
      t.ctx.db.prepare('SELECT max(seq) FROM events').pluck().get(),
    );
  });

  it('offline double collection at two counters is detected and listed as an overpayment', async () => {
    const a = terminal();
    const b = terminal();
    await ho.enrol(a);
    await ho.enrol(b);
    const hh = householdsOwing(a, 10_000, 1)[0]!;
    const owed = owedFen(a.ctx.db, hh);
    const seasons = a.ctx.db
      .prepare(
        'SELECT season_id, charge_fen, paid_elsewhere_fen FROM charges WHERE household_id = ?',
      )
      .all(hh) as { season_id: string; charge_fen: number; paid_elsewhere_fen: number }[];
    await ho.admin('/v1/master/charge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        seasons.map((s) => ({
          householdId: hh,
          seasonId: s.season_id,
          chargeFen: s.charge_fen,
          paidBeforeFen: s.paid_elsewhere_fen,
        })),
      ),
    });
    for (const t of [a, b]) {
      const session = await t.login();
      await t.must('shift.open', { session, openingFloatFen: 0 });
      await t.must('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: hh,
        amountFen: owed,
        tenders: [{ kind: 'cash', amountFen: owed, tenderedFen: owed }],
      });
    }
    for (const t of [a, b, a])
      await new SyncWorker(t.ctx, FAST).drain({ maxCycles: 3, deadlineMs: 10_000 });
    const res = await ho.admin('/v1/reports/overpayments');
    const { rows } = (await res.json()) as {
      rows: { household_id: string; over_fen: number; receipts: string }[];
    };
    const mine = rows.filter((r) => r.household_id === hh);
    // earlier tests' terminals (same demo district, same head office) also paid this household
    const [earlier] = await ho.db.query<{ fen: number }>(
      `SELECT coalesce(sum(l.amount_fen), 0)::bigint AS fen FROM ho_receipt_lines l
       JOIN ho_receipts r ON r.receipt_id = l.receipt_id AND r.voided_seq IS NULL
       WHERE l.household_id = $1 AND r.terminal_id NOT IN ($2, $3)`,
      [hh, a.ctx.terminal.id, b.ctx.terminal.id],
    );
    expect(mine.reduce((x, r) => x + r.over_fen, 0)).toBe(owed + earlier!.fen);
    // and each counter now sees the other's receipt: nothing left to collect
    expect(owedFen(a.ctx.db, hh)).toBe(0);
  });
});
