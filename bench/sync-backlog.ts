// The push backlog bench/sync.ts and bench/ho-ingest.ts build on a demo terminal: receipt events
// with real payloads, signed and chained, appended in big transactions (bypassing the payment service).
import type { CommandName } from '@heating-cashier/core/contract/commands';
import { dispatch } from '../src-main/api/dispatch';
import type { OpenTerminal } from '../src-main/app/open-terminal';
import { appendEvent } from '../src-main/ledger/event-log';
import { writeTransaction } from '../src-main/ledger/transaction';

async function must(t: OpenTerminal, name: CommandName, input: Record<string, unknown>) {
  const r = await dispatch(t.ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code}`);
  return r.value as Record<string, unknown>;
}

export interface SyncBacklog {
  /** The log's length to reach (events already there count). */
  events: number;
  /** The receipt book's series; also the receipts' label prefix. */
  series: string;
  /** Prefix of the receipt and request ids ('' or e.g. 'T2'), unique per terminal. */
  ids: string;
  /** The clock of the next event (the terminal's clock is expected to follow it). */
  tick: () => Date;
}

/** Clerk 1001 logs in, opens a shift, gets a book, then receipts are appended up to `events`. */
export async function appendSyncBacklog(t: OpenTerminal, b: SyncBacklog): Promise<void> {
  const { ctx } = t;
  const session = (await must(t, 'session.login', { clerkCode: '1001', pin: '123456' }))
    .session as string;
  const shift = await must(t, 'shift.open', { session, openingFloatFen: 0 });
  const book = (
    await must(t, 'book.issue', {
      session,
      series: b.series,
      firstNo: 1,
      lastNo: 9_000_000,
      clerkCode: '1001',
      supervisorCode: '9001',
      supervisorPin: '888888',
    })
  ).id as string;
  const seasons = ['S2025', 'S2026'];
  const base = ctx.db.prepare('SELECT max(seq) FROM events').pluck().get() as number;
  for (let done = base; done < b.events;) {
    writeTransaction(ctx, (append) => {
      for (let i = 0; i < 5000 && done < b.events; i++, done++) {
        const k = done + 1;
        appendEvent(
          { ...append, now: b.tick() },
          'receipt.issued',
          {
            receiptId: `${b.ids}R${k}`,
            requestId: `${b.ids}Q${k}`,
            bookId: book,
            receiptNo: k,
            receiptLabel: `${b.series}-${k}`,
            householdId: `H${10000001 + (k % 2000)}`,
            accountNo: String(10000001 + (k % 2000)),
            shiftId: shift.id as string,
            totalFen: 12345,
            changeFen: 0,
            lines: [
              {
                seasonId: seasons[k % 2]!,
                seasonCode: k % 2 ? '2026-2027' : '2025-2026',
                amountFen: 12345,
                chargeFen: 500000,
                pctTenths: 25,
                balanceAfterFen: 400000,
              },
            ],
            tenders: [{ kind: 'cash', amountFen: 12345, tenderedFen: 12345, detail: {} }],
          },
          'C1001',
        );
      }
    });
  }
}
