// 0017_signed_households: households gain `sig` and `signed_by`; the rows an upgraded ledger held
// are signed with the terminal key at its first start (with 0016's TEMP marker), once: a household
// signature removed later is never restored by a restart, and an altered row stays refused.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openTerminal } from '../../../src-main/app/open-terminal';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { createVerifier } from '../../../src-main/ledger/signing';
import {
  masterRowsUpgradePending,
  verifyMasterRows,
} from '../../../src-main/features/sync/master-rows.store';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();
const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'signed_households');

const marker = (db: Database.Database) =>
  db
    .prepare("SELECT count(*) AS n FROM sqlite_temp_master WHERE name = 'master_rows_upgrade'")
    .get();

/** A ledger as the build before 0017 left it (its other master rows already signed by 0016's start). */
function ledgerBefore0017(path: string): void {
  const raw = new Database(path);
  migrate(raw, all.slice(0, index));
  expect(schemaVersion(raw)).toBe(all[index - 1]!.version);
  raw.exec(`
    INSERT INTO households (id, account_no, name, community, building, unit, room, area_hundredths, category, blacklisted)
      VALUES ('H1', '880001', '王伟', '幸福里', '1', '1', '101', 8000, 'residential', 0),
             ('H2', '880002', '李娜', '幸福里', '1', '1', '102', 9050, 'commercial', 1);
  `);
  raw.close();
}

describe('0017_signed_households', () => {
  it('a new ledger: the columns, their CHECK, and the upgrade marker on the migrating connection only', () => {
    expect(index).toBeGreaterThan(0);
    const path = file();
    const db = new Database(path);
    migrate(db, all);
    const cols = (db.prepare('PRAGMA table_info(households)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(cols).toEqual(expect.arrayContaining(['sig', 'signed_by']));
    db.exec(`INSERT INTO households (id, account_no, name, community, building, unit, room, area_hundredths, category)
             VALUES ('H1', '1', '王伟', '幸福里', '1', '1', '101', 8000, 'residential')`);
    expect(() => db.exec("UPDATE households SET signed_by = 'someone'")).toThrow(/CHECK/);
    expect(marker(db)).toEqual({ n: 1 });
    db.close();
    const again = new Database(path);
    expect(marker(again)).toEqual({ n: 0 });
    again.close();
  });

  it('upgrading from 0016 alone: the marker is set again, the rows stay as they were', () => {
    const path = file();
    ledgerBefore0017(path);
    const raw = new Database(path);
    migrate(raw, all.slice(0, index + 1));
    expect(marker(raw)).toEqual({ n: 1 });
    expect(
      raw.prepare('SELECT id, name, blacklisted, sig FROM households ORDER BY id').all(),
    ).toEqual([
      { id: 'H1', name: '王伟', blacklisted: 0, sig: null },
      { id: 'H2', name: '李娜', blacklisted: 1, sig: null },
    ]);
    raw.close();
  });

  it('the first start after the upgrade signs every household with the terminal key, once', () => {
    const path = file();
    ledgerBefore0017(path);
    const t = openTerminal({ dbFile: path, timeZone: 'Asia/Shanghai' });
    const db = t.ctx.db;
    expect(masterRowsUpgradePending(db)).toBe(false);
    const rows = db.prepare('SELECT sig, signed_by FROM households').all() as {
      sig: string | null;
      signed_by: string | null;
    }[];
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.signed_by).toBe('terminal');
      expect(r.sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
    }
    expect(verifyMasterRows(db, createVerifier()).problems).toEqual([]);
    // A flag the counter's events move is not a signed field; the area is.
    db.prepare("UPDATE households SET blacklisted = 0 WHERE id = 'H2'").run();
    expect(verifyMasterRows(db, createVerifier()).problems).toEqual([]);
    db.prepare("UPDATE households SET area_hundredths = 5000 WHERE id = 'H2'").run();
    db.prepare("UPDATE households SET sig = NULL, signed_by = NULL WHERE id = 'H1'").run();
    t.close();
    const again = openTerminal({ dbFile: path, timeZone: 'Asia/Shanghai' });
    expect(verifyMasterRows(again.ctx.db, createVerifier()).problems).toEqual([
      { table: 'households', key: '880001', problem: 'unsigned' },
      { table: 'households', key: '880002', problem: 'altered' },
    ]);
    again.close();
  });
});
