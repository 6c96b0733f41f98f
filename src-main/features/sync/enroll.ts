// Enrollment on the terminal (docs/trust.md "Enrollment", step 2 and 4): a supervisor enters head
// office's URL and the one-time code; the terminal sends its key with a proof of holding it, checks
// head office's answer (the certificate under the head-office key, the same key as pinned before),
// then appends terminal.enrolled and keeps the token, in one transaction.
import {
  normalizeEnrollmentCode,
  type EnrollResponse,
} from '@heating-cashier/core/contract/sync-wire';
import { enrollMessage, keyCertificateMessage } from '@heating-cashier/core/signing';
import { appendEvent } from '../../ledger/event-log';
import { createVerifier } from '../../ledger/signing';
import { writeTransaction } from '../../ledger/transaction';
import { ServiceError, type ServiceContext } from '../../services/context';
import { HeadOfficeClient } from './client';
import { syncView } from './sync-settings';
import {
  configureSync,
  hashAt,
  keyOf,
  pinnedHeadOfficeKey,
  syncState,
  updateSyncState,
} from './store';

export interface EnrollOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const refused = (problem: string, detail: string) =>
  new ServiceError('ENROLL_REFUSED', { problem, detail });

/** Enrolls this terminal with head office; the caller checked the supervisor. */
export async function enrollTerminal(
  ctx: ServiceContext,
  input: { url: string; code: string },
  options: EnrollOptions = {},
) {
  const code = normalizeEnrollmentCode(input.code);
  if (code === null) throw refused('code_unknown', 'not an enrollment code');
  const signer = ctx.db.cache.signer;
  const key = signer ? keyOf(ctx.db, signer.publicKey) : null;
  if (!signer || !key)
    throw refused('key_conflict', 'this terminal has no signing key recorded in its ledger');
  const terminalId = ctx.terminal.id;
  const client = new HeadOfficeClient({
    url: input.url,
    token: null,
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const res = await client.enroll({
    code,
    terminalId,
    name: ctx.terminal.name.slice(0, 60) || terminalId,
    keyNo: key.key_no,
    publicKey: signer.publicKey,
    keyFromSeq: key.from_seq,
    proof: signer.sign(enrollMessage(code, terminalId, signer.publicKey)),
  });
  if (res.kind === 'network')
    throw new ServiceError('HEAD_OFFICE_UNREACHABLE', { reason: res.message });
  if (res.kind === 'refused') throw refused(res.body.problem ?? res.body.error, res.body.message);
  const answer = res.value;
  checkAnswer(ctx, answer, signer.publicKey, key.from_seq);

  const chainMatches =
    answer.head.seq === 0 || hashAt(ctx.db, answer.head.seq) === answer.head.hash;
  writeTransaction(ctx, (append) => {
    appendEvent(
      append,
      'terminal.enrolled',
      {
        terminalId,
        keyNo: key.key_no,
        publicKey: signer.publicKey,
        fromSeq: key.from_seq,
        issuedAt: answer.issuedAt,
        certificate: answer.certificate,
        headOfficeKey: answer.headOfficeKey,
      },
      null,
    );
    configureSync(ctx.db, input.url, answer.token);
    // what head office already holds of this same chain need not be sent again
    if (chainMatches && answer.head.seq > syncState(ctx.db).acked_seq)
      updateSyncState(ctx.db, {
        acked_seq: answer.head.seq,
        acked_hash: answer.head.seq > 0 ? answer.head.hash : null,
      });
  });
  ctx.runtime.sync?.kick();
  return {
    ...syncView(ctx),
    enrollment: {
      terminalId,
      keyNo: key.key_no,
      fromSeq: key.from_seq,
      issuedAt: answer.issuedAt,
      headOfficeKey: answer.headOfficeKey,
      headOfficeSeq: answer.head.seq,
      chainMatches,
    },
  };
}

const verify = createVerifier();

/** Head office's answer must be for this terminal and key, certified by the key pinned before. */
function checkAnswer(
  ctx: ServiceContext,
  a: EnrollResponse,
  publicKey: string,
  fromSeq: number,
): void {
  if (a.terminalId !== ctx.terminal.id)
    throw refused('bad_answer', `head office answered for terminal ${a.terminalId}`);
  const pinned = pinnedHeadOfficeKey(ctx.db);
  if (pinned !== null && pinned !== a.headOfficeKey)
    throw refused(
      'bad_answer',
      'head office answered with another head-office key than the one this terminal pinned',
    );
  const certified = verify(
    a.headOfficeKey,
    keyCertificateMessage({ terminalId: a.terminalId, publicKey, fromSeq, issuedAt: a.issuedAt }),
    a.certificate,
  );
  if (!certified)
    throw refused('bad_answer', 'the key certificate does not verify under the head-office key');
}
