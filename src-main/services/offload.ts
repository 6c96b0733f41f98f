// The port through which use cases hand heavy read-only work to the ledger workers (worker threads
// with their own read connections on the same ledger file; src-main/app/ledger-workers.ts). Null
// in `ctx.runtime.offload` (tests, the CLI, inside a worker): the work runs in-process as before.
import type { Result } from '@heating-cashier/core/contract/errors';
import type { SidecarRead } from '../ledger/checkpoints';
import type { ChainReport } from '../ledger/verify';
import type { Inspection } from '../features/backup/backup.store';
import type { Table } from '@heating-cashier/core/tabular';
import type { ServiceContext } from './context';

export interface FullVerifyJob {
  readonly done: Promise<ChainReport>;
  /** Stops the run at its next step (the promise then rejects). */
  cancel(): void;
}

export interface Offload {
  /**
   * Runs a command through `dispatch` in a worker (same validation, handler and output check) on
   * the worker's read connection, as of this terminal's identity and clock now. Never throws: a
   * worker that dies answers WORKER_FAILED and is replaced.
   */
  dispatch(
    ctx: ServiceContext,
    name: string,
    input: unknown,
    connection: string,
  ): Promise<Result<unknown>>;
  /** better-sqlite3's online backup from a worker's connection, quick_check, checksum file. */
  writeBackupFile(target: string): Promise<{ bytes: number; sha256: string }>;
  /** The restore drill on a backup file (checksum, integrity_check, migrations, chain, replay). */
  inspectBackup(
    file: string,
    options: { workDir: string; migrationsDir?: string; expectedSha256?: string | null },
  ): Promise<Inspection>;
  /**
   * A sync push's events after `afterSeq` up to `upToSeq` (at most `limit`), as their JSON array in
   * UTF-8 bytes (moved from the worker, never a string on main).
   */
  eventsJson(afterSeq: number, upToSeq: number, limit: number): Promise<Uint8Array>;
  /**
   * A PASSIVE WAL checkpoint run from a worker's own connection when a worker is running anyway;
   * null when none is (the caller checkpoints itself).
   */
  walCheckpoint(): Promise<unknown> | null;
  /** An import file (CSV / XLSX) read into its table; a TabularError as in-process. */
  readTabular(format: 'csv' | 'xlsx', bytes: Buffer): Promise<Table>;
  /** The full verify on a snapshot copy (`copyFile`), taken and checked in a worker. */
  fullVerify(request: {
    terminalId: string;
    copyFile: string;
    sidecar: SidecarRead;
    chunk: number;
  }): FullVerifyJob;
}
