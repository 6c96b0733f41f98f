import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { eventPayloads, EventType } from '@heating-cashier/core/contract/events';
import type {
  MasterChange,
  MasterKind,
  PushAccepted,
  PushRequest,
  SyncErrorBody,
  WireEvent,
} from '@heating-cashier/core/contract/sync-wire';
import { MAX_PULL_CHANGES, normalizeMasterRecord } from '@heating-cashier/core/contract/sync-wire';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import {
  ackMessage,
  chainHeadMessage,
  eventMessage,
  masterRecordMessage,
  signatureText,
} from '@heating-cashier/core/signing';
import { isPending, TENDERS } from '@heating-cashier/core/tenders';
import { eventHash, GENESIS_HASH, type Sha256Hex } from '@heating-cashier/core/hash-chain';
import { applyTerminalChequeDecision } from './cheques';
import { checkReliefApprovals } from './approvals';
import { applyHouseholdEdits } from './households';
import { applyPinChanges } from './clerk-pins';
import type { HoDb, Queryable } from './db';
import { hoSigner, verifyMany, verifySignature, type HoKey } from './keys';
import {
  counterPayment,
  counterPaymentRows,
  recomputeHash,
  type PendingChange,
  type PushChecks,
} from './push-prep';

export { counterPayment, eventHashFromText, type PendingChange } from './push-prep';

/** An enrolled terminal as its bearer token names it: the token is bound to this terminal id. */
export interface TerminalReg {
  reg_id: string;
  name: string;
  terminal_id: string;
  head_seq: number;
  head_hash: string;
  conflict: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh terminal token (shown once at enrollment; only its hash is stored). */
export function newTerminalToken(): string {
  return `hot_${randomBytes(32).toString('base64url')}`;
}

/** The terminal a token belongs to (tokens are issued at enrollment, bound to one terminal id). */
export async function terminalByToken(db: Queryable, token: string): Promise<TerminalReg | null> {
  const rows = await db.query<TerminalReg>(
    `SELECT reg_id, name, terminal_id, head_seq, head_hash, conflict FROM ho_terminals
     WHERE token_hash = $1 AND terminal_id IS NOT NULL`,
    [hashToken(token)],
  );
  return rows[0] ?? null;
}

export type PushOutcome =
  { status: 200; body: PushAccepted } | { status: 403 | 409; body: SyncErrorBody };

interface StoredHead {
  head_seq: number;
  head_hash: string;
  conflict: string | null;
}

/** A terminal key head office certified at an enrollment: it signs from `from_seq` on. */
export interface CertifiedKey {
  key_no: number;
  public_key: string;
  from_seq: number;
}

/** A terminal's certified keys, oldest first. */
export async function certifiedKeys(q: Queryable, terminalId: string): Promise<CertifiedKey[]> {
  return q.query<CertifiedKey>(
    'SELECT key_no, public_key, from_seq FROM ho_terminal_keys WHERE terminal_id = $1 ORDER BY from_seq',
    [terminalId],
  );
}

/** The key in force at `seq`: the certified key with the latest from_seq at or before it. */
export function keyAt(keys: readonly CertifiedKey[], seq: number): CertifiedKey | null {
  let found: CertifiedKey | null = null;
  for (const k of keys) {
    if (k.from_seq > seq) break;
    found = k;
  }
  return found;
}

const fingerprint = (keys: readonly CertifiedKey[]) =>
  keys.map((k) => `${k.key_no}:${k.from_seq}:${k.public_key}`).join(',');

/** The key the pushed head names (its keyNo, else the one in force at its seq). */
const headKey = (keys: readonly CertifiedKey[], head: PushRequest['head']) =>
  head.keyNo !== null ? (keys.find((k) => k.key_no === head.keyNo) ?? null) : keyAt(keys, head.seq);

interface SignatureChecks {
  keys: string;
  /**
   * Per pushed event: its signature verified under the key in force; null when it was not checked
   * (the hash chain and a later verified signature vouch for it) or there is nothing to verify.
   */
  events: (boolean | null)[];
  head: boolean | null;
}

/** One signature to verify: the key in force at the event's seq over eventMessage(hash). */
function eventItem(
  e: Pick<WireEvent, 'seq' | 'hash' | 'signature'>,
  keys: readonly CertifiedKey[],
): { publicKey: string; message: string; signature: string } | null {
  const k = keyAt(keys, e.seq);
  return k && e.signature !== null
    ? { publicKey: k.public_key, message: eventMessage(e.hash), signature: e.signature }
    : null;
}

/**
 * The events whose signatures vouch for a run of chained events (docs/trust.md "Signing events"):
 * each terminal.keyed event (its key's self-signature), the last event under each key at a
 * hand-over, and the run's last event. The hash chain covers every byte of every event and its
 * predecessor, so these signatures authenticate every event of the run.
 */
function vouchingIndices(
  events: readonly Pick<WireEvent, 'seq' | 'type'>[],
  keys: readonly CertifiedKey[],
): number[] {
  const out: number[] = [];
  events.forEach((e, i) => {
    const next = events[i + 1];
    if (
      !next ||
      e.type === 'terminal.keyed' ||
      next.type === 'terminal.keyed' ||
      keyAt(keys, e.seq) !== keyAt(keys, next.seq)
    )
      out.push(i);
  });
  return out;
}

/**
 * Verifies, in parallel on the thread pool (CPU work before the lock), the signatures that vouch
 * for the pushed batch — not every event's: see `vouchingIndices` — and the signed head.
 */
async function verifyPush(
  req: PushRequest,
  keys: readonly CertifiedKey[],
): Promise<SignatureChecks> {
  const items: { publicKey: string; message: string; signature: string }[] = [];
  const at: number[] = req.events.map(() => -1);
  for (const i of vouchingIndices(req.events, keys)) {
    const item = eventItem(req.events[i]!, keys);
    if (item) at[i] = items.push(item) - 1;
  }
  const hk = headKey(keys, req.head);
  const headAt =
    hk && req.head.signature !== null
      ? items.push({
          publicKey: hk.public_key,
          message: chainHeadMessage({
            terminalId: req.terminalId,
            seq: req.head.seq,
            hash: req.head.hash,
          }),
          signature: req.head.signature,
        }) - 1
      : -1;
  const ok = await verifyMany(items);
  return {
    keys: fingerprint(keys),
    events: at.map((i) => (i < 0 ? null : ok[i]!)),
    head: headAt < 0 ? null : ok[headAt]!,
  };
}

/**
 * The first of `events` (a run that links and hashes) whose signature does not verify, if any:
 * the vouching signatures first (known results in `known`, by index, are reused), and only when
 * one of them fails, every signature from the start of the run up to it, to name the first seq
 * whose own signature does not verify.
 */
async function firstUnverified(
  events: readonly Pick<WireEvent, 'seq' | 'type' | 'hash' | 'signature'>[],
  keys: readonly CertifiedKey[],
  known: readonly (boolean | null)[] = [],
): Promise<{ index: number; checked: number } | null> {
  const vouching = vouchingIndices(events, keys);
  const todo = vouching.filter((i) => (known[i] ?? null) === null);
  const items = todo.map((i) => eventItem(events[i]!, keys));
  const fresh = await verifyMany(items.filter((x) => x !== null));
  let checked = fresh.length;
  const result = new Map<number, boolean>();
  let n = 0;
  todo.forEach((i, j) => {
    if (items[j]) result.set(i, fresh[n++]!);
  });
  vouching.forEach((i) => {
    const k = known[i] ?? null;
    if (k !== null) result.set(i, k);
  });
  // only events with a key in force and a signature are checked (the shape check refused the rest)
  const failed = vouching.find((i) => result.get(i) === false);
  if (failed === undefined) return null;
  const scan: number[] = [];
  const scanItems: { publicKey: string; message: string; signature: string }[] = [];
  for (let i = 0; i <= failed; i++) {
    const item = eventItem(events[i]!, keys);
    if (item) {
      scan.push(i);
      scanItems.push(item);
    }
  }
  const ok = await verifyMany(scanItems);
  checked += ok.length;
  const bad = ok.findIndex((v) => !v);
  return { index: bad < 0 ? failed : scan[bad]!, checked };
}

type Quarantinable = 'bad_signature' | 'missing_signature' | 'unknown_key';
interface SignatureProblem {
  kind: Quarantinable;
  seq: number;
  message: string;
}

/**
 * What is wrong with one event's key or the presence and form of its signature (docs/trust.md
 * "Head office"), or null. Whether the signature verifies is `badSignature`'s question, asked
 * only of the events that vouch for the others (`vouchingIndices`).
 */
function eventSignatureShape(
  e: Pick<WireEvent, 'seq' | 'type' | 'payload' | 'signature'>,
  keys: readonly CertifiedKey[],
): SignatureProblem | null {
  const introduced = keys.find((k) => k.from_seq === e.seq);
  if (e.type === 'terminal.keyed') {
    const p = e.payload as Payload<'terminal.keyed'>;
    if (!introduced || introduced.key_no !== p.keyNo || introduced.public_key !== p.publicKey)
      return {
        kind: 'unknown_key',
        seq: e.seq,
        message: `key not enrolled: seq ${e.seq} introduces key ${p.keyNo}, which head office has not certified for this terminal; enroll the terminal again with a re-enrollment code`,
      };
  } else if (introduced) {
    return {
      kind: 'unknown_key',
      seq: e.seq,
      message: `seq ${e.seq} is not the terminal.keyed event of key ${introduced.key_no}, which head office certified from that seq`,
    };
  }
  const k = keyAt(keys, e.seq);
  if (!k)
    return e.signature === null
      ? null // before the terminal's first key: the hash chain and a later signature cover it
      : {
          kind: 'unknown_key',
          seq: e.seq,
          message: `key not enrolled: seq ${e.seq} is signed, but head office holds no certified key for this terminal; enroll it`,
        };
  if (e.signature === null)
    return {
      kind: 'missing_signature',
      seq: e.seq,
      message: `seq ${e.seq} carries no signature, but key ${k.key_no} signs from seq ${k.from_seq}`,
    };
  if (!signatureText.safeParse(e.signature).success)
    return {
      kind: 'bad_signature',
      seq: e.seq,
      message: `seq ${e.seq}: the signature is not an Ed25519 signature`,
    };
  return null;
}

/** The refusal for an event whose own signature does not verify under the key in force. */
function badSignature(seq: number, keys: readonly CertifiedKey[]): SignatureProblem {
  return {
    kind: 'bad_signature',
    seq,
    message: `seq ${seq}: the signature does not verify under the terminal's key ${keyAt(keys, seq)?.key_no ?? '?'}`,
  };
}

/** What is wrong with the signed chain head of a push, or null. */
function headSignatureProblem(
  head: PushRequest['head'],
  verified: boolean | null,
  keys: readonly CertifiedKey[],
): SignatureProblem | null {
  const inForce = keyAt(keys, head.seq);
  if (head.signature === null)
    return inForce
      ? {
          kind: 'missing_signature',
          seq: head.seq,
          message: `the chain head (seq ${head.seq}) carries no signature`,
        }
      : null;
  const k = headKey(keys, head);
  if (!k)
    return {
      kind: 'unknown_key',
      seq: head.seq,
      message: `key not enrolled: the chain head is signed by key ${head.keyNo ?? '?'}, which head office has not certified for this terminal; enroll the terminal again with a re-enrollment code`,
    };
  if (k !== inForce || verified !== true)
    return {
      kind: 'bad_signature',
      seq: head.seq,
      message: `the signature of the chain head (seq ${head.seq}) does not verify under key ${k.key_no}`,
    };
  return null;
}

/**
 * Ingests one push in ONE transaction: dedupes by (terminal, seq) and event id, checks each event's
 * hash, link to the stored chain head and signature presence under the certified key in force at
 * its seq, verifies the signatures that vouch for the batch through the chain (its last event, each
 * key hand-over and terminal.keyed event) and the signed head; refuses gaps (409 + expected seq) and conflicts (409, quarantined, pushing
 * stops until an operator clears it; a key head office never certified is refused until the
 * terminal is enrolled again). Never overwrites a stored event. Answers head office's signed ack.
 */
export async function ingestPush(
  db: HoDb,
  reg: Pick<TerminalReg, 'reg_id' | 'terminal_id'>,
  req: PushRequest,
  rawBody: string,
  prepared?: PushChecks,
): Promise<PushOutcome> {
  if (req.terminalId !== reg.terminal_id)
    return forbidden(`this token belongs to terminal ${reg.terminal_id}, not ${req.terminalId}`);
  const regId = reg.reg_id;
  // CPU work before taking the terminal's row lock. On the thread pool, queued first: the
  // vouching signatures, then head office's signatures of the counter payments other terminals
  // pull (they depend only on the payloads; awaited only when the batch is written, so they overlap
  // the hashing here, the row lock and the checks; a refused batch drops them unused). Meanwhile,
  // on this thread: canonical payload text and recomputed hashes.
  // `prepared`: all of that but the signature checks was done in an ingest worker thread
  // (ingest-pool.ts), from the same body.
  const signer = await hoSigner(db);
  const keysBefore = await certifiedKeys(db, req.terminalId);
  const verifying = verifyPush(req, keysBefore);
  const payments = prepared
    ? Promise.resolve(paymentsBySeq(prepared.payments))
    : signedCounterPayments(req.events, signer);
  payments.catch(() => undefined); // a refused batch never awaits it
  const canonical = prepared?.canonical ?? req.events.map((e) => canonicalJson(e.payload));
  const hashOk =
    prepared?.hashOk ?? req.events.map((e, i) => recomputeHash(e, canonical[i]!) === e.hash);
  let checks = await verifying;
  const outcome = await db.tx(async (q) => {
    const head = (
      await q.query<StoredHead>(
        'SELECT head_seq, head_hash, conflict FROM ho_terminals WHERE reg_id = $1 FOR UPDATE',
        [regId],
      )
    )[0]!;
    if (head.conflict !== null) {
      return refuse(
        409,
        'quarantined',
        `pushes are stopped until head office resolves: ${head.conflict}`,
      );
    }
    // an enrollment may have certified a key since the signatures were checked
    const keys = await certifiedKeys(q, req.terminalId);
    if (fingerprint(keys) !== checks.keys) checks = await verifyPush(req, keys);
    const quarantine = async (kind: string, seq: number | null, detail: string) => {
      await q.query(
        'INSERT INTO ho_quarantine (reg_id, terminal_id, kind, seq, detail, body) VALUES ($1, $2, $3, $4, $5, $6)',
        [regId, req.terminalId, kind, seq, detail, rawBody],
      );
      // a gap is resent from the expected seq; a key not enrolled is cured by enrolling it
      if (kind !== 'gap' && kind !== 'unknown_key')
        await q.query('UPDATE ho_terminals SET conflict = $2 WHERE reg_id = $1', [
          regId,
          `${kind} at seq ${seq}: ${detail}`,
        ]);
    };
    const signatureRefusal = async (p: SignatureProblem) => {
      await quarantine(p.kind, p.seq, p.message);
      return refuse(409, 'conflict', p.message, p.seq >= 1 ? { conflictSeq: p.seq } : {});
    };

    const events = req.events;
    // 1. events head office already holds: identical → duplicate; different → conflict.
    const old = events.filter((e) => e.seq <= head.head_seq);
    if (old.length > 0) {
      const stored = await q.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM ho_events WHERE terminal_id = $1 AND seq BETWEEN $2 AND $3',
        [req.terminalId, old[0]!.seq, old[old.length - 1]!.seq],
      );
      const bySeq = new Map(stored.map((r) => [r.seq, r.hash]));
      for (const e of old) {
        if (bySeq.get(e.seq) !== e.hash) {
          await quarantine('conflict', e.seq, 'same seq, different hash');
          return refuse(409, 'conflict', `seq ${e.seq} differs from the event head office holds`, {
            conflictSeq: e.seq,
          });
        }
      }
    }
    const firstFresh = events.findIndex((e) => e.seq > head.head_seq);
    const fresh = firstFresh < 0 ? [] : events.slice(firstFresh);
    if (fresh.length > 0 && fresh[0]!.seq !== head.head_seq + 1) {
      await quarantine('gap', fresh[0]!.seq, `expected seq ${head.head_seq + 1}`);
      return refuse(409, 'gap', `expected seq ${head.head_seq + 1}`, {
        expectedSeq: head.head_seq + 1,
      });
    }
    // 2. every new event: link to the previous one, recomputed hash, its key, and a signature
    // present and well formed wherever the key in force requires one (no signature verified yet).
    let prev = head.head_hash;
    let sound = fresh.length;
    let structural: (() => Promise<PushOutcome>) | null = null;
    for (const [i, e] of fresh.entries()) {
      if (e.prevHash !== prev) {
        structural = async () => {
          await quarantine('bad_link', e.seq, 'prev_hash does not match the stored chain head');
          return refuse(409, 'conflict', `seq ${e.seq} does not extend the stored chain`, {
            conflictSeq: e.seq,
          });
        };
      } else if (!hashOk[firstFresh + i]) {
        structural = async () => {
          await quarantine('bad_hash', e.seq, 'hash does not match the event content');
          return refuse(409, 'conflict', `seq ${e.seq}: hash does not match its content`, {
            conflictSeq: e.seq,
          });
        };
      } else {
        const problem = eventSignatureShape(e, keys);
        if (problem) structural = () => signatureRefusal(problem);
      }
      if (structural) {
        sound = i;
        break;
      }
      prev = e.hash;
    }
    // Transitive verification (docs/trust.md "Signing events", as the terminal's ledger/verify.ts):
    // the events before `sound` link to the stored head and hash, so the signatures of their last
    // event, of the last event under each key and of each terminal.keyed event vouch for all of
    // them (a forged or altered event changes its hash and every later link, so those signatures
    // would not verify). Only when one fails are the per-event signatures scanned forward to name
    // the first seq whose own signature does not verify. A middle event whose stored signature is
    // wrong while the signatures after it verify is accepted: its content is authenticated by the
    // chain; the deep verify (GET /v1/terminals/:id/verify, signatures=all) lists such signatures.
    const unverified = await firstUnverified(
      fresh.slice(0, sound),
      keys,
      checks.events.slice(firstFresh < 0 ? events.length : firstFresh),
    );
    if (unverified) return signatureRefusal(badSignature(fresh[unverified.index]!.seq, keys));
    if (structural) return structural();
    // 3. the signed head the terminal reports (its whole ledger, also what is not sent yet).
    const headProblem = headSignatureProblem(req.head, checks.head, keys);
    if (headProblem) return signatureRefusal(headProblem);
    if (fresh.length > 0) {
      const ids = await q.query<{ id: string }>(
        'SELECT id FROM ho_events WHERE id = ANY($1::text[])',
        [fresh.map((e) => e.id)],
      );
      if (ids.length > 0) {
        const e = fresh.find((f) => f.id === ids[0]!.id)!;
        await quarantine('conflict', e.seq, `event id ${e.id} is already stored under another seq`);
        return refuse(409, 'conflict', `event id ${e.id} already stored`, { conflictSeq: e.seq });
      }
    }
    const last = fresh[fresh.length - 1];
    const ackedSeq = last ? last.seq : head.head_seq;
    const ackedHash = last ? last.hash : head.head_hash;
    await writeBatch(
      q,
      fresh,
      canonical.slice(firstFresh < 0 ? events.length : firstFresh),
      {
        regId,
        ackedSeq,
        ackedHash,
        reportedSeq: req.head.seq,
        reportedHash: req.head.hash,
        reportedSignature: req.head.signature,
        reportedKeyNo: req.head.keyNo,
      },
      signer,
      payments,
    );
    const at = new Date().toISOString();
    return {
      status: 200 as const,
      body: {
        ackedSeq,
        ackedHash,
        inserted: fresh.length,
        duplicates: old.length,
        serverTime: at,
        ack: {
          seq: ackedSeq,
          hash: ackedHash,
          at,
          signature: signer.sign(
            ackMessage({ terminalId: req.terminalId, seq: ackedSeq, hash: ackedHash, at }),
          ),
        },
      },
    };
  });
  return outcome;
}

function refuse(
  status: 403 | 409,
  error: SyncErrorBody['error'],
  message: string,
  extra: Partial<SyncErrorBody> = {},
): PushOutcome {
  return { status, body: { error, message, ...extra } };
}
const forbidden = (message: string) => refuse(403, 'forbidden', message);

const sha256Hex: Sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

type Payload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

interface BatchHead {
  regId: string;
  ackedSeq: number;
  ackedHash: string;
  reportedSeq: number;
  reportedHash: string;
  reportedSignature: string | null;
  reportedKeyNo: number | null;
}

/**
 * Writes one accepted batch: the events, their projections (receipts, lines, pending cheques) and
 * the terminal's new chain head — as ONE multi-row statement (data-modifying CTEs over one array
 * per column), so a batch of 1,000 events costs one round trip and no per-row statements. The rare
 * voids and cheque decisions follow in the same transaction, and last the change log entries other
 * counters pull, in one statement under the change counter's lock (insertChanges: held only for
 * that statement and the commit, so pushes from several terminals run side by side until then).
 * The caller holds the terminal's row lock.
 */
async function writeBatch(
  q: Queryable,
  events: WireEvent[],
  payloads: string[],
  head: BatchHead,
  signer: HoKey,
  signing: Promise<SignedPayments>,
): Promise<void> {
  const payments = await signing;
  const r = {
    id: [] as string[],
    book: [] as string[],
    label: [] as string[],
    household: [] as string[],
    date: [] as string[],
    total: [] as number[],
    seq: [] as number[],
    clerk: [] as (string | null)[],
    /** What the receipt was paid with, by tender class (core/tenders.ts). */
    cash: [] as number[],
    electronic: [] as number[],
    pending: [] as number[],
  };
  const l = {
    receipt: [] as string[],
    household: [] as string[],
    season: [] as string[],
    fen: [] as number[],
  };
  const cq = {
    receipt: [] as string[],
    position: [] as number[],
    label: [] as string[],
    household: [] as string[],
    chequeNo: [] as string[],
    bank: [] as string[],
    fen: [] as number[],
    date: [] as string[],
  };
  const changes: SignedRow[] = [];
  const voids: { receipt_id: string; seq: number }[] = [];
  const decisions: WireEvent[] = [];
  const reliefs: WireEvent[] = [];
  const householdEdits: WireEvent[] = [];
  const pinChanges: WireEvent[] = [];
  for (const e of events) {
    if (e.type === 'receipt.issued') {
      const p = e.payload as Payload<'receipt.issued'>;
      r.id.push(p.receiptId);
      r.book.push(p.bookId);
      r.label.push(p.receiptLabel);
      r.household.push(p.householdId);
      r.date.push(e.businessDate);
      r.total.push(p.totalFen);
      r.seq.push(e.seq);
      r.clerk.push(e.clerkId);
      const byClass = { cash: 0, electronic: 0, pending: 0 };
      for (const t of p.tenders) byClass[TENDERS[t.kind].class] += t.amountFen;
      r.cash.push(byClass.cash);
      r.electronic.push(byClass.electronic);
      r.pending.push(byClass.pending);
      for (const line of p.lines) {
        l.receipt.push(p.receiptId);
        l.household.push(p.householdId);
        l.season.push(line.seasonId);
        l.fen.push(line.amountFen);
      }
      changes.push(...(payments.get(e.seq) ?? []));
      p.tenders.forEach((t, position) => {
        if (!isPending(t.kind)) return;
        cq.receipt.push(p.receiptId);
        cq.position.push(position);
        cq.label.push(p.receiptLabel);
        cq.household.push(p.householdId);
        cq.chequeNo.push(t.reference ?? '');
        cq.bank.push(t.detail.bank ?? '');
        cq.fen.push(t.amountFen);
        cq.date.push(e.businessDate);
      });
    } else if (e.type === 'receipt.voided') {
      const p = e.payload as Payload<'receipt.voided'>;
      voids.push({ receipt_id: p.receiptId, seq: e.seq });
    } else if (e.type === 'cheque.cleared' || e.type === 'cheque.bounced') {
      decisions.push(e);
    } else if (e.type === 'relief.granted') {
      reliefs.push(e); // approvals re-checked against head office's clerks (approvals.ts)
    } else if (e.type === 'household.updated' || e.type === 'household.flagged') {
      householdEdits.push(e); // applied to the master households (households.ts)
    } else if (e.type === 'clerk.pin_changed') {
      pinChanges.push(e); // the clerk's new PIN replaces head office's (clerk-pins.ts)
    }
  }
  const terminalId = events[0]?.terminalId ?? null;
  await q.query(
    `WITH ev AS (
       INSERT INTO ho_events (terminal_id, seq, id, type, occurred_at, business_date, clerk_id, payload, prev_hash,
                              hash, signature)
       SELECT $1, * FROM ROWS FROM (unnest($2::bigint[]), unnest($3::text[]), unnest($4::text[]),
         unnest($5::text[]), unnest($6::text[]), unnest($7::text[]), json_array_elements_text($8::json),
         unnest($9::text[]), unnest($10::text[]), unnest($37::text[]))),
     rc AS (
       INSERT INTO ho_receipts (receipt_id, terminal_id, book_id, receipt_label, household_id, business_date,
                                total_fen, issued_seq, clerk_id, cash_fen, electronic_fen, pending_fen)
       SELECT x.id, $1, x.book, x.label, x.hh, x.day, x.total, x.seq, x.clerk, x.cash, x.electronic, x.pending
       FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::bigint[],
                   $38::text[], $39::bigint[], $40::bigint[], $41::bigint[])
         AS x(id, book, label, hh, day, total, seq, clerk, cash, electronic, pending)),
     rl AS (
       INSERT INTO ho_receipt_lines (receipt_id, household_id, season_id, amount_fen)
       SELECT * FROM unnest($18::text[], $19::text[], $20::text[], $21::bigint[])),
     cq AS (
       INSERT INTO ho_cheques (receipt_id, position, terminal_id, receipt_label, household_id, cheque_no, bank,
                               amount_fen, issued_date)
       SELECT x.id, x.pos, $1, x.label, x.hh, x.no, x.bank, x.fen, x.day
       FROM unnest($22::text[], $23::int[], $24::text[], $25::text[], $26::text[], $27::text[], $28::bigint[],
                   $29::text[]) AS x(id, pos, label, hh, no, bank, fen, day))
     UPDATE ho_terminals SET head_seq = $31, head_hash = $32, reported_seq = $33, reported_hash = $34,
            reported_signature = $35, reported_key_no = $36, last_push_at = now() WHERE reg_id = $30`,
    [
      terminalId,
      events.map((e) => e.seq),
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.occurredAt),
      events.map((e) => e.businessDate),
      events.map((e) => e.clerkId),
      JSON.stringify(payloads),
      events.map((e) => e.prevHash),
      events.map((e) => e.hash),
      r.id,
      r.book,
      r.label,
      r.household,
      r.date,
      r.total,
      r.seq,
      l.receipt,
      l.household,
      l.season,
      l.fen,
      cq.receipt,
      cq.position,
      cq.label,
      cq.household,
      cq.chequeNo,
      cq.bank,
      cq.fen,
      cq.date,
      head.regId,
      head.ackedSeq,
      head.ackedHash,
      head.reportedSeq,
      head.reportedHash,
      head.reportedSignature,
      head.reportedKeyNo,
      events.map((e) => e.signature),
      r.clerk,
      r.cash,
      r.electronic,
      r.pending,
    ],
  );
  const later: PendingChange[] = [];
  if (voids.length > 0) {
    // one statement for all voids of the batch; answers the lines to withdraw as payments elsewhere
    const voided = await q.query<{
      receipt_id: string;
      seq: number;
      household_id: string;
      season_id: string;
    }>(
      `WITH v AS (
         UPDATE ho_receipts r SET voided_seq = x.seq FROM unnest($1::text[], $2::bigint[]) AS x(receipt_id, seq)
         WHERE r.receipt_id = x.receipt_id RETURNING r.receipt_id, x.seq)
       SELECT v.receipt_id, v.seq, l.household_id, l.season_id
       FROM v JOIN ho_receipt_lines l ON l.receipt_id = v.receipt_id ORDER BY v.seq, l.season_id`,
      [voids.map((v) => v.receipt_id), voids.map((v) => v.seq)],
    );
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    for (const x of voided)
      later.push(
        counterPayment(bySeq.get(x.seq)!, x.receipt_id, x.household_id, x.season_id, 0, null),
      );
  }
  for (const e of decisions) later.push(...(await applyTerminalChequeDecision(q, e)));
  await checkReliefApprovals(q, reliefs);
  later.push(...(await applyHouseholdEdits(q, householdEdits)));
  later.push(...(await applyPinChanges(q, pinChanges)));
  // last: the change log, under the counter lock held until commit (insertChanges)
  await insertChanges(q, [
    ...changes.map((c) => ({
      kind: 'payment' as const,
      json: c.json,
      origin: terminalId,
      target: null,
      sig: c.sig,
    })),
    ...(await prepareChanges(q, later, signer)),
  ]);
}

interface SignedRow {
  json: string;
  sig: string;
}
type SignedPayments = Map<number, SignedRow[]>;

/**
 * The counter payments other terminals pull for each receipt.issued event (by seq; one per line),
 * normalised and signed by head office like all master data, on the thread pool: started before
 * the row lock, awaited by writeBatch (ingestPush).
 */
async function signedCounterPayments(
  events: readonly WireEvent[],
  signer: HoKey,
): Promise<SignedPayments> {
  const rows = counterPaymentRows(events);
  const sigs = await signer.signMany(rows.map((r) => r.message));
  return paymentsBySeq(rows.map((r, i) => [r.seq, r.json, sigs[i]!]));
}

/** The signed counter payments grouped by their receipt.issued event's seq. */
function paymentsBySeq(rows: readonly [number, string, string][]): SignedPayments {
  const out: SignedPayments = new Map();
  for (const [seq, json, sig] of rows) {
    const list = out.get(seq) ?? [];
    list.push({ json, sig });
    out.set(seq, list);
  }
  return out;
}

/** A change-log row ready to append: normalised, its JSON and head office's signature. */
interface SignedChange {
  kind: MasterKind;
  json: string;
  origin: string | null;
  target: string | null;
  sig: string;
}

/**
 * Appends to the pulled change log; seqs come from the counter row, locked until commit. Each row
 * is normalised by its kind's schema and signed by head office (masterRecordMessage).
 */
export async function appendChanges(
  q: Queryable,
  pending: PendingChange[],
  signer?: HoKey,
): Promise<void> {
  if (pending.length === 0) return;
  const rows = await prepareChanges(q, pending, signer ?? (await hoSigner(q)));
  await insertChanges(q, rows);
}

/**
 * The CPU part of appending changes, before the counter lock: normalises and signs each change,
 * and writes the payments made elsewhere they carry to ho_payments (no counter needed for that).
 */
async function prepareChanges(
  q: Queryable,
  pending: PendingChange[],
  signer: HoKey,
): Promise<SignedChange[]> {
  if (pending.length === 0) return [];
  const changes = pending.map((c) => ({ ...c, data: normalizeMasterRecord(c.kind, c.data) }));
  const sigs = await signer.signMany(changes.map((c) => masterRecordMessage(c.kind, c.data)));
  // the latest change per payment id wins (a receipt issued and voided in one batch ends at 0)
  const paymentRows = [
    ...new Map(
      changes
        .filter((c) => c.kind === 'payment' && c.data.source !== 'counter') // counter lines live in ho_receipt_lines
        .map((c) => [c.data.id as string, c.data]),
    ).values(),
  ];
  if (paymentRows.length > 0) {
    await q.query(
      `INSERT INTO ho_payments (id, household_id, season_id, amount_fen, source, origin_terminal_id, reference, paid_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, "householdId" text, "seasonId" text,
         "amountFen" bigint, source text, "originTerminalId" text, reference text, "paidAt" text)
       ON CONFLICT (id) DO UPDATE SET amount_fen = excluded.amount_fen`,
      [JSON.stringify(paymentRows)],
    );
  }
  return changes.map((c, i) => ({
    kind: c.kind,
    json: JSON.stringify(c.data),
    origin: c.origin,
    target: c.target,
    sig: sigs[i]!,
  }));
}

/**
 * Appends signed rows to the change log in ONE statement: their seqs come from the counter row,
 * whose lock is held until the transaction commits (commit order = seq order, so a pull's cursor
 * never skips a change committed later with a smaller seq). That lock serialises every writer of
 * the change log — every push of every terminal — so callers run this as the LAST statement of
 * their transaction: the lock is then held for this one insert and the commit only, and pushes
 * from several terminals overlap in everything else (hashing, checks, projections).
 */
async function insertChanges(q: Queryable, rows: readonly SignedChange[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `WITH cnt AS (
       UPDATE ho_counter SET value = value + cardinality($1::text[]) WHERE name = 'changes'
       RETURNING value)
     INSERT INTO ho_changes (seq, kind, data, origin_terminal_id, target_terminal_id, sig)
     SELECT cnt.value - cardinality($1::text[]) + x.n, x.kind, x.data, x.origin, x.target, x.sig
     FROM cnt, unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       WITH ORDINALITY AS x(kind, data, origin, target, sig, n)`,
    [
      rows.map((c) => c.kind),
      rows.map((c) => c.json),
      rows.map((c) => c.origin),
      rows.map((c) => c.target),
      rows.map((c) => c.sig),
    ],
  );
}

/**
 * Changes since `cursor` for one terminal: not its own counter payments, only its own books.
 * One statement (one snapshot) reads the change counter and the page, so when the page is short
 * the cursor can jump to the counter: every change up to it is committed (seqs are allocated
 * under the counter row lock, in commit order).
 */
export async function pullChanges(
  db: HoDb,
  terminalId: string,
  cursor: number,
  limit: number,
): Promise<{ changes: MasterChange[]; cursor: number; more: boolean }> {
  const n = Math.min(Math.max(limit, 1), MAX_PULL_CHANGES);
  const rows = await db.query<{
    head: number;
    seq: number | null;
    kind: MasterKind;
    data: string;
    sig: string | null;
  }>(
    `SELECT h.value AS head, c.seq, c.kind, c.data, c.sig
     FROM (SELECT value FROM ho_counter WHERE name = 'changes') h
     LEFT JOIN LATERAL (
       SELECT seq, kind, data, sig FROM ho_changes
       WHERE seq > $1 AND seq <= h.value
         AND (origin_terminal_id IS NULL OR origin_terminal_id <> $2)
         AND (target_terminal_id IS NULL OR target_terminal_id = $2)
       ORDER BY seq LIMIT $3) c ON true`,
    [cursor, terminalId, n],
  );
  const head = rows[0]?.head ?? cursor;
  const page = rows.filter((r) => r.seq !== null);
  const more = page.length === n;
  return {
    changes: page.map(
      (r) => ({ seq: r.seq, kind: r.kind, data: JSON.parse(r.data), sig: r.sig }) as MasterChange,
    ),
    cursor: more ? page[page.length - 1]!.seq! : Math.max(head, cursor),
    more,
  };
}

// ---- reports ------------------------------------------------------------------------------------

export interface ReconRow {
  terminal_id: string;
  business_date: string;
  book_id: string;
  receipts: number;
  voids: number;
  issued_fen: number;
  voided_fen: number;
  net_fen: number;
}

/** Totals per terminal, business day and receipt book. */
export async function reconciliation(
  db: Queryable,
  filter: { terminalId?: string; businessDate?: string } = {},
): Promise<ReconRow[]> {
  return db.query<ReconRow>(
    `SELECT terminal_id, business_date, book_id, count(*)::int AS receipts,
            count(voided_seq)::int AS voids, sum(total_fen)::bigint AS issued_fen,
            coalesce(sum(total_fen) FILTER (WHERE voided_seq IS NOT NULL), 0)::bigint AS voided_fen,
            coalesce(sum(total_fen) FILTER (WHERE voided_seq IS NULL), 0)::bigint AS net_fen
     FROM ho_receipts
     WHERE ($1::text IS NULL OR terminal_id = $1) AND ($2::text IS NULL OR business_date = $2)
     GROUP BY terminal_id, business_date, book_id ORDER BY terminal_id, business_date, book_id`,
    [filter.terminalId ?? null, filter.businessDate ?? null],
  );
}

/** Households paid more than charged for a season (e.g. two offline counters both took the fee). */
export async function overpayments(db: Queryable) {
  return db.query<{
    household_id: string;
    season_id: string;
    charge_fen: number;
    paid_fen: number;
    over_fen: number;
    receipts: string | null;
  }>(
    `WITH counter AS (
       SELECT l.household_id, l.season_id, sum(l.amount_fen - l.bounced_fen)::bigint AS fen,
              string_agg(r.receipt_label, ',' ORDER BY r.receipt_label) AS receipts
       FROM ho_receipt_lines l JOIN ho_receipts r ON r.receipt_id = l.receipt_id AND r.voided_seq IS NULL
       GROUP BY l.household_id, l.season_id),
     other AS (
       SELECT household_id, season_id, sum(amount_fen)::bigint AS fen FROM ho_payments
       WHERE source <> 'counter' GROUP BY household_id, season_id)
     SELECT c.household_id, c.season_id, c.charge_fen,
            (c.paid_before_fen + coalesce(k.fen, 0) + coalesce(o.fen, 0))::bigint AS paid_fen,
            (c.paid_before_fen + coalesce(k.fen, 0) + coalesce(o.fen, 0) - c.charge_fen)::bigint AS over_fen,
            k.receipts
     FROM ho_charges c
     LEFT JOIN counter k ON k.household_id = c.household_id AND k.season_id = c.season_id
     LEFT JOIN other o ON o.household_id = c.household_id AND o.season_id = c.season_id
     WHERE c.paid_before_fen + coalesce(k.fen, 0) + coalesce(o.fen, 0) > c.charge_fen
     ORDER BY c.household_id, c.season_id`,
  );
}

/**
 * Which stored per-event signatures head office's verify checks: every one (`all`, the default:
 * the deep check, which also names a stored signature that is wrong although later signatures
 * vouch for its event's content) or only those that vouch for the chain (`transitive`: each
 * terminal.keyed event, each key's last event at a hand-over, the chain's last event — what a push
 * verifies; when one of them fails the check falls back to `all` to name the first bad seq).
 */
export type SignatureDepth = 'all' | 'transitive';

export interface HoChainReport {
  terminalId: string;
  ok: boolean;
  eventsChecked: number;
  signaturesChecked: number;
  /** How deep the per-event signatures were checked (see SignatureDepth). */
  signatures: SignatureDepth;
  /**
   * `all`: the seqs (the first 100) whose stored signature does not verify under the key in force
   * at that seq, also those whose content a later verified signature vouches for; `transitive`: [].
   */
  badSignatureSeqs: number[];
  headSeq: number;
  headHash: string;
  reportedSeq: number;
  firstBadSeq: number | null;
  problem: string | null;
  /** Receipts recomputed from the stored events and compared with ho_receipts / ho_receipt_lines. */
  receiptsChecked: number;
  /** The first receipt (by issued seq) whose stored projection differs from its events. */
  firstBadReceipt: string | null;
  receiptProblem: string | null;
}

interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  occurred_at: string;
  business_date: string;
  clerk_id: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
  signature: string | null;
}

/**
 * Recomputes one terminal's stored chain: seq gap-free from 1, prev_hash links, hash of content,
 * each key introduced by its own terminal.keyed event, a signature wherever a certified key is in
 * force, and the signatures (every one, or those that vouch for the chain: `SignatureDepth`)
 * under the certified key in force at their seq; the last signed head; then the receipt
 * projections from the events.
 */
export async function verifyChain(
  db: Queryable,
  terminalId: string,
  options: { signatures?: SignatureDepth } = {},
): Promise<HoChainReport | null> {
  const depth = options.signatures ?? 'all';
  const reg = (
    await db.query<{
      head_seq: number;
      reported_seq: number;
      reported_hash: string | null;
      reported_signature: string | null;
      reported_key_no: number | null;
    }>(
      `SELECT head_seq, reported_seq, reported_hash, reported_signature, reported_key_no
       FROM ho_terminals WHERE terminal_id = $1`,
      [terminalId],
    )
  )[0];
  if (!reg) return null;
  const keys = await certifiedKeys(db, terminalId);
  let expected = 1;
  let prev = GENESIS_HASH;
  let signatures = 0;
  type Bad = { seq: number; problem: string; headHash: string };
  // a break in the chain, a key or a missing signature: nothing after it is vouched for
  let structural: Bad | null = null;
  // events whose own signature does not verify, in seq order (`all`: every one, up to 100 listed)
  const badSigs: { seq: number; headHash: string }[] = [];
  let badSigCount = 0;
  let lastVerified = 0; // the latest seq whose signature verified
  let last: StoredEvent | null = null; // the last sound event
  let lastChecked = false;
  const PAGE = 5000;
  while (!structural) {
    const rows = await db.query<StoredEvent>(
      `SELECT seq, id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash, signature
       FROM ho_events WHERE terminal_id = $1 AND seq >= $2 ORDER BY seq LIMIT ${PAGE}`,
      [terminalId, expected],
    );
    // the chain first (sequential), then this page's signatures (in parallel) up to a break
    const sound: StoredEvent[] = [];
    for (const r of rows) {
      let problem: string | null =
        r.seq !== expected
          ? `seq ${expected} is missing`
          : r.prev_hash !== prev
            ? 'prev_hash does not link'
            : null;
      if (!problem) {
        const payload = JSON.parse(r.payload) as Record<string, unknown>;
        problem =
          eventHash(
            {
              seq: r.seq,
              id: r.id,
              terminalId,
              type: r.type,
              occurredAt: r.occurred_at,
              businessDate: r.business_date,
              clerkId: r.clerk_id,
              payload,
              prevHash: r.prev_hash,
            },
            sha256Hex,
          ) !== r.hash
            ? 'hash does not match content'
            : (eventSignatureShape(
                { seq: r.seq, type: r.type as EventType, payload, signature: r.signature },
                keys,
              )?.message ?? null);
      }
      if (problem) {
        structural = { seq: expected, problem, headHash: prev };
        break;
      }
      sound.push(r);
      prev = r.hash;
      expected++;
    }
    if (sound.length > 0) {
      last = sound[sound.length - 1]!;
      lastChecked = false;
    }
    const checked = (
      depth === 'all'
        ? sound
        : sound.filter(
            (r) => r.type === 'terminal.keyed' || keyAt(keys, r.seq) !== keyAt(keys, r.seq + 1),
          )
    ).filter((r) => eventItem(r, keys) !== null);
    const ok = await verifyMany(checked.map((r) => eventItem(r, keys)!));
    signatures += ok.length;
    checked.forEach((r, i) => {
      if (r === last) lastChecked = true;
      if (ok[i]) lastVerified = r.seq;
      else if (badSigCount++ < 100) badSigs.push({ seq: r.seq, headHash: r.prev_hash });
    });
    if (rows.length < PAGE) break;
  }
  if (depth === 'transitive' && last && !lastChecked) {
    const item = eventItem(last, keys);
    if (item) {
      signatures++;
      if (verifySignature(item.publicKey, item.message, item.signature)) lastVerified = last.seq;
      else badSigs.push({ seq: last.seq, headHash: last.prev_hash });
    }
  }
  // a vouching signature failed: every signature, to name the first seq whose own does not verify
  if (depth === 'transitive' && badSigs.length > 0)
    return verifyChain(db, terminalId, { signatures: 'all' });
  const firstBadSig = badSigs[0];
  let bad: Bad | null = firstBadSig
    ? {
        seq: firstBadSig.seq,
        headHash: firstBadSig.headHash,
        problem:
          lastVerified > firstBadSig.seq
            ? `seq ${firstBadSig.seq}: the stored signature does not verify under the terminal's key ${keyAt(keys, firstBadSig.seq)?.key_no ?? '?'}; the event's content is still vouched for through the hash chain by the verified signature of seq ${lastVerified} (the stored signature was altered, or the terminal sent a wrong one)`
            : badSignature(firstBadSig.seq, keys).message,
      }
    : structural;
  const eventsChecked = bad ? bad.seq - 1 : expected - 1;
  if (!bad && eventsChecked !== reg.head_seq)
    bad = {
      seq: expected,
      problem: `stored head ${reg.head_seq} but chain ends at ${eventsChecked}`,
      headHash: prev,
    };
  if (!bad && reg.reported_hash !== null && reg.reported_seq >= 1) {
    const head = {
      seq: reg.reported_seq,
      hash: reg.reported_hash,
      signature: reg.reported_signature,
      keyNo: reg.reported_key_no,
    };
    const k = headKey(keys, head);
    const verified =
      k && head.signature !== null
        ? verifySignature(
            k.public_key,
            chainHeadMessage({ terminalId, seq: head.seq, hash: head.hash }),
            head.signature,
          )
        : null;
    const problem = headSignatureProblem(head, verified, keys);
    if (problem) bad = { seq: head.seq, problem: problem.message, headHash: prev };
  }
  const receipts = await verifyReceiptProjections(db, terminalId);
  return {
    terminalId,
    ok: bad === null && receipts.firstBadReceipt === null,
    eventsChecked,
    signaturesChecked: signatures,
    signatures: depth,
    badSignatureSeqs: badSigs.map((x) => x.seq),
    headSeq: reg.head_seq,
    headHash: bad?.headHash ?? prev,
    reportedSeq: reg.reported_seq,
    firstBadSeq: bad?.seq ?? null,
    // the chain's first problem, else the projections' (naming the receipt)
    problem: bad?.problem ?? receipts.receiptProblem,
    ...receipts,
  };
}

/** Each tender kind's class, `{"cash": "cash", "card": "electronic", …}` (the verify's $2). */
function tenderClasses(): Record<string, string> {
  return Object.fromEntries(Object.entries(TENDERS).map(([kind, f]) => [kind, f.class]));
}

/**
 * The receipt projections recomputed from the stored events (receipt.issued / receipt.voided) and
 * compared with ho_receipts and ho_receipt_lines: the first receipt, by issued seq, that differs.
 */
export async function verifyReceiptProjections(
  db: Queryable,
  terminalId: string,
): Promise<{
  receiptsChecked: number;
  firstBadReceipt: string | null;
  receiptProblem: string | null;
}> {
  const rows = await db.query<{
    n: number;
    label: string | null;
    seq: number | null;
    what: string | null;
  }>(
    `WITH ev AS (
       SELECT seq, type, business_date, clerk_id, payload::jsonb AS p FROM ho_events
       WHERE terminal_id = $1 AND type IN ('receipt.issued', 'receipt.voided')),
     expected AS (
       SELECT i.p->>'receiptId' AS receipt_id, i.p->>'bookId' AS book_id, i.p->>'receiptLabel' AS receipt_label,
              i.p->>'householdId' AS household_id, i.business_date, (i.p->>'totalFen')::bigint AS total_fen,
              i.seq AS issued_seq,
              (SELECT min(v.seq) FROM ev v WHERE v.type = 'receipt.voided' AND v.p->>'receiptId' = i.p->>'receiptId')
                AS voided_seq,
              i.clerk_id,
              (SELECT coalesce(sum((t->>'amountFen')::bigint) FILTER (WHERE $2::jsonb->>(t->>'kind') = 'cash'), 0)
               FROM jsonb_array_elements(i.p->'tenders') t) AS cash_fen,
              (SELECT coalesce(sum((t->>'amountFen')::bigint) FILTER (WHERE $2::jsonb->>(t->>'kind') = 'electronic'), 0)
               FROM jsonb_array_elements(i.p->'tenders') t) AS electronic_fen,
              (SELECT coalesce(sum((t->>'amountFen')::bigint) FILTER (WHERE $2::jsonb->>(t->>'kind') = 'pending'), 0)
               FROM jsonb_array_elements(i.p->'tenders') t) AS pending_fen
       FROM ev i WHERE i.type = 'receipt.issued'),
     actual AS (
       SELECT receipt_id, book_id, receipt_label, household_id, business_date, total_fen, issued_seq, voided_seq,
              clerk_id, cash_fen, electronic_fen, pending_fen
       FROM ho_receipts WHERE terminal_id = $1),
     receipt_diff AS (
       SELECT coalesce(e.receipt_label, a.receipt_label) AS label, coalesce(e.issued_seq, a.issued_seq) AS seq,
              CASE WHEN a.receipt_id IS NULL THEN 'missing from ho_receipts'
                   WHEN e.receipt_id IS NULL THEN 'in ho_receipts without a receipt.issued event'
                   ELSE 'ho_receipts.' || array_to_string(array_remove(ARRAY[
                     CASE WHEN e.book_id IS DISTINCT FROM a.book_id THEN 'book_id' END,
                     CASE WHEN e.receipt_label IS DISTINCT FROM a.receipt_label THEN 'receipt_label' END,
                     CASE WHEN e.household_id IS DISTINCT FROM a.household_id THEN 'household_id' END,
                     CASE WHEN e.business_date IS DISTINCT FROM a.business_date THEN 'business_date' END,
                     CASE WHEN e.total_fen IS DISTINCT FROM a.total_fen THEN 'total_fen' END,
                     CASE WHEN e.issued_seq IS DISTINCT FROM a.issued_seq THEN 'issued_seq' END,
                     CASE WHEN e.voided_seq IS DISTINCT FROM a.voided_seq THEN 'voided_seq' END,
                     CASE WHEN e.clerk_id IS DISTINCT FROM a.clerk_id THEN 'clerk_id' END,
                     CASE WHEN e.cash_fen IS DISTINCT FROM a.cash_fen THEN 'cash_fen' END,
                     CASE WHEN e.electronic_fen IS DISTINCT FROM a.electronic_fen THEN 'electronic_fen' END,
                     CASE WHEN e.pending_fen IS DISTINCT FROM a.pending_fen THEN 'pending_fen' END], NULL), ', ')
                   || ' differs from the events' END AS what
       FROM expected e FULL JOIN actual a ON a.receipt_id = e.receipt_id
       WHERE (e.book_id, e.receipt_label, e.household_id, e.business_date, e.total_fen, e.issued_seq, e.voided_seq,
              e.clerk_id, e.cash_fen, e.electronic_fen, e.pending_fen)
             IS DISTINCT FROM
             (a.book_id, a.receipt_label, a.household_id, a.business_date, a.total_fen, a.issued_seq, a.voided_seq,
              a.clerk_id, a.cash_fen, a.electronic_fen, a.pending_fen)),
     expected_lines AS (
       SELECT i.p->>'receiptId' AS receipt_id, i.p->>'householdId' AS household_id, l->>'seasonId' AS season_id,
              sum((l->>'amountFen')::bigint) AS amount_fen, i.p->>'receiptLabel' AS label, i.seq
       FROM ev i, jsonb_array_elements(i.p->'lines') l WHERE i.type = 'receipt.issued'
       GROUP BY 1, 2, 3, 5, 6),
     actual_lines AS (
       SELECT l.receipt_id, l.household_id, l.season_id, l.amount_fen, r.receipt_label AS label, r.issued_seq AS seq
       FROM ho_receipt_lines l JOIN ho_receipts r ON r.receipt_id = l.receipt_id WHERE r.terminal_id = $1),
     line_diff AS (
       SELECT coalesce(e.label, a.label) AS label, coalesce(e.seq, a.seq) AS seq,
              'ho_receipt_lines of season ' || coalesce(e.season_id, a.season_id) || ' differ from the events' AS what
       FROM expected_lines e FULL JOIN actual_lines a ON a.receipt_id = e.receipt_id AND a.season_id = e.season_id
       WHERE (e.household_id, e.amount_fen) IS DISTINCT FROM (a.household_id, a.amount_fen)),
     first AS (
       SELECT * FROM (SELECT * FROM receipt_diff UNION ALL SELECT * FROM line_diff) d ORDER BY seq, what LIMIT 1)
     SELECT (SELECT count(*)::int FROM expected) AS n, f.label, f.seq, f.what
     FROM (SELECT 1) one LEFT JOIN first f ON true`,
    [terminalId, JSON.stringify(tenderClasses())],
  );
  const r = rows[0]!;
  return {
    receiptsChecked: r.n,
    firstBadReceipt: r.label,
    receiptProblem: r.label === null ? null : `receipt ${r.label} (seq ${r.seq}): ${r.what}`,
  };
}
