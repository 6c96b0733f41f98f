// The synthetic receipts the cash and trust benchmarks append straight through appendEvent (signed,
// projected), bypassing the payment service so a ledger of many receipts builds quickly.
import type { TenderRecord } from '@heating-cashier/core/contract/events';
import type { OpenTerminal } from '../src-main/app/open-terminal';
import {
  openShift,
  type BookRow,
  type ShiftRow,
} from '../src-main/features/cash/books-shifts.store';
import { receiptLabel } from '../src-main/features/payments/payments';
import { appendEvent } from '../src-main/ledger/event-log';
import { uuidv7 } from '../src-main/ledger/ids';

export interface ReceiptSource {
  shift: ShiftRow;
  book: BookRow;
  households: { id: string; account_no: string }[];
  season: { id: string; code: string };
}

/** The open shift, the BENCH book, every household and the newest season. */
export function receiptSource(t: OpenTerminal): ReceiptSource {
  const { db } = t.ctx;
  return {
    shift: openShift(db)!,
    book: db.prepare("SELECT * FROM receipt_books WHERE series = 'BENCH'").get() as BookRow,
    households: db.prepare('SELECT id, account_no FROM households ORDER BY num').all() as {
      id: string;
      account_no: string;
    }[],
    season: db.prepare('SELECT id, code FROM seasons ORDER BY code DESC LIMIT 1').get() as {
      id: string;
      code: string;
    },
  };
}

/** One receipt of `amountFen` settling the newest season for household number `index` (cycling). */
export function appendReceipt(
  t: OpenTerminal,
  source: ReceiptSource,
  r: {
    receiptNo: number;
    index: number;
    amountFen: number;
    tender: TenderRecord;
    now: Date;
    businessDate: string;
    requestId: string;
  },
): void {
  const { book, shift, season } = source;
  const h = source.households[r.index % source.households.length]!;
  appendEvent(
    { db: t.ctx.db, terminalId: t.ctx.terminal.id, now: r.now, businessDate: r.businessDate },
    'receipt.issued',
    {
      receiptId: uuidv7(r.now.getTime()),
      requestId: r.requestId,
      bookId: book.id,
      receiptNo: r.receiptNo,
      receiptLabel: receiptLabel(book.series, r.receiptNo, book.last_no),
      householdId: h.id,
      accountNo: h.account_no,
      shiftId: shift.id,
      totalFen: r.amountFen,
      changeFen: 0,
      lines: [
        {
          seasonId: season.id,
          seasonCode: season.code,
          amountFen: r.amountFen,
          chargeFen: r.amountFen,
          pctTenths: 1000,
          balanceAfterFen: 0,
        },
      ],
      tenders: [r.tender],
    },
    shift.clerk_id,
  );
}
