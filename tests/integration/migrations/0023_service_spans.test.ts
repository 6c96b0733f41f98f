// 0023_service_spans: the timed receipts of an existing ledger are backfilled, and the triggers keep
// service_spans equal to a recomputation from receipts and ratings (Date.parse, as kpis.ts does)
// through raw changes: new timed and untimed receipts, ratings, a void, a corrected time, a deleted
// rating and receipt.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'service_spans');

interface Base {
  id: string;
  business_date: string | null;
  clerk_id: string;
  issued_at: string;
  service_started_at: string | null;
  voided_seq: number | null;
  rated_at: string | null;
}

const ms = (a: string, b: string) => Math.max(0, Date.parse(b) - Date.parse(a));

/** What service_spans must hold, recomputed from the base tables. */
function expected(db: Database.Database) {
  const rows = db
    .prepare(
      `SELECT r.id, r.business_date, r.clerk_id, r.issued_at, r.service_started_at, r.voided_seq, g.rated_at
       FROM receipts r LEFT JOIN service_ratings g ON g.receipt_id = r.id ORDER BY r.id`,
    )
    .all() as Base[];
  return rows.flatMap((r) =>
    r.service_started_at === null || r.business_date === null || r.voided_seq !== null
      ? []
      : [
          {
            receipt_id: r.id,
            business_date: r.business_date,
            clerk_id: r.clerk_id,
            service_ms: ms(r.service_started_at, r.issued_at),
            visit_ms: r.rated_at === null ? null : ms(r.service_started_at, r.rated_at),
          },
        ],
  );
}

const kept = (db: Database.Database) =>
  db.prepare('SELECT * FROM service_spans ORDER BY receipt_id').all();

function receipt(
  db: Database.Database,
  id: string,
  started: string | null,
  issued: string,
  opts: { date?: string | null; clerk?: string; voided?: number } = {},
) {
  db.prepare(
    `INSERT INTO receipts (id, request_id, book_id, receipt_no, receipt_label, household_id, shift_id, clerk_id,
                           total_fen, change_fen, issued_at, issued_seq, business_date, service_started_at, voided_seq)
     VALUES (@id, @id, 'B1', @no, @id, 'H1', 'S1', @clerk, 100, 0, @issued, 5, @date, @started, @voided)`,
  ).run({
    id,
    no: Number(id.slice(1)),
    clerk: opts.clerk ?? 'C1',
    issued,
    date: opts.date === undefined ? '2026-12-01' : opts.date,
    started,
    voided: opts.voided ?? null,
  });
}

function rate(db: Database.Database, id: string, receiptId: string, ratedAt: string) {
  db.prepare(
    `INSERT INTO service_ratings (id, receipt_id, receipt_label, clerk_id, business_date, score, source, rated_at, seq)
     VALUES (?, ?, ?, 'C1', '2026-12-01', 5, 'display', ?, 6)`,
  ).run(id, receiptId, receiptId, ratedAt);
}

describe('0023_service_spans', () => {
  it('backfills the timed receipts and keeps service_spans through every change', () => {
    expect(index).toBeGreaterThan(0);
    const db = new Database(file());
    migrate(db, all.slice(0, index));
    // the parents the receipts and ratings point at
    const ev = db.prepare(
      `INSERT INTO events (seq, id, terminal_id, type, occurred_at, business_date, payload, prev_hash, hash)
       VALUES (?, ?, 'T', 'x', '2026-12-01T00:00:00.000Z', '2026-12-01', '{}', ?, ?)`,
    );
    for (let seq = 1; seq <= 20; seq++)
      ev.run(seq, `e${seq}`, seq === 1 ? '0'.repeat(64) : `h${seq - 1}`, `h${seq}`);
    db.exec(`INSERT INTO clerks (id, code, name, role, pin_hash) VALUES
               ('C1', '1001', '张', 'clerk', 'x'), ('C2', '1002', '李', 'clerk', 'x');
             INSERT INTO households (id, account_no, name, community, building, unit, room, area_hundredths, category)
               VALUES ('H1', 'A1', '户1', '幸福里', '1', '1', '101', 8000, 'residential');
             INSERT INTO receipt_books (id, series, first_no, last_no, next_no, clerk_id, issued_seq)
               VALUES ('B1', 'A', 1, 100, 9, 'C1', 1);
             INSERT INTO shifts (id, clerk_id, business_date, opening_float_fen, opened_at, opened_seq)
               VALUES ('S1', 'C1', '2026-12-01', 0, '2026-12-01T00:00:00.000Z', 1);`);
    // before 0023: timed (rated and not), untimed, void, without a business date, start after issue
    receipt(db, 'R1', '2026-12-01T01:00:00.000Z', '2026-12-01T01:01:30.250Z');
    receipt(db, 'R2', '2026-12-01T01:02:00.000Z', '2026-12-01T01:14:00.001Z', { clerk: 'C2' });
    receipt(db, 'R3', null, '2026-12-01T01:20:00.000Z');
    receipt(db, 'R4', '2026-12-01T01:21:00.000Z', '2026-12-01T01:22:00.000Z', { voided: 9 });
    receipt(db, 'R5', '2026-12-01T01:23:00.000Z', '2026-12-01T01:24:00.000Z', { date: null });
    receipt(db, 'R6', '2026-12-01T01:30:00.500Z', '2026-12-01T01:30:00.000Z');
    rate(db, 'G1', 'R1', '2026-12-01T01:02:00.999Z');
    rate(db, 'G3', 'R3', '2026-12-01T01:21:00.000Z');
    migrate(db, all.slice(0, index + 1));
    expect(schemaVersion(db)).toBe(all[index]!.version);
    expect(kept(db)).toEqual([
      {
        receipt_id: 'R1',
        business_date: '2026-12-01',
        clerk_id: 'C1',
        service_ms: 90_250,
        visit_ms: 120_999,
      },
      {
        receipt_id: 'R2',
        business_date: '2026-12-01',
        clerk_id: 'C2',
        service_ms: 720_001,
        visit_ms: null,
      },
      {
        receipt_id: 'R6',
        business_date: '2026-12-01',
        clerk_id: 'C1',
        service_ms: 0,
        visit_ms: null,
      },
    ]);
    expect(kept(db)).toEqual(expected(db));
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT clerk_id, group_concat(service_ms), group_concat(visit_ms)
         FROM service_spans WHERE business_date >= ? AND business_date < ? GROUP BY clerk_id`,
      )
      .all('2026-12-01', '2027-01-01') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX service_spans_date/);

    const steps: [string, () => void][] = [
      [
        'new timed receipt',
        () =>
          receipt(db, 'R7', '2026-12-02T08:00:00.000+08:00', '2026-12-02T00:05:00.000Z', {
            date: '2026-12-02',
          }),
      ],
      ['new untimed receipt', () => receipt(db, 'R8', null, '2026-12-02T00:06:00.000Z')],
      ['rating of a timed receipt', () => rate(db, 'G2', 'R2', '2026-12-01T01:15:00.000Z')],
      ['rating of R7', () => rate(db, 'G7', 'R7', '2026-12-02T00:07:00.123Z')],
      [
        'void of a rated receipt',
        () => db.prepare('UPDATE receipts SET voided_seq = 20 WHERE id = ?').run('R1'),
      ],
      [
        'service start set later',
        () =>
          db
            .prepare(
              "UPDATE receipts SET service_started_at = '2026-12-02T00:05:30.000Z' WHERE id = ?",
            )
            .run('R8'),
      ],
      [
        'corrected issue time',
        () =>
          db
            .prepare("UPDATE receipts SET issued_at = '2026-12-01T01:13:00.000Z' WHERE id = ?")
            .run('R2'),
      ],
      [
        'corrected rating time',
        () =>
          db
            .prepare(
              "UPDATE service_ratings SET rated_at = '2026-12-02T00:09:00.000Z' WHERE id = ?",
            )
            .run('G7'),
      ],
      ['rating deleted', () => db.prepare('DELETE FROM service_ratings WHERE id = ?').run('G2')],
      ['receipt deleted', () => db.prepare('DELETE FROM receipts WHERE id = ?').run('R6')],
    ];
    for (const [name, run] of steps) {
      run();
      expect(kept(db), name).toEqual(expected(db));
    }
    expect(kept(db)).toHaveLength(3);
    db.close();
  });
});
