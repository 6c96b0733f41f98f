import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSeasonLedger,
  seasonCalendar,
  type SeasonLedgerStats,
} from '../../../bench/season-ledger';
import { openTerminal } from '../../../src-main/app/open-terminal';
import { dispatch } from '../../../src-main/api/dispatch';
import { openDatabase, type Db } from '../../../src-main/ledger/db';
import { projectionSnapshot } from '../../../src-main/ledger/projector';
import { rebuildProjections } from '../../../src-main/ledger/rebuild';
import { verifyLedger } from '../../../src-main/ledger/verify';
import { tempDir } from '../../support/terminal';

// The season-volume benchmark ledger's generator (bench/season-ledger.ts) at a small size: what it
// writes must be a ledger the terminal itself could have written — it verifies in full, its
// projections are what a replay of its events gives, and its proportions are the recipe's.
const HOUSEHOLDS = 5_000;
const RECEIPTS = 3_000;

const dir = tempDir('season-ledger-');
const file = join(dir.dir, 'season.db');
let stats: SeasonLedgerStats;
let db: Db;

const all = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T;

beforeAll(() => {
  stats = buildSeasonLedger(file, { households: HOUSEHOLDS, receipts: RECEIPTS });
  db = openDatabase(file);
}, 600_000);

afterAll(() => {
  db?.close();
  dir.cleanup();
});

describe('season ledger generator', () => {
  it('writes a ledger that passes the full verify (chain, signatures, checkpoints, projection replay)', () => {
    const terminalId = one<{ terminal_id: string }>('SELECT terminal_id FROM terminal').terminal_id;
    const report = verifyLedger(db, terminalId);
    expect(report).toMatchObject({ ok: true, problem: null, firstBadSeq: null });
    expect(report.headSeq).toBe(stats.events);
    expect(report.eventsChecked).toBe(stats.events);
  });

  it('has projections equal to a rebuild from its events', () => {
    const live = projectionSnapshot(db);
    expect(rebuildProjections(db)).toBe(stats.events);
    expect(projectionSnapshot(db)).toEqual(live);
  });

  it('holds five seasons, the receipts asked for and the recipe’s proportions', () => {
    expect(one<{ n: number }>('SELECT count(*) AS n FROM seasons').n).toBe(5);
    expect(one<{ n: number }>('SELECT count(*) AS n FROM charges').n).toBe(HOUSEHOLDS * 5);
    // payments elsewhere settle most household-seasons
    const elsewhere = one<{ n: number }>(
      'SELECT count(*) AS n FROM charges WHERE paid_elsewhere_fen >= charge_fen',
    ).n;
    expect(elsewhere / (HOUSEHOLDS * 5)).toBeGreaterThan(0.7);
    expect(one<{ n: number }>('SELECT count(*) AS n FROM receipts').n).toBe(RECEIPTS);
    expect(stats.receipts).toBe(RECEIPTS);
    const voided = one<{ n: number }>(
      'SELECT count(*) AS n FROM receipts WHERE voided_seq IS NOT NULL',
    ).n;
    expect(voided).toBe(stats.voided);
    expect(voided / RECEIPTS).toBeGreaterThan(0.002);
    expect(voided / RECEIPTS).toBeLessThan(0.03);
    const reprints = one<{ n: number }>(
      "SELECT count(*) AS n FROM events WHERE type = 'receipt.reprinted'",
    ).n;
    expect(reprints).toBe(stats.reprinted);
    expect(reprints).toBeGreaterThan(0);
    expect(stats.partial / RECEIPTS).toBeGreaterThan(0.02);
    expect(stats.multiSeason).toBeGreaterThan(0);
    // every tender kind, cash the largest; cheques cleared, bounced and some still pending
    expect(Object.keys(stats.tenders).sort()).toEqual(['card', 'cash', 'cheque', 'qr']);
    expect(stats.tenders.cash).toBeGreaterThan(stats.tenders.qr!);
    expect(stats.tenders.cheque! / RECEIPTS).toBeLessThan(0.1);
    expect(stats.chequesCleared).toBeGreaterThan(stats.chequesBounced);
    expect(stats.chequesBounced).toBeGreaterThan(0);
    const detail = all<{ mode: string | null; confirmation: string | null }>(
      `SELECT json_extract(detail, '$.mode') AS mode, json_extract(detail, '$.confirmation') AS confirmation
       FROM receipt_tenders WHERE kind IN ('card', 'qr')`,
    );
    expect(detail.some((d) => d.mode === 'terminal')).toBe(true);
    expect(detail.some((d) => d.mode === 'manual')).toBe(true);
    expect(detail.some((d) => d.confirmation === 'confirmed')).toBe(true);
    // nobody paid more than they owed: the counter's payments never exceed what was left to pay
    expect(
      one<{ n: number }>(
        `SELECT count(*) AS n FROM charges c JOIN season_payments p
           ON p.household_id = c.household_id AND p.season_id = c.season_id
         WHERE p.paid_fen > c.charge_fen - c.paid_elsewhere_fen`,
      ).n,
    ).toBe(0);
  });

  it('advances business dates over the seasons, one Z per open day, nothing after a day’s Z', () => {
    const calendar = seasonCalendar(RECEIPTS);
    const closures = all<{ closure_no: number; business_date: string }>(
      'SELECT closure_no, business_date FROM day_closures ORDER BY closure_no',
    );
    expect(closures.map((c) => c.business_date)).toEqual(calendar.map((d) => d.date));
    expect(stats.dayClosures).toBe(calendar.length);
    // receipts only in the heating-fee months, business dates never going back along the chain
    const dates = all<{ business_date: string }>(
      "SELECT business_date FROM events WHERE type = 'receipt.issued' ORDER BY seq",
    ).map((e) => e.business_date);
    expect(dates).toEqual([...dates].sort());
    expect(dates[0]! >= '2022-10-01' && dates.at(-1)! <= '2026-11-30').toBe(true);
    for (const d of dates) expect([1, 2, 3, 10, 11, 12]).toContain(Number(d.slice(5, 7)));
    const years = new Set(dates.map((d) => d.slice(0, 4)));
    expect([...years].sort()).toEqual(['2022', '2023', '2024', '2025', '2026']);
    // no receipt, void, shift or cash event of a day after that day's Z
    expect(
      one<{ n: number }>(
        `SELECT count(*) AS n FROM events e JOIN events z
           ON z.type = 'day.closed' AND json_extract(z.payload, '$.businessDate') = e.business_date
         WHERE e.seq > z.seq AND e.type IN ('receipt.issued', 'receipt.voided', 'shift.opened', 'cash.moved')`,
      ).n,
    ).toBe(0);
    // every shift closed, each with its hand-in counted
    expect(one<{ n: number }>('SELECT count(*) AS n FROM shifts WHERE closed_seq IS NULL').n).toBe(
      0,
    );
    expect(stats.shifts).toBeGreaterThanOrEqual(calendar.length);
  });

  it('opens as a terminal with no alarm, and the real payment service takes money on it', async () => {
    db.close();
    const terminal = openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' });
    try {
      expect(terminal.ctx.runtime.integrity.alarmed).toBe(false);
      const login = await dispatch(terminal.ctx, 'session.login', {
        clerkCode: '1001',
        pin: '123456',
      });
      if (!login.ok) throw new Error(login.error.code);
      const session = (login.value as { session: string }).session;
      const shift = await dispatch(terminal.ctx, 'shift.open', { session, openingFloatFen: 0 });
      expect(shift.ok).toBe(true);
      const owing = terminal.ctx.db
        .prepare(
          'SELECT id AS household_id FROM households WHERE owed_fen > 0 ORDER BY num LIMIT 1',
        )
        .get() as { household_id: string };
      const preview = await dispatch(terminal.ctx, 'payment.preview', {
        session,
        householdId: owing.household_id,
      });
      if (!preview.ok) throw new Error(preview.error.code);
      const amountFen = (preview.value as { amountFen: number }).amountFen;
      const paid = await dispatch(terminal.ctx, 'payment.take', {
        session,
        requestId: '01890000-0000-7000-8000-000000000001',
        householdId: owing.household_id,
        amountFen,
        tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen }],
      });
      expect(paid.ok).toBe(true);
    } finally {
      terminal.close();
      db = openDatabase(file);
    }
  });
});
