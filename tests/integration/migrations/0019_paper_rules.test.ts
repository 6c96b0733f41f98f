// 0019_paper_rules: the receipt parts setting (一式三联, default 3; a terminal without the stub keeps
// the customer copy only) and the two new papers the print queue takes (void-statement, book-return).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'paper_rules');

function settingsRow(db: Database.Database, printStub: 0 | 1) {
  db.prepare(
    `INSERT INTO printer_settings (singleton, interface, width, encoding, company_name, print_stub, updated_at)
     VALUES (1, 'tcp://10.0.0.9:9100', 32, 'cp936', '老热力', ?, '2026-11-20T00:00:00.000Z')`,
  ).run(printStub);
}

const insertJob = (db: Database.Database, id: string, template: string) =>
  db
    .prepare(
      `INSERT INTO print_jobs (id, template, subject_id, label, data, created_at)
       VALUES (?, ?, 'R1', 'A000001 客户联', '{}', '2026-11-20T00:00:00.000Z')`,
    )
    .run(id, template);

describe('0019_paper_rules', () => {
  it('a terminal that printed the stub prints all three parts; one that did not keeps one', () => {
    expect(index).toBeGreaterThan(0);
    for (const [stub, parts] of [
      [1, 3],
      [0, 1],
    ] as const) {
      const db = new Database(file());
      migrate(db, all.slice(0, index));
      settingsRow(db, stub);
      migrate(db, all.slice(0, index + 1));
      expect(schemaVersion(db)).toBe(all[index]!.version);
      expect(
        db
          .prepare('SELECT interface, width, print_stub, receipt_parts FROM printer_settings')
          .get(),
      ).toEqual({
        interface: 'tcp://10.0.0.9:9100',
        width: 32,
        print_stub: stub,
        receipt_parts: parts,
      });
      expect(() => db.prepare('UPDATE printer_settings SET receipt_parts = 4').run()).toThrow(
        /CHECK/,
      );
      db.close();
    }
  });

  it('keeps the print jobs and their guards; takes the written statement and the book return list', () => {
    const db = new Database(file());
    migrate(db, all.slice(0, index));
    insertJob(db, 'J1', 'receipt');
    db.prepare("UPDATE print_jobs SET state = 'done' WHERE id = 'J1'").run();
    expect(() => insertJob(db, 'J0', 'void-statement')).toThrow(/CHECK/);
    migrate(db, all.slice(0, index + 1));
    expect(db.prepare('SELECT id, template, state FROM print_jobs').all()).toEqual([
      { id: 'J1', template: 'receipt', state: 'done' },
    ]);
    insertJob(db, 'J2', 'void-statement');
    insertJob(db, 'J3', 'book-return');
    expect(() => insertJob(db, 'J4', 'poster')).toThrow(/CHECK/);
    expect(() => db.prepare("DELETE FROM print_jobs WHERE id = 'J2'").run()).toThrow(/kept/);
    expect(() =>
      db.prepare("UPDATE print_jobs SET state = 'queued' WHERE id = 'J1'").run(),
    ).toThrow(/finished/);
    expect(
      db
        .prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'print_jobs' AND type = 'index'")
        .all()
        .map((r) => (r as { name: string }).name)
        .filter((n) => !n.startsWith('sqlite_'))
        .sort(),
    ).toEqual(['print_jobs_open', 'print_jobs_subject']);
    db.close();
  });
});
