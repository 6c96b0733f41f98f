// Issue 17 at head office (docs/trust.md): enrollment with one-time codes, tokens bound to their
// terminal, every pushed signature verified (forged / missing / unknown key → 409 + quarantine
// naming the seq), head office's own verify of chain, signatures and receipt projections, paper
// receipt checks and the receipt-number report. Real terminals on SQLite files, real HTTP to a
// head office on PGlite and on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chainHeadMessage,
  encodePaperReceipt,
  enrollMessage,
  eventMessage,
  paperReceiptMessage,
  type PaperReceipt,
  type Signer,
} from '@heating-cashier/core/signing';
import { enroll, issueEnrollmentCode } from '../../../head-office/src/enrollment';
import { verifySignature } from '../../../head-office/src/keys';
import { verifyChain } from '../../../head-office/src/store';
import { ackMessage } from '@heating-cashier/core/signing';
import { chainHead } from '../../../src-main/ledger/event-log';
import { generateSigningKey } from '../../../src-main/ledger/signing';
import { ensureTerminalKey } from '../../../src-main/features/terminal/terminal-key';
import { eventsAfter, keyOf, syncState } from '../../../src-main/features/sync/store';
import { SyncWorker } from '../../../src-main/features/sync/worker';
import { startHeadOffice, type Backend, type TestHeadOffice } from '../../support/head-office';
import { FAST_SYNC, syncSuite } from '../../support/sync-suite';
import { householdsOwing, type TestTerminal } from '../../support/terminal';

const SUP = { supervisorCode: '9001', supervisorPin: '888888' };

async function payments(t: TestTerminal, n: number, amountFen = 1000) {
  const session = await t.login();
  if (!(await t.must('shift.current', { session })).shift)
    await t.must('shift.open', { session, openingFloatFen: 10000 });
  const hh = householdsOwing(t, amountFen * 4, 40);
  const receipts: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: hh[i % hh.length],
      amountFen,
      tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen }],
    });
    receipts.push(r.id);
  }
  return { session, receipts };
}

async function http(
  url: string,
  method: 'GET' | 'POST',
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The head at `seq` signed by `signer` (the terminal's key unless a forger's is given). */
function signedHead(t: TestTerminal, signer: Signer = t.ctx.db.cache.signer!) {
  const { seq, hash } = chainHead(t.ctx.db);
  return {
    seq,
    hash,
    signature: signer.sign(chainHeadMessage({ terminalId: t.ctx.terminal.id, seq, hash })),
    keyNo: keyOf(t.ctx.db, t.ctx.db.cache.signer!.publicKey)!.key_no,
  };
}

/** The QR a receipt's paper carries, signed by the terminal key (or by `signer`), with `change`s. */
function paper(
  t: TestTerminal,
  receiptId: string,
  change: Partial<PaperReceipt> = {},
  signer: Signer = t.ctx.db.cache.signer!,
): string {
  const r = t.ctx.db
    .prepare(
      `SELECT r.issued_seq AS seq, r.receipt_label AS label, r.total_fen AS total, e.business_date AS day
       FROM receipts r JOIN events e ON e.seq = r.issued_seq WHERE r.id = ?`,
    )
    .get(receiptId) as { seq: number; label: string; total: number; day: string };
  const p: PaperReceipt = {
    terminalId: t.ctx.terminal.id,
    seq: r.seq,
    receiptLabel: r.label,
    totalFen: r.total,
    businessDate: r.day,
    ...change,
  };
  return encodePaperReceipt(p, signer.sign(paperReceiptMessage(p)));
}

const quarantined = (ho: TestHeadOffice, terminalId: string) =>
  ho.db.query<{ kind: string; seq: number }>(
    'SELECT kind, seq::int AS seq FROM ho_quarantine WHERE terminal_id = $1 ORDER BY id',
    [terminalId],
  );
const storedCount = async (ho: TestHeadOffice, terminalId: string) =>
  (
    await ho.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM ho_events WHERE terminal_id = $1',
      [terminalId],
    )
  )[0]!.n;

describe.each<Backend>(['pglite', 'postgres'])('trusted ledger at head office (%s)', (backend) => {
  const suite = syncSuite(backend, 60);

  it('enrollment: a one-time code enrolls once; unknown, used, expired, other-terminal codes and an enrolled id are refused; the ack is signed', async () => {
    const ho = suite.ho;
    const t = suite.terminal();
    const sup = await t.login('9001', '888888');
    const enrollWith = (code: string, url = ho.url) =>
      t.call('sync.enroll', { session: sup, url, code, ...SUP });
    const refusal = async (code: string, url?: string) => {
      const r = await enrollWith(code, url);
      if (r.ok) throw new Error('enrolled');
      return r.error;
    };

    expect(await refusal('AAAA-BBBB-CCCC-DDDD')).toMatchObject({
      code: 'ENROLL_REFUSED',
      details: { problem: 'code_unknown' },
      message: { 'zh-CN': expect.stringContaining('入网码不正确') },
    });
    const code = await ho.enrollmentCode('一号窗口');
    expect((await refusal(code, 'http://127.0.0.1:9')).code).toBe('HEAD_OFFICE_UNREACHABLE');
    const expired = await issueEnrollmentCode(
      ho.db,
      { name: '过期', ttlHours: 1 },
      new Date(Date.now() - 2 * 3_600_000),
    );
    expect((await refusal(expired.code)).details).toMatchObject({ problem: 'code_expired' });
    const other = await ho.enrollmentCode('别的终端', 'T-someone-else');
    expect((await refusal(other)).details).toMatchObject({ problem: 'wrong_terminal' });
    expect(
      await ho.db.query('SELECT 1 FROM ho_terminals WHERE terminal_id = $1', [t.ctx.terminal.id]),
    ).toEqual([]);

    // typed by a person: lower case, spaces, O for 0 and I for 1 are read the same
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'i');
    const ok = await enrollWith(typed);
    if (!ok.ok) throw new Error(ok.error.message.en);
    const health = await http(`${ho.url}/v1/health`, 'GET', null);
    expect(ok.value).toMatchObject({
      configured: true,
      headOfficeUrl: ho.url,
      enrollment: {
        terminalId: t.ctx.terminal.id,
        keyNo: 1,
        headOfficeKey: health.body.headOfficeKey,
        headOfficeSeq: 0,
        chainMatches: true,
      },
    });
    const enrolled = t.ctx.db
      .prepare("SELECT seq, payload FROM events WHERE type = 'terminal.enrolled'")
      .all() as { seq: number; payload: string }[];
    expect(enrolled).toHaveLength(1);
    expect(t.ctx.db.prepare('SELECT certified_seq FROM terminal_keys').pluck().get()).toBe(
      enrolled[0]!.seq,
    );
    const [key] = await ho.db.query<{ key_no: number; from_seq: number; public_key: string }>(
      'SELECT key_no, from_seq::int AS from_seq, public_key FROM ho_terminal_keys WHERE terminal_id = $1',
      [t.ctx.terminal.id],
    );
    expect(key).toEqual({
      key_no: 1,
      from_seq: ok.value.enrollment.fromSeq,
      public_key: t.ctx.db.cache.signer!.publicKey,
    });

    // the code is used up; this terminal is enrolled (a new plain code cannot take its id)
    const t2 = suite.terminal();
    const sup2 = await t2.login('9001', '888888');
    const reuse = await t2.call('sync.enroll', { session: sup2, url: ho.url, code, ...SUP });
    expect(!reuse.ok && reuse.error).toMatchObject({
      code: 'ENROLL_REFUSED',
      details: { problem: 'code_used' },
      message: { 'zh-CN': expect.stringContaining('已使用过') },
    });
    const again = await refusal(await ho.enrollmentCode('一号窗口'));
    expect(again.details).toMatchObject({ problem: 'already_enrolled' });

    // the wire itself: a proof over another code, a malformed body
    const signer = t2.ctx.db.cache.signer!;
    const k2 = keyOf(t2.ctx.db, signer.publicKey)!;
    const fresh = await ho.enrollmentCode('二号窗口');
    const request = {
      code: fresh,
      terminalId: t2.ctx.terminal.id,
      name: '二号窗口',
      keyNo: k2.key_no,
      publicKey: signer.publicKey,
      keyFromSeq: k2.from_seq,
      proof: signer.sign(enrollMessage(code, t2.ctx.terminal.id, signer.publicKey)),
    };
    expect(await http(`${ho.url}/v1/enroll`, 'POST', null, request)).toMatchObject({
      status: 403,
      body: { error: 'forbidden', problem: 'bad_proof' },
    });
    expect((await http(`${ho.url}/v1/enroll`, 'POST', null, { code: fresh })).status).toBe(400);

    // pushes verify; head office answers a signed ack the terminal keeps
    await payments(t, 3);
    await suite.sync(t);
    const s = syncState(t.ctx.db);
    expect(s.ack_seq).toBe(s.acked_seq);
    expect(s.ack_hash).toBe(s.acked_hash);
    expect(
      verifySignature(
        String(health.body.headOfficeKey),
        ackMessage({
          terminalId: t.ctx.terminal.id,
          seq: s.ack_seq!,
          hash: s.ack_hash!,
          at: s.ack_at!,
        }),
        s.ack_signature!,
      ),
    ).toBe(true);
    // every push writes a signed checkpoint (H1's ledger_checkpoints) at the acknowledged head
    expect(t.ctx.db.prepare('SELECT max(seq) FROM ledger_checkpoints').pluck().get()).toBe(
      s.acked_seq,
    );
    const report = await verifyChain(ho.db, t.ctx.terminal.id);
    expect(report).toMatchObject({ ok: true, firstBadSeq: null, firstBadReceipt: null });
    expect(report!.signaturesChecked).toBeGreaterThanOrEqual(
      report!.eventsChecked - key!.from_seq + 1,
    );
  });

  it('re-enrollment: a new token revokes the old one, history stays; a replaced key is refused until certified, and only from its seq', async () => {
    const ho = suite.ho;
    const t = suite.terminal();
    const id = t.ctx.terminal.id;
    const oldToken = await ho.enrol(t, '三号窗口');
    await payments(t, 3);
    await suite.sync(t);
    const held = await ho.db.query<{ seq: number; hash: string }>(
      'SELECT seq::int AS seq, hash FROM ho_events WHERE terminal_id = $1 ORDER BY seq',
      [id],
    );
    const pull = (token: string) => http(`${ho.url}/v1/sync/pull?terminalId=${id}`, 'GET', token);

    // the token was lost: a re-enrollment code for this id, same key
    const newToken = await ho.enrol(t, '三号窗口');
    expect(newToken).not.toBe(oldToken);
    expect((await pull(oldToken)).status).toBe(401);
    expect((await pull(newToken)).status).toBe(200);
    expect(
      await ho.db.query('SELECT key_no FROM ho_terminal_keys WHERE terminal_id = $1', [id]),
    ).toEqual([{ key_no: 1 }]);

    // the key file was lost: a new key enters the chain (reason 'replaced'), not certified yet
    ensureTerminalKey(t.ctx, null);
    const keyed = chainHead(t.ctx.db).seq;
    expect(
      t.ctx.db
        .prepare("SELECT json_extract(payload, '$.reason') FROM events WHERE seq = ?")
        .pluck()
        .get(keyed),
    ).toBe('replaced');
    await payments(t, 2);
    const w = new SyncWorker(t.ctx, FAST_SYNC);
    expect(await w.cycle()).toBe('stopped');
    expect(w.status().detail?.['zh-CN']).toContain('未经总部认证');
    expect(await quarantined(ho, id)).toEqual([{ kind: 'unknown_key', seq: keyed }]);
    const [reg] = await ho.db.query<{ head_seq: number; conflict: string | null }>(
      'SELECT head_seq::int AS head_seq, conflict FROM ho_terminals WHERE terminal_id = $1',
      [id],
    );
    // the batch is refused whole; cured by enrolling again, not by an operator
    expect(reg).toEqual({ head_seq: held.length, conflict: null });

    // a new key may not vouch for events head office already holds
    const signer = t.ctx.db.cache.signer!;
    const code = await ho.enrollmentCode('三号窗口', id);
    const early = await enroll(ho.db, {
      code,
      terminalId: id,
      name: '三号窗口',
      keyNo: 2,
      publicKey: signer.publicKey,
      keyFromSeq: 2,
      proof: signer.sign(enrollMessage(code, id, signer.publicKey)),
    });
    expect(early).toMatchObject({ status: 409, body: { problem: 'key_conflict' } });

    // re-enrolled with the new key: certified from its terminal.keyed seq on
    await ho.enrol(t, '三号窗口');
    await suite.sync(t);
    expect(
      await ho.db.query(
        'SELECT key_no, from_seq::int AS from_seq FROM ho_terminal_keys WHERE terminal_id = $1 ORDER BY key_no',
        [id],
      ),
    ).toEqual([
      { key_no: 1, from_seq: expect.any(Number) },
      { key_no: 2, from_seq: keyed },
    ]);
    const after = await ho.db.query<{ seq: number; hash: string }>(
      'SELECT seq::int AS seq, hash FROM ho_events WHERE terminal_id = $1 AND seq <= $2 ORDER BY seq',
      [id, held.length],
    );
    expect(after).toEqual(held); // re-enrollment never touched stored events
    expect(await verifyChain(ho.db, id)).toMatchObject({
      ok: true,
      headSeq: chainHead(t.ctx.db).seq,
    });
  });

  it('a token pushes and pulls only as its own terminal', async () => {
    const ho = suite.ho;
    const a = suite.terminal();
    const b = suite.terminal();
    await ho.enrol(a);
    const tokenB = await ho.enrol(b);
    await payments(a, 2);
    const asA = await http(`${ho.url}/v1/sync/pull?terminalId=${a.ctx.terminal.id}`, 'GET', tokenB);
    expect(asA).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await http(`${ho.url}/v1/sync/pull`, 'GET', tokenB)).status).toBe(200); // the token names b
    const push = await http(`${ho.url}/v1/sync/push`, 'POST', tokenB, {
      terminalId: a.ctx.terminal.id,
      head: signedHead(a),
      events: eventsAfter(a.ctx.db, 0, 5),
    });
    expect(push).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect(await storedCount(ho, a.ctx.terminal.id)).toBe(0);
  });

  it('a forged event signature, a missing one and a forged head → 409, quarantined naming the seq, nothing stored', async () => {
    const ho = suite.ho;
    const forger = generateSigningKey().signer;
    const attempt = async (tamper: (t: TestTerminal, body: Body) => Body) => {
      const t = suite.terminal();
      const token = await ho.enrol(t);
      await payments(t, 2);
      await suite.sync(t);
      await payments(t, 2);
      const n = await storedCount(ho, t.ctx.terminal.id);
      const body = tamper(t, {
        terminalId: t.ctx.terminal.id,
        head: signedHead(t),
        events: eventsAfter(t.ctx.db, syncState(t.ctx.db).acked_seq, 50),
      });
      const r = await http(`${ho.url}/v1/sync/push`, 'POST', token, body);
      expect(await storedCount(ho, t.ctx.terminal.id)).toBe(n);
      return { t, token, r, body, q: await quarantined(ho, t.ctx.terminal.id) };
    };
    type Body = {
      terminalId: string;
      head: ReturnType<typeof signedHead>;
      events: ReturnType<typeof eventsAfter>;
    };

    const forged = await attempt((_t, b) => ({
      ...b,
      events: b.events.map((e, i) =>
        i === 1 ? { ...e, signature: forger.sign(eventMessage(e.hash)) } : e,
      ),
    }));
    const seq = forged.body.events[1]!.seq;
    expect(forged.r).toMatchObject({
      status: 409,
      body: { error: 'conflict', conflictSeq: seq, message: expect.stringContaining('signature') },
    });
    expect(forged.q).toEqual([{ kind: 'bad_signature', seq }]);
    // quarantined: pushing stops until an operator resolves it, even the honest batch
    const honest = await http(`${ho.url}/v1/sync/push`, 'POST', forged.token, {
      ...forged.body,
      events: eventsAfter(forged.t.ctx.db, syncState(forged.t.ctx.db).acked_seq, 50),
    });
    expect(honest).toMatchObject({ status: 409, body: { error: 'quarantined' } });

    const missing = await attempt((_t, b) => ({
      ...b,
      events: b.events.map((e, i) => (i === 0 ? { ...e, signature: null } : e)),
    }));
    expect(missing.r.body).toMatchObject({ conflictSeq: missing.body.events[0]!.seq });
    expect(missing.q).toEqual([{ kind: 'missing_signature', seq: missing.body.events[0]!.seq }]);

    const head = await attempt((t, b) => ({ ...b, head: signedHead(t, forger) }));
    expect(head.r).toMatchObject({ status: 409, body: { conflictSeq: head.body.head.seq } });
    expect(head.q).toEqual([{ kind: 'bad_signature', seq: head.body.head.seq }]);
  });

  it('transitive push verification: a wrong signature in the middle is accepted (the last one vouches through the chain) and named by the deep verify; a bad last one is traced to the first bad seq', async () => {
    const ho = suite.ho;
    const forger = generateSigningKey().signer;
    const forge = (e: ReturnType<typeof eventsAfter>[number]) => ({
      ...e,
      signature: forger.sign(eventMessage(e.hash)), // well formed, not the terminal key's
    });
    const setUp = async () => {
      const t = suite.terminal();
      const token = await ho.enrol(t);
      await payments(t, 2);
      await suite.sync(t);
      await payments(t, 3);
      const events = eventsAfter(t.ctx.db, syncState(t.ctx.db).acked_seq, 50);
      expect(events.map((e) => e.type)).toEqual(Array(3).fill('receipt.issued'));
      return { t, token, id: t.ctx.terminal.id, events };
    };
    const push = (s: Awaited<ReturnType<typeof setUp>>, events: unknown[]) =>
      http(`${ho.url}/v1/sync/push`, 'POST', s.token, {
        terminalId: s.id,
        head: signedHead(s.t),
        events,
      });
    const verify = async (id: string, query = '') => {
      const res = await ho.admin(`/v1/terminals/${id}/verify${query}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    // 1. the middle event's signature is wrong, the last one verifies: its content is the content
    // the last signature vouches for (the hash chain), so the push is accepted and stored as sent
    const a = await setUp();
    const middle = a.events[1]!;
    const sent = a.events.map((e, i) => (i === 1 ? forge(e) : e));
    const stored = await storedCount(ho, a.id);
    expect(await push(a, sent)).toMatchObject({ status: 200, body: { inserted: 3 } });
    expect(await storedCount(ho, a.id)).toBe(stored + 3);
    expect(await quarantined(ho, a.id)).toEqual([]);
    expect(
      await ho.db.query('SELECT signature FROM ho_events WHERE terminal_id = $1 AND seq = $2', [
        a.id,
        middle.seq,
      ]),
    ).toEqual([{ signature: sent[1]!.signature }]);
    // the fast verify checks what a push checks and passes; the deep one (the default) names it
    const fast = await verify(a.id, '?signatures=transitive');
    expect(fast.body).toMatchObject({
      ok: true,
      signatures: 'transitive',
      firstBadSeq: null,
      badSignatureSeqs: [],
    });
    expect(fast.body.signaturesChecked).toBeLessThan(fast.body.eventsChecked as number);
    const deep = { ...(await verify(a.id, '?signatures=all')).body };
    expect(deep).toMatchObject({
      ok: false,
      signatures: 'all',
      firstBadSeq: middle.seq,
      badSignatureSeqs: [middle.seq],
      problem: expect.stringMatching(/signature.*vouched for .* seq \d+/),
      firstBadReceipt: null,
    });
    expect((await verify(a.id)).body).toEqual(deep);
    expect((await verify(a.id, '?signatures=some')).status).toBe(400);
    // pushing goes on (nothing was quarantined)
    await payments(a.t, 1);
    expect(await push(a, eventsAfter(a.t.ctx.db, a.events[2]!.seq, 50))).toMatchObject({
      status: 200,
      body: { inserted: 1 },
    });

    // 2. the last event's signature is wrong too: the vouching signature fails, so every
    // signature of the batch is checked and the first seq whose own does not verify is named
    const b = await setUp();
    const bStored = await storedCount(ho, b.id);
    const both = await push(
      b,
      b.events.map((e, i) => (i === 0 || i === 2 ? forge(e) : e)),
    );
    expect(both).toMatchObject({
      status: 409,
      body: { error: 'conflict', conflictSeq: b.events[0]!.seq },
    });
    expect(await quarantined(ho, b.id)).toEqual([{ kind: 'bad_signature', seq: b.events[0]!.seq }]);
    expect(await storedCount(ho, b.id)).toBe(bStored);

    // 3. a wrong signature before a structural problem is named first, as in seq order: the event
    // before the break vouches for the sound part and does not verify
    const c = await setUp();
    const broken = await push(
      c,
      c.events.map((e, i) =>
        i === 1
          ? forge(e)
          : i === 2
            ? { ...e, hash: e.hash.replace(/^./, (x) => (x === '0' ? '1' : '0')) }
            : e,
      ),
    );
    expect(broken).toMatchObject({ status: 409, body: { conflictSeq: c.events[1]!.seq } });
    expect(await quarantined(ho, c.id)).toEqual([{ kind: 'bad_signature', seq: c.events[1]!.seq }]);
    // without the wrong signature, the broken hash itself is named
    const d = await setUp();
    await push(
      d,
      d.events.map((e, i) =>
        i === 2 ? { ...e, hash: e.hash.replace(/^./, (x) => (x === '0' ? '1' : '0')) } : e,
      ),
    );
    expect(await quarantined(ho, d.id)).toEqual([{ kind: 'bad_hash', seq: d.events[2]!.seq }]);

    // 4. at head office, someone swaps the stored signature of the chain's last event: the fast
    // verify's vouching signature fails, and it falls back to every signature to name the first
    const last = (
      await ho.db.query<{ seq: number }>(
        'SELECT max(seq)::int AS seq FROM ho_events WHERE terminal_id = $1',
        [a.id],
      )
    )[0]!.seq;
    await ho.db.tx(async (q) => {
      await q.query('ALTER TABLE ho_events DISABLE TRIGGER ho_events_no_change');
      await q.query('UPDATE ho_events SET signature = $3 WHERE terminal_id = $1 AND seq = $2', [
        a.id,
        last,
        forger.sign(eventMessage('0'.repeat(64))),
      ]);
      await q.query('ALTER TABLE ho_events ENABLE TRIGGER ho_events_no_change');
    });
    expect((await verify(a.id, '?signatures=transitive')).body).toMatchObject({
      ok: false,
      signatures: 'all',
      firstBadSeq: middle.seq,
      badSignatureSeqs: [middle.seq, last],
    });
  });

  it("head office's verify names an edited ho_receipts row, an edited line and an altered stored signature", async () => {
    const ho = suite.ho;
    const t = suite.terminal();
    const id = t.ctx.terminal.id;
    await ho.enrol(t);
    const { receipts } = await payments(t, 4, 1500);
    await suite.sync(t);
    const verify = async () =>
      (await (await ho.admin(`/v1/terminals/${id}/verify`)).json()) as Record<string, unknown>;
    expect(await verify()).toMatchObject({
      ok: true,
      receiptsChecked: 4,
      firstBadReceipt: null,
      firstBadSeq: null,
    });
    const label = (receiptId: string) =>
      t.ctx.db
        .prepare('SELECT receipt_label FROM receipts WHERE id = ?')
        .pluck()
        .get(receiptId) as string;

    await ho.db.query('UPDATE ho_receipts SET total_fen = total_fen + 100 WHERE receipt_id = $1', [
      receipts[1],
    ]);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: null,
      firstBadReceipt: label(receipts[1]!),
      receiptProblem: expect.stringContaining('total_fen'),
    });
    await ho.db.query('UPDATE ho_receipts SET total_fen = total_fen - 100 WHERE receipt_id = $1', [
      receipts[1],
    ]);
    await ho.db.query(
      'UPDATE ho_receipt_lines SET amount_fen = amount_fen - 1 WHERE receipt_id = $1',
      [receipts[2]],
    );
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadReceipt: label(receipts[2]!),
      receiptProblem: expect.stringContaining('ho_receipt_lines'),
    });
    await ho.db.query(
      'UPDATE ho_receipt_lines SET amount_fen = amount_fen + 1 WHERE receipt_id = $1',
      [receipts[2]],
    );
    expect(await verify()).toMatchObject({ ok: true });

    // someone with database access at head office swaps a stored signature (trigger off)
    const seq = t.ctx.db
      .prepare('SELECT issued_seq FROM receipts WHERE id = ?')
      .pluck()
      .get(receipts[0]) as number;
    const forger = generateSigningKey().signer;
    await ho.db.tx(async (q) => {
      await q.query('ALTER TABLE ho_events DISABLE TRIGGER ho_events_no_change');
      await q.query('UPDATE ho_events SET signature = $3 WHERE terminal_id = $1 AND seq = $2', [
        id,
        seq,
        forger.sign(eventMessage('0'.repeat(64))),
      ]);
      await q.query('ALTER TABLE ho_events ENABLE TRIGGER ho_events_no_change');
    });
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: seq,
      problem: expect.stringContaining('signature'),
    });
  });

  it('paper receipts: genuine, voided, not yet synced, forged, mismatching; forged and mismatching paper is flagged once', async () => {
    const ho = suite.ho;
    const t = suite.terminal();
    await ho.enrol(t);
    const { session, receipts } = await payments(t, 3, 2345);
    await t.must('receipt.void', { session, receiptId: receipts[1], reason: '录错', ...SUP });
    await suite.sync(t);
    const check = async (qr: string) =>
      (await http(`${ho.url}/v1/receipts/check`, 'POST', ho.adminToken, { qr })).body;
    const householdId = t.ctx.db
      .prepare('SELECT household_id FROM receipts WHERE id = ?')
      .pluck()
      .get(receipts[0]);

    expect(await check(paper(t, receipts[0]!))).toMatchObject({
      genuine: true,
      signatureValid: true,
      atHeadOffice: true,
      matches: true,
      status: 'valid',
      receiptId: receipts[0],
      householdId,
      problems: [],
    });
    expect(await check(paper(t, receipts[1]!))).toMatchObject({ genuine: true, status: 'voided' });

    // the amount on the paper changed after printing: the terminal's signature no longer fits
    const good = paper(t, receipts[0]!);
    const parts = good.split('.');
    parts[4] = String(Number(parts[4]) * 10);
    const altered = parts.join('.');
    expect(await check(altered)).toMatchObject({
      genuine: false,
      signatureValid: false,
      status: 'forged',
    });
    const foreign = paper(t, receipts[2]!, {}, generateSigningKey().signer);
    expect(await check(foreign)).toMatchObject({ status: 'forged', atHeadOffice: true });

    // signed with the terminal key but not what the ledger holds (history rewritten locally)
    const rewritten = paper(t, receipts[2]!, { totalFen: 99_999 });
    const mismatch = await check(rewritten);
    expect(mismatch).toMatchObject({
      genuine: true,
      matches: false,
      status: 'mismatch',
      receiptId: receipts[2],
    });
    expect(String(mismatch.problems)).toContain('amount');

    const later = (await payments(t, 1, 1111)).receipts[0]!;
    expect(await check(paper(t, later))).toMatchObject({
      genuine: true,
      atHeadOffice: false,
      status: 'not_yet_synced',
    });
    expect(await check('not a receipt')).toMatchObject({ genuine: false, status: 'forged' });

    await check(altered); // scanned twice: still one flag
    expect(
      await ho.db.query(
        'SELECT kind, receipt_label FROM ho_flags WHERE terminal_id = $1 ORDER BY kind, id',
        [t.ctx.terminal.id],
      ),
    ).toEqual([
      { kind: 'paper_forged', receipt_label: expect.any(String) },
      { kind: 'paper_forged', receipt_label: expect.any(String) },
      { kind: 'paper_mismatch', receipt_label: expect.any(String) },
    ]);
    expect((await http(`${ho.url}/v1/receipts/check`, 'POST', null, { qr: good })).status).toBe(
      401,
    );
  });

  it('receipt-number report: a number used twice, numbers outside the books head office allocated, numbers skipped inside a book, paper that did not match', async () => {
    const ho = suite.ho;
    const a = suite.terminal();
    const b = suite.terminal();
    await ho.enrol(a);
    await ho.enrol(b);
    const first = (await payments(a, 1)).receipts[0]!;
    await payments(b, 1);
    // head office allocates book HQ 1-50 to a's clerk 1001; a hands its demo book back to use it
    const allocated = await ho.admin('/v1/master/book', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          id: `BK-${randomUUID()}`,
          terminalId: a.ctx.terminal.id,
          clerkCode: '1001',
          series: 'HQ',
          firstNo: 1,
          lastNo: 50,
        },
      ]),
    });
    expect(allocated.status).toBe(200);
    const session = await a.login();
    const demoBook = a.ctx.db
      .prepare("SELECT id FROM receipt_books WHERE series = 'A'")
      .pluck()
      .get() as string;
    await a.must('book.return', { session, bookId: demoBook, ...SUP });
    await suite.sync(a);
    const hq = (await payments(a, 2)).receipts;
    await a.must('receipt.spoil', { session, reason: '卡纸' }); // HQ000003 spoiled: used, not skipped
    // a local administrator moves the book on by two numbers (HQ000004 and HQ000005 vanish)
    a.ctx.db.prepare("UPDATE receipt_books SET next_no = next_no + 2 WHERE series = 'HQ'").run();
    const skippedTo = (await payments(a, 1)).receipts[0]!;
    await suite.sync(a);
    await suite.sync(b);
    // a paper for HQ000001 that the ledger does not hold (signed with a's key, other amount)
    await http(`${ho.url}/v1/receipts/check`, 'POST', ho.adminToken, {
      qr: paper(a, hq[0]!, { totalFen: 5 }),
    });

    const res = await ho.admin(`/v1/reports/receipt-numbers?terminalId=${a.ctx.terminal.id}`);
    const { rows } = (await res.json()) as {
      rows: {
        kind: string;
        receiptLabel: string;
        series: string;
        receiptNo: number;
        terminalId: string;
        detail: string;
      }[];
    };
    const label = (id: string) =>
      a.ctx.db.prepare('SELECT receipt_label FROM receipts WHERE id = ?').pluck().get(id) as string;
    const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.receiptLabel);
    expect(label(first)).toBe('A000001');
    expect(rows).toContainEqual(
      expect.objectContaining({
        kind: 'duplicate',
        terminalId: a.ctx.terminal.id,
        receiptLabel: 'A000001',
        series: 'A',
        receiptNo: 1,
        detail: expect.stringContaining(b.ctx.terminal.id),
      }),
    );
    expect(of('outside_book')).toContain('A000001');
    expect(of('outside_book').filter((l) => l.startsWith('HQ'))).toEqual([]);
    expect(label(skippedTo)).toBe('HQ000006');
    expect(of('skipped')).toEqual(['HQ000004', 'HQ000005']);
    expect(rows.filter((r) => r.kind === 'skipped').map((r) => r.receiptNo)).toEqual([4, 5]);
    expect(of('paper_mismatch')).toEqual([label(hq[0]!)]);
    expect(rows.find((r) => r.kind === 'paper_mismatch')).toMatchObject({ receiptNo: 1 });
  });
});

describe('enrollment attempts are limited per address', () => {
  it('after 3 failures the address waits (429), even with a good code', async () => {
    const ho = await startHeadOffice('pglite', { enrollLimit: { failures: 3, windowMs: 60_000 } });
    try {
      const bad = { code: 'AAAA-BBBB-CCCC-DDDD' };
      for (let i = 0; i < 3; i++)
        expect((await http(`${ho.url}/v1/enroll`, 'POST', null, bad)).status).toBe(400);
      const code = await ho.enrollmentCode('一号');
      const r = await http(`${ho.url}/v1/enroll`, 'POST', null, { ...bad, code });
      expect(r).toMatchObject({
        status: 429,
        body: { error: 'rate_limited', problem: 'rate_limited' },
      });
    } finally {
      await ho.close();
    }
  });
});
