// The terminal's own integrity checks (docs/trust.md "Signing events", "Checkpoints and start-up
// verification"): signed checkpoints in the table and the sidecar, the start-up verify from the
// newest one, the background full verify, the alarm that stops payments and withholds the key.
// Real ledger files on disk, attacked through a raw connection without the key.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ackMessage,
  checkpointMessage,
  keyCertificateMessage,
} from '@heating-cashier/core/signing';
import { openTerminal } from '../../src-main/app/open-terminal';
import { startBackgroundVerify } from '../../src-main/features/terminal/integrity';
import { startIdleCheckpoints } from '../../src-main/ledger/checkpoint';
import {
  latestCheckpoint,
  sidecarPathOf,
  writeCheckpoint,
} from '../../src-main/ledger/checkpoints';
import { openDatabase } from '../../src-main/ledger/db';
import { appendEvent, chainHead } from '../../src-main/ledger/event-log';
import { createVerifier, generateSigningKey } from '../../src-main/ledger/signing';
import { writeTransaction } from '../../src-main/ledger/transaction';
import { verifyFromCheckpoint, verifyLedger } from '../../src-main/ledger/verify';
import { attackerConnection, rebuildAndClose, rehashFrom, setPayload } from '../support/tamper';
import {
  asTestTerminal,
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let base: string;
let terminalId: string;
let head: number;
/** seqs of the receipts in the base ledger, in order */
const receiptSeqs: number[] = [];
const receiptIds: string[] = [];

async function pay(t: TestTerminal, session: string, householdId: string, fen = 500) {
  return t.call('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen: fen,
    tenders: [{ kind: 'cash', amountFen: fen, tenderedFen: fen }],
  });
}

beforeAll(async () => {
  dir = tempDir();
  base = join(dir.dir, 'base.db');
  const t = openTestTerminal(base, { households: 30 });
  terminalId = t.ctx.terminal.id;
  const session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  for (const id of householdsOwing(t, 600, 8)) {
    const r = await pay(t, session, id);
    if (!r.ok) throw new Error(r.error.code);
  }
  for (const r of t.ctx.db
    .prepare('SELECT id, issued_seq FROM receipts ORDER BY issued_seq')
    .all() as { id: string; issued_seq: number }[]) {
    receiptSeqs.push(r.issued_seq);
    receiptIds.push(r.id);
  }
  head = chainHead(t.ctx.db).seq;
  t.close(); // the clean close signs a checkpoint at the head
}, 60_000);
afterAll(() => dir.cleanup());

/** A copy of the counter's files: ledger, key, checkpoint sidecar. */
function copyOfCounter(): string {
  const d = join(dir.dir, randomUUID());
  mkdirSync(d);
  for (const suffix of ['', '.key', '.checkpoint'])
    if (existsSync(base + suffix)) copyFileSync(base + suffix, join(d, `l.db${suffix}`));
  return join(d, 'l.db');
}

function start(file: string): TestTerminal {
  return asTestTerminal(openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' }), file);
}

function read<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('signed checkpoints', () => {
  it('the clean close left one at the head, in the table and the sidecar, signed by key 1', () => {
    const row = read(base, (db) => db.prepare('SELECT * FROM ledger_checkpoints').all());
    expect(row).toEqual([expect.objectContaining({ seq: head, key_no: 1 })]);
    const side = JSON.parse(readFileSync(`${base}.checkpoint`, 'utf8')) as Record<string, unknown>;
    expect(side).toMatchObject({ terminalId, seq: head, keyNo: 1 });
    expect(existsSync(`${base}.checkpoint.tmp`)).toBe(false);
  });

  it('writes nothing when the head has not moved or there is no key; the idle timer writes every N events', async () => {
    const t = start(copyOfCounter());
    try {
      const { db } = t.ctx;
      expect(writeCheckpoint(db, terminalId, new Date())).toBeNull();
      const session = await t.login();
      const payers = householdsOwing(t, 1000, 12).slice(8);
      await pay(t, session, payers[0]!);
      const signer = db.cache.signer;
      db.cache.signer = null;
      expect(writeCheckpoint(db, terminalId, new Date())).toBeNull();
      db.cache.signer = signer;
      const written = writeCheckpoint(db, terminalId, new Date());
      expect(written).toMatchObject({ seq: chainHead(db).seq, keyNo: 1 });
      expect(latestCheckpoint(db, sidecarPathOf(db))).toMatchObject({
        source: 'table',
        checkpoint: { seq: written!.seq, signature: written!.signature },
      });
      const stop = startIdleCheckpoints(db, 10, {
        terminalId: () => terminalId,
        clock: () => new Date(),
        everyEvents: 2,
      });
      try {
        await pay(t, session, payers[1]!);
        await new Promise((r) => setTimeout(r, 60));
        expect(latestCheckpoint(db, sidecarPathOf(db)).table?.seq).toBe(written!.seq); // 1 event: not yet
        await pay(t, session, payers[2]!);
        await new Promise((r) => setTimeout(r, 100));
        expect(latestCheckpoint(db, sidecarPathOf(db)).table?.seq).toBe(chainHead(db).seq);
      } finally {
        stop();
      }
    } finally {
      t.close();
    }
  });
});

describe('start-up and full verify', () => {
  it('an untouched counter starts from its checkpoint; the full verify checks keys, checkpoint and head', async () => {
    const t = start(copyOfCounter());
    try {
      const view = t.ctx.runtime.integrity.view();
      expect(view).toMatchObject({ state: 'ok', firstBadSeq: null, source: 'startup' });
      const startup = verifyFromCheckpoint(t.ctx.db, terminalId, sidecarPathOf(t.ctx.db));
      expect(startup).toMatchObject({
        ok: true,
        mode: 'incremental',
        fromSeq: head + 1,
        eventsChecked: 0,
        headSeq: head,
      });
      const full = verifyLedger(t.ctx.db, terminalId);
      expect(full).toMatchObject({ ok: true, mode: 'full', eventsChecked: head, warnings: [] });
      expect(full.keys).toEqual([
        expect.objectContaining({ keyNo: 1, reason: 'first', certifiedSeq: null }),
      ]);
      expect(full.checkpointsChecked).toBe(1);
      expect(full.signaturesChecked).toBeGreaterThanOrEqual(3); // keyed, checkpoint, head
      expect(full.masterRows?.problems).toEqual([]);
      // The command answers the same report and it becomes the terminal's state.
      const session = await t.login();
      expect(await t.must('ledger.verify', { session })).toMatchObject({
        ok: true,
        mode: 'full',
        keys: [expect.objectContaining({ keyNo: 1 })],
      });
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'ok', source: 'full' });
      const status = await t.must('terminal.status', {});
      expect(status.integrity).toMatchObject({ state: 'ok' });
    } finally {
      t.close();
    }
  });

  it('a receipt rewritten and rehashed without the key: alarm at start naming it; payments refused, reprints go on unsigned', async () => {
    const target = receiptSeqs[3]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    setPayload(raw, target, (p) => ({ ...p, totalFen: 1 }));
    rehashFrom(raw, target);
    rebuildAndClose(raw);
    let t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({
        state: 'alarm',
        firstBadSeq: target,
        source: 'startup',
      });
      expect(t.ctx.db.cache.signer).toBeNull();
      const session = await t.login();
      const [payer] = householdsOwing(t, 1000, 1);
      const refused = await pay(t, session, payer!);
      expect(!refused.ok && refused.error.code).toBe('LEDGER_ALARM');
      expect(!refused.ok && refused.error.message['zh-CN']).toContain(`第 ${target} 条`);
      expect(!refused.ok && refused.error.message.en).toContain(`seq) ${target}`);
      const preview = await t.call('payment.preview', { session, householdId: payer! });
      expect(!preview.ok && preview.error.code).toBe('LEDGER_ALARM');
      // Reading and reprinting still work; what is written now carries no signature.
      expect((await t.call('receipt.find', { session, receiptId: receiptIds[0]! })).ok).toBe(true);
      await t.must('receipt.reprint', { session, receiptId: receiptIds[0]! });
      const last = t.ctx.db
        .prepare('SELECT type, signature FROM events ORDER BY seq DESC LIMIT 1')
        .get();
      expect(last).toEqual({ type: 'receipt.reprinted', signature: null });
      expect(
        read(file, (db) => db.prepare('SELECT max(seq) AS s FROM ledger_checkpoints').get()),
      ).toEqual({ s: head }); // nothing signed over the broken log
    } finally {
      t.close();
    }
    // The alarm is found again at the next start: nothing written during it vouches for the log.
    t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'alarm', firstBadSeq: target });
    } finally {
      t.close();
    }
  });

  it('the log cut after a signed checkpoint: the checkpoint names the missing seqs', () => {
    const cut = receiptSeqs[5]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.prepare('DELETE FROM events WHERE seq >= ?').run(cut);
    rebuildAndClose(raw);
    const t = start(file);
    try {
      const view = t.ctx.runtime.integrity.view();
      expect(view).toMatchObject({ state: 'alarm', firstBadSeq: cut });
      expect(view.problem).toMatch(new RegExp(`seq ${cut}\\.\\.${head}`));
    } finally {
      t.close();
    }
  });

  it('checkpoint rows deleted, the log intact: the sidecar names them', () => {
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.exec('DELETE FROM ledger_checkpoints');
    raw.close();
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'alarm', firstBadSeq: head });
      expect(t.ctx.runtime.integrity.view().problem).toMatch(/checkpoint rows were deleted/);
    } finally {
      t.close();
    }
  });

  it('the log cut and the checkpoint rows deleted: the sidecar still names the cut', () => {
    const cut = receiptSeqs[6]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.prepare('DELETE FROM events WHERE seq >= ?').run(cut);
    raw.exec('DELETE FROM ledger_checkpoints');
    rebuildAndClose(raw);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'alarm', firstBadSeq: cut });
    } finally {
      t.close();
    }
  });

  it('a forged checkpoint (sidecar or row) does not verify', () => {
    const file = copyOfCounter();
    const side = JSON.parse(readFileSync(`${file}.checkpoint`, 'utf8')) as Record<string, unknown>;
    writeFileSync(`${file}.checkpoint`, JSON.stringify({ ...side, seq: head + 5 }));
    let t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'alarm' });
      expect(t.ctx.runtime.integrity.view().problem).toMatch(/does not verify/);
    } finally {
      t.close();
    }
    const file2 = copyOfCounter();
    const raw = attackerConnection(file2);
    raw
      .prepare(
        `INSERT INTO ledger_checkpoints (seq, hash, at, projection_digest, key_no, signature)
         SELECT seq - 3, (SELECT hash FROM events WHERE seq = ?), at, projection_digest, key_no, signature
         FROM ledger_checkpoints`,
      )
      .run(head - 3);
    raw.close();
    t = start(file2);
    try {
      expect(t.ctx.runtime.integrity.state).toBe('ok'); // the start reads the newest only
      const full = verifyLedger(t.ctx.db, terminalId);
      expect(full).toMatchObject({ ok: false, firstBadSeq: head - 3 });
      expect(full.problem).toMatch(/checkpoint at seq/);
    } finally {
      t.close();
    }
  });

  it('an old event edited in place (hash kept): the start passes from its checkpoint, the background full verify names it and raises the alarm', async () => {
    const target = receiptSeqs[1]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    setPayload(raw, target, (p) => ({ ...p, totalFen: 2 }));
    rebuildAndClose(raw);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.state).toBe('ok');
      const run = startBackgroundVerify(t.ctx, { chunk: 5 });
      expect(t.ctx.runtime.integrity.state).toBe('checking');
      const report = await run.done;
      expect(report).toMatchObject({ ok: false, firstBadSeq: target });
      expect(t.ctx.runtime.integrity.view()).toMatchObject({
        state: 'alarm',
        firstBadSeq: target,
        source: 'full',
      });
      expect(existsSync(`${file}.verify.tmp`)).toBe(false);
      const session = await t.login();
      const refused = await pay(t, session, householdsOwing(t, 1000, 1)[0]!);
      expect(!refused.ok && refused.error.code).toBe('LEDGER_ALARM');
    } finally {
      t.close();
    }
  });

  it('a money projection edited before a checkpoint and put back: the checkpoint’s digest dates it', async () => {
    const file2 = copyOfCounter();
    const t2 = start(file2);
    const s2 = await t2.login();
    const paid = await pay(t2, s2, householdsOwing(t2, 1000, 12)[9]!);
    if (!paid.ok) throw new Error(paid.error.code);
    const receiptId = (paid.value as { id: string }).id;
    t2.ctx.db.prepare('UPDATE receipts SET total_fen = total_fen + 1 WHERE id = ?').run(receiptId);
    const cp = writeCheckpoint(t2.ctx.db, terminalId, new Date())!;
    t2.ctx.db.prepare('UPDATE receipts SET total_fen = total_fen - 1 WHERE id = ?').run(receiptId);
    try {
      const full = verifyLedger(t2.ctx.db, terminalId);
      expect(full).toMatchObject({ ok: false, firstBadSeq: cp.seq });
      expect(full.problem).toMatch(/money projections at the checkpoint of seq/);
    } finally {
      t2.close();
    }
  });

  it('the background verify runs in steps: a payment is taken while it runs', async () => {
    const t = start(copyOfCounter());
    try {
      const session = await t.login();
      const run = startBackgroundVerify(t.ctx, { chunk: 3 });
      let finishedFirst: 'verify' | 'payment' | null = null;
      void run.done.then(() => (finishedFirst ??= 'verify'));
      const paid = await pay(t, session, householdsOwing(t, 1000, 12)[10]!);
      finishedFirst ??= 'payment';
      expect(paid.ok).toBe(true);
      expect(finishedFirst).toBe('payment');
      expect(await run.done).toMatchObject({ ok: true });
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'ok', source: 'full' });
    } finally {
      t.close();
    }
  });
});

describe('keys', () => {
  it('a lost key file: a new key takes over (replaced), with a warning; the hand-over is checked', () => {
    const file = copyOfCounter();
    rmSync(`${file}.key`);
    const t = start(file);
    try {
      const keyed = t.ctx.db
        .prepare("SELECT seq, payload FROM events WHERE type = 'terminal.keyed' ORDER BY seq")
        .all() as { seq: number; payload: string }[];
      expect(keyed.map((k) => JSON.parse(k.payload) as { keyNo: number; reason: string })).toEqual([
        expect.objectContaining({ keyNo: 1, reason: 'first' }),
        expect.objectContaining({ keyNo: 2, reason: 'replaced' }),
      ]);
      const view = t.ctx.runtime.integrity.view();
      expect(view.state).toBe('ok');
      expect(view.warnings.join(' ')).toMatch(/key 2 replaced key 1 .* before enrollment/);
      const full = verifyLedger(t.ctx.db, terminalId);
      expect(full.ok).toBe(true);
      expect(full.keys.map((k) => k.keyNo)).toEqual([1, 2]);
    } finally {
      t.close();
    }
  });

  it('history rewritten and the key file deleted: the start alarms before any new key could vouch for it', () => {
    const target = receiptSeqs[2]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    setPayload(raw, target, (p) => ({ ...p, totalFen: 3 }));
    rehashFrom(raw, target);
    raw.exec('DELETE FROM ledger_checkpoints');
    rebuildAndClose(raw);
    rmSync(`${file}.checkpoint`);
    rmSync(`${file}.key`);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'alarm', firstBadSeq: target });
      expect(chainHead(t.ctx.db).seq).toBe(head); // no terminal.keyed appended over it
    } finally {
      t.close();
    }
  });

  it('an enrollment: the certificate verifies under head office’s key; a key replaced after it is "not certified"; a bad certificate fails', () => {
    const file = copyOfCounter();
    const ho = generateSigningKey().signer;
    let t = start(file);
    const enrol = (certificate: (m: string) => string) => {
      const key = t.ctx.db.prepare('SELECT * FROM terminal_keys ORDER BY key_no DESC').get() as {
        key_no: number;
        public_key: string;
        from_seq: number;
      };
      const claim = {
        terminalId,
        publicKey: key.public_key,
        fromSeq: key.from_seq,
        issuedAt: new Date().toISOString(),
      };
      writeTransaction(t.ctx, (append) =>
        appendEvent(
          append,
          'terminal.enrolled',
          {
            ...claim,
            keyNo: key.key_no,
            certificate: certificate(keyCertificateMessage(claim)),
            headOfficeKey: ho.publicKey,
          },
          null,
        ),
      );
    };
    try {
      enrol((m) => ho.sign(m));
      const full = verifyLedger(t.ctx.db, terminalId);
      expect(full).toMatchObject({ ok: true, headOfficeKey: ho.publicKey });
      expect(full.keys[0]).toMatchObject({ keyNo: 1, headOfficeKey: ho.publicKey });
    } finally {
      t.close();
    }
    rmSync(`${file}.key`);
    t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view().warnings.join(' ')).toMatch(
        /key 2 not certified by head office/,
      );
      enrol((m) => generateSigningKey().signer.sign(m)); // not head office's signature
      const full = verifyLedger(t.ctx.db, terminalId);
      expect(full).toMatchObject({ ok: false, firstBadSeq: chainHead(t.ctx.db).seq });
      expect(full.problem).toMatch(/certificate for key 2 does not verify/);
    } finally {
      t.close();
    }
  });
});

describe('head office’s acknowledgement', () => {
  it('verifies under the pinned key; a log cut below it (its enrollment with it), or an altered ack, raises the alarm', () => {
    const file = copyOfCounter();
    const ho = generateSigningKey().signer;
    const t = start(file);
    let ackSeq: number;
    try {
      const key = t.ctx.db.prepare('SELECT * FROM terminal_keys').get() as {
        public_key: string;
        from_seq: number;
      };
      const claim = {
        terminalId,
        publicKey: key.public_key,
        fromSeq: key.from_seq,
        issuedAt: new Date().toISOString(),
      };
      writeTransaction(t.ctx, (append) =>
        appendEvent(
          append,
          'terminal.enrolled',
          {
            ...claim,
            keyNo: 1,
            certificate: ho.sign(keyCertificateMessage(claim)),
            headOfficeKey: ho.publicKey,
          },
          null,
        ),
      );
      ackSeq = receiptSeqs[4]!;
      const hash = t.ctx.db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(ackSeq);
      const ack = { terminalId, seq: ackSeq, hash: hash as string, at: new Date().toISOString() };
      t.ctx.db
        .prepare(
          'UPDATE sync_state SET ack_seq = ?, ack_hash = ?, ack_at = ?, ack_signature = ? WHERE singleton = 1',
        )
        .run(ack.seq, ack.hash, ack.at, ho.sign(ackMessage(ack)));
      expect(verifyLedger(t.ctx.db, terminalId).ok).toBe(true);
    } finally {
      t.close();
    }
    const cut = copyOfFile(file);
    const raw = attackerConnection(cut);
    raw.prepare('DELETE FROM events WHERE seq >= ?').run(ackSeq - 1);
    raw.exec('DELETE FROM ledger_checkpoints');
    rebuildAndClose(raw);
    rmSync(`${cut}.checkpoint`);
    const t2 = start(cut);
    try {
      expect(t2.ctx.runtime.integrity.view()).toMatchObject({
        state: 'alarm',
        firstBadSeq: ackSeq - 1,
      });
      expect(t2.ctx.runtime.integrity.view().problem).toMatch(/head office acknowledged/);
    } finally {
      t2.close();
    }
    const altered = copyOfFile(file);
    const raw2 = new Database(altered);
    raw2.prepare('UPDATE sync_state SET ack_seq = ack_seq - 1').run();
    raw2.close();
    const db = openDatabase(altered);
    try {
      const report = verifyFromCheckpoint(db, terminalId, sidecarPathOf(db));
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(/acknowledgement .* does not verify/);
    } finally {
      db.close();
    }
  });
});

describe('a supervisor’s restore', () => {
  it('of a backup older than the newest checkpoint: the sidecar follows the restored ledger, the next start is clean', async () => {
    const file = copyOfCounter();
    const backups = join(dir.dir, randomUUID());
    mkdirSync(backups);
    const SUP = { supervisorCode: '9001', supervisorPin: '888888' };
    let t = start(file);
    try {
      let session = await t.login();
      await t.must('backup.settings.set', {
        session,
        ...SUP,
        dir: backups,
        intervalHours: 24,
        enabled: true,
      });
      const { file: backup } = await t.must('backup.now', { session });
      await pay(t, session, householdsOwing(t, 1000, 12)[11]!);
      const cp = writeCheckpoint(t.ctx.db, terminalId, new Date())!;
      expect(cp.seq).toBeGreaterThan(head);
      const restored = await t.must('backup.restore', {
        session,
        ...SUP,
        file: backup.name,
        acceptLoss: true,
      });
      expect(restored).toMatchObject({ verified: true, headSeq: head });
      expect(JSON.parse(readFileSync(`${file}.checkpoint`, 'utf8'))).toMatchObject({ seq: head });
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'ok', source: 'full' });
      session = await t.login();
    } finally {
      t.close();
    }
    t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'ok', firstBadSeq: null });
    } finally {
      t.close();
    }
  });
});

/** A copy of one ledger's files (the ledger, key and sidecar beside it). */
function copyOfFile(file: string): string {
  const d = join(dir.dir, randomUUID());
  mkdirSync(d);
  for (const suffix of ['', '.key', '.checkpoint'])
    if (existsSync(file + suffix)) copyFileSync(file + suffix, join(d, `l.db${suffix}`));
  return join(d, 'l.db');
}

describe('the checkpoint message', () => {
  it('is what the sidecar’s signature covers, under the terminal key', () => {
    const side = JSON.parse(readFileSync(`${base}.checkpoint`, 'utf8')) as {
      terminalId: string;
      seq: number;
      hash: string;
      at: string;
      projectionDigest: string;
      signature: string;
    };
    const key = read(base, (db) =>
      db.prepare('SELECT public_key FROM terminal_keys WHERE key_no = 1').pluck().get(),
    ) as string;
    const verify = createVerifier();
    expect(verify(key, checkpointMessage(side), side.signature)).toBe(true);
    expect(verify(key, checkpointMessage({ ...side, seq: side.seq - 1 }), side.signature)).toBe(
      false,
    );
  });
});
