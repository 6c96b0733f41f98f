// Head office's ingest worker threads. The CPU part of a push — parsing and validating its body,
// each event's canonical payload and recomputed hash, signing the counter payments other terminals
// pull (push-prep.ts) — runs here, so pushes from several terminals use every core instead of
// queueing on the one event loop, which keeps the database part: the terminal's row lock, the
// chain, signature, duplicate and gap checks, quarantine and the writes (store.ts ingestPush).
// A worker that fails fails its pushes with 500 (the terminal retries) and is replaced.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PreparedPush } from './push-prep';

export interface IngestJob {
  id: number;
  raw: string;
  /** Head office's private key (keys.ts HoKey.pem): the worker signs the counter payments. */
  pem: string;
}

export type IngestAnswer =
  { id: number; ok: true; value: PreparedPush } | { id: number; ok: false; error: string };

interface Slot {
  worker: Worker;
  jobs: Map<number, { resolve(v: PreparedPush): void; reject(e: Error): void }>;
}

/**
 * The default number of ingest threads: none on a machine of 2 cores or fewer — there the threads'
 * overhead (a second copy of each push's events to hand back, one more isolate to warm) costs more
 * than the event loop they relieve (bench/ho-ingest.ts measured 4,208 → 2,223 events/s for one
 * terminal and 5,825 → 2,124 for three with 2 threads, at equal load) — else one per core but one,
 * at most 4.
 */
export const defaultIngestThreads = () => {
  const cores = availableParallelism();
  return cores <= 2 ? 0 : Math.min(4, cores - 1);
};

/** The worker's entry: head office runs from its TypeScript sources, so the thread registers tsx. */
function workerEntry(): string {
  const source = new URL('./ingest-worker.ts', import.meta.url);
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  return `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`;
}

export class IngestPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {}

  /** The CPU part of one push, on the least busy worker (started on demand, up to `size`). */
  prepare(raw: string, pem: string): Promise<PreparedPush> {
    if (this.closed) return Promise.reject(new Error('ingest pool closed'));
    let slot = this.slots.reduce<Slot | null>(
      (best, s) => (best === null || s.jobs.size < best.jobs.size ? s : best),
      null,
    );
    if (!slot || (slot.jobs.size > 0 && this.slots.length < this.size)) slot = this.spawn();
    const id = this.nextId++;
    const s = slot;
    return new Promise<PreparedPush>((resolve, reject) => {
      s.jobs.set(id, { resolve, reject });
      s.worker.postMessage({ id, raw, pem } satisfies IngestJob);
    });
  }

  /**
   * Starts every worker and waits until each answers (head office's start: the first pushes do not
   * wait for a thread to load its code).
   */
  async warm(): Promise<void> {
    while (this.slots.length < this.size) this.spawn();
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<PreparedPush>((resolve, reject) => {
            const id = this.nextId++;
            s.jobs.set(id, { resolve, reject });
            s.worker.postMessage({ id, raw: '', pem: '' } satisfies IngestJob); // malformed: no key used
          }),
      ),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(workerEntry(), { eval: true });
    const slot: Slot = { worker, jobs: new Map() };
    worker.unref();
    worker.on('message', (a: IngestAnswer) => {
      const job = slot.jobs.get(a.id);
      if (!job) return;
      slot.jobs.delete(a.id);
      if (a.ok) job.resolve(a.value);
      else job.reject(new Error(`ingest worker: ${a.error}`));
    });
    const fail = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const job of slot.jobs.values()) job.reject(new Error(`ingest worker ${why}`));
      slot.jobs.clear();
    };
    worker.on('error', (e) => fail(`failed: ${e instanceof Error ? e.message : String(e)}`));
    worker.on('exit', (code) => fail(`exited (${code})`));
    this.slots.push(slot);
    return slot;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
