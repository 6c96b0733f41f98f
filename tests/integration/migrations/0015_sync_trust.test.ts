// 0015_sync_trust: head office's newest signed ack beside the push progress; an upgraded ledger has
// none yet (the next push brings one), a negative seq is refused.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, openDatabase } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();
const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'sync_trust');

describe('0015_sync_trust', () => {
  it('a new ledger has no ack yet; the columns take a signed ack; a negative seq is refused', () => {
    const db = openDatabase(file());
    expect(
      db.prepare('SELECT ack_seq, ack_hash, ack_at, ack_signature FROM sync_state').get(),
    ).toEqual({ ack_seq: null, ack_hash: null, ack_at: null, ack_signature: null });
    db.prepare(
      "UPDATE sync_state SET ack_seq = 7, ack_hash = ?, ack_at = '2026-11-20T02:00:00.000Z', ack_signature = ?",
    ).run('a'.repeat(64), 'S'.repeat(86));
    expect(() => db.prepare('UPDATE sync_state SET ack_seq = -1').run()).toThrow(/CHECK/);
    db.close();
  });

  it('upgrading keeps the push progress and adds an empty ack', () => {
    expect(index).toBeGreaterThan(0);
    const raw = new Database(file());
    migrate(raw, all.slice(0, index));
    raw
      .prepare("UPDATE sync_state SET acked_seq = 42, acked_hash = 'h', terminal_token = 'tok'")
      .run();
    migrate(raw, all.slice(0, index + 1));
    expect(schemaVersion(raw)).toBe(all[index]!.version);
    expect(
      raw.prepare('SELECT acked_seq, acked_hash, terminal_token, ack_seq FROM sync_state').get(),
    ).toEqual({ acked_seq: 42, acked_hash: 'h', terminal_token: 'tok', ack_seq: null });
    raw.close();
  });
});
