// Clerks added at the counter (F9 → 收费员管理): on a standalone terminal a supervisor adds a clerk
// or another supervisor with a first PIN. The clerk row is a master row signed with the terminal
// key (clerks.store insertClerk), and the supervisor's approval is an `approval.given` event in the
// ledger (who added whom, when). An enrolled terminal gets its clerks from head office instead.
import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import { appendEvent } from '../../ledger/event-log';
import { writeTransaction } from '../../ledger/transaction';
import { ServiceError, type ServiceContext } from '../../services/context';
import { isSyncConfigured } from '../rules/rules.store';
import { approverVerifier, hashPin } from './auth';
import { clerkByCode, clerkById, insertClerk, type ClerkRow } from './clerks.store';

export function addClerk(
  ctx: ServiceContext,
  input: ParsedInput<'clerk.add'>,
  clerk: ClerkRow,
  supervisor: ClerkRow,
) {
  if (isSyncConfigured(ctx.db)) throw new ServiceError('CLERKS_MANAGED_BY_HEAD_OFFICE');
  const id = `C${input.code}`;
  const pinHash = hashPin(input.pin); // scrypt: outside the write transaction
  return writeTransaction(ctx, (append) => {
    // inside the transaction: a code taken meanwhile by another connection is this error too
    if (clerkByCode(ctx.db, input.code) || clerkById(ctx.db, id))
      throw new ServiceError('CLERK_CODE_TAKEN', { code: input.code });
    insertClerk(ctx.db, {
      id,
      code: input.code,
      name: input.name,
      role: input.role,
      pin_hash: pinHash,
    });
    appendEvent(
      append,
      'approval.given',
      {
        approverId: supervisor.id,
        verifier: approverVerifier(supervisor),
        action: 'clerk.add',
        subjectId: id,
        reason: `${input.role} ${input.code} ${input.name}`,
      },
      clerk.id,
    );
    return { id, code: input.code, name: input.name, role: input.role };
  });
}
