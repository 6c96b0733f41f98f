// Cash-control benchmarks, on copies of the season-volume ledger (bench/season-ledger.ts): closing a
// shift of 2,000 receipts, and the monthly report over 500,000 receipts in one month on top of its
// five seasons. Receipts are appended through the ledger's own event path (hash chain + projector)
// in large transactions — the payment service's per-call checks are not what is measured here.
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../src-main/api/dispatch';
import { openTerminal, type OpenTerminal } from '../src-main/app/open-terminal';
import type { CommandName } from '@heating-cashier/core/contract/commands';
import type { TenderRecord } from '@heating-cashier/core/contract/events';
import { createRandom } from '../src-main/demo/random';
import { appendReceipt, receiptSource } from './synthetic-receipts';
import { uuidv7 } from '../src-main/ledger/ids';
import { today } from '../src-main/ledger/transaction';
import { median, round } from './stats';

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };
/** A month after the season ledger's last closed day (its days are closed by Z: no receipt there). */
const MONTH = '2027-01';
const BATCH = 5000;

async function must(t: OpenTerminal, name: CommandName, input: Record<string, unknown>) {
  const r = await dispatch(t.ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message.en}`);
  return r.value as Record<string, unknown>;
}

/** Logs in, opens a shift and (the first time) issues a book big enough; returns the session. */
async function prepareCounter(t: OpenTerminal, issueBook = true): Promise<string> {
  const session = (await must(t, 'session.login', { clerkCode: '1001', pin: '123456' }))
    .session as string;
  await must(t, 'shift.open', { session, openingFloatFen: 0 });
  if (!issueBook) return session;
  await must(t, 'book.issue', {
    session,
    series: 'BENCH',
    firstNo: 1,
    lastNo: 99_999_999,
    clerkCode: '1001',
    ...SUPERVISOR,
  });
  return session;
}

/** A copy of the season ledger with its key and checkpoint sidecars (never write to the cache). */
function copyLedger(from: string, to: string): void {
  copyFileSync(from, to);
  for (const side of ['.key', '.checkpoint'])
    if (existsSync(from + side)) copyFileSync(from + side, to + side);
}

/**
 * Appends `count` receipt events (one per household, cycling) spread over the days of MONTH, or all
 * on today's business date at the real clock (`today`, for the open shift).
 */
function appendReceipts(
  t: OpenTerminal,
  count: number,
  seed: number,
  today?: { businessDate: string },
): void {
  const r = createRandom(seed);
  const source = receiptSource(t);
  let no = source.book.next_no;
  for (let start = 0; start < count; start += BATCH) {
    t.ctx.db.transaction(() => {
      for (let i = start; i < Math.min(start + BATCH, count); i++) {
        const amount = r.int(100, 5000);
        const kind = r.pick(['cash', 'cash', 'card', 'qr', 'cheque'] as const);
        const tender: TenderRecord =
          kind === 'cash'
            ? { kind, amountFen: amount, tenderedFen: amount, detail: {} }
            : { kind, amountFen: amount, reference: 'B', detail: {} };
        const day = String(1 + (i % 28)).padStart(2, '0');
        const now = today ? new Date() : new Date(`${MONTH}-${day}T02:00:00.000Z`);
        appendReceipt(t, source, {
          receiptNo: no++,
          index: i,
          amountFen: amount,
          tender,
          now,
          businessDate: today ? today.businessDate : `${MONTH}-${day}`,
          requestId: uuidv7(now.getTime()),
        });
      }
    })();
  }
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * close_shift_2000_ms: closing (count, variance, close event) a shift that holds 2,000 receipts, three
 * shifts one after the other on one copy of the season ledger.
 */
async function benchCloseShift(workDir: string, seasonLedger: string) {
  const runs: number[] = [];
  const dbFile = join(workDir, 'close-shift.db');
  copyLedger(seasonLedger, dbFile);
  for (let k = 0; k < 3; k++) {
    const t = openTerminal({ dbFile, timeZone: 'Asia/Shanghai' });
    try {
      const session = await prepareCounter(t, k === 0);
      appendReceipts(t, 2000, 7 + k, { businessDate: today(t.ctx) });
      const x = await must(t, 'shift.xReport', { session });
      const expected = (x.cash as { expectedFen: number }).expectedFen;
      const [ms] = await timeRuns(1, () =>
        must(t, 'shift.close', { session, denominations: { '10': Math.floor(expected / 10) } }),
      );
      runs.push(ms!);
    } finally {
      t.close();
    }
  }
  return {
    close_shift_2000_ms: round(median(runs), 1),
    close_shift_2000_runs_ms: runs.map((v) => round(v, 1)),
  };
}

/**
 * monthly_report_500k_ms: the monthly report over the season ledger plus 500,000 receipts in one
 * month (MONTH, after its history).
 */
async function benchMonthlyReport(file: string, seasonLedger: string, log: (m: string) => void) {
  if (!existsSync(file)) {
    const tmp = `${file}.tmp`;
    copyLedger(seasonLedger, tmp);
    const t = openTerminal({ dbFile: tmp, timeZone: 'Asia/Shanghai' });
    const started = performance.now();
    try {
      await prepareCounter(t);
      appendReceipts(t, 500_000, 3);
      t.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      t.close();
    }
    renameSync(tmp, file);
    for (const side of ['.key', '.checkpoint'])
      if (existsSync(tmp + side)) renameSync(tmp + side, file + side);
    log(`  500k receipts appended in ${round((performance.now() - started) / 1000, 1)} s`);
  }
  const t = openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' });
  try {
    const session = (await must(t, 'session.login', { clerkCode: '1001', pin: '123456' }))
      .session as string;
    await must(t, 'report.monthly', { session, month: MONTH }); // warm
    const runs = await timeRuns(5, () => must(t, 'report.monthly', { session, month: MONTH }));
    return {
      monthly_report_500k_ms: round(median(runs), 1),
      monthly_report_500k_runs_ms: runs.map((v) => round(v, 1)),
    };
  } finally {
    t.close();
  }
}

/**
 * Runs both on copies of `seasonLedger`; `cacheFile` holds the 500k-receipt month on top of it between
 * runs (its name carries the season ledger's key).
 */
export async function benchCash(
  workDir: string,
  cacheFile: string,
  seasonLedger: string,
  log: (m: string) => void,
) {
  log('cash: close shift of 2,000 receipts…');
  const close = await benchCloseShift(workDir, seasonLedger);
  log('cash: monthly report over 500,000 receipts…');
  const monthly = await benchMonthlyReport(cacheFile, seasonLedger, log);
  return { ...close, ...monthly };
}
