import { bookById, overlappingBook } from '../cash/books-shifts.store';
import { clerkByCode, type ClerkRow } from '../session/clerks.store';
import { appendEvent } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import { approverVerifier, requireSupervisor } from '../session/auth';
import { ServiceError, type ServiceContext } from '../../services/context';
import { writeTransaction } from '../../ledger/transaction';
import { bookView } from './views';

export interface BookIssue {
  series: string;
  firstNo: number;
  lastNo: number;
  clerkCode: string;
}

/** Records a receipt book handed to a clerk; the caller has the supervisor's approval. */
export function recordBookIssue(
  ctx: ServiceContext,
  actor: ClerkRow,
  supervisor: ClerkRow,
  issue: BookIssue,
) {
  return writeTransaction(ctx, (append) => {
    const holder = clerkByCode(ctx.db, issue.clerkCode);
    if (!holder)
      throw new ServiceError('BAD_INPUT', { issues: `clerkCode: no clerk ${issue.clerkCode}` });
    const overlap = overlappingBook(ctx.db, issue.series, issue.firstNo, issue.lastNo);
    if (overlap) throw new ServiceError('BOOK_OVERLAP', { series: overlap.series });
    const bookId = uuidv7(append.now.getTime());
    appendEvent(
      append,
      'approval.given',
      {
        approverId: supervisor.id,
        verifier: approverVerifier(supervisor),
        action: 'book.issue',
        subjectId: bookId,
        reason: `${issue.series} ${issue.firstNo}-${issue.lastNo}`,
      },
      actor.id,
    );
    appendEvent(
      append,
      'book.issued',
      {
        bookId,
        series: issue.series,
        firstNo: issue.firstNo,
        lastNo: issue.lastNo,
        clerkId: holder.id,
        approvedBy: supervisor.id,
      },
      actor.id,
    );
    return bookView(bookById(ctx.db, bookId)!);
  });
}

export function issueBook(
  ctx: ServiceContext,
  actor: ClerkRow,
  input: BookIssue & { supervisorCode: string; supervisorPin: string },
) {
  const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  return recordBookIssue(ctx, actor, supervisor, input);
}
