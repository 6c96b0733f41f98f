import { MAX_PUSH_EVENTS, type PushRequest } from '@heating-cashier/core/contract/sync-wire';
import { ackMessage, chainHeadMessage } from '@heating-cashier/core/signing';
import { chainHead, type ChainHead } from '../../ledger/event-log';
import { writeCheckpoint } from '../../ledger/checkpoints';
import { createVerifier } from '../../ledger/signing';
import type { ComponentStatus } from '@heating-cashier/core/contract/commands';
import type { LedgerContext } from '../../ledger/transaction';
import type { Offload } from '../../services/offload';
import { applyChanges } from './apply';
import { fullJitterDelay } from './backoff';
import { HeadOfficeClient } from './client';
import {
  eventsAfter,
  hashAt,
  keyOf,
  oldestPendingAt,
  pendingCount,
  pinnedHeadOfficeKey,
  syncState,
  updateSyncState,
} from './store';

export interface SyncWorkerOptions {
  /** Events per push request (head office accepts up to MAX_PUSH_EVENTS). */
  batchSize?: number;
  pullPageSize?: number;
  requestTimeoutMs?: number;
  /** Pause between cycles while all is well. */
  intervalMs?: number;
  backoffBaseMs?: number;
  /** Longest full-jitter wait after head office answered with an error (it is up but refusing). */
  backoffCapMs?: number;
  /**
   * Longest full-jitter wait while head office cannot be reached at all: short, so the status bar
   * shows online again within seconds of head office returning (a probe is one small request).
   */
  offlineCapMs?: number;
  /** New events wake the sleeping worker, but never sooner than this after its last attempt. */
  wakeMinGapMs?: number;
  /** How often the sleeping worker looks for new events (one indexed read of the chain head). */
  watchMs?: number;
  /** Balances are shown "as of <time>" when the last successful pull is older than this. */
  staleAfterMs?: number;
  random?: () => number;
  fetch?: typeof fetch;
  /** The loop's timers and clock (default: the real ones); tests drive the loop in virtual time. */
  scheduler?: SyncScheduler;
  /** Called each time the loop goes to sleep: how long, and why (diagnostics, tests). */
  onSleep?: (ms: number, reason: 'interval' | 'backoff') => void;
  /**
   * Called after each cycle that reached head office (e.g. the QR feature resolves its open sales
   * by query then); must not throw and must not wait: it runs beside the loop.
   */
  onContact?: () => void;
}

/** The timers and clock the background loop uses. */
export interface SyncScheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: SyncScheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type CycleOutcome = 'ok' | 'retry' | 'stopped' | 'unconfigured';

/** The status bar's sync component (the service context's `status.sync` provider). */
export interface SyncStatus extends ComponentStatus {
  pendingEvents: number;
  lastSuccessAt: string | null;
  /** The sync worker's last request reached head office (connectivity is a real request). */
  online?: boolean;
}

/** What the sync feature uses of the service context: the ledger and the status bar's sync slot. */
export interface SyncContext extends LedgerContext {
  status?: { sync?: () => SyncStatus };
  /** The ledger workers, when running: a push's events are read and serialised there. */
  runtime?: { readonly offload: Offload | null };
}

/** The status bar's view, plus what the hand-in slip and "balance as of" need. */
export interface SyncWorkerStatus extends SyncStatus {
  online: boolean;
  oldestPendingAt: string | null;
  lastError: string | null;
  balanceAsOf: string | null;
  balanceStale: boolean;
}

const text = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const verify = createVerifier();

/**
 * The terminal's sync worker: an async loop beside the UI on the one writer connection (every
 * SQLite call is synchronous, so it never interleaves with a payment's transaction).
 * Push: unacknowledged events in seq order, batched, at-least-once. Pull: master data by cursor.
 * Never deletes local data.
 */
export class SyncWorker {
  private readonly o: Required<Omit<SyncWorkerOptions, 'fetch' | 'onSleep' | 'onContact'>> &
    Pick<SyncWorkerOptions, 'fetch' | 'onSleep' | 'onContact'>;
  private online = false;
  private failures = 0;
  private running = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** When the loop's last cycle started (scheduler time) and the chain head it saw then. */
  private lastAttemptAt = 0;
  private headAtLastAttempt = 0;

  constructor(
    private readonly ctx: SyncContext,
    options: SyncWorkerOptions = {},
  ) {
    this.o = {
      batchSize: Math.min(options.batchSize ?? 500, MAX_PUSH_EVENTS),
      pullPageSize: options.pullPageSize ?? 1000,
      requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
      intervalMs: options.intervalMs ?? 5_000,
      backoffBaseMs: options.backoffBaseMs ?? 1_000,
      backoffCapMs: options.backoffCapMs ?? 5 * 60_000,
      offlineCapMs: options.offlineCapMs ?? 15_000,
      wakeMinGapMs: options.wakeMinGapMs ?? 5_000,
      watchMs: options.watchMs ?? 1_000,
      staleAfterMs: options.staleAfterMs ?? 0, // 0: the ledger's setting (sync_state.balance_stale_minutes)
      random: options.random ?? Math.random,
      scheduler: options.scheduler ?? REAL_TIMERS,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.onSleep ? { onSleep: options.onSleep } : {}),
      ...(options.onContact ? { onContact: options.onContact } : {}),
    };
  }

  private client(): HeadOfficeClient | null {
    const s = syncState(this.ctx.db);
    if (!s.head_office_url || !s.terminal_token) return null;
    return new HeadOfficeClient({
      url: s.head_office_url,
      token: s.terminal_token,
      timeoutMs: this.o.requestTimeoutMs,
      ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
    });
  }

  private now(): string {
    return this.ctx.clock().toISOString();
  }

  private fail(message: string, stop = false): CycleOutcome {
    updateSyncState(this.ctx.db, {
      last_error: message,
      last_error_at: this.now(),
      ...(stop ? { conflict: message } : {}),
    });
    return stop ? 'stopped' : 'retry';
  }

  /**
   * Pushes until nothing is pending (bounded by the backlog), then pulls every page; then tells
   * `onContact` when head office was reached.
   */
  async cycle(): Promise<CycleOutcome> {
    const outcome = await this.pushAndPull();
    if (this.online && outcome !== 'unconfigured') this.o.onContact?.();
    return outcome;
  }

  private async pushAndPull(): Promise<CycleOutcome> {
    const client = this.client();
    if (!client) return 'unconfigured';
    if (syncState(this.ctx.db).conflict) return 'stopped';
    const push = await this.pushAll(client);
    if (push !== 'ok') return push;
    return this.pullAll(client);
  }

  private async pushAll(client: HeadOfficeClient): Promise<CycleOutcome> {
    const db = this.ctx.db;
    const maxRequests = Math.ceil(pendingCount(db) / this.o.batchSize) + 5;
    for (let i = 0; i < maxRequests; i++) {
      const acked = syncState(db).acked_seq;
      const head = chainHead(db);
      const events = await this.eventsJson(acked, head.seq);
      const res = await client.pushJson(
        Buffer.concat([
          Buffer.from(
            `{"terminalId":${JSON.stringify(this.ctx.terminal.id)},"head":${JSON.stringify(
              this.signedHead(head),
            )},"events":`,
          ),
          events,
          Buffer.from('}'),
        ]),
      );
      if (res.kind === 'network') {
        this.online = false;
        return this.fail(res.message);
      }
      this.online = true;
      updateSyncState(db, { last_contact_at: this.now() });
      if (res.kind === 'refused') {
        const b = res.body;
        if (b.error === 'gap' && b.expectedSeq !== undefined && b.expectedSeq - 1 <= head.seq) {
          // head office holds less than we thought (e.g. restored from a backup): resend from there
          updateSyncState(db, {
            acked_seq: b.expectedSeq - 1,
            acked_hash: hashAt(db, b.expectedSeq - 1),
          });
          continue;
        }
        if (res.status === 401 || res.status === 403)
          return this.fail(`terminal not authorised (${res.status}): ${b.message}`, true);
        if (res.status === 409) return this.fail(`conflict: ${b.message}`, true);
        return this.fail(`HTTP ${res.status}: ${b.message}`);
      }
      const a = res.value;
      if (a.ackedSeq > head.seq || (a.ackedSeq > 0 && hashAt(db, a.ackedSeq) !== a.ackedHash))
        return this.fail(
          `conflict: head office holds seq ${a.ackedSeq} with a hash this ledger does not have`,
          true,
        );
      // head office's signed ack, kept when it verifies under the head-office key pinned at
      // enrollment (start-up verification holds the ledger to it)
      const pinned = pinnedHeadOfficeKey(db);
      const ackOk =
        pinned !== null &&
        a.ack.seq === a.ackedSeq &&
        a.ack.hash === a.ackedHash &&
        verify(
          pinned,
          ackMessage({
            terminalId: this.ctx.terminal.id,
            seq: a.ack.seq,
            hash: a.ack.hash,
            at: a.ack.at,
          }),
          a.ack.signature,
        );
      if (pinned !== null && !ackOk)
        return this.fail(
          'conflict: head office’s acknowledgement does not verify under the head-office key pinned at enrollment',
          true,
        );
      updateSyncState(db, {
        acked_seq: a.ackedSeq,
        acked_hash: a.ackedSeq > 0 ? a.ackedHash : null,
        last_push_at: this.now(),
        server_time: a.serverTime,
        last_error: null,
        ...(ackOk
          ? {
              ack_seq: a.ack.seq,
              ack_hash: a.ack.hash,
              ack_at: a.ack.at,
              ack_signature: a.ack.signature,
            }
          : {}),
      });
      if (a.ackedSeq >= chainHead(db).seq) {
        // a signed checkpoint at every push (docs/trust.md): start-up verifies from here on. The
        // push itself succeeded: a checkpoint that cannot be written now (disk full, sidecar not
        // writable) is left to the idle timer, which retries and logs it.
        try {
          writeCheckpoint(db, this.ctx.terminal.id, this.ctx.clock());
        } catch {
          /* the idle timer's next tick writes it */
        }
        return 'ok';
      }
    }
    return 'retry'; // still behind after a bounded number of requests (new events kept arriving)
  }

  /**
   * The batch's events as JSON: read and serialised in a ledger worker when they run (up to the
   * head signed here: the same body as in-process), else here; a worker that fails: here. UTF-8
   * bytes: the batch never goes through the main thread as a string.
   */
  private async eventsJson(acked: number, headSeq: number): Promise<Uint8Array> {
    const offload = this.ctx.runtime?.offload ?? null;
    if (offload) {
      try {
        return await offload.eventsJson(acked, headSeq, this.o.batchSize);
      } catch {
        // the worker stopped: read them on this connection
      }
    }
    return Buffer.from(JSON.stringify(eventsAfter(this.ctx.db, acked, this.o.batchSize)));
  }

  /** The chain head, signed by the terminal's current key (chainHeadMessage), as a push sends it. */
  private signedHead(head: ChainHead): PushRequest['head'] {
    const signer = this.ctx.db.cache.signer;
    const key = signer ? keyOf(this.ctx.db, signer.publicKey) : null;
    if (!signer || !key || head.seq < key.from_seq)
      return { seq: head.seq, hash: head.hash, signature: null, keyNo: null };
    return {
      seq: head.seq,
      hash: head.hash,
      signature: signer.sign(
        chainHeadMessage({ terminalId: this.ctx.terminal.id, seq: head.seq, hash: head.hash }),
      ),
      keyNo: key.key_no,
    };
  }

  private async pullAll(client: HeadOfficeClient): Promise<CycleOutcome> {
    for (let page = 0; page < 10_000; page++) {
      const cursor = syncState(this.ctx.db).pull_cursor;
      const res = await client.pull(this.ctx.terminal.id, cursor, this.o.pullPageSize);
      if (res.kind === 'network') {
        this.online = false;
        return this.fail(res.message);
      }
      if (res.kind === 'refused') {
        if (res.status === 401 || res.status === 403)
          return this.fail(`terminal not authorised (${res.status}): ${res.body.message}`, true);
        return this.fail(`HTTP ${res.status}: ${res.body.message}`);
      }
      this.online = true;
      const v = res.value;
      try {
        applyChanges(this.ctx, v.changes, Math.max(cursor, v.cursor), v.serverTime);
      } catch (e) {
        return this.fail(`pull not applied: ${e instanceof Error ? e.message : String(e)}`);
      }
      updateSyncState(this.ctx.db, { last_contact_at: this.now(), last_error: null });
      if (!v.more) return 'ok';
    }
    return 'retry';
  }

  status(): SyncWorkerStatus {
    const db = this.ctx.db;
    const s = syncState(db);
    const pending = pendingCount(db);
    const lastSuccessAt =
      [s.last_push_at, s.last_pull_at]
        .filter((x): x is string => x !== null)
        .sort()
        .pop() ?? null;
    const staleAfterMs = this.o.staleAfterMs || s.balance_stale_minutes * 60_000;
    const stale =
      s.last_pull_at === null ||
      this.ctx.clock().getTime() - Date.parse(s.last_pull_at) > staleAfterMs;
    const base = {
      pendingEvents: pending,
      lastSuccessAt,
      online: this.online,
      oldestPendingAt: oldestPendingAt(db),
      lastError: s.last_error,
      balanceAsOf: s.last_pull_at,
      balanceStale: stale,
    };
    if (!s.head_office_url || !s.terminal_token)
      return {
        ...base,
        state: 'unavailable',
        detail: text('未配置总部地址或终端令牌', 'Head-office URL or terminal token not set'),
      };
    if (s.conflict) {
      const unauthorised = s.conflict.startsWith('terminal not authorised');
      const keyNotEnrolled = s.conflict.includes('key not enrolled');
      return {
        ...base,
        state: 'error',
        detail: unauthorised
          ? text(
              '终端未授权：请主管向总部索取入网码，在同步设置中重新入网',
              'Terminal not authorised: a supervisor gets an enrollment code from head office and enrolls this terminal again (sync settings)',
            )
          : keyNotEnrolled
            ? text(
                `本机签名密钥未经总部认证：请主管向总部索取本机的重新入网码，在同步设置中重新入网。${s.conflict}`,
                `This terminal's signing key is not certified by head office: a supervisor gets a re-enrollment code for this terminal and enrolls it again (sync settings). ${s.conflict}`,
              )
            : text(
                `上传被总部拒绝（已隔离）：请主管联系总部。${s.conflict}`,
                `Head office refused our events (quarantined): supervisor, call head office. ${s.conflict}`,
              ),
      };
    }
    if (!this.online)
      return {
        ...base,
        state: 'offline',
        detail: text(
          `无法连接总部，${pending} 笔待上传；收费不受影响`,
          `Head office unreachable; ${pending} events waiting. Collection goes on.`,
        ),
      };
    return {
      ...base,
      state: pending > 0 ? 'busy' : 'ready',
      detail:
        pending > 0
          ? text(`正在上传 ${pending} 笔`, `Uploading ${pending} events`)
          : text('已与总部同步', 'In step with head office'),
    };
  }

  /**
   * Starts the background loop: a cycle, then the interval when all is well, else full-jitter
   * backoff — capped at `offlineCapMs` while head office cannot be reached, at `backoffCapMs` when it
   * answers with errors. New events (a payment) wake the sleeping loop early, at most once per
   * `wakeMinGapMs` after the last attempt.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let outcome: CycleOutcome;
        this.lastAttemptAt = this.o.scheduler.now();
        try {
          this.headAtLastAttempt = chainHead(this.ctx.db).seq;
        } catch {
          /* the cycle below meets (and records) the same problem */
        }
        try {
          outcome = await this.cycle();
          if (!this.running) break;
        } catch (e) {
          if (!this.running) break; // stopped (and the ledger maybe closed) while a request was in flight
          outcome = this.fail(e instanceof Error ? e.message : String(e));
        }
        const delay =
          outcome === 'retry'
            ? fullJitterDelay(
                this.failures++,
                this.o.backoffBaseMs,
                this.online
                  ? this.o.backoffCapMs
                  : Math.min(this.o.backoffCapMs, this.o.offlineCapMs),
                this.o.random,
              )
            : ((this.failures = 0), this.o.intervalMs);
        this.o.onSleep?.(delay, outcome === 'retry' ? 'backoff' : 'interval');
        // New events wake the loop after an interval or while head office is unreachable, never
        // out of a backoff against a head office that answers with errors (that backoff stands).
        await this.sleep(delay, outcome !== 'retry' || !this.online);
      }
    })();
  }

  /** Ends the loop after the request in flight (if any); resolves when it has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Sync now (e.g. right after a payment) instead of waiting for the interval. */
  kick(): void {
    this.wake?.();
  }

  /** Events appended since the last attempt, and that attempt is at least `wakeMinGapMs` old. */
  private newEventsDue(): boolean {
    if (this.o.scheduler.now() - this.lastAttemptAt < this.o.wakeMinGapMs) return false;
    try {
      return chainHead(this.ctx.db).seq > this.headAtLastAttempt;
    } catch {
      return false; // the ledger is closing: the sleep ends by its timer or stop()
    }
  }

  /** Sleeps `ms`, or less: kick(), stop(), or (`watchEvents`) new events once `wakeMinGapMs` has passed. */
  private sleep(ms: number, watchEvents: boolean): Promise<void> {
    const timers = this.o.scheduler;
    return new Promise((resolve) => {
      let watch: unknown = null;
      const done = () => {
        timers.clearTimeout(sleeping);
        if (watch !== null) timers.clearTimeout(watch);
        watch = null;
        this.wake = null;
        resolve();
      };
      const sleeping = timers.setTimeout(done, ms);
      const look = () => {
        watch = null;
        if (this.newEventsDue()) done();
        else watch = timers.setTimeout(look, this.o.watchMs);
      };
      if (watchEvents && this.o.watchMs > 0 && this.o.watchMs < ms)
        watch = timers.setTimeout(look, this.o.watchMs);
      this.wake = done;
    });
  }

  /**
   * Cycles (with full-jitter backoff between failures) until everything is pushed and pulled, or
   * the bounds run out. For shutdown, the hand-in and tests: it stops by itself.
   */
  async drain(bounds: { maxCycles: number; deadlineMs: number }): Promise<{
    done: boolean;
    cycles: number;
    outcome: CycleOutcome;
  }> {
    const until = Date.now() + bounds.deadlineMs;
    let outcome: CycleOutcome = 'retry';
    let cycles = 0;
    let failures = 0;
    while (cycles < bounds.maxCycles && Date.now() < until) {
      cycles++;
      outcome = await this.cycle();
      if (outcome === 'ok' && pendingCount(this.ctx.db) === 0)
        return { done: true, cycles, outcome };
      if (outcome === 'stopped' || outcome === 'unconfigured') break;
      if (outcome === 'retry')
        await new Promise((r) =>
          setTimeout(
            r,
            fullJitterDelay(failures++, this.o.backoffBaseMs, this.o.backoffCapMs, this.o.random),
          ),
        );
    }
    return { done: false, cycles, outcome };
  }
}

/** Registers the worker as the status bar's sync provider and starts it. */
export function startSyncWorker(ctx: SyncContext, options: SyncWorkerOptions = {}): SyncWorker {
  const worker = new SyncWorker(ctx, options);
  ctx.status = { ...ctx.status, sync: () => worker.status() };
  worker.start();
  return worker;
}
