// A ledger worker: one worker thread with its own READ-ONLY connection on the terminal's ledger
// file (WAL: it never blocks the writer on the main thread, nor the writer it). It runs what the
// main thread hands it (src-main/app/ledger-workers.ts): a command through the same `dispatch`
// (contract validation, handler, output check), the backup copy, a backup's inspection, and the
// full verify. Nothing here writes to the ledger.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { TerminalIdentity, ServiceContext } from '../services/context';
import { openDatabase, type Db } from '../ledger/db';
import { openCheckpointer, type Checkpointer } from '../ledger/checkpoint';
import { fullVerification, snapshotForVerify, type ChainReport } from '../ledger/verify';
import { inspectBackup, writeBackupFile } from '../features/backup/backup.store';
import type { PdfRenderer } from '../devices/pdf/port';
import { dispatch } from '../api/dispatch';
import { readTabular } from '../features/import/tabular';
import { eventsAfter } from '../features/sync/sync-state.store';
import { createTerminalRuntime } from './terminal-runtime';
import type { ToWorker, FromWorker, LedgerWorkerData } from './ledger-worker-protocol';

const port = parentPort;
if (!port) throw new Error('ledger-worker.ts runs as a worker thread only');
const data = workerData as LedgerWorkerData;

const post = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
const log = (level: 'error' | 'warn' | 'info', message: string, extra?: Record<string, unknown>) =>
  post({ type: 'log', level, message, ...(extra ? { data: extra } : {}) });

const db: Db = openDatabase(data.dbFile, { readonly: true });

let now = new Date();
const ctx: ServiceContext = {
  db,
  terminal: { id: '', name: '', timeZone: 'Asia/Shanghai', isDemo: false },
  clock: () => now,
  log,
  runtime: createTerminalRuntime(),
};

// PDF pages are rendered by the main thread's adapter (Chromium or Electron's printToPDF): the
// worker sends the finished HTML and waits for the bytes.
let nextPdf = 1;
const pdfWaiting = new Map<
  number,
  { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }
>();
const pdfThroughMain: PdfRenderer = {
  name: 'main thread',
  htmlToPdf: (html) =>
    new Promise((resolve, reject) => {
      const id = nextPdf++;
      pdfWaiting.set(id, { resolve, reject });
      post({ type: 'pdf', id, html });
    }),
  close: () => Promise.resolve(),
};

const cancelled = new Set<number>();

// Commands run one at a time on this connection: each holds its read transaction (one snapshot)
// across its awaits (an Excel file's packing, a PDF), and a second BEGIN inside it would fail. The
// pool sends a job to a busy worker when all are busy (a report beside an export, a checkpoint).
let commandsDone: Promise<unknown> = Promise.resolve();
function oneCommandAtATime<T>(run: () => Promise<T>): Promise<T> {
  const next = commandsDone.then(run, run);
  commandsDone = next.catch(() => undefined);
  return next;
}

// The one statement this worker runs that is not read-only: a PASSIVE WAL checkpoint (it copies
// committed pages from the WAL into the database file; it never waits for readers, never blocks
// the writer and changes no row), on a connection of its own opened for nothing else, so the copy
// and its fsync do not run on the counter's thread.
let checkpointer: Checkpointer | null = null;
function walCheckpoint(): unknown {
  checkpointer ??= openCheckpointer(data.dbFile);
  return checkpointer.passive();
}

async function runVerify(
  id: number,
  request: Extract<ToWorker, { type: 'verify' }>,
): Promise<ChainReport> {
  const copy = await snapshotForVerify(db, request.copyFile);
  try {
    const steps = fullVerification(copy, request.terminalId, {
      chunk: request.chunk,
      sidecar: request.sidecar,
    });
    for (;;) {
      if (cancelled.has(id)) {
        steps.return(undefined as never);
        throw new Error('stopped');
      }
      const r = steps.next();
      if (r.done) return r.value;
      // Between steps: a cancel message can come in.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    copy.close();
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'cancel':
      cancelled.add(message.id);
      return;
    case 'pdfResult': {
      const waiting = pdfWaiting.get(message.id);
      pdfWaiting.delete(message.id);
      if (message.bytes) waiting?.resolve(message.bytes);
      else waiting?.reject(new Error(message.error ?? 'PDF failed'));
      return;
    }
    default:
  }
  const { id } = message;
  post({ type: 'started', id });
  try {
    let value: unknown;
    let transfer: ArrayBuffer[] | undefined;
    if (message.type === 'dispatch') {
      value = await oneCommandAtATime(async () => {
        now = new Date(message.now);
        ctx.terminal = message.terminal satisfies TerminalIdentity;
        ctx.runtime.documents.pdf = message.pdf ? pdfThroughMain : null;
        // One snapshot for the whole command: every query of a report sees the same ledger state.
        db.exec('BEGIN');
        try {
          return await dispatch(ctx, message.name, message.input, log, {
            connection: message.connection,
          });
        } finally {
          if (db.inTransaction) db.exec('COMMIT');
        }
      });
    } else if (message.type === 'backup') {
      value = await writeBackupFile(db, message.target);
    } else if (message.type === 'inspect') {
      value = await inspectBackup(message.file, message.options);
    } else if (message.type === 'events') {
      const events = eventsAfter(db, message.afterSeq, message.limit);
      // UTF-8 bytes in their own buffer, moved (not copied) to main: main splices them into the
      // push body as they are, and never holds, scans or re-encodes the batch as a string.
      const bytes = new TextEncoder().encode(
        JSON.stringify(events.filter((e) => e.seq <= message.upToSeq)),
      );
      value = bytes;
      transfer = [bytes.buffer];
    } else if (message.type === 'walCheckpoint') {
      value = walCheckpoint();
    } else if (message.type === 'tabular') {
      const { bytes } = message;
      value = await readTabular(
        message.format,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      );
    } else {
      value = await runVerify(id, message);
    }
    post({ type: 'result', id, value }, transfer);
  } catch (e) {
    post({
      type: 'error',
      id,
      name: e instanceof Error ? e.name : 'Error',
      message: e instanceof Error ? e.message : String(e),
      stack: e instanceof Error ? (e.stack ?? '') : '',
    });
  } finally {
    cancelled.delete(id);
  }
}

port.on('message', (message: ToWorker) => void handle(message));
port.on('close', () => {
  checkpointer?.close();
  db.close();
});
post({ type: 'ready', threadId });
