// 0014_signed_ledger: events carry a signature, terminal_keys projects the trust events,
// ledger_checkpoints keeps the signed checkpoints (append-only), and a partial index finds the
// trust events. A ledger upgraded from unsigned events keeps them as they were and is keyed after
// them at its first start.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openTerminal } from '../../../src-main/app/open-terminal';
import { DEFAULT_MIGRATIONS_DIR, withConnectionCache } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { verifyLedger } from '../../../src-main/ledger/verify';
import { tempFolders } from '../../support/temp-files';

const { dir: fresh } = tempFolders();
const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'signed_ledger');
const FIXTURE = fileURLToPath(
  new URL('../../fixtures/ledger/before-0011.sqlite.gz', import.meta.url),
);

const columns = (db: Database.Database, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('0014_signed_ledger', () => {
  it('a new ledger: the signature column, the key projection, append-only checkpoints, the trust index', () => {
    expect(index).toBeGreaterThan(0);
    const db = withConnectionCache(new Database(join(fresh(), 'new.db')));
    migrate(db, all);
    expect(columns(db, 'events')).toContain('signature');
    expect(columns(db, 'terminal_keys')).toEqual([
      'key_no',
      'public_key',
      'from_seq',
      'reason',
      'certified_seq',
      'certificate',
      'issued_at',
      'head_office_key',
    ]);
    expect(columns(db, 'ledger_checkpoints')).toEqual([
      'seq',
      'hash',
      'at',
      'projection_digest',
      'key_no',
      'signature',
    ]);
    const insert = db.prepare(
      `INSERT INTO ledger_checkpoints (seq, hash, at, projection_digest, key_no, signature)
       VALUES (?, 'h', '2026-01-01T00:00:00.000Z', 'd', 1, 's')`,
    );
    insert.run(5);
    expect(() => insert.run(5)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.prepare('UPDATE ledger_checkpoints SET hash = ?').run('x')).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM ledger_checkpoints').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO terminal_keys (key_no, public_key, from_seq, reason) VALUES (1, 'k', 1, 'lost')",
        )
        .run(),
    ).toThrow(/CHECK/);
    const plan = (
      db
        .prepare(
          "EXPLAIN QUERY PLAN SELECT seq FROM events WHERE type IN ('terminal.keyed', 'terminal.enrolled') AND seq <= 10 ORDER BY seq",
        )
        .all() as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan.join(' ')).toMatch(/USING (COVERING )?INDEX events_trust/);
    db.close();
  });

  it('upgrading a ledger of unsigned events: they stay as they were; the first start keys the chain after them', () => {
    const file = join(fresh(), 'old.db');
    writeFileSync(file, gunzipSync(readFileSync(FIXTURE)));
    const raw = withConnectionCache(new Database(file));
    migrate(raw, all.slice(0, index)); // the ledger as a build with 0013 left it
    expect(schemaVersion(raw)).toBe(all[index - 1]!.version);
    const before = raw.prepare('SELECT * FROM events ORDER BY seq').all() as { seq: number }[];
    migrate(raw, all.slice(0, index + 1));
    expect(schemaVersion(raw)).toBe(all[index]!.version);
    const after = raw.prepare('SELECT * FROM events ORDER BY seq').all();
    expect(after).toEqual(before.map((e) => ({ ...e, signature: null })));
    expect(raw.prepare('SELECT count(*) AS n FROM terminal_keys').get()).toEqual({ n: 0 });
    expect(raw.prepare('SELECT count(*) AS n FROM ledger_checkpoints').get()).toEqual({ n: 0 });
    raw.close();

    const t = openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' });
    const db = t.ctx.db;
    const head = before.length;
    expect(t.ctx.runtime.integrity.state).toBe('ok');
    const keyed = db
      .prepare('SELECT seq, type, payload, signature FROM events WHERE seq > ?')
      .all(head) as { seq: number; type: string; payload: string; signature: string | null }[];
    expect(keyed).toHaveLength(1);
    expect(keyed[0]).toMatchObject({ seq: head + 1, type: 'terminal.keyed' });
    expect(JSON.parse(keyed[0]!.payload)).toMatchObject({ keyNo: 1, reason: 'first' });
    expect(keyed[0]!.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(db.prepare('SELECT key_no, from_seq, reason FROM terminal_keys').all()).toEqual([
      { key_no: 1, from_seq: head + 1, reason: 'first' },
    ]);
    const report = verifyLedger(db, t.ctx.terminal.id);
    expect(report).toMatchObject({ ok: true, headSeq: head + 1, eventsChecked: head + 1 });
    expect(report.keys).toHaveLength(1);
    t.close();
    // The clean close signed a checkpoint at the head, in the table and the sidecar file.
    const closed = new Database(file, { readonly: true });
    expect(closed.prepare('SELECT seq, key_no FROM ledger_checkpoints').all()).toEqual([
      { seq: head + 1, key_no: 1 },
    ]);
    closed.close();
    expect(JSON.parse(readFileSync(`${file}.checkpoint`, 'utf8'))).toMatchObject({
      seq: head + 1,
      keyNo: 1,
    });
  });
});
