// 0022_report_aggregates: season_totals, the households' overdue_seasons / overdue_fen and
// arrears_totals are backfilled on an existing ledger, then kept equal to a recomputation from the
// base tables through raw changes of charges, payments, adjustments, subsidy shares and receipts,
// a new newest season and a community move.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import {
  arrearsTotalsKept,
  arrearsTotalsOracle,
  overdueMismatches,
  seasonTotalsExpected,
  seasonTotalsKept,
} from '../../support/report-oracle';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'report_aggregates');

function household(db: Database.Database, id: string, community: string) {
  db.prepare(
    `INSERT INTO households (id, account_no, name, community, building, unit, room, area_hundredths, category)
     VALUES (?, ?, ?, ?, '1', '1', '101', 8000, 'residential')`,
  ).run(id, `A${id}`, `户${id}`, community);
}

function expectKept(db: Database.Database, step: string) {
  expect(seasonTotalsKept(db), step).toEqual(seasonTotalsExpected(db));
  expect(overdueMismatches(db), step).toEqual([]);
  expect(arrearsTotalsKept(db), step).toEqual(arrearsTotalsOracle(db));
}

describe('0022_report_aggregates', () => {
  it('backfills the aggregates of an existing ledger and keeps them through every change', () => {
    expect(index).toBeGreaterThan(0);
    const db = new Database(file());
    migrate(db, all.slice(0, index));
    db.exec(`INSERT INTO seasons (id, code, starts_on, ends_on) VALUES
               ('S1', '2024-2025', '2024-11-15', '2025-03-15'), ('S2', '2025-2026', '2025-11-15', '2026-03-15'),
               ('S3', '2026-2027', '2026-11-15', '2027-03-15')`);
    // a ledger written before 0022: the events the projections point at exist only as seqs
    db.pragma('foreign_keys = OFF');
    for (const [id, c] of [
      ['H1', '幸福里'],
      ['H2', '幸福里'],
      ['H3', '和平苑'],
      ['H4', '和平苑'],
    ] as const)
      household(db, id, c);
    db.exec(`INSERT INTO charges (household_id, season_id, charge_fen, paid_elsewhere_fen) VALUES
               ('H1', 'S1', 10000, 0), ('H1', 'S2', 12000, 2000), ('H1', 'S3', 15000, 0),
               ('H2', 'S1', 8000, 8000), ('H2', 'S2', 9000, 0), ('H2', 'S3', 9500, 0),
               ('H3', 'S2', 20000, 0), ('H3', 'S3', 21000, 21000),
               ('H4', 'S3', 5000, 0)`);
    db.exec(`INSERT INTO season_payments (household_id, season_id, paid_fen) VALUES ('H1', 'S1', 4000), ('H2', 'S2', 9000);
             INSERT INTO season_adjustments (household_id, season_id, adjust_fen) VALUES ('H3', 'S2', -5000)`);
    migrate(db, all.slice(0, index + 1));
    expect(schemaVersion(db)).toBe(all[index]!.version);
    expectKept(db, 'backfill');
    expect(
      db
        .prepare("SELECT id, overdue_seasons, overdue_fen FROM households WHERE id IN ('H1','H3')")
        .all(),
    ).toEqual([
      { id: 'H1', overdue_seasons: 2, overdue_fen: 6000 + 10000 },
      { id: 'H3', overdue_seasons: 1, overdue_fen: 15000 },
    ]);

    // (subsidy rows point at their events: added after the migration's reference check)
    const steps = [
      `INSERT INTO subsidy_receivables (household_id, season_id, share_fen, received_fen, assigned_seq)
         VALUES ('H1', 'S2', 3000, 1000, 7)`,
      `INSERT INTO subsidy_receipts (id, household_id, season_id, amount_fen, reference, business_date, seq)
         VALUES ('SR1', 'H1', 'S2', 1000, 'F-1', '2026-01-05', 8)`,
      "INSERT INTO season_payments (household_id, season_id, paid_fen) VALUES ('H1', 'S2', 10000)",
      "UPDATE season_payments SET paid_fen = 6000 WHERE household_id = 'H1' AND season_id = 'S1'",
      "DELETE FROM season_payments WHERE household_id = 'H2'",
      "INSERT INTO season_adjustments (household_id, season_id, adjust_fen) VALUES ('H2', 'S2', -20000)", // clamps at 0
      "UPDATE season_adjustments SET adjust_fen = 3000 WHERE household_id = 'H3'",
      "DELETE FROM season_adjustments WHERE household_id = 'H2'",
      "INSERT INTO subsidy_receivables (household_id, season_id, share_fen, assigned_seq) VALUES ('H2', 'S1', 2000, 9)",
      "UPDATE subsidy_receivables SET share_fen = 1500 WHERE household_id = 'H1'",
      "UPDATE subsidy_receivables SET received_fen = 1500 WHERE household_id = 'H1'",
      "INSERT INTO subsidy_receipts (id, household_id, season_id, amount_fen, reference, business_date, seq) VALUES ('SR2', 'H2', 'S1', 700, 'F-2', '2026-01-06', 10)",
      "DELETE FROM subsidy_receivables WHERE household_id = 'H2'",
      "UPDATE charges SET charge_fen = 30000, paid_elsewhere_fen = 1000 WHERE household_id = 'H4'",
      "INSERT INTO charges (household_id, season_id, charge_fen) VALUES ('H4', 'S1', 7000)",
      "UPDATE households SET community = '幸福里' WHERE id = 'H3'",
      // a new newest season: 2026-2027 becomes past, its debtors gain an overdue season
      "INSERT INTO seasons (id, code, starts_on, ends_on) VALUES ('S4', '2027-2028', '2027-11-15', '2028-03-15')",
      "INSERT INTO charges (household_id, season_id, charge_fen) VALUES ('H1', 'S4', 16000)",
      "DELETE FROM charges WHERE household_id = 'H4' AND season_id = 'S1'",
      "DELETE FROM subsidy_receipts WHERE id = 'SR1'",
      // rebuild empties the projections and replays them
      'DELETE FROM season_payments',
      'DELETE FROM season_adjustments',
      'DELETE FROM subsidy_receivables',
    ];
    for (const sql of steps) {
      db.exec(sql);
      expectKept(db, sql);
    }
    db.close();
  });
});
