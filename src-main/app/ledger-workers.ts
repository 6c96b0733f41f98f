// The ledger workers: a small pool of worker threads (node:worker_threads), each with its own
// read-only connection on the terminal's ledger file, that run the heavy read-only work — reports,
// exports, the dunning list, the backup copy, a backup's inspection, the full verify — so the main
// thread (the one writer connection: search, payment, printing) never waits for it. Installed as
// `ctx.runtime.offload` by startRuntime (both shells); `dispatch` routes the commands listed in
// api/off-thread.ts here. A worker that dies fails its jobs with WORKER_FAILED (never a hang) and
// is replaced; an idle worker ends after `idleMs` (its memory goes back) and starts again on demand.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { commandError, type Result } from '@heating-cashier/core/contract/errors';
import { TabularError, type Table } from '@heating-cashier/core/tabular';
import type { ServiceContext } from '../services/context';
import type { FullVerifyJob, Offload } from '../services/offload';
import type { Inspection } from '../features/backup/backup.store';
import type { LogFn } from '../features/terminal/logs';
import type { ChainReport } from '../ledger/verify';
import type { FromWorker, LedgerWorkerData, ToWorker } from './ledger-worker-protocol';

/**
 * Set by scripts/build-electron.mjs (esbuild `define`): where the bundled worker entry is,
 * relative to this source file's path (the bundle maps every module's import.meta.url to its
 * source path under the app root). Undefined when running from source (tsx, vitest).
 */
declare const __LEDGER_WORKER_BUNDLE__: string | undefined;

export interface LedgerWorkersOptions {
  /**
   * Worker threads at most for commands, import files and sync pushes (default 2); the long
   * background jobs (backup copy and check, the full verify) have their own lane of one more, so a
   * report never queues behind a backup.
   */
  size?: number;
  /** An idle worker ends after this long (default 60 s). */
  idleMs?: number;
  log?: LogFn;
}

class WorkerDied extends Error {}

interface Job {
  resolve(value: unknown): void;
  reject(error: Error): void;
  label: string;
}

/** Which jobs a worker takes: the clerks' (commands) or the long background ones. */
type Lane = 'commands' | 'background';

interface Slot {
  lane: Lane;
  worker: Worker;
  threadId: number;
  ready: boolean;
  jobs: Map<number, Job>;
  idle: NodeJS.Timeout | null;
  ending: boolean;
}

function workerStart(): { entry: URL | string; eval: boolean } {
  if (typeof __LEDGER_WORKER_BUNDLE__ === 'string')
    return { entry: new URL(__LEDGER_WORKER_BUNDLE__, import.meta.url), eval: false };
  const source = new URL('./ledger-worker.ts', import.meta.url);
  // From source (tsx, vitest): the worker registers tsx itself, then loads the TypeScript entry
  // (Node 20 does not hand a parent's --import loader on to a worker thread).
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  return {
    entry: `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`,
    eval: true,
  };
}

export class LedgerWorkers implements Offload {
  /** 'spawn' (threadId), 'started' (job id, label, threadId), 'exit' (threadId, crashed: boolean). */
  readonly events = new EventEmitter();
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private stopped = false;
  private readonly size: number;
  private readonly idleMs: number;
  private readonly log: LogFn;

  constructor(
    private readonly ctx: ServiceContext,
    options: LedgerWorkersOptions = {},
  ) {
    this.size = Math.max(1, options.size ?? 2);
    this.idleMs = options.idleMs ?? 60_000;
    this.log = options.log ?? ((level, message, data) => ctx.log?.(level, message, data));
  }

  /** What a worker starts from: the bundled entry's URL, or the TypeScript source's (tsx). */
  get entry(): string {
    const start = workerStart();
    return start.eval ? this.source : String(start.entry);
  }

  private readonly source = new URL('./ledger-worker.ts', import.meta.url).href;

  /** The worker threads running now (their threadIds). */
  threadIds(): number[] {
    return this.slots.filter((s) => !s.ending).map((s) => s.threadId);
  }

  /** Ends one worker as a crash would (its jobs fail with WORKER_FAILED); for tests and drills. */
  async kill(threadId: number): Promise<void> {
    const slot = this.slots.find((s) => s.threadId === threadId);
    await slot?.worker.terminate();
  }

  private spawn(lane: Lane): Slot {
    const start = workerStart();
    const workerData: LedgerWorkerData = { dbFile: this.ctx.db.name };
    const worker = new Worker(start.entry, { eval: start.eval, workerData });
    const slot: Slot = {
      lane,
      worker,
      threadId: worker.threadId,
      ready: false,
      jobs: new Map(),
      idle: null,
      ending: false,
    };
    worker.unref();
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    worker.on('error', (e) => {
      this.log('error', 'ledger worker failed', {
        threadId: slot.threadId,
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      });
    });
    worker.on('exit', (code) => this.onExit(slot, code));
    this.slots.push(slot);
    this.events.emit('spawn', slot.threadId);
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        return;
      case 'log':
        this.log(message.level, message.message, { ...message.data, worker: slot.threadId });
        return;
      case 'pdf':
        void this.renderPdf(slot, message.id, message.html);
        return;
      case 'started':
        this.events.emit('started', message.id, slot.jobs.get(message.id)?.label, slot.threadId);
        return;
      default: {
        const job = slot.jobs.get(message.id);
        if (!job) return;
        slot.jobs.delete(message.id);
        if (message.type === 'result') job.resolve(message.value);
        else if (message.name === 'TabularError') job.reject(new TabularError(message.message));
        else job.reject(Object.assign(new Error(message.message), { stack: message.stack }));
        this.idleLater(slot);
      }
    }
  }

  private async renderPdf(slot: Slot, id: number, html: string): Promise<void> {
    const reply = (m: Extract<ToWorker, { type: 'pdfResult' }>) => {
      if (!slot.ending) slot.worker.postMessage(m);
    };
    const renderer = this.ctx.runtime.documents.pdf;
    try {
      if (!renderer) throw new Error('no PDF adapter');
      reply({ type: 'pdfResult', id, bytes: await renderer.htmlToPdf(html) });
    } catch (e) {
      reply({ type: 'pdfResult', id, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private onExit(slot: Slot, code: number): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (slot.idle) clearTimeout(slot.idle);
    const crashed = !slot.ending;
    this.events.emit('exit', slot.threadId, crashed);
    if (!crashed) return;
    this.log('error', 'ledger worker stopped', {
      threadId: slot.threadId,
      code,
      jobs: [...slot.jobs.values()].map((j) => j.label),
    });
    for (const job of slot.jobs.values()) job.reject(new WorkerDied(`worker exited (${code})`));
    slot.jobs.clear();
    // Restarted at once (warm for the next report), unless it died before it was ready (a ledger it
    // cannot open): then the next job tries again, so a broken start cannot loop.
    if (!this.stopped && slot.ready) this.spawn(slot.lane);
  }

  private idleLater(slot: Slot): void {
    if (slot.jobs.size > 0 || slot.ending) return;
    slot.worker.unref(); // an idle worker does not keep the process alive
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      if (slot.jobs.size > 0) return;
      slot.ending = true;
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idle.unref();
  }

  /** The lane's least busy worker, a new one while fewer than its size run and all are busy. */
  private pick(lane: Lane): Slot {
    const live = this.slots.filter((s) => !s.ending && s.lane === lane);
    const free = live.find((s) => s.jobs.size === 0);
    if (free) return free;
    if (live.length < (lane === 'commands' ? this.size : 1)) return this.spawn(lane);
    return live.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  private run<T>(
    message: ToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never,
    label: string,
    lane: Lane = 'commands',
  ): { id: number; slot: Slot; promise: Promise<T> } {
    if (this.stopped) throw new WorkerDied('ledger workers stopped');
    const slot = this.pick(lane);
    if (slot.idle) {
      clearTimeout(slot.idle);
      slot.idle = null;
    }
    slot.worker.ref(); // a job under way does
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      slot.jobs.set(id, { resolve: (v) => resolve(v as T), reject, label });
    });
    slot.worker.postMessage({ ...message, id } as ToWorker);
    return { id, slot, promise };
  }

  async dispatch(
    ctx: ServiceContext,
    name: string,
    input: unknown,
    connection: string,
  ): Promise<Result<unknown>> {
    try {
      return await this.run<Result<unknown>>(
        {
          type: 'dispatch',
          name,
          input,
          connection,
          now: ctx.clock().toISOString(),
          terminal: { ...ctx.terminal },
          pdf: ctx.runtime.documents.pdf !== null,
        },
        name,
      ).promise;
    } catch (e) {
      const ref = randomBytes(4).toString('hex');
      this.log('error', 'command failed in a ledger worker', {
        ref,
        command: name,
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      });
      return {
        ok: false,
        error:
          e instanceof WorkerDied
            ? commandError('WORKER_FAILED', { ref })
            : commandError('INTERNAL', { ref }),
      };
    }
  }

  writeBackupFile(target: string): Promise<{ bytes: number; sha256: string }> {
    return this.run<{ bytes: number; sha256: string }>(
      { type: 'backup', target },
      'backup',
      'background',
    ).promise;
  }

  inspectBackup(
    file: string,
    options: { workDir: string; migrationsDir?: string; expectedSha256?: string | null },
  ): Promise<Inspection> {
    return this.run<Inspection>({ type: 'inspect', file, options }, 'backup.inspect', 'background')
      .promise;
  }

  eventsJson(afterSeq: number, upToSeq: number, limit: number): Promise<Uint8Array> {
    return this.run<Uint8Array>({ type: 'events', afterSeq, upToSeq, limit }, 'sync.events')
      .promise;
  }

  /**
   * A PASSIVE WAL checkpoint from a worker's own connection while a worker is running anyway (heavy
   * work under way: the disk is busy and the copy's fsync would hold the counter's thread), else
   * null: the caller checkpoints on its own connection (an idle counter, no worker started for it).
   */
  walCheckpoint(): Promise<unknown> | null {
    if (this.stopped || !this.slots.some((s) => !s.ending && s.lane === 'commands')) return null;
    return this.run<unknown>({ type: 'walCheckpoint' }, 'wal.checkpoint').promise;
  }

  readTabular(format: 'csv' | 'xlsx', bytes: Buffer): Promise<Table> {
    return this.run<Table>({ type: 'tabular', format, bytes }, 'import.read').promise;
  }

  fullVerify(request: {
    terminalId: string;
    copyFile: string;
    sidecar: Parameters<Offload['fullVerify']>[0]['sidecar'];
    chunk: number;
  }): FullVerifyJob {
    const job = this.run<ChainReport>({ type: 'verify', ...request }, 'verify', 'background');
    return {
      done: job.promise,
      cancel: () => {
        if (!job.slot.ending) job.slot.worker.postMessage({ type: 'cancel', id: job.id });
      },
    };
  }

  /** Ends every worker; jobs still running fail (WORKER_FAILED), nothing waits. */
  async stop(): Promise<void> {
    this.stopped = true;
    const slots = [...this.slots];
    for (const slot of slots) {
      slot.ending = true;
      if (slot.idle) clearTimeout(slot.idle);
      for (const job of slot.jobs.values()) job.reject(new WorkerDied('ledger workers stopped'));
      slot.jobs.clear();
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
