// The ledger's integrity as this process last found it (docs/trust.md "Checkpoints and start-up
// verification"): the start-up check from the newest checkpoint, then the full check in the
// background. An alarm refuses payments (LEDGER_ALARM, naming the first bad seq) and withholds the
// terminal key: nothing written after the alarm is signed, so new events cannot vouch for a log
// the terminal knows to be broken, and the alarm is found again at the next start.
import { rm } from 'node:fs/promises';
import type { Signer } from '@heating-cashier/core/signing';
import { readSidecar, sidecarPathOf } from '../../ledger/checkpoints';
import type { Db } from '../../ledger/db';
import { fullVerification, snapshotForVerify, type ChainReport } from '../../ledger/verify';
import { ServiceError, type ServiceContext } from '../../services/context';
import type { LogFn } from './logs';
import { terminalKeys } from './terminal-key';

export type IntegrityState = 'ok' | 'checking' | 'alarm';

/** What terminal.status and the diagnostics show. */
export interface IntegrityView {
  state: IntegrityState;
  firstBadSeq: number | null;
  problem: string | null;
  /** Which check found the alarm (or last passed). */
  source: 'startup' | 'full' | null;
  startupAt: string | null;
  startupMs: number | null;
  fullAt: string | null;
  fullMs: number | null;
  headSeq: number | null;
  warnings: string[];
}

type ReportAt = { report: ChainReport; at: string };

/** `ctx.runtime.integrity`: the newest verification results and the state they put the terminal in. */
export class LedgerIntegrity {
  private startup: ReportAt | null = null;
  private full: ReportAt | null = null;
  private running = false;
  private alarm: { report: ChainReport; source: 'startup' | 'full' } | null = null;
  private withheld: Signer | null = null;
  private fullError: string | null = null;

  get state(): IntegrityState {
    if (this.alarm) return 'alarm';
    return this.running ? 'checking' : 'ok';
  }

  /** The start-up (incremental) verify's result. */
  recordStartup(db: Db, report: ChainReport, at: Date): void {
    this.startup = { report, at: at.toISOString() };
    if (!report.ok) this.raise(db, report, 'startup');
  }

  /** A full verify started (background or ledger.verify). */
  beginFull(): void {
    this.running = true;
    this.fullError = null;
  }

  /** A full verify's result: an alarm, or — when it passed — the end of any earlier alarm. */
  recordFull(db: Db, report: ChainReport, at: Date): void {
    this.running = false;
    this.full = { report, at: at.toISOString() };
    if (!report.ok) {
      this.raise(db, report, 'full');
      return;
    }
    this.alarm = null;
    const held = this.withheld;
    // Handed back only when the chain already names it (a key loaded during the alarm was not
    // recorded: the next start records it with terminal.keyed).
    if (held && db.open && terminalKeys({ db }).some((k) => k.public_key === held.publicKey)) {
      db.cache.signer = held;
      this.withheld = null;
    }
  }

  /** The full verify could not run to its end (closing, disk): the state stays what it was. */
  fullFailed(error: unknown): void {
    this.running = false;
    this.fullError = error instanceof Error ? error.message : String(error);
  }

  private raise(db: Db, report: ChainReport, source: 'startup' | 'full'): void {
    this.alarm = { report, source };
    if (db.open && db.cache.signer) {
      this.withheld = db.cache.signer;
      db.cache.signer = null;
    }
  }

  /** Keeps the key openTerminal loaded while the alarm holds; handed back when a full verify passes. */
  holdSigner(signer: Signer): void {
    if (this.alarm) this.withheld = signer;
  }

  /** True while the alarm holds (openTerminal then loads the key without handing it to the ledger). */
  get alarmed(): boolean {
    return this.alarm !== null;
  }

  /** Refuses what must not happen on a broken ledger (taking a payment) with LEDGER_ALARM. */
  requireNoAlarm(): void {
    if (!this.alarm) return;
    throw new ServiceError('LEDGER_ALARM', {
      seq: this.alarm.report.firstBadSeq ?? 0,
      problem: (this.alarm.report.problem ?? '').slice(0, 300),
    });
  }

  /** The newest full report (ledger.verify returns a fresh one; this is the background's). */
  lastFull(): ChainReport | null {
    return this.full?.report ?? null;
  }

  view(): IntegrityView {
    const latest = this.full ?? this.startup;
    const shown = this.alarm?.report ?? latest?.report ?? null;
    const warnings = [...(shown?.warnings ?? [])];
    if (this.fullError) warnings.push(`the full verify did not finish: ${this.fullError}`);
    return {
      state: this.state,
      firstBadSeq: this.alarm?.report.firstBadSeq ?? null,
      problem: this.alarm?.report.problem ?? null,
      source: this.alarm?.source ?? (this.full ? 'full' : this.startup ? 'startup' : null),
      startupAt: this.startup?.at ?? null,
      startupMs: this.startup?.report.chainMs ?? null,
      fullAt: this.full?.at ?? null,
      fullMs: this.full ? this.full.report.chainMs + (this.full.report.replayMs ?? 0) : null,
      headSeq: shown?.headSeq ?? null,
      warnings: warnings.slice(0, 20),
    };
  }
}

export interface BackgroundVerify {
  /** The full report, or null when it was stopped or could not run. */
  readonly done: Promise<ChainReport | null>;
  /** Stops at the next step; the copy is removed. */
  stop(): Promise<void>;
}

/**
 * The full verify in the background: with ledger workers running (ctx.runtime.offload) the copy
 * and the whole check run in a worker thread; otherwise the ledger is copied with SQLite's online
 * backup (in steps, on the event loop), and the chain, signatures, checkpoints and projection replay are checked on
 * the copy in steps of `chunk` events with setImmediate between them, so the counter keeps taking
 * payments on its own connection. The copy lives beside the ledger (same protection, same disk)
 * and is removed afterwards (off the event loop: unlinking a copy of a large ledger takes a while).
 * The sidecar is read before the copy is taken, so a checkpoint written during the run cannot look
 * like deleted rows. `startAfterMs` waits first (the shells: the counter's start does not share the
 * machine with copying the whole ledger).
 */
export function startBackgroundVerify(
  ctx: ServiceContext,
  options: { log?: LogFn; chunk?: number; startAfterMs?: number } = {},
): BackgroundVerify {
  const { db } = ctx;
  const integrity = ctx.runtime.integrity;
  const sidecarPath = sidecarPathOf(db);
  let stopped = false;
  let wake: (() => void) | null = null;
  let cancelWorker: (() => void) | null = null;
  if (!sidecarPath) {
    return { done: Promise.resolve(null), stop: () => Promise.resolve() };
  }
  const copyFile = `${db.name}.verify.tmp`;
  const removeCopy = () =>
    Promise.all(
      ['', '-wal', '-shm', '-journal'].map((suffix) => rm(copyFile + suffix, { force: true })),
    );
  let waiting: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  const startAfter = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waiting = null;
        resolve();
      }, ms);
      waiting = { timer, resolve };
    });
  const tick = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      setImmediate(() => {
        wake = null;
        resolve();
      });
    });
  const run = async (): Promise<ChainReport | null> => {
    if (options.startAfterMs) {
      await startAfter(options.startAfterMs);
      if (stopped) return null;
    }
    integrity.beginFull();
    let copy: Db | null = null;
    try {
      await removeCopy();
      const sidecar = readSidecar(sidecarPath);
      const chunk = options.chunk ?? 5_000;
      let report: ChainReport | null = null;
      const offload = ctx.runtime.offload;
      if (offload) {
        // In a ledger worker: the copy is taken from its read connection and checked there.
        const job = offload.fullVerify({ terminalId: ctx.terminal.id, copyFile, sidecar, chunk });
        cancelWorker = job.cancel;
        if (stopped) job.cancel();
        report = await job.done;
      } else {
        copy = await snapshotForVerify(db, copyFile);
        if (stopped) return null;
        const steps = fullVerification(copy, ctx.terminal.id, { chunk, sidecar });
        while (!report) {
          if (stopped) {
            steps.return(undefined as never);
            return null;
          }
          const r = steps.next();
          if (r.done) report = r.value;
          else await tick();
        }
      }
      if (stopped) return null;
      if (db.open) integrity.recordFull(db, report, ctx.clock());
      options.log?.(report.ok ? 'info' : 'error', 'ledger full verify', {
        ok: report.ok,
        headSeq: report.headSeq,
        firstBadSeq: report.firstBadSeq,
        problem: report.problem,
        chainMs: report.chainMs,
        replayMs: report.replayMs,
        warnings: report.warnings,
      });
      return report;
    } catch (e) {
      integrity.fullFailed(e);
      if (!stopped)
        options.log?.('warn', 'ledger full verify did not finish', {
          error: e instanceof Error ? e.message : String(e),
        });
      return null;
    } finally {
      if (stopped) integrity.fullFailed(new Error('stopped'));
      try {
        copy?.close();
      } finally {
        await removeCopy();
      }
    }
  };
  const done = run();
  return {
    done,
    async stop() {
      stopped = true;
      const w = waiting as { timer: NodeJS.Timeout; resolve: () => void } | null;
      if (w) {
        clearTimeout(w.timer);
        w.resolve();
      }
      (wake as (() => void) | null)?.();
      (cancelWorker as (() => void) | null)?.();
      await done;
    },
  };
}
