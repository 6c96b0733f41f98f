// The seed's paper rules the counter prints (issue 21):
//   - a voided receipt or a spoiled blank needs a written statement in four copies (一式四份: the
//     clerk keeps one; finance, the heating ledger clerk and the group leader get one each);
//   - a returned receipt book prints the list of every number and its state, which finance checks
//     at season end against the receipts issued but not handed in (开出票据未交款明细).
// Each paper is queued inside the business transaction (void, spoil, book return), so it commits
// with the ledger event or not at all, and prints after commit like every other job.
import type { ServiceContext } from '../../services/context';
import { ServiceError } from '../../services/context';
import { stmt } from '../../ledger/statements';
import { clerkById, type ClerkRow } from '../session/clerks.store';
import { householdById } from '../households/households.store';
import { receiptByLabel } from '../receipts/receipts.store';
import { receiptLabel } from '../payments/payments';
import { bookById } from '../cash/books-shifts.store';
import {
  STATEMENT_COPIES,
  type StatementCopy,
  type TemplateInput,
} from '../../devices/printer/template-data';
import { STATEMENT_COPY_LABEL } from '../../devices/printer/fillers';
import { enqueuePrintJob, templateHead } from './print-queue';
import { eventBySeq } from '../../ledger/event-log';
import type { LedgerEvent } from '@heating-cashier/core/contract/events';

/** The event a receipt or spoiled number points at (it exists: the projection row names its seq). */
function eventAt(ctx: ServiceContext, seq: number): LedgerEvent {
  const e = eventBySeq(ctx.db, seq);
  if (!e) throw new Error(`event ${seq} missing`);
  return e;
}

function clerkOf(ctx: ServiceContext, id: string | null | undefined) {
  const c = id ? clerkById(ctx.db, id) : null;
  return { name: c?.name ?? '', code: c?.code ?? '' };
}

type StatementBase = Omit<TemplateInput<'void-statement'>, 'copy'>;

/**
 * The statement's data from the ledger: a voided receipt (its void event names the approver) or a
 * spoiled blank (no household, no amount; no approver is recorded for it). The subject is the
 * receipt's id, or the spoiled number's label.
 */
export function statementOf(
  ctx: ServiceContext,
  label: string,
): { subjectId: string; data: StatementBase } {
  const receipt = receiptByLabel(ctx.db, label);
  if (receipt && receipt.voided_seq !== null) {
    const ev = eventAt(ctx, receipt.voided_seq);
    const payload = ev.payload as { reason?: string; approvedBy?: string };
    const household = householdById(ctx.db, receipt.household_id);
    const clerk = clerkOf(ctx, ev.clerkId ?? receipt.clerk_id);
    return {
      subjectId: receipt.id,
      data: {
        ...templateHead(ctx),
        kind: 'void',
        receiptLabel: receipt.receipt_label,
        accountNo: household?.accountNo ?? '',
        name: household?.name ?? '',
        totalFen: receipt.total_fen,
        issuedAt: receipt.issued_at,
        at: ev.occurredAt,
        reason: payload.reason ?? receipt.void_reason ?? '',
        clerkName: clerk.name,
        clerkCode: clerk.code,
        approverName: payload.approvedBy ? clerkOf(ctx, payload.approvedBy).name : null,
        eventHash: ev.hash,
      },
    };
  }
  const spoiled = stmt(
    ctx.db,
    'SELECT receipt_label, reason, seq FROM spoiled_receipts WHERE receipt_label = ?',
  ).get(label) as { receipt_label: string; reason: string; seq: number } | undefined;
  if (spoiled) {
    const ev = eventAt(ctx, spoiled.seq);
    const clerk = clerkOf(ctx, ev.clerkId);
    return {
      subjectId: spoiled.receipt_label,
      data: {
        ...templateHead(ctx),
        kind: 'spoil',
        receiptLabel: spoiled.receipt_label,
        accountNo: null,
        name: null,
        totalFen: null,
        issuedAt: null,
        at: ev.occurredAt,
        reason: spoiled.reason,
        clerkName: clerk.name,
        clerkCode: clerk.code,
        approverName: null,
        eventHash: ev.hash,
      },
    };
  }
  if (receipt) throw new ServiceError('STATEMENT_NOT_VOID', { label: receipt.receipt_label });
  throw new ServiceError('RECEIPT_NOT_FOUND');
}

/**
 * Queues the written statement (书面说明) of a voided receipt or a spoiled blank: four jobs, one per
 * holder, each named on the paper. Called by the void and the spoil inside their transaction, and
 * by `receipt.statement` to print it again (marked 补打). Returns the job ids.
 */
export function enqueueStatement(ctx: ServiceContext, label: string, reprint = false): string[] {
  const { subjectId, data } = statementOf(ctx, label);
  const what = data.kind === 'void' ? '作废说明' : '废票说明';
  return STATEMENT_COPIES.map((copy: StatementCopy) =>
    enqueuePrintJob(ctx, {
      template: 'void-statement',
      subjectId,
      label: `${data.receiptLabel} ${what} ${STATEMENT_COPY_LABEL[copy]}${reprint ? ' 补打' : ''}`,
      data: { ...data, copy, reprint },
    }),
  );
}

type BookEntry = TemplateInput<'book-return'>['entries'][number];

/**
 * Every number of a book and its state, in order: issued (amount, account, handed in or not),
 * voided (amount), spoiled, and the unused numbers as runs.
 */
export function bookEntries(ctx: ServiceContext, bookId: string): BookEntry[] {
  const book = bookById(ctx.db, bookId);
  if (!book) throw new ServiceError('BOOK_NOT_RETURNABLE');
  const used = new Map<number, BookEntry>();
  const receipts = stmt(
    ctx.db,
    `SELECT r.receipt_no, r.receipt_label, r.total_fen, r.voided_seq, h.account_no,
            s.closed_seq IS NOT NULL AS handed_in
     FROM receipts r JOIN shifts s ON s.id = r.shift_id
     LEFT JOIN households h ON h.id = r.household_id
     WHERE r.book_id = ?`,
  ).all(bookId) as {
    receipt_no: number;
    receipt_label: string;
    total_fen: number;
    voided_seq: number | null;
    account_no: string | null;
    handed_in: number;
  }[];
  for (const r of receipts) {
    const voided = r.voided_seq !== null;
    used.set(r.receipt_no, {
      fromLabel: r.receipt_label,
      toLabel: null,
      state: voided ? 'voided' : 'issued',
      amountFen: r.total_fen,
      accountNo: r.account_no,
      handedIn: voided ? null : r.handed_in === 1,
    });
  }
  const spoiled = stmt(
    ctx.db,
    'SELECT receipt_no, receipt_label FROM spoiled_receipts WHERE book_id = ?',
  ).all(bookId) as { receipt_no: number; receipt_label: string }[];
  for (const s of spoiled) {
    used.set(s.receipt_no, {
      fromLabel: s.receipt_label,
      toLabel: null,
      state: 'spoiled',
      amountFen: null,
      accountNo: null,
      handedIn: null,
    });
  }
  const entries: BookEntry[] = [];
  const label = (no: number) => receiptLabel(book.series, no, book.last_no);
  let runFrom: number | null = null;
  const closeRun = (to: number) => {
    if (runFrom === null) return;
    entries.push({
      fromLabel: label(runFrom),
      toLabel: to > runFrom ? label(to) : null,
      state: 'unused',
      amountFen: null,
      accountNo: null,
      handedIn: null,
    });
    runFrom = null;
  };
  for (let no = book.first_no; no <= book.last_no; no++) {
    const entry = used.get(no);
    if (entry) {
      closeRun(no - 1);
      entries.push(entry);
    } else runFrom ??= no;
  }
  closeRun(book.last_no);
  return entries;
}

/** The book return list (票据交回清单), finance's copy and the clerk's, queued with the return. */
export function enqueueBookReturnList(
  ctx: ServiceContext,
  bookId: string,
  approver: ClerkRow,
  returnedEvent: { occurredAt: string; hash: string; clerkId: string | null },
): string[] {
  const book = bookById(ctx.db, bookId);
  if (!book) throw new ServiceError('BOOK_NOT_RETURNABLE');
  const holder = clerkOf(ctx, book.clerk_id);
  const data: Omit<TemplateInput<'book-return'>, 'copy'> = {
    ...templateHead(ctx),
    series: book.series,
    firstLabel: receiptLabel(book.series, book.first_no, book.last_no),
    lastLabel: receiptLabel(book.series, book.last_no, book.last_no),
    clerkName: holder.name,
    clerkCode: holder.code,
    returnedAt: returnedEvent.occurredAt,
    approverName: approver.name,
    entries: bookEntries(ctx, bookId),
    eventHash: returnedEvent.hash,
  };
  return (['finance', 'clerk'] as const).map((copy) =>
    enqueuePrintJob(ctx, {
      template: 'book-return',
      subjectId: bookId,
      label: `${data.firstLabel}—${data.lastLabel} 票据交回清单 ${copy === 'finance' ? '财务部留存' : '收费员留存'}`,
      data: { ...data, copy },
    }),
  );
}
