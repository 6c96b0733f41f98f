import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { trustEventPayloads } from '@heating-cashier/core/contract/trust-events';
import { eventPreimage, GENESIS_HASH } from '@heating-cashier/core/hash-chain';
import {
  ackMessage,
  checkpointMessage,
  eventMessage,
  keyCertificateMessage,
  type VerifySignature,
} from '@heating-cashier/core/signing';
import {
  allCheckpoints,
  latestCheckpoint,
  DIGEST_GENESIS,
  noneTouched,
  projectionDigest,
  readSidecar,
  touch,
  sidecarPathOf,
  type Checkpoint,
  type SidecarRead,
} from './checkpoints';
import { withConnectionCache, type Db } from './db';
import { rowToEvent, type EventRow } from './event-log';
import { masterRowChecks, type MasterRowProblem } from '../features/sync/master-rows.store';
import { applyEvent, PROJECTION_TABLES } from './projector';
import { sha256Hex } from './sha256';
import { createVerifier } from './signing';

/**
 * Ledger verification (docs/trust.md "Signing events", "Checkpoints and start-up verification").
 *
 * The hash chain covers every byte of every event and its predecessor, so one valid signature at
 * seq N vouches for seqs 1..N. Verification is therefore transitive: every hash, link and seq is
 * recomputed, every event after the first terminal key must carry a signature, and the signatures
 * that are checked are those of each terminal.keyed / terminal.enrolled event, each key's last
 * event at a hand-over, each checkpoint, head office's ack and the head. When one of those fails,
 * the per-event signatures are scanned from the last good checkpoint and the first seq whose own
 * signature does not verify is named.
 *
 * - `verifyFromCheckpoint`: the start-up check, from the newest checkpoint (table or sidecar).
 * - `verifyLedger`: the full check from seq 1, then the projection replay (`ledger.verify`,
 *   backups); `fullVerification` is the same as steps, for the background run at start-up.
 */

/** A signing key as the chain introduces it (terminal.keyed) and certifies it (terminal.enrolled). */
export interface KeyInForce {
  keyNo: number;
  publicKey: string;
  /** The terminal.keyed event: the first event this key signs. */
  fromSeq: number;
  reason: 'first' | 'replaced';
  /** The terminal.enrolled event with head office's certificate for this key, if any. */
  certifiedSeq: number | null;
  headOfficeKey: string | null;
}

export interface ChainReport {
  ok: boolean;
  /** Events whose hash, link and seq were recomputed (incremental: those after the checkpoint). */
  eventsChecked: number;
  headSeq: number;
  headHash: string;
  firstBadSeq: number | null;
  problem: string | null;
  mode: 'full' | 'incremental';
  /** The first seq whose hash was recomputed (1, or the checkpoint's seq + 1). */
  fromSeq: number;
  /** Ed25519 signatures verified (keys, certificates, checkpoints, ack, head, any scan). */
  signaturesChecked: number;
  checkpointsChecked: number;
  /** The keys the chain introduces, in order. */
  keys: KeyInForce[];
  /** Head office's key pinned by the latest enrollment in the chain, if any. */
  headOfficeKey: string | null;
  /** What is not an alarm but needs someone's attention (an uncertified key, a missing sidecar…). */
  warnings: string[];
  /** Time of the hash-chain phase and of the projection replay (null: not run). */
  chainMs: number;
  replayMs: number | null;
  /** The full verify's check of every master row's signature (absent: not run). */
  masterRows?: { checked: number; problems: MasterRowProblem[] };
}

/** The event columns in the order the scans read them (`.raw()` rows). */
const EVENT_COLUMNS =
  'seq, id, terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash, signature';
type RawEvent = [
  seq: number,
  id: string,
  terminalId: string,
  type: string,
  occurredAt: string,
  businessDate: string,
  clerkId: string | null,
  payload: string,
  prevHash: string,
  hash: string,
  signature: string | null,
];

const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
const TRUST_TYPES = "type IN ('terminal.keyed', 'terminal.enrolled')";

/**
 * The hash of a row over its STORED payload text. The canonical form is not re-derived here
 * (JSON.parse + canonicalJson per event would halve the speed): the ledger only ever stores the
 * canonical text it hashed, and a row whose text was replaced by another (canonical or not) with a
 * hash recomputed to match changes that hash, so the next link, the checkpoints and the head's
 * signature stop verifying; a non-canonical payload can therefore only pass with a hash the key
 * holder signed, never by editing the file.
 */
function hashOf(r: RawEvent): string {
  return sha256Hex(
    eventPreimage(
      {
        seq: r[0],
        id: r[1],
        terminalId: r[2],
        type: r[3],
        occurredAt: r[4],
        businessDate: r[5],
        clerkId: r[6],
        prevHash: r[8],
      },
      r[7],
    ),
  );
}

interface Found {
  seq: number;
  problem: string;
}

/** What a report names: a seq, or null when the problem is not an event's (a master row). */
interface Named {
  seq: number | null;
  problem: string;
}

/** The state of a walk along the chain: where it is, the keys met so far, what failed. */
class ChainScan {
  expected: number;
  prevHash: string;
  checked = 0;
  signaturesChecked = 0;
  checkpointsChecked = 0;
  readonly keys: KeyInForce[] = [];
  signedFrom: number | null = null;
  headOfficeKey: string | null = null;
  readonly warnings: string[] = [];
  /** Signatures that failed: the log at or before `seq` is not what the key signed. */
  readonly failures: Found[] = [];
  /** Seqs of checkpoints whose signature verified and whose hash the log still has. */
  readonly goodCheckpoints: number[] = [];
  last: { seq: number; hash: string; signature: string | null } | null = null;
  private replacedAfterEnrollment = new Set<number>();
  private cpIndex = 0;

  constructor(
    readonly terminalId: string,
    readonly verify: VerifySignature,
    from: { seq: number; hash: string },
    /** Checkpoint rows to meet on the way (full verify), oldest first. */
    private readonly checkpoints: readonly Checkpoint[] = [],
    /** The signature and hash of an event not walked (hand-over checks in the incremental run). */
    private readonly lookup: (
      seq: number,
    ) => { hash: string; signature: string | null } | null = () => null,
  ) {
    this.expected = from.seq + 1;
    this.prevHash = from.hash;
  }

  check(publicKey: string, message: string, signature: string | null): boolean {
    if (signature === null) return false;
    this.signaturesChecked++;
    return this.verify(publicKey, message, signature);
  }

  keyAt(seq: number): KeyInForce | null {
    for (let i = this.keys.length - 1; i >= 0; i--)
      if (this.keys[i]!.fromSeq <= seq) return this.keys[i]!;
    return null;
  }

  /** Hash, link, seq, terminal and signature presence of the next row; trust events in full. */
  step(r: RawEvent): Found | null {
    const seq = r[0];
    if (seq !== this.expected) {
      return {
        seq: Math.min(seq, this.expected),
        problem:
          seq > this.expected
            ? `seq ${this.expected} is missing (next row found is seq ${seq})`
            : `unexpected seq ${seq} (expected ${this.expected})`,
      };
    }
    if (r[8] !== this.prevHash)
      return { seq, problem: `prev_hash does not match the hash of seq ${seq - 1}` };
    if (r[2] !== this.terminalId)
      return { seq, problem: `terminal_id ${r[2]} is not this terminal` };
    let hash: string;
    try {
      hash = hashOf(r);
    } catch {
      return { seq, problem: 'row holds values the ledger never writes' };
    }
    if (hash !== r[9]) return { seq, problem: 'hash does not match the row content (row changed)' };
    const signature = r[10];
    if (r[3] === 'terminal.keyed' || r[3] === 'terminal.enrolled') {
      const bad = this.trust(r);
      if (bad) return { seq, problem: bad };
    } else if (this.signedFrom !== null) {
      if (signature === null)
        return { seq, problem: 'event is not signed (every event after the terminal key is)' };
      if (!SIGNATURE.test(signature))
        return { seq, problem: 'signature is not an Ed25519 signature (altered)' };
    }
    this.meetCheckpoints(seq, r[9]);
    this.prevHash = r[9];
    this.expected++;
    this.checked++;
    this.last = { seq, hash: r[9], signature };
    return null;
  }

  /** Checkpoint rows at this seq: signed by the key in force, naming this event's hash. */
  private meetCheckpoints(seq: number, hash: string): void {
    while (this.cpIndex < this.checkpoints.length && this.checkpoints[this.cpIndex]!.seq <= seq) {
      const cp = this.checkpoints[this.cpIndex++]!;
      if (cp.seq < 1) {
        this.failures.push({ seq: 1, problem: `checkpoint row at seq ${cp.seq} is not a seq` });
        continue;
      }
      const good = this.checkCheckpoint(cp);
      if (good && cp.hash === hash) this.goodCheckpoints.push(seq);
      else if (good)
        this.failures.push({
          seq,
          problem: `the checkpoint signed at seq ${seq} names another hash: the log was rewritten at or before seq ${seq}`,
        });
    }
  }

  /** A checkpoint's signature under the key in force at its seq; failures are recorded. */
  checkCheckpoint(cp: Checkpoint): boolean {
    this.checkpointsChecked++;
    const key = this.keyAt(cp.seq);
    const ok =
      key !== null &&
      key.keyNo === cp.keyNo &&
      cp.terminalId === this.terminalId &&
      this.check(key.publicKey, checkpointMessage(cp), cp.signature);
    if (!ok)
      this.failures.push({
        seq: cp.seq,
        problem: `the checkpoint at seq ${cp.seq} does not verify under the terminal key in force (forged or altered)`,
      });
    return ok;
  }

  /** terminal.keyed / terminal.enrolled: payload, key order, signatures, certificate. */
  trust(r: RawEvent): string | null {
    const [seq, , , type] = r;
    const hash = r[9];
    const signature = r[10];
    let payload: unknown;
    try {
      payload = JSON.parse(r[7]);
    } catch {
      return 'payload is not valid JSON';
    }
    if (type === 'terminal.keyed') {
      const p = trustEventPayloads['terminal.keyed'].safeParse(payload);
      if (!p.success) return 'terminal.keyed payload is not a key announcement';
      const { keyNo, publicKey, reason } = p.data;
      if (keyNo !== this.keys.length + 1)
        return `terminal.keyed names key ${keyNo}, the next key is ${this.keys.length + 1}`;
      if (this.keys.some((k) => k.publicKey === publicKey))
        return `terminal.keyed introduces key ${keyNo}, a key already in the chain`;
      if (!this.check(publicKey, eventMessage(hash), signature))
        return `terminal.keyed (key ${keyNo}) is not signed by the key it introduces`;
      const previous = this.keys[this.keys.length - 1];
      if (previous && seq - 1 >= previous.fromSeq) {
        // The hand-over: the old key's last event carries the old key's own signature, so the
        // history before a new key (which could be anyone's) is still vouched for by the old one.
        const before = this.last?.seq === seq - 1 ? this.last : this.lookup(seq - 1);
        if (!before || !this.check(previous.publicKey, eventMessage(before.hash), before.signature))
          this.failures.push({
            seq: seq - 1,
            problem: `seq ${seq - 1}, key ${previous.keyNo}'s last event before key ${keyNo} took over, is not signed by key ${previous.keyNo}`,
          });
      }
      if (reason === 'replaced' && this.headOfficeKey !== null)
        this.replacedAfterEnrollment.add(keyNo);
      this.keys.push({
        keyNo,
        publicKey,
        fromSeq: seq,
        reason,
        certifiedSeq: null,
        headOfficeKey: null,
      });
      this.signedFrom ??= seq;
      return null;
    }
    const p = trustEventPayloads['terminal.enrolled'].safeParse(payload);
    if (!p.success) return 'terminal.enrolled payload is not an enrollment';
    const e = p.data;
    if (e.terminalId !== this.terminalId)
      return `terminal.enrolled names terminal ${e.terminalId}, not this one`;
    const key = this.keys.find((k) => k.keyNo === e.keyNo);
    if (!key || key.publicKey !== e.publicKey || key.fromSeq !== e.fromSeq)
      return `terminal.enrolled certifies key ${e.keyNo} from seq ${e.fromSeq}, which the chain does not introduce there`;
    const certificate = keyCertificateMessage({
      terminalId: e.terminalId,
      publicKey: e.publicKey,
      fromSeq: e.fromSeq,
      issuedAt: e.issuedAt,
    });
    if (!this.check(e.headOfficeKey, certificate, e.certificate))
      return `head office's certificate for key ${e.keyNo} does not verify`;
    const signing = this.keyAt(seq);
    if (!signing || !this.check(signing.publicKey, eventMessage(hash), signature))
      this.failures.push({
        seq,
        problem: `terminal.enrolled at seq ${seq} is not signed by the terminal key in force`,
      });
    if (this.headOfficeKey !== null && this.headOfficeKey !== e.headOfficeKey)
      this.warnings.push(`head office's key changed at seq ${seq} (enrollment under another key)`);
    this.headOfficeKey = e.headOfficeKey;
    key.certifiedSeq = seq;
    key.headOfficeKey = e.headOfficeKey;
    return null;
  }

  /** The key warnings once every key of the chain has been met. */
  keyWarnings(headSeq: number): void {
    if (this.keys.length === 0 && headSeq > 0)
      this.warnings.push('no terminal key in the chain: its events are not signed');
    for (const k of this.keys) {
      if (k.reason !== 'replaced' || k.certifiedSeq !== null) continue;
      this.warnings.push(
        this.replacedAfterEnrollment.has(k.keyNo)
          ? `key ${k.keyNo} not certified by head office (it replaced key ${k.keyNo - 1} at seq ${k.fromSeq}); head office must re-enroll this terminal`
          : `key ${k.keyNo} replaced key ${k.keyNo - 1} at seq ${k.fromSeq} before enrollment; head office checks it when the terminal enrolls`,
      );
    }
  }

  /** The head's own signature under the key in force. */
  checkHead(head: { seq: number; hash: string; signature: string | null }): void {
    if (this.signedFrom === null || head.seq < this.signedFrom) return;
    const key = this.keyAt(head.seq);
    if (!key || !this.check(key.publicKey, eventMessage(head.hash), head.signature))
      this.failures.push({
        seq: head.seq,
        problem: `the head (seq ${head.seq}) is not signed by key ${key?.keyNo ?? '?'}`,
      });
  }
}

/**
 * When a signature failed at `failure.seq`: the first seq from the last good checkpoint before it
 * whose own signature does not verify (the first event the key holder did not write).
 */
function locateFirstBad(db: Db, scan: ChainScan, failure: Found, startAfter: number): Found {
  let from = Math.max(startAfter + 1, scan.signedFrom ?? Number.MAX_SAFE_INTEGER);
  for (const good of scan.goodCheckpoints) if (good < failure.seq) from = Math.max(from, good + 1);
  const rows = db
    .prepare('SELECT seq, hash, signature FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq')
    .raw(true)
    .iterate(from, failure.seq) as IterableIterator<[number, string, string | null]>;
  for (const [seq, hash, signature] of rows) {
    const key = scan.keyAt(seq);
    if (!key || !scan.check(key.publicKey, eventMessage(hash), signature)) {
      return {
        seq,
        problem: `seq ${seq} is not signed by the terminal key (key ${key?.keyNo ?? '?'}): the log was changed from here (${failure.problem})`,
      };
    }
  }
  return failure;
}

function ackColumns(db: Db): boolean {
  const cols = db.prepare('PRAGMA table_info(sync_state)').all() as { name: string }[];
  return cols.some((c) => c.name === 'ack_signature');
}

/**
 * Head office's newest signed acknowledgement (sync_state.ack_*, migration 0015): it must verify
 * under the pinned head-office key, lie at or below the head, and the log must still hold its hash
 * at its seq — history head office already holds cannot be cut off or rewritten unseen.
 */
function checkAck(
  db: Db,
  scan: ChainScan,
  head: { seq: number },
  hashAt: (seq: number) => string | null,
): Found | null {
  if (!ackColumns(db)) return null;
  const ack = db
    .prepare('SELECT ack_seq, ack_hash, ack_at, ack_signature FROM sync_state WHERE singleton = 1')
    .get() as
    | {
        ack_seq: number | null;
        ack_hash: string | null;
        ack_at: string | null;
        ack_signature: string | null;
      }
    | undefined;
  if (!ack || ack.ack_seq === null || ack.ack_seq === 0) return null;
  if (scan.headOfficeKey === null) {
    // No enrollment left in the log to pin head office's key: an ack beyond the head still means
    // the log was cut (possibly with the enrollment itself); one within it cannot be checked.
    if (ack.ack_seq > head.seq)
      return {
        seq: head.seq + 1,
        problem: `head office acknowledged seq ${ack.ack_seq} but the log ends at seq ${head.seq} and holds no enrollment: seq ${head.seq + 1}..${ack.ack_seq} were removed`,
      };
    scan.warnings.push(
      `an acknowledgement of seq ${ack.ack_seq} is stored, but no head-office key is pinned`,
    );
    return null;
  }
  const claim = {
    terminalId: scan.terminalId,
    seq: ack.ack_seq,
    hash: ack.ack_hash ?? '',
    at: ack.ack_at ?? '',
  };
  if (!scan.check(scan.headOfficeKey, ackMessage(claim), ack.ack_signature))
    return {
      seq: Math.min(ack.ack_seq, head.seq + 1),
      problem: `head office's acknowledgement of seq ${ack.ack_seq} does not verify under the pinned head-office key (altered)`,
    };
  if (ack.ack_seq > head.seq)
    return {
      seq: head.seq + 1,
      problem: `head office acknowledged seq ${ack.ack_seq} but the log ends at seq ${head.seq}: seq ${head.seq + 1}..${ack.ack_seq} were removed`,
    };
  if (hashAt(ack.ack_seq) !== ack.ack_hash) {
    scan.failures.push({
      seq: ack.ack_seq,
      problem: `the log at seq ${ack.ack_seq} differs from what head office acknowledged (rewritten)`,
    });
  }
  return null;
}

/**
 * The sidecar file against the table and the log: a sidecar newer than the table's newest row means
 * rows were deleted; one beyond the head means the log was cut.
 */
function checkSidecar(
  scan: ChainScan,
  sidecar: SidecarRead,
  tableNewest: number | null,
  head: { seq: number },
  hashAt: (seq: number) => string | null,
): Found | null {
  if (sidecar.state === 'unreadable') {
    scan.warnings.push(`the checkpoint sidecar file is unreadable (${sidecar.problem})`);
    return null;
  }
  if (sidecar.state === 'none') {
    if (tableNewest !== null)
      scan.warnings.push('the checkpoint sidecar file is missing (restored or moved ledger?)');
    return null;
  }
  const cp = sidecar.checkpoint;
  if (cp.terminalId !== scan.terminalId) {
    scan.warnings.push(`the checkpoint sidecar file belongs to terminal ${cp.terminalId}`);
    return null;
  }
  if (tableNewest !== null && cp.seq <= tableNewest) return null;
  const key = scan.keyAt(cp.seq);
  const signed =
    key !== null &&
    key.keyNo === cp.keyNo &&
    scan.check(key.publicKey, checkpointMessage(cp), cp.signature);
  scan.checkpointsChecked++;
  if (!signed)
    return {
      seq: Math.min(cp.seq, head.seq + 1),
      problem: `the checkpoint sidecar (seq ${cp.seq}) does not verify under the terminal key (forged or altered)`,
    };
  if (cp.seq > head.seq)
    return {
      seq: head.seq + 1,
      problem: `the signed checkpoint of seq ${cp.seq} (sidecar file) is beyond the log's end at seq ${head.seq}: seq ${head.seq + 1}..${cp.seq} were removed`,
    };
  if (hashAt(cp.seq) !== cp.hash) {
    scan.failures.push({
      seq: cp.seq,
      problem: `the signed checkpoint of seq ${cp.seq} (sidecar file) names another hash: the log was rewritten at or before seq ${cp.seq}`,
    });
    return null;
  }
  return {
    seq: cp.seq,
    problem: `checkpoint rows were deleted: the sidecar file names seq ${cp.seq}, the table's newest is ${tableNewest ?? 'none'}`,
  };
}

/** Projection rows that name a seq beyond the head: the log was cut after they were written. */
function projectionsBeyondHead(db: Db, headSeq: number): Found | null {
  const beyondHead = db
    .prepare(
      `SELECT max(s) AS s FROM (
         SELECT max(issued_seq) AS s FROM receipts
         UNION ALL SELECT max(voided_seq) FROM receipts WHERE voided_seq IS NOT NULL
         UNION ALL SELECT max(opened_seq) FROM shifts UNION ALL SELECT max(closed_seq) FROM shifts
         UNION ALL SELECT max(issued_seq) FROM receipt_books)`,
    )
    .get() as { s: number | null };
  return beyondHead.s !== null && beyondHead.s > headSeq
    ? {
        seq: headSeq + 1,
        problem: `seq ${headSeq + 1}..${beyondHead.s} are referenced by the projections but missing from the log`,
      }
    : null;
}

function hashAtOf(db: Db): (seq: number) => string | null {
  const q = db.prepare('SELECT hash FROM events WHERE seq = ?').pluck();
  return (seq) => (q.get(seq) as string | undefined) ?? null;
}

function report(
  scan: ChainScan,
  mode: ChainReport['mode'],
  fromSeq: number,
  head: { seq: number; hash: string },
  bad: Named | null,
  chainMs: number,
  replayMs: number | null,
): ChainReport {
  return {
    ok: bad === null,
    eventsChecked: scan.checked,
    headSeq: head.seq,
    headHash: head.hash,
    firstBadSeq: bad?.seq ?? null,
    problem: bad?.problem ?? null,
    mode,
    fromSeq,
    signaturesChecked: scan.signaturesChecked,
    checkpointsChecked: scan.checkpointsChecked,
    keys: scan.keys.map((k) => ({ ...k })),
    headOfficeKey: scan.headOfficeKey,
    warnings: [...scan.warnings],
    chainMs: Math.round(chainMs * 10) / 10,
    replayMs: replayMs === null ? null : Math.round(replayMs),
  };
}

/** The first of a structural problem and the located signature failures. */
function firstOf(
  db: Db,
  scan: ChainScan,
  structural: Found | null,
  startAfter: number,
): Found | null {
  let bad = structural;
  const failure = [...scan.failures].sort((a, b) => a.seq - b.seq)[0];
  if (failure) {
    const located = locateFirstBad(db, scan, failure, startAfter);
    if (!bad || located.seq < bad.seq) bad = located;
  }
  return bad;
}

export interface FullVerifyOptions {
  /** Yield after this many events / rows (the background run); default 5,000. */
  chunk?: number;
  /** The sidecar to check against (default `<db file>.checkpoint`); read before the run starts. */
  sidecar?: SidecarRead;
  /** Skip the projection replay (the chain phase alone, e.g. to measure it). */
  replay?: boolean;
}

/**
 * The full verify as steps: yields every `chunk` events (chain) or rows (replay) so a caller can
 * give the event loop back between them. The replay runs inside a savepoint that is rolled back;
 * nothing else may use the connection until the generator is done (run it on a copy in the
 * background: see features/terminal/integrity.ts).
 */
export function* fullVerification(
  db: Db,
  terminalId: string,
  options: FullVerifyOptions = {},
): Generator<void, ChainReport, void> {
  const chunk = options.chunk ?? 5_000;
  const sidecar = options.sidecar ?? readSidecar(sidecarPathOf(db));
  const started = performance.now();
  const checkpoints = allCheckpoints(db, terminalId);
  const scan = new ChainScan(
    terminalId,
    createVerifier(),
    { seq: 0, hash: GENESIS_HASH },
    checkpoints,
  );
  let structural: Found | null = null;
  let n = 0;
  const rows = db
    .prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY seq`)
    .raw(true)
    .iterate() as IterableIterator<RawEvent>;
  for (const r of rows) {
    structural = scan.step(r);
    if (structural) break;
    if (++n % chunk === 0) yield;
  }
  const head = { seq: scan.expected - 1, hash: scan.prevHash };
  const hashAt = hashAtOf(db);
  if (!structural) {
    scan.keyWarnings(head.seq);
    if (scan.last) scan.checkHead(scan.last);
    // Checkpoints beyond the head: the log was cut after they were signed.
    for (const cp of checkpoints.filter((c) => c.seq > head.seq)) {
      if (scan.checkCheckpoint(cp)) {
        structural = {
          seq: head.seq + 1,
          problem: `a signed checkpoint names seq ${cp.seq} but the log ends at seq ${head.seq}: seq ${head.seq + 1}..${cp.seq} were removed`,
        };
        break;
      }
    }
    const tableNewest = checkpoints.length ? checkpoints[checkpoints.length - 1]!.seq : null;
    structural ??= checkSidecar(scan, sidecar, tableNewest, head, hashAt);
    structural ??= checkAck(db, scan, head, hashAt);
  }
  let bad = firstOf(db, scan, structural, 0);
  bad ??= projectionsBeyondHead(db, head.seq);
  const chainMs = performance.now() - started;
  if (bad || options.replay === false) return report(scan, 'full', 1, head, bad, chainMs, null);

  const replayStarted = performance.now();
  const replayed = yield* replayDiffers(db, chunk, checkpoints);
  const replayMs = performance.now() - replayStarted;
  if (replayed.table) {
    // Either the projection was edited or events after the head were cut off the log.
    bad = {
      seq: head.seq + 1,
      problem: `projection ${replayed.table} differs from a replay of the log (edited, or events after seq ${head.seq} removed)`,
    };
  } else if (replayed.digest) {
    bad = replayed.digest;
  }
  if (bad) return report(scan, 'full', 1, head, bad, chainMs, replayMs);
  let named: Named | null = null;
  // Then every master row's signature (features/sync/master-rows.store.ts), ~150 µs a row.
  yield;
  const masterRows = yield* masterRowChecks(db, scan.verify, chunk);
  const first = masterRows.problems[0];
  if (first)
    named = {
      seq: null,
      problem: `master row ${first.table} ${first.key}: ${first.problem}${masterRows.problems.length > 1 ? ` (and ${masterRows.problems.length - 1} more)` : ''}`,
    };
  return { ...report(scan, 'full', 1, head, named, chainMs, replayMs), masterRows };
}

/** SHA-256 of one table's rows in its order, `chunk` rows per step. */
function* tableDigest(
  db: Db,
  table: string,
  order: string,
  chunk: number,
): Generator<void, string> {
  const h = createHash('sha256');
  let n = 0;
  for (const row of db
    .prepare(`SELECT * FROM ${table} ORDER BY ${order}`)
    .raw(true)
    .iterate() as IterableIterator<unknown[]>) {
    h.update(JSON.stringify(row));
    h.update('\n');
    if (++n % chunk === 0) yield;
  }
  return h.digest('hex');
}

/**
 * Replays the log into emptied projections inside a savepoint that is always rolled back, and
 * names the first projection table whose rows differ from the live ones (compared by digest). On
 * the way, at each checkpoint's seq, the chained money-projection digest the checkpoint signed is
 * recomputed from the replay (ledger/checkpoints.ts `projectionDigest`): a difference dates a
 * projection edit before that checkpoint.
 */
function* replayDiffers(
  db: Db,
  chunk: number,
  checkpoints: readonly Checkpoint[],
): Generator<void, { table: string | null; digest: Found | null }> {
  const live = new Map<string, string>();
  for (const { table, order } of PROJECTION_TABLES)
    live.set(table, yield* tableDigest(db, table, order, chunk));
  let digest: Found | null = null;
  db.exec('SAVEPOINT ledger_verify_replay');
  try {
    for (const { table } of [...PROJECTION_TABLES].reverse())
      db.prepare(`DELETE FROM ${table}`).run();
    const page = db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    const pageSize = Math.max(100, Math.min(Math.floor(chunk / 5), 2_000));
    let after = Number.MIN_SAFE_INTEGER;
    let cpIndex = 0;
    let previous = { seq: 0, digest: DIGEST_GENESIS };
    let touched = noneTouched();
    for (;;) {
      const rows = page.all(after, pageSize) as EventRow[];
      for (const row of rows) {
        const event = rowToEvent(row);
        applyEvent(db, event);
        touch(touched, event.payload);
        while (cpIndex < checkpoints.length && checkpoints[cpIndex]!.seq <= row.seq) {
          const cp = checkpoints[cpIndex++]!;
          if (cp.seq === row.seq && !digest) {
            if (projectionDigest(db, previous.digest, touched) !== cp.projectionDigest)
              digest = {
                seq: cp.seq,
                problem: `the money projections at the checkpoint of seq ${cp.seq} differ from a replay of the log (edited before seq ${cp.seq}, or checkpoint rows deleted since seq ${previous.seq})`,
              };
          }
          previous = { seq: cp.seq, digest: cp.projectionDigest };
          touched = noneTouched();
        }
      }
      if (rows.length < pageSize) break;
      after = rows[rows.length - 1]!.seq;
      yield;
    }
    for (const { table, order } of PROJECTION_TABLES) {
      if ((yield* tableDigest(db, table, order, chunk)) !== live.get(table))
        return { table, digest };
    }
    return { table: null, digest };
  } finally {
    db.exec('ROLLBACK TO ledger_verify_replay; RELEASE ledger_verify_replay');
  }
}

/**
 * The full verify, at once: hash chain, signatures and checkpoints from seq 1, then the projection
 * replay. Names the first bad seq.
 */
export function verifyLedger(db: Db, terminalId: string): ChainReport {
  const steps = fullVerification(db, terminalId, { chunk: Number.MAX_SAFE_INTEGER });
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The start-up verify: from the newest checkpoint (table or sidecar file, the newer wins) — its
 * signature, the event at its seq still has its hash, every event after it hashed, linked and
 * signed, the head's signature, head office's ack, no projection beyond the head. Without a
 * checkpoint it walks the chain from seq 1 (small ledgers, or the first start after the upgrade).
 * When the checkpoint itself does not hold, the chain is walked from seq 1 to name the first bad seq.
 */
export function verifyFromCheckpoint(
  db: Db,
  terminalId: string,
  sidecarPath: string | null,
): ChainReport {
  const started = performance.now();
  const latest = latestCheckpoint(db, sidecarPath);
  const hashAt = hashAtOf(db);
  const cp = latest.checkpoint;
  const fallback = (why: Found): ChainReport => {
    const full = verifyChainOnly(db, terminalId, latest.sidecar);
    if (!full.ok) return { ...full, mode: 'incremental' };
    return {
      ...full,
      ok: false,
      mode: 'incremental',
      firstBadSeq: why.seq,
      problem: why.problem,
      chainMs: Math.round((performance.now() - started) * 10) / 10,
    };
  };
  const bySeq = db.prepare('SELECT hash, signature FROM events WHERE seq = ?');
  const lookup = (seq: number) =>
    (bySeq.get(seq) as { hash: string; signature: string | null } | undefined) ?? null;
  const scan = new ChainScan(
    terminalId,
    createVerifier(),
    cp ? { seq: cp.seq, hash: cp.hash } : { seq: 0, hash: GENESIS_HASH },
    [],
    lookup,
  );

  if (cp) {
    // The keys in force up to the checkpoint, read from the trust events themselves (indexed).
    const trust = db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${TRUST_TYPES} AND seq <= ? ORDER BY seq`)
      .raw(true)
      .all(cp.seq) as RawEvent[];
    for (const r of trust) {
      let hash: string | null = null;
      try {
        hash = hashOf(r);
      } catch {
        // reported below
      }
      if (hash !== r[9])
        return fallback({
          seq: r[0],
          problem: 'hash does not match the row content (row changed)',
        });
      const bad = scan.trust(r);
      if (bad) return fallback({ seq: r[0], problem: bad });
    }
    if (!scan.checkCheckpoint(cp) || scan.failures.length > 0)
      return fallback(scan.failures[0] ?? { seq: cp.seq, problem: 'checkpoint does not verify' });
    const at = hashAt(cp.seq);
    if (at === null) {
      const headNow = db
        .prepare('SELECT coalesce(max(seq), 0) AS s FROM events')
        .pluck()
        .get() as number;
      return fallback({
        seq: headNow + 1,
        problem: `the signed checkpoint of seq ${cp.seq} (${latest.source}) is beyond the log's end at seq ${headNow}: seq ${headNow + 1}..${cp.seq} were removed`,
      });
    }
    if (at !== cp.hash)
      return fallback({
        seq: cp.seq,
        problem: `the signed checkpoint of seq ${cp.seq} names another hash: the log was rewritten at or before seq ${cp.seq}`,
      });
    if (latest.source === 'sidecar' && latest.sidecar.state === 'ok')
      return fallback({
        seq: cp.seq,
        problem: `checkpoint rows were deleted: the sidecar file names seq ${cp.seq}, the table's newest is ${latest.table?.seq ?? 'none'}`,
      });
    scan.goodCheckpoints.push(cp.seq);
    scan.last = { seq: cp.seq, hash: cp.hash, signature: lookup(cp.seq)?.signature ?? null };
  }

  let structural: Found | null = null;
  for (const r of db
    .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq`)
    .raw(true)
    .iterate(cp?.seq ?? 0) as IterableIterator<RawEvent>) {
    structural = scan.step(r);
    if (structural) break;
  }
  const head = { seq: scan.expected - 1, hash: scan.prevHash };
  if (!structural) {
    scan.keyWarnings(head.seq);
    if (scan.last) scan.checkHead(scan.last);
    // With a checkpoint the sidecar was weighed against the table above; without one, a sidecar
    // still names what the log must reach.
    structural = checkSidecar(scan, latest.sidecar, latest.table?.seq ?? null, head, hashAt);
    structural ??= checkAck(db, scan, head, hashAt);
  }
  let bad = firstOf(db, scan, structural, cp?.seq ?? 0);
  bad ??= projectionsBeyondHead(db, head.seq);
  return report(
    scan,
    'incremental',
    (cp?.seq ?? 0) + 1,
    head,
    bad,
    performance.now() - started,
    null,
  );
}

/** The chain phase of the full verify alone (no replay). */
export function verifyChainOnly(db: Db, terminalId: string, sidecar?: SidecarRead): ChainReport {
  const steps = fullVerification(db, terminalId, {
    chunk: Number.MAX_SAFE_INTEGER,
    replay: false,
    ...(sidecar ? { sidecar } : {}),
  });
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * A consistent copy of the ledger for a verify that must not hold the live connection: SQLite's
 * online backup (in steps on the event loop; changes made meanwhile through `db` reach the copy),
 * opened on its own connection.
 */
export async function snapshotForVerify(db: Db, file: string): Promise<Db> {
  await db.backup(file);
  const copy = withConnectionCache(new Database(file));
  copy.pragma('foreign_keys = ON');
  return copy;
}
