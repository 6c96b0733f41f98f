// 0016_signed_master_rows: clerks, seasons, rates, charges and payments elsewhere gain `sig` and
// `signed_by`; charges gain head office's paid_before_fen, recovered on upgrade from
// paid_elsewhere_fen − the payments elsewhere. The rows an upgraded ledger held are signed with the
// terminal key at its first start, once: a signature removed later is never restored by a restart.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openTerminal } from '../../../src-main/app/open-terminal';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { createVerifier } from '../../../src-main/ledger/signing';
import { hashPin } from '../../../src-main/features/session/auth';
import {
  masterRowsUpgradePending,
  verifyMasterRows,
} from '../../../src-main/features/sync/master-rows.store';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();
const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'signed_master_rows');
const TABLES = ['clerks', 'seasons', 'rates', 'charges', 'payments_elsewhere'];

/** A ledger as the build before 0016 left it, with master rows from head office and payments elsewhere. */
function ledgerBefore0016(path: string): void {
  const raw = new Database(path);
  migrate(raw, all.slice(0, index));
  expect(schemaVersion(raw)).toBe(all[index - 1]!.version);
  raw.exec(`
    INSERT INTO clerks (id, code, name, role, pin_hash) VALUES ('C1', '1001', '张丽', 'clerk', '${hashPin('123456')}');
    INSERT INTO seasons (id, code, starts_on, ends_on, no_heat_deadline, no_heat_ratio_pct)
      VALUES ('S1', '2025-2026', '2025-11-15', '2026-03-15', NULL, 50);
    INSERT INTO rates (season_id, category, rate_fen_per_m2) VALUES ('S1', 'residential', 2500);
    INSERT INTO households (id, account_no, name, community, building, unit, room, area_hundredths, category)
      VALUES ('H1', '1', '王伟', '幸福里', '1', '1', '101', 8000, 'residential'),
             ('H2', '2', '李娜', '幸福里', '1', '1', '102', 8000, 'residential');
    INSERT INTO payments_elsewhere (id, household_id, season_id, amount_fen, source, origin_terminal_id, reference, paid_at, change_seq)
      VALUES ('P1', 'H1', 'S1', 20000, 'bank', NULL, 'B-1', '2025-12-01T02:00:00.000Z', 7),
             ('P2', 'H1', 'S1', 5000, 'online', NULL, NULL, NULL, 8);
    INSERT INTO charges (household_id, season_id, charge_fen, paid_elsewhere_fen)
      VALUES ('H1', 'S1', 200000, 55000), ('H2', 'S1', 200000, 0);
  `);
  raw.close();
}

describe('0016_signed_master_rows', () => {
  it('a new ledger: the columns, their CHECKs, and the upgrade marker only on that connection', () => {
    expect(index).toBeGreaterThan(0);
    const path = file();
    const db = new Database(path);
    migrate(db, all);
    for (const t of TABLES) {
      const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(cols).toEqual(expect.arrayContaining(['sig', 'signed_by']));
    }
    expect(
      (db.prepare('PRAGMA table_info(charges)').all() as { name: string }[]).map((c) => c.name),
    ).toContain('paid_before_fen');
    db.exec(
      "INSERT INTO seasons (id, code, starts_on, ends_on) VALUES ('S1', '2025-2026', '2025-11-15', '2026-03-15')",
    );
    expect(() => db.exec("UPDATE seasons SET signed_by = 'someone'")).toThrow(/CHECK/);
    db.exec("UPDATE seasons SET signed_by = 'head-office'");
    // The marker is a TEMP table of the migrating connection: another connection never sees it.
    expect(
      db
        .prepare("SELECT count(*) AS n FROM sqlite_temp_master WHERE name = 'master_rows_upgrade'")
        .get(),
    ).toEqual({ n: 1 });
    db.close();
    const again = new Database(path);
    expect(
      again
        .prepare("SELECT count(*) AS n FROM sqlite_temp_master WHERE name = 'master_rows_upgrade'")
        .get(),
    ).toEqual({ n: 0 });
    again.close();
  });

  it('upgrading: paid before = paid elsewhere − the payments elsewhere; owed unchanged; only amounts move it', () => {
    const path = file();
    ledgerBefore0016(path);
    const raw = new Database(path);
    const owed = () =>
      raw.prepare('SELECT id, owed_fen FROM households ORDER BY id').all() as {
        id: string;
        owed_fen: number;
      }[];
    const before = owed();
    expect(before).toEqual([
      { id: 'H1', owed_fen: 145000 },
      { id: 'H2', owed_fen: 200000 },
    ]);
    migrate(raw, all.slice(0, index + 1));
    expect(
      raw
        .prepare(
          'SELECT household_id, paid_before_fen, paid_elsewhere_fen, sig, signed_by FROM charges ORDER BY household_id',
        )
        .all(),
    ).toEqual([
      {
        household_id: 'H1',
        paid_before_fen: 30000,
        paid_elsewhere_fen: 55000,
        sig: null,
        signed_by: null,
      },
      { household_id: 'H2', paid_before_fen: 0, paid_elsewhere_fen: 0, sig: null, signed_by: null },
    ]);
    expect(owed()).toEqual(before);
    // Writing a signature leaves what is owed alone (the trigger fires on amounts only)…
    raw.exec("UPDATE households SET owed_fen = -1 WHERE id = 'H2'");
    raw.exec("UPDATE charges SET sig = 'x', signed_by = 'terminal' WHERE household_id = 'H2'");
    expect(owed()[1]!.owed_fen).toBe(-1);
    // …an amount still recomputes it.
    raw.exec("UPDATE charges SET charge_fen = 150000 WHERE household_id = 'H2'");
    expect(owed()[1]!.owed_fen).toBe(150000);
    raw.close();
  });

  it('the first start after the upgrade signs every row with the terminal key, once', () => {
    const path = file();
    ledgerBefore0016(path);
    const t = openTerminal({ dbFile: path, timeZone: 'Asia/Shanghai' });
    const db = t.ctx.db;
    expect(masterRowsUpgradePending(db)).toBe(false);
    for (const table of TABLES) {
      const rows = db.prepare(`SELECT sig, signed_by FROM ${table}`).all() as {
        sig: string | null;
        signed_by: string | null;
      }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.signed_by).toBe('terminal');
        expect(r.sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
      }
    }
    expect(verifyMasterRows(db, createVerifier())).toEqual({ checked: 9, problems: [] });
    // Someone removes a signature; a restart does not sign it again.
    db.prepare("UPDATE rates SET sig = NULL, signed_by = NULL WHERE season_id = 'S1'").run();
    t.close();
    const again = openTerminal({ dbFile: path, timeZone: 'Asia/Shanghai' });
    expect(verifyMasterRows(again.ctx.db, createVerifier())).toEqual({
      checked: 9,
      problems: [{ table: 'rates', key: 'S1/residential', problem: 'unsigned' }],
    });
    again.close();
  });
});
