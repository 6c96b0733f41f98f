import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/ledger/db';
import { tempDir } from '../../support/terminal';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function ledger() {
  const d = tempDir();
  dirs.push(d);
  return openDatabase(join(d.dir, 'l.db'));
}

describe('migration 0009_dunning_service_log', () => {
  it('creates the dunning and service-log projections', () => {
    const db = ledger();
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of [
      'dunning_contacts',
      'dunning_notices',
      'household_flag_changes',
      'temperature_readings',
      'complaints',
      'complaint_updates',
      'valve_operations',
    ])
      expect(tables).toContain(t);
    db.close();
  });

  it('the arrears list uses the partial indexes (no full scan of households, no sort of all rows)', () => {
    const db = ledger();
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    const biggest = plan(
      'SELECT id FROM households h WHERE h.owed_fen > 0 AND h.owed_fen >= 1 ORDER BY h.owed_fen DESC, h.account_no LIMIT 100',
    );
    expect(biggest).toContain('households_owed');
    const building = plan(
      "SELECT id FROM households h WHERE h.owed_fen > 0 AND h.owed_fen >= 1 AND h.community = 'x' AND h.building = '1' ORDER BY h.owed_fen DESC LIMIT 100",
    );
    expect(building).toContain('households_community_owed');
    db.close();
  });

  it('CHECK constraints refuse impossible rows (temperature range, channels, statuses)', () => {
    const db = ledger();
    db.exec(`INSERT INTO households (id, account_no, name, community, building, unit, room, area_hundredths, category)
             VALUES ('H1', '1', '王伟', '幸福里', '1', '1', '101', 8000, 'residential')`);
    db.exec(`INSERT INTO events (seq, id, terminal_id, type, occurred_at, business_date, payload, prev_hash, hash)
             VALUES (1, 'e1', 't', 'x', '2026-01-01T00:00:00Z', '2026-01-01', '{}', '${'0'.repeat(64)}', 'h1')`);
    const temp = db.prepare(
      `INSERT INTO temperature_readings (id, household_id, room, tenths_c, measured_at, seq) VALUES (?, 'H1', 'r', ?, 'now', 1)`,
    );
    expect(() => temp.run('t1', 185)).not.toThrow();
    expect(() => temp.run('t2', 601)).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO dunning_contacts (id, household_id, channel, outcome, occurred_at, seq) VALUES ('c', 'H1', 'fax', 'reached', 'now', 1)`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO complaints (id, household_id, category, text, status, opened_at, updated_at, seq) VALUES ('k', 'H1', 'leak', 't', 'lost', 'now', 'now', 1)`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO valve_operations (id, household_id, action, key_no, operator, occurred_at, seq) VALUES ('v', 'H9', 'lock', 'k', 'o', 'now', 1)`,
      ),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
