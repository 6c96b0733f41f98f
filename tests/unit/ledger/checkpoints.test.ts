// Checkpoint records, the sidecar file and the chained money-projection digest (ledger/checkpoints.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTerminal } from '../../../src-main/app/open-terminal';
import {
  DIGEST_GENESIS,
  noneTouched,
  parseCheckpoint,
  projectionDigest,
  readSidecar,
  sidecarPathOf,
  touch,
  touchedBetween,
  writeSidecar,
  type Checkpoint,
} from '../../../src-main/ledger/checkpoints';
import { chainHead } from '../../../src-main/ledger/event-log';
import { tempFolders } from '../../support/temp-files';

const { dir } = tempFolders();

const sample: Checkpoint = {
  terminalId: '0193a5c0-0000-7000-8000-000000000001',
  seq: 42,
  hash: 'a'.repeat(64),
  at: '2026-12-01T08:00:00.000Z',
  projectionDigest: 'b'.repeat(64),
  keyNo: 1,
  signature: 'c'.repeat(86),
};

describe('checkpoint records', () => {
  it('parse field by field; anything else is not a checkpoint', () => {
    expect(parseCheckpoint(sample)).toEqual(sample);
    expect(parseCheckpoint({ ...sample, seq: 0 })).toBeNull();
    expect(parseCheckpoint({ ...sample, seq: 1.5 })).toBeNull();
    expect(parseCheckpoint({ ...sample, hash: 'A'.repeat(64) })).toBeNull();
    expect(parseCheckpoint({ ...sample, signature: 'c'.repeat(85) })).toBeNull();
    expect(parseCheckpoint({ ...sample, at: 'yesterday' })).toBeNull();
    expect(parseCheckpoint({ ...sample, extra: 1 })).toBeNull();
    const { keyNo: _k, ...missing } = sample;
    expect(parseCheckpoint(missing)).toBeNull();
    expect(parseCheckpoint([sample])).toBeNull();
    expect(parseCheckpoint(null)).toBeNull();
  });

  it('the sidecar is written whole (temporary file, then rename) and read back; damage is reported, never thrown', () => {
    const file = join(dir(), 'l.db.checkpoint');
    expect(readSidecar(file)).toEqual({ state: 'none' });
    expect(readSidecar(null)).toEqual({ state: 'none' });
    writeSidecar(file, sample);
    expect(existsSync(`${file}.tmp`)).toBe(false);
    expect(readSidecar(file)).toEqual({ state: 'ok', checkpoint: sample });
    writeSidecar(file, { ...sample, seq: 43 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ seq: 43 });
    writeFileSync(file, '{"seq": 4');
    expect(readSidecar(file)).toMatchObject({ state: 'unreadable' });
    writeFileSync(file, JSON.stringify({ ...sample, seq: -1 }));
    expect(readSidecar(file)).toEqual({ state: 'unreadable', problem: 'not a checkpoint record' });
  });
});

describe('the chained projection digest', () => {
  it('covers the rows the events name, chained on the previous digest; a changed row changes it', async () => {
    const t = openTerminal({ dbFile: ':memory:', demoIfEmpty: true, demoHouseholds: 20 });
    try {
      const { db } = t.ctx;
      expect(sidecarPathOf(db)).toBeNull();
      const touched = noneTouched();
      touch(touched, { receiptId: 'r1', bookId: 'b1', shiftId: 's1', lines: [{ receiptId: 'x' }] });
      touch(touched, 'not an object');
      expect(touched).toEqual({
        receipts: new Set(['r1']),
        books: new Set(['b1']),
        shifts: new Set(['s1']),
      });
      const { dispatch } = await import('../../../src-main/api/dispatch');
      const session = (
        (await dispatch(t.ctx, 'session.login', { clerkCode: '1001', pin: '123456' })) as {
          ok: true;
          value: { session: string };
        }
      ).value.session;
      const opened = await dispatch(t.ctx, 'shift.open', { session, openingFloatFen: 0 });
      expect(opened.ok).toBe(true);
      const before = chainHead(db).seq;
      const household = db
        .prepare('SELECT id, owed_fen FROM households WHERE owed_fen > 500 LIMIT 1')
        .get() as {
        id: string;
      };
      const paid = await dispatch(t.ctx, 'payment.take', {
        session,
        requestId: '0193a5c0-0000-7000-8000-0000000000aa',
        householdId: household.id,
        amountFen: 500,
        tenders: [{ kind: 'cash', amountFen: 500, tenderedFen: 500 }],
      });
      expect(paid.ok).toBe(true);
      const since = touchedBetween(db, before, chainHead(db).seq);
      expect(since.receipts.size).toBe(1);
      expect(since.books.size).toBe(1);
      expect(since.shifts.size).toBe(1);
      const a = projectionDigest(db, DIGEST_GENESIS, since);
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(projectionDigest(db, DIGEST_GENESIS, since)).toBe(a); // deterministic
      expect(projectionDigest(db, 'f'.repeat(64), since)).not.toBe(a); // chained
      expect(projectionDigest(db, DIGEST_GENESIS, noneTouched())).not.toBe(a);
      db.prepare('UPDATE receipts SET reprint_count = reprint_count + 1').run();
      expect(projectionDigest(db, DIGEST_GENESIS, since)).not.toBe(a);
    } finally {
      t.close();
    }
  });
});
