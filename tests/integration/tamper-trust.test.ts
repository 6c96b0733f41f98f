// Issue 17's tamper suite: each attack from the issue's "Why", plus our own, performed against the
// real files of an enrolled counter that has synced with a real head office (PGlite). Each must be
// detected at the terminal's next start or verify, or at head office on the next push, naming the
// first bad seq or receipt. The attacker edits files without the terminal key (see
// tests/support/tamper.ts); the README's trust model says what someone holding the key can do.
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, type OpenTerminal } from '../../src-main/app/open-terminal';
import { decodePaperReceipt, paperReceiptMessage } from '@heating-cashier/core/signing';
import { SyncWorker } from '../../src-main/features/sync/worker';
import { createVerifier } from '../../src-main/ledger/signing';
import { startBackgroundVerify } from '../../src-main/features/terminal/integrity';
import { startHeadOffice, type TestHeadOffice } from '../support/head-office';
import { FAST_SYNC } from '../support/sync-suite';
import { attackerConnection, rebuildAndClose, rehashFrom, setPayload } from '../support/tamper';
import {
  asTestTerminal,
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../support/terminal';

let ho: TestHeadOffice;
let dir: ReturnType<typeof tempDir>;
let base: string;
let terminalId: string;
/** Receipts in issue order: the first SYNCED are at head office, the rest only on the counter. */
const receipts: { id: string; seq: number; label: string; householdId: string; qr: string }[] = [];
const SYNCED = 6;
let syncedHead: number;
let head: number;

async function pay(t: TestTerminal, session: string, householdId: string, fen: number) {
  return t.must('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen: fen,
    tenders: [{ kind: 'cash', amountFen: fen, tenderedFen: fen }],
  });
}

/** The receipt's QR text, exactly as printed (the receipt view's print data). */
async function qrOf(t: TestTerminal, session: string, receiptId: string): Promise<string> {
  const view = (await t.must('receipt.find', { session, receiptId })) as unknown as {
    paperCode?: string;
  };
  if (!view.paperCode) throw new Error('receipt.find does not answer the paper code');
  return view.paperCode;
}

function receiptRows(t: OpenTerminal, after = 0) {
  return t.ctx.db
    .prepare(
      `SELECT r.id, r.issued_seq AS seq, r.receipt_label AS label, r.household_id AS householdId
       FROM receipts r WHERE r.issued_seq > ? ORDER BY r.issued_seq`,
    )
    .all(after) as { id: string; seq: number; label: string; householdId: string }[];
}

async function drain(t: OpenTerminal) {
  return new SyncWorker(t.ctx, FAST_SYNC).drain({ maxCycles: 6, deadlineMs: 20_000 });
}

beforeAll(async () => {
  ho = await startHeadOffice('pglite');
  dir = tempDir();
  base = join(dir.dir, 'base.db');
  const t = openTestTerminal(base, { households: 40 });
  terminalId = t.ctx.terminal.id;
  await ho.enrol(t);
  const session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  const owing = householdsOwing(t, 900, 12);
  for (const id of owing.slice(0, SYNCED)) await pay(t, session, id, 800);
  expect(await drain(t)).toMatchObject({ done: true });
  syncedHead = (t.ctx.db.prepare('SELECT max(seq) FROM events').pluck().get() as number) ?? 0;
  for (const id of owing.slice(SYNCED, SYNCED + 4)) await pay(t, session, id, 900);
  for (const r of receiptRows(t)) receipts.push({ ...r, qr: await qrOf(t, session, r.id) });
  head = t.ctx.db.prepare('SELECT max(seq) FROM events').pluck().get() as number;
  t.close();
}, 120_000);

afterAll(async () => {
  await ho?.close();
  dir?.cleanup();
});

/** A copy of the counter's files (ledger, key, sidecar checkpoint) to tamper with. */
function copyOfCounter(): string {
  const d = join(dir.dir, randomUUID());
  mkdirSync(d);
  for (const suffix of ['', '.key', '.checkpoint'])
    if (existsSync(base + suffix)) copyFileSync(base + suffix, join(d, `base.db${suffix}`));
  return join(d, 'base.db');
}

/** Starts the terminal on a (tampered) copy: what the counter does at its next start. */
function start(file: string): TestTerminal {
  return asTestTerminal(openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' }), file);
}

async function fullVerify(t: OpenTerminal) {
  return startBackgroundVerify(t.ctx).done;
}

async function ledgerVerify(t: TestTerminal) {
  return t.must('ledger.verify', { session: await t.login() });
}

/** Head office's quarantine for this terminal since `afterId`, newest first. */
async function quarantined() {
  return ho.db.query<{ kind: string; seq: number | null; detail: string }>(
    'SELECT kind, seq, detail FROM ho_quarantine WHERE terminal_id = $1 ORDER BY id DESC',
    [terminalId],
  );
}

/** The operator clears the terminal's quarantine after looking at it (between cases). */
async function clearQuarantine() {
  await ho.db.query('UPDATE ho_terminals SET conflict = NULL WHERE terminal_id = $1', [terminalId]);
}

describe('tampering with an enrolled counter’s files, without its key', () => {
  it('the untouched copy starts clean and its full verify passes', async () => {
    const t = start(copyOfCounter());
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'ok' });
      expect(await fullVerify(t)).toMatchObject({ ok: true, headSeq: head });
    } finally {
      t.close();
    }
  });

  it('a synced receipt’s amount changed, every later hash recomputed, projections rebuilt: the start names its seq; head office refuses the push at that seq', async () => {
    const target = receipts[2]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    setPayload(raw, target.seq, (p) => ({ ...p, totalFen: 100 }));
    rehashFrom(raw, target.seq);
    rebuildAndClose(raw);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({
        state: 'alarm',
        firstBadSeq: target.seq,
      });
      await t.login();
      await drain(t);
      // Head office holds seqs up to syncedHead and only sees the first event it does not have:
      // it names the first seq that does not extend the chain it holds.
      const q = await quarantined();
      expect(q[0]).toMatchObject({ kind: 'bad_link', seq: syncedHead + 1 });
    } finally {
      t.close();
      await clearQuarantine();
    }
  });

  it('an unsynced receipt’s amount changed and rehashed: the start names its seq; payments are refused', async () => {
    const target = receipts[SYNCED + 1]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    setPayload(raw, target.seq, (p) => ({ ...p, totalFen: 100 }));
    rehashFrom(raw, target.seq);
    rebuildAndClose(raw);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({
        state: 'alarm',
        firstBadSeq: target.seq,
      });
      const session = await t.login();
      const refused = await t.call('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: target.householdId,
        amountFen: 100,
        tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
      });
      expect(!refused.ok && refused.error.code).toBe('LEDGER_ALARM');
      expect(!refused.ok && refused.error.message['zh-CN']).toContain(String(target.seq));
    } finally {
      t.close();
    }
  });

  it('two receipts swapped and rehashed: the earlier seq is named', async () => {
    const a = receipts[SYNCED]!;
    const b = receipts[SYNCED + 2]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    const pa = raw.prepare('SELECT payload FROM events WHERE seq = ?').pluck().get(a.seq);
    const pb = raw.prepare('SELECT payload FROM events WHERE seq = ?').pluck().get(b.seq);
    raw.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(pb, a.seq);
    raw.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(pa, b.seq);
    rehashFrom(raw, a.seq);
    rebuildAndClose(raw);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'alarm', firstBadSeq: a.seq });
    } finally {
      t.close();
    }
  });

  it('the last receipt deleted (after a signed checkpoint): the start names the missing seq', async () => {
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.prepare('DELETE FROM events WHERE seq = ?').run(head);
    rebuildAndClose(raw);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'alarm', firstBadSeq: head });
    } finally {
      t.close();
    }
  });

  it('receipts cut off the end and the checkpoint rows deleted, the sidecar kept: the sidecar names the missing seq', async () => {
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.prepare('DELETE FROM events WHERE seq >= ?').run(head - 1);
    raw.exec('DELETE FROM ledger_checkpoints');
    rebuildAndClose(raw);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'alarm' });
      expect(t.ctx.runtime.integrity.view().firstBadSeq).toBeLessThanOrEqual(head);
    } finally {
      t.close();
    }
  });

  it('an event forged at the end with another event’s signature copied: the start names its seq', async () => {
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    const last = raw
      .prepare('SELECT * FROM events WHERE seq = ?')
      .get(receipts[SYNCED]!.seq) as Record<string, unknown>;
    raw
      .prepare(
        `INSERT INTO events (seq, id, terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT hash FROM events WHERE seq = ?), 'x', ?)`,
      )
      .run(
        head + 1,
        randomUUID(),
        last.terminal_id,
        last.type,
        last.occurred_at,
        last.business_date,
        last.clerk_id,
        last.payload,
        head,
        last.signature,
      );
    // a receipt nobody paid: new ids and a number the book has not reached
    setPayload(raw, head + 1, (p) => ({
      ...p,
      receiptId: randomUUID(),
      requestId: randomUUID(),
      receiptNo: Number(p.receiptNo) + 100,
      receiptLabel: `${String(p.receiptLabel)}X`,
    }));
    rehashFrom(raw, head + 1);
    rebuildAndClose(raw);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({
        state: 'alarm',
        firstBadSeq: head + 1,
      });
    } finally {
      t.close();
    }
  });

  it('synced receipts cut off the end, checkpoints and sidecar deleted too: head office’s signed ack names the truncation', async () => {
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.prepare('DELETE FROM events WHERE seq >= ?').run(syncedHead);
    raw.exec('DELETE FROM ledger_checkpoints');
    rebuildAndClose(raw);
    rmSync(`${file}.checkpoint`);
    const t = start(file);
    try {
      expect(t.ctx.runtime.integrity.view()).toMatchObject({
        state: 'alarm',
        firstBadSeq: syncedHead,
      });
    } finally {
      t.close();
    }
  });

  it('an old event edited in place, before the newest checkpoint: the start’s background full verify names its seq', async () => {
    const target = receipts[1]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    setPayload(raw, target.seq, (p) => ({ ...p, totalFen: 1 }));
    rebuildAndClose(raw);
    const t = start(file);
    try {
      const full = await fullVerify(t);
      expect(full).toMatchObject({ ok: false, firstBadSeq: target.seq });
      expect(t.ctx.runtime.integrity.view()).toMatchObject({
        state: 'alarm',
        firstBadSeq: target.seq,
      });
    } finally {
      t.close();
    }
  });

  it('a projection edited behind the log (a receipt’s total): ledger.verify names the table', async () => {
    const target = receipts[SYNCED]!;
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.prepare('UPDATE receipts SET total_fen = 1 WHERE id = ?').run(target.id);
    raw.close();
    const t = start(file);
    try {
      const report = await ledgerVerify(t);
      expect(report).toMatchObject({ ok: false });
      expect(report.problem).toMatch(/receipts/);
    } finally {
      t.close();
    }
  });

  it('a season’s charge lowered in charges: the payment for that household is refused naming the row; verify lists it', async () => {
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    const row = raw
      .prepare(
        `SELECT household_id, season_id, charge_fen FROM charges
         WHERE household_id NOT IN (SELECT household_id FROM receipts) ORDER BY household_id LIMIT 1`,
      )
      .get() as { household_id: string; season_id: string; charge_fen: number };
    raw
      .prepare('UPDATE charges SET charge_fen = 100 WHERE household_id = ? AND season_id = ?')
      .run(row.household_id, row.season_id);
    raw.close();
    const t = start(file);
    try {
      const session = await t.login();
      const refused = await t.call('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: row.household_id,
        amountFen: 100,
        tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
      });
      expect(!refused.ok && refused.error.code).toBe('MASTER_ROW_INVALID');
      expect(!refused.ok && JSON.stringify(refused.error)).toContain(row.household_id);
      const full = await fullVerify(t);
      expect(full?.ok).toBe(false);
      expect(JSON.stringify(full)).toContain(row.household_id);
    } finally {
      t.close();
    }
  });

  it('a clerk’s PIN verifier copied into the supervisor’s row: the supervisor log-in and the approval are refused; verify lists the row', async () => {
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.exec(
      "UPDATE clerks SET pin_hash = (SELECT pin_hash FROM clerks WHERE code = '1001') WHERE code = '9001'",
    );
    raw.close();
    const t = start(file);
    try {
      const asSupervisor = await t.call('session.login', {
        clerkCode: '9001',
        pin: '123456',
      });
      expect(!asSupervisor.ok && asSupervisor.error.code).toBe('MASTER_ROW_INVALID');
      const session = await t.login();
      const selfApproved = await t.call('receipt.void', {
        session,
        receiptId: receipts[SYNCED]!.id,
        reason: '自己批准',
        supervisorCode: '9001',
        supervisorPin: '123456',
      });
      expect(selfApproved.ok).toBe(false);
      const full = await fullVerify(t);
      expect(full?.ok).toBe(false);
      expect(JSON.stringify(full)).toMatch(/clerks/);
    } finally {
      t.close();
    }
  });

  it('a lost key replaced by a fresh one: the counter warns, head office refuses the first event the uncertified key signed', async () => {
    const file = copyOfCounter();
    rmSync(`${file}.key`);
    const t = start(file);
    try {
      const keyedAt = t.ctx.db.prepare('SELECT max(seq) FROM events').pluck().get() as number;
      expect(t.ctx.db.prepare('SELECT type FROM events WHERE seq = ?').pluck().get(keyedAt)).toBe(
        'terminal.keyed',
      );
      expect(t.ctx.runtime.integrity.view().warnings.join(' ')).toMatch(/not certified/);
      await drain(t);
      const q = await quarantined();
      expect(q[0]?.seq).toBe(keyedAt);
    } finally {
      t.close();
      await clearQuarantine();
    }
  });
  // Last: it leaves head office holding the reissued receipt, which later pushes of a copy would hit.
  it('the last unsynced receipt deleted with every checkpoint: the start cannot tell, the reissued number is caught by the customer’s paper at head office', async () => {
    const last = receipts[receipts.length - 1]!;
    expect(last.seq).toBe(head);
    const file = copyOfCounter();
    const raw = attackerConnection(file);
    raw.prepare('DELETE FROM events WHERE seq = ?').run(head);
    raw.exec('DELETE FROM ledger_checkpoints');
    rebuildAndClose(raw);
    rmSync(`${file}.checkpoint`);
    const t = start(file);
    try {
      // Residual risk, written in the README: nothing local outlives this deletion.
      expect(t.ctx.runtime.integrity.view()).toMatchObject({ state: 'ok' });
      const session = await t.login();
      const other = receipts[0]!.householdId;
      const again = await t.call('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: other,
        amountFen: 100,
        tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
      });
      if (!again.ok) throw new Error(again.error.code);
      expect((again.value as unknown as { receiptLabel: string }).receiptLabel).toBe(last.label);
      expect(await drain(t)).toMatchObject({ done: true });
      const check = (await (
        await ho.admin('/v1/receipts/check', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ qr: last.qr }),
        })
      ).json()) as { status: string; signatureValid: boolean; problems: string[] };
      expect(check).toMatchObject({ status: 'mismatch', signatureValid: true });
      const numbers = (await (await ho.admin('/v1/reports/receipt-numbers')).json()) as {
        rows: { kind: string; receiptLabel: string | null }[];
      };
      expect(numbers.rows).toContainEqual(
        expect.objectContaining({ kind: 'paper_mismatch', receiptLabel: last.label }),
      );
    } finally {
      t.close();
    }
  });
});

describe('tampering at head office, and tokens', () => {
  it('a projection row edited at head office (ho_receipts.total_fen): its verify names the receipt', async () => {
    const target = receipts[3]!;
    await ho.db.query('UPDATE ho_receipts SET total_fen = total_fen - 500 WHERE receipt_id = $1', [
      target.id,
    ]);
    try {
      const report = (await (await ho.admin(`/v1/terminals/${terminalId}/verify`)).json()) as {
        ok: boolean;
        problem: string | null;
      };
      expect(report.ok).toBe(false);
      expect(report.problem).toContain(target.label);
    } finally {
      await ho.db.query(
        'UPDATE ho_receipts SET total_fen = total_fen + 500 WHERE receipt_id = $1',
        [target.id],
      );
    }
  });

  it('a forged paper (amount changed on the QR) is reported forged', async () => {
    const paper = receipts[2]!.qr.split('.');
    paper[4] = String(Number(paper[4]) * 10);
    const check = (await (
      await ho.admin('/v1/receipts/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ qr: paper.join('.') }),
      })
    ).json()) as { status: string };
    expect(check.status).toBe('forged');
    // Offline, with the key head office certified for the terminal: genuine paper passes, the
    // altered one does not.
    const keys = (await (await ho.admin(`/v1/terminals/${terminalId}/keys`)).json()) as {
      keys: { publicKey: string; fromSeq: number }[];
    };
    expect(keys.keys).toHaveLength(1);
    const verify = createVerifier();
    const offline = (qr: string) => {
      const d = decodePaperReceipt(qr);
      return d.ok && verify(keys.keys[0]!.publicKey, paperReceiptMessage(d.receipt), d.signature);
    };
    expect(offline(receipts[2]!.qr)).toBe(true);
    expect(offline(paper.join('.'))).toBe(false);
    expect((await ho.admin('/v1/terminals/nobody/keys')).status).toBe(404);
  });

  it('a token cannot pull or push as another terminal, and no token can be registered without a terminal id', async () => {
    const other = openTestTerminal(join(dir.dir, `${randomUUID()}.db`), { households: 5 });
    try {
      const token = await ho.enrol(other);
      const asOther = (path: string, init: RequestInit = {}) =>
        fetch(ho.url + path, {
          ...init,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            ...(init.headers ?? {}),
          },
        });
      expect(
        (await asOther(`/v1/sync/pull?terminalId=${encodeURIComponent(terminalId)}&cursor=0`))
          .status,
      ).toBe(403);
      const push = await asOther('/v1/sync/push', {
        method: 'POST',
        body: JSON.stringify({
          terminalId: 'a-terminal-nobody-enrolled',
          head: { seq: 0, hash: '0'.repeat(64), signature: 'A'.repeat(86) },
          events: [],
        }),
      });
      expect(push.status).toBe(403);
      const unbound = await ho.admin('/v1/terminals', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'no id' }),
      });
      expect(unbound.status).toBe(404);
      const rows = await ho.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ho_terminals WHERE terminal_id IS NULL',
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      other.close();
    }
  });
});
