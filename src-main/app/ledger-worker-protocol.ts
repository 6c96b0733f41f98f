// The messages between the main thread (ledger-workers.ts) and a ledger worker (ledger-worker.ts).
// Everything is structured-cloneable plain data.
import type { TerminalIdentity } from '../services/context';
import type { SidecarRead } from '../ledger/checkpoints';

export interface LedgerWorkerData {
  dbFile: string;
}

export type ToWorker =
  | {
      type: 'dispatch';
      id: number;
      name: string;
      input: unknown;
      connection: string;
      /** The main thread's clock for this command (ISO). */
      now: string;
      terminal: TerminalIdentity;
      /** The main thread has a PDF adapter (the worker asks it to render). */
      pdf: boolean;
    }
  | { type: 'backup'; id: number; target: string }
  | {
      type: 'inspect';
      id: number;
      file: string;
      options: { workDir: string; migrationsDir?: string; expectedSha256?: string | null };
    }
  | {
      type: 'verify';
      id: number;
      terminalId: string;
      copyFile: string;
      sidecar: SidecarRead;
      chunk: number;
    }
  | { type: 'tabular'; id: number; format: 'csv' | 'xlsx'; bytes: Uint8Array }
  | { type: 'events'; id: number; afterSeq: number; upToSeq: number; limit: number }
  | { type: 'walCheckpoint'; id: number }
  | { type: 'cancel'; id: number }
  | { type: 'pdfResult'; id: number; bytes?: Uint8Array; error?: string };

export type FromWorker =
  | { type: 'ready'; threadId: number }
  | { type: 'started'; id: number }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; name: string; message: string; stack: string }
  | { type: 'pdf'; id: number; html: string }
  | {
      type: 'log';
      level: 'error' | 'warn' | 'info';
      message: string;
      data?: Record<string, unknown>;
    };
