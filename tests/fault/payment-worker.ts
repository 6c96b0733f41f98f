/**
 * Child process of the crash-safety test (tests/fault/crash-safety.test.ts): takes cash payments in
 * a loop until it is SIGKILLed, and reports every payment the ledger acknowledged.
 *
 *   node worker.mjs <dbFile> <sessionToken> <seed> [--await-go]
 *
 * With --await-go the worker loads its code, then waits for a line `GO` on stdin before it touches
 * the ledger, so the parent can start the next worker while it still checks the ledger after the
 * previous kill. Without a GO (stdin closed) it exits untouched.
 *
 * Protocol on stdout, one line per event, each written with a single synchronous write(2) so it is
 * in the pipe before the next payment starts (a killed child cannot lose or half-send a short line
 * that was already written; the parent still ignores an unterminated last line):
 *   READY <households>                                     terminal open, about to take payments
 *   ACK <receiptId> <receiptLabel> <requestId> <householdId> <amountFen>
 *   ERR <code> <message>                                   unexpected refusal; exit code 2
 *
 * An ACK is written only after `payment.take` returned ok, i.e. after its transaction committed —
 * the moment the real terminal would print the receipt and hand it over.
 *
 * The parent runs this file as an esbuild bundle (startup cost); it also runs as-is under tsx.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, writeSync } from 'node:fs';
import { dispatch } from '../../src-main/api/dispatch';
import { openTerminal } from '../../src-main/app/open-terminal';
import { createRandom } from '../../src-main/demo/random';

/** Deterministic (mulberry32, as the demo generator) so a failing round can be replayed from its seed. */
const prng = (seed: number): ((lo: number, hi: number) => number) => createRandom(seed).int;

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

function awaitGo(): Promise<void> {
  return new Promise((resolve) => {
    let input = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      input += chunk;
      if (input.includes('GO\n')) {
        process.stdin.removeAllListeners('end');
        process.stdin.pause();
        resolve();
      }
    });
    process.stdin.on('end', () => process.exit(0));
  });
}

const MAX_PAYMENT_FEN = 500;

async function main(): Promise<void> {
  const [dbFile, session, seedText, flag] = process.argv.slice(2);
  if (!dbFile || !session || !seedText || (flag !== undefined && flag !== '--await-go')) {
    say('ERR USAGE payment-worker <dbFile> <session> <seed> [--await-go]');
    process.exit(2);
  }
  if (flag) await awaitGo();
  // openTerminal would create a fresh ledger at a wrong path; the parent must have set one up.
  if (!existsSync(dbFile)) {
    say(`ERR NO_LEDGER ${dbFile}`);
    process.exit(2);
  }
  const rand = prng(Number(seedText));

  // No demoIfEmpty: the parent set the ledger up; an empty ledger here would be a bug.
  const terminal = openTerminal({ dbFile });
  const { ctx } = terminal;

  // What each household still owes, read once; kept up to date from our own payments (we are the
  // only writer while we run).
  const owing = ctx.db
    .prepare(
      `SELECT c.household_id AS id,
                sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))) AS owed
         FROM charges c
         LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
         GROUP BY c.household_id HAVING owed >= 1 ORDER BY c.household_id`,
    )
    .all() as { id: string; owed: number }[];

  if (owing.length === 0) {
    say('ERR NOTHING_OWED no household owes anything');
    process.exit(2);
  }
  say(`READY ${owing.length}`);

  const parent = process.ppid;
  while (owing.length > 0) {
    // Orphaned (the test runner died before it could kill us): stop rather than pay on for minutes.
    if (process.ppid !== parent) process.exit(3);
    const index = rand(0, owing.length - 1);
    const household = owing[index]!;
    const amountFen = rand(1, Math.min(MAX_PAYMENT_FEN, household.owed));
    const tenderedFen = amountFen + rand(0, 1) * rand(0, 1000);
    const requestId = randomUUID();
    const result = await dispatch(ctx, 'payment.take', {
      session,
      requestId,
      householdId: household.id,
      amountFen,
      tenders: [{ kind: 'cash', amountFen, tenderedFen }],
    });
    if (result.ok) {
      const r = result.value as { id: string; receiptLabel: string };
      say(`ACK ${r.id} ${r.receiptLabel} ${requestId} ${household.id} ${amountFen}`);
      // Like the host between two requests: the receipt's copies get queued (their own commit).
      // Every other time only, so kills also find receipts committed but not yet queued.
      if (rand(0, 1) === 1) await new Promise((resolve) => setImmediate(resolve));
      household.owed -= amountFen;
      if (household.owed < 1) owing.splice(index, 1);
    } else if (result.error.code === 'NOTHING_OWED' || result.error.code === 'OVERPAY') {
      owing.splice(index, 1);
    } else {
      say(`ERR ${result.error.code} ${JSON.stringify(result.error.message)}`);
      process.exit(2);
    }
  }
  // Only reached when the whole district has paid up (the parent kills us long before).
  terminal.close();
  say('DONE');
}

main().catch((e: unknown) => {
  say(`ERR EXCEPTION ${JSON.stringify(e instanceof Error ? (e.stack ?? e.message) : String(e))}`);
  process.exit(2);
});
