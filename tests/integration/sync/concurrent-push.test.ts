// Three terminals pushing to one head office at once (PostgreSQL: their transactions overlap; the
// change counter's lock is taken only by each push's last statement, store.ts insertChanges), with
// the CPU part of each push on the event loop or in ingest worker threads (ingest-pool.ts), while
// an observer pulls the change log page by page: every event stored exactly once with no gap,
// totals equal to each terminal's, and the pulled change log complete, in order, with no change
// skipped or sent twice.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pullChanges, reconciliation, verifyChain } from '../../../head-office/src/store';
import { SyncWorker } from '../../../src-main/features/sync/worker';
import { terminalRecon } from '../../support/head-office';
import { FAST_SYNC, syncSuite } from '../../support/sync-suite';
import { householdsOwing, type TestTerminal } from '../../support/terminal';

/** `n` cash receipts of different amounts, one of them voided: answers the expected net fen. */
async function receipts(t: TestTerminal, n: number, base: number): Promise<number> {
  const session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 10000 });
  const hh = householdsOwing(t, 40_000, 40);
  const ids: string[] = [];
  let net = 0;
  for (let i = 0; i < n; i++) {
    const amountFen = base + i;
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: hh[i % hh.length],
      amountFen,
      tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen }],
    });
    ids.push(r.id as string);
    net += amountFen;
  }
  await t.must('receipt.void', {
    session,
    receiptId: ids[2],
    reason: '录错金额',
    supervisorCode: '9001',
    supervisorPin: '888888',
  });
  return net - (base + 2);
}

// 0: a push's CPU part on head office's event loop (the default on 2 cores); 2: in ingest threads
describe.each([0, 2])(
  'three terminals pushing at once (postgres, %i ingest threads)',
  (threads) => {
    const suite = syncSuite('postgres', 60, { ingestThreads: threads });

    it('stores every event once with no gap, totals equal each terminal, and pulls skip no change', async () => {
      const ho = suite.ho;
      const terminals = [suite.terminal(), suite.terminal(), suite.terminal()];
      const nets: number[] = [];
      for (const [i, t] of terminals.entries()) {
        await ho.enrol(t, `窗口 ${i + 1}`);
        nets.push(await receipts(t, 24, 1000 * (i + 1)));
      }
      const heads = terminals.map(
        (t) => t.ctx.db.prepare('SELECT max(seq) FROM events').pluck().get() as number,
      );

      // an observer pulls the change log while the pushes run (small pages, so it reads mid-way)
      let pushing = true;
      const pulled: number[] = [];
      let cursor = 0;
      const observe = async () => {
        for (;;) {
          const done = !pushing; // read before the page: a page after the last push ends the loop
          const page = await pullChanges(ho.db, 'observer', cursor, 13);
          pulled.push(...page.changes.map((c) => c.seq));
          cursor = page.cursor;
          if (done && !page.more) return;
          await new Promise((r) => setTimeout(r, 2));
        }
      };
      const observer = observe();
      // small batches: each terminal makes many pushes, interleaved with the others'
      const drains = await Promise.all(
        terminals.map((t) =>
          new SyncWorker(t.ctx, { ...FAST_SYNC, batchSize: 5 }).drain({
            maxCycles: 6,
            deadlineMs: 60_000,
          }),
        ),
      );
      pushing = false;
      await observer;
      for (const d of drains) expect(d).toMatchObject({ done: true, outcome: 'ok' });

      for (const [i, t] of terminals.entries()) {
        const id = t.ctx.terminal.id;
        const [stored] = await ho.db.query<{ n: number; ids: number; lo: number; hi: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, min(seq)::int AS lo,
                max(seq)::int AS hi FROM ho_events WHERE terminal_id = $1`,
          [id],
        );
        // every event of the terminal, once, seqs 1..head without a gap
        expect(stored).toEqual({ n: heads[i], ids: heads[i], lo: 1, hi: heads[i] });
        const recon = await reconciliation(ho.db, { terminalId: id });
        expect(recon).toEqual(terminalRecon(t));
        expect(recon.reduce((a, r) => a + r.net_fen, 0)).toBe(nets[i]);
        expect(await verifyChain(ho.db, id)).toMatchObject({ ok: true, firstBadSeq: null });
        // its counter payments other terminals pull: the latest per receipt line (the voided
        // receipt's withdrawn to 0) add up to the terminal's net
        const [pay] = await ho.db.query<{ fen: number }>(
          `SELECT sum(fen)::int AS fen FROM (
           SELECT DISTINCT ON (data::json->>'id') (data::json->>'amountFen')::bigint AS fen
           FROM ho_changes WHERE kind = 'payment' AND origin_terminal_id = $1
           ORDER BY data::json->>'id', seq DESC) x`,
          [id],
        );
        expect(pay!.fen).toBe(nets[i]);
      }
      expect(await ho.db.query('SELECT 1 FROM ho_quarantine')).toEqual([]);

      // the change log: seqs 1..counter without a gap, and the observer got each one, once, in order
      const [log] = await ho.db.query<{ n: number; hi: number; counter: number }>(
        `SELECT count(*)::int AS n, coalesce(max(seq), 0)::int AS hi,
              (SELECT value::int FROM ho_counter WHERE name = 'changes') AS counter FROM ho_changes`,
      );
      expect(log!.n).toBe(log!.hi);
      expect(log!.counter).toBe(log!.hi);
      const expected = (
        await ho.db.query<{ seq: number }>(
          'SELECT seq FROM ho_changes WHERE target_terminal_id IS NULL ORDER BY seq',
        )
      ).map((r) => r.seq);
      expect(pulled).toEqual(expected);
    });
  },
);
