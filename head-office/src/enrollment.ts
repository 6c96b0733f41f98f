// Enrollment (docs/trust.md "Enrollment"): head office issues a one-time code; the terminal sends
// it with its key and a proof of holding that key; head office certifies the key from its seq on
// and issues a token bound to that terminal id (revoking the terminal's older token).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  CROCKFORD_ALPHABET,
  normalizeEnrollmentCode,
  type EnrollRequest,
  type EnrollResponse,
  type SyncErrorBody,
} from '@heating-cashier/core/contract/sync-wire';
import { id } from '@heating-cashier/core/contract/primitives';
import { enrollMessage, keyCertificateMessage } from '@heating-cashier/core/signing';
import type { HoDb, Queryable } from './db';
import { hoSigner, verifySignature } from './keys';
import { upsertMaster } from './master';
import { hashToken, newTerminalToken } from './store';

export const DEFAULT_ENROLLMENT_TTL_HOURS = 72;

/** 80 random bits as 16 Crockford base32 characters in four groups: easy to read out and type. */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let text = '';
  for (let i = 15; i >= 0; i--) text += CROCKFORD_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return normalizeEnrollmentCode(text)!;
}

const codeHash = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');

export const enrollmentCodeInput = z
  .object({
    name: z.string().trim().min(1).max(60),
    terminalId: id.optional(),
    ttlHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(DEFAULT_ENROLLMENT_TTL_HOURS),
    /** Receipt books for the terminal that uses the code (a new counter's id is not known before). */
    books: z
      .array(
        z
          .object({
            clerkCode: z.string().regex(/^[A-Za-z0-9]{1,20}$/),
            series: z.string().regex(/^[A-Z0-9]{1,12}$/),
            firstNo: z.number().int().min(1).max(99_999_999),
            lastNo: z.number().int().min(1).max(99_999_999),
          })
          .strict()
          .refine((b) => b.lastNo >= b.firstNo, 'lastNo before firstNo'),
      )
      .max(20)
      .optional(),
  })
  .strict();
export type EnrollmentCodeInput = z.input<typeof enrollmentCodeInput>;

export interface IssuedCode {
  code: string;
  name: string;
  terminalId: string | null;
  expiresAt: string;
}

/**
 * A one-time enrollment code (only its hash is stored). With `terminalId`: it enrolls exactly that
 * terminal (a re-enrollment after a lost key or token); without: any terminal not enrolled yet.
 */
export async function issueEnrollmentCode(
  q: Queryable,
  input: EnrollmentCodeInput,
  now: Date = new Date(),
): Promise<IssuedCode> {
  const i = enrollmentCodeInput.parse(input);
  const code = newEnrollmentCode();
  const expiresAt = new Date(now.getTime() + i.ttlHours * 3_600_000).toISOString();
  await q.query(
    'INSERT INTO ho_enrollment_codes (code_hash, name, terminal_id, created_at, expires_at, books) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      codeHash(code),
      i.name,
      i.terminalId ?? null,
      now.toISOString(),
      expiresAt,
      i.books?.length ? JSON.stringify(i.books) : null,
    ],
  );
  return { code, name: i.name, terminalId: i.terminalId ?? null, expiresAt };
}

export type EnrollOutcome =
  { status: 200; body: EnrollResponse } | { status: 403 | 409; body: SyncErrorBody };

type Problem = NonNullable<SyncErrorBody['problem']>;
const refused = (status: 403 | 409, problem: Problem, message: string): EnrollOutcome => ({
  status,
  body: { error: status === 403 ? 'forbidden' : 'conflict', message, problem },
});

interface CodeRow {
  books: string | null;
  name: string;
  terminal_id: string | null;
  expires_at: Date | string;
  used_at: Date | string | null;
  used_by_terminal: string | null;
}

const iso = (t: Date | string) => (t instanceof Date ? t : new Date(t)).toISOString();

/**
 * Enrolls a terminal in ONE transaction (the code row and the terminal's row locked): checks the
 * proof, the code (known, unused, unexpired, for this terminal id or for a terminal not enrolled
 * yet), the key (a new key number starts after everything head office holds of this terminal),
 * then certifies the key, binds a new token to the terminal id and uses up the code. Never touches
 * stored events or the stored chain head.
 */
export async function enroll(
  db: HoDb,
  req: EnrollRequest,
  now: Date = new Date(),
): Promise<EnrollOutcome> {
  if (
    !verifySignature(
      req.publicKey,
      enrollMessage(req.code, req.terminalId, req.publicKey),
      req.proof,
    )
  )
    return refused(403, 'bad_proof', 'the enrollment proof does not verify with the key sent');
  const signer = await hoSigner(db);
  return db.tx(async (q) => {
    const code = (
      await q.query<CodeRow>(
        'SELECT name, terminal_id, expires_at, used_at, used_by_terminal, books FROM ho_enrollment_codes WHERE code_hash = $1 FOR UPDATE',
        [codeHash(req.code)],
      )
    )[0];
    if (!code)
      return refused(
        403,
        'code_unknown',
        'enrollment code not recognised: check it, or ask head office for a new one',
      );
    if (code.used_at !== null)
      return refused(
        403,
        'code_used',
        `this enrollment code was already used (${iso(code.used_at)}, terminal ${code.used_by_terminal}); ask head office for a new one`,
      );
    if (new Date(code.expires_at).getTime() <= now.getTime())
      return refused(
        403,
        'code_expired',
        `this enrollment code expired at ${iso(code.expires_at)}; ask head office for a new one`,
      );
    if (code.terminal_id !== null && code.terminal_id !== req.terminalId)
      return refused(
        403,
        'wrong_terminal',
        `this enrollment code is for terminal ${code.terminal_id}, not ${req.terminalId}`,
      );
    const reg = (
      await q.query<{ reg_id: string; head_seq: number; head_hash: string }>(
        'SELECT reg_id, head_seq, head_hash FROM ho_terminals WHERE terminal_id = $1 FOR UPDATE',
        [req.terminalId],
      )
    )[0];
    if (reg && code.terminal_id === null)
      return refused(
        409,
        'already_enrolled',
        `terminal ${req.terminalId} is already enrolled; head office must issue a re-enrollment code for it (enroll-code NAME --terminal-id ${req.terminalId})`,
      );
    const keys = await q.query<{ key_no: number; public_key: string; from_seq: number }>(
      'SELECT key_no, public_key, from_seq FROM ho_terminal_keys WHERE terminal_id = $1 ORDER BY key_no',
      [req.terminalId],
    );
    const same = keys.find((k) => k.key_no === req.keyNo);
    if (same) {
      if (same.public_key !== req.publicKey || same.from_seq !== req.keyFromSeq)
        return refused(
          409,
          'key_conflict',
          `key ${req.keyNo} of terminal ${req.terminalId} is already certified with another key or seq; a new key needs a new number`,
        );
    } else {
      const last = keys[keys.length - 1];
      if (last && req.keyNo < last.key_no)
        return refused(
          409,
          'key_conflict',
          `key ${req.keyNo} is older than the certified key ${last.key_no}`,
        );
      const after = Math.max(reg?.head_seq ?? 0, last?.from_seq ?? 0);
      if (req.keyFromSeq <= after)
        return refused(
          409,
          'key_conflict',
          `a new key must start after seq ${after} (head office already holds this terminal's events up to seq ${reg?.head_seq ?? 0}); it cannot vouch for them`,
        );
      const taken = await q.query(
        'SELECT terminal_id FROM ho_terminal_keys WHERE public_key = $1',
        [req.publicKey],
      );
      if (taken.length > 0)
        return refused(
          409,
          'key_conflict',
          'this public key is already certified for another terminal or number',
        );
    }
    const issuedAt = now.toISOString();
    const certificate = signer.sign(
      keyCertificateMessage({
        terminalId: req.terminalId,
        publicKey: req.publicKey,
        fromSeq: req.keyFromSeq,
        issuedAt,
      }),
    );
    await q.query(
      `INSERT INTO ho_terminal_keys (terminal_id, key_no, public_key, from_seq, certificate, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (terminal_id, key_no) DO UPDATE SET certificate = excluded.certificate, issued_at = excluded.issued_at`,
      [req.terminalId, req.keyNo, req.publicKey, req.keyFromSeq, certificate, issuedAt],
    );
    const token = newTerminalToken();
    // head office's name for the terminal is the operator's (on the code), not what it calls itself
    if (reg)
      await q.query(
        // the new token replaces (revokes) the old one; head_seq, head_hash and events stay
        'UPDATE ho_terminals SET token_hash = $2, name = $3, enrolled_at = $4 WHERE reg_id = $1',
        [reg.reg_id, hashToken(token), code.name, issuedAt],
      );
    else
      await q.query(
        'INSERT INTO ho_terminals (reg_id, name, token_hash, terminal_id, enrolled_at) VALUES ($1, $2, $3, $4, $5)',
        [randomUUID(), code.name, hashToken(token), req.terminalId, issuedAt],
      );
    await q.query(
      'UPDATE ho_enrollment_codes SET used_at = $2, used_by_terminal = $3 WHERE code_hash = $1',
      [codeHash(req.code), issuedAt, req.terminalId],
    );
    // the books named on the code go to this terminal now (its first pull brings them, signed);
    // a range taken meanwhile fails the whole enrollment (nothing written, the code stays unused)
    if (code.books) {
      const books = JSON.parse(code.books) as NonNullable<EnrollmentCodeInput['books']>;
      await upsertMaster(
        q,
        books.map((b) => ({
          kind: 'book' as const,
          data: { id: randomUUID(), terminalId: req.terminalId, ...b },
        })),
      );
    }
    const head = (
      await q.query<{ head_seq: number; head_hash: string }>(
        'SELECT head_seq, head_hash FROM ho_terminals WHERE terminal_id = $1',
        [req.terminalId],
      )
    )[0]!;
    return {
      status: 200 as const,
      body: {
        terminalId: req.terminalId,
        token,
        certificate,
        issuedAt,
        headOfficeKey: signer.publicKey,
        head: { seq: head.head_seq, hash: head.head_hash },
      },
    };
  });
}

/** Per-IP count of failed enrollments in a sliding window (in memory: one head-office process). */
export class EnrollThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly limit = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Milliseconds until this address may try again (0: it may now). */
  blockedFor(ip: string, now = Date.now()): number {
    const recent = (this.failures.get(ip) ?? []).filter((t) => t > now - this.windowMs);
    this.failures.set(ip, recent);
    return recent.length >= this.limit ? recent[0]! + this.windowMs - now : 0;
  }

  fail(ip: string, now = Date.now()): void {
    if (this.failures.size > 100_000) this.failures.clear();
    this.failures.set(ip, [...(this.failures.get(ip) ?? []), now].slice(-this.limit));
  }
}
