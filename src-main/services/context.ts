import type { ComponentStatus } from '@heating-cashier/core/contract/commands';
import type { ErrorCode } from '@heating-cashier/core/contract/errors';
import type { LogFn } from '../features/terminal/logs';
import type { SyncStatus, SyncWorker } from '../features/sync/worker';
import type { Backups } from '../features/backup/backups';
import type { CardTerminalSlot } from '../features/card/card-payments';
import type { QrSlot } from '../features/qr/qr-payments';
import type { ImportJobs } from '../features/import/master-import';
import type { Printing } from '../features/printing/print-queue';
import type { PoleDisplaySlot } from '../features/pole/pole-display';
import type { Documents } from '../features/reports/documents/export';
import type { Diagnostics } from '../features/terminal/diagnostics';
import type { PushBus } from '../features/terminal/push';
import type { CustomerDisplays } from '../features/customer/displays';
import type { PinLockout } from '../features/session/pin-lockout';
import type { FirstRun } from '../features/setup/first-run';
import type { LedgerIntegrity } from '../features/terminal/integrity';
import type { Updates } from '../features/updates/updates';
import type { ServiceClock } from '../features/service/service-clock';
import type { Db } from '../ledger/db';
import type { Offload } from './offload';
import { LedgerError, type LedgerContext } from '../ledger/transaction';

export interface TerminalIdentity {
  id: string;
  name: string;
  timeZone: string;
  isDemo: boolean;
}

/**
 * Status providers the composition root registers when a device or the sync worker is configured;
 * a missing provider is reported as `unavailable`, never as working.
 */
export interface StatusProviders {
  printer?: () => ComponentStatus;
  cardTerminal?: () => ComponentStatus;
  sync?: () => SyncStatus;
}

/** What every use case gets: the one writer connection, who this terminal is, and the clock. */
export interface ServiceContext extends LedgerContext {
  db: Db;
  terminal: TerminalIdentity;
  clock: () => Date;
  status?: StatusProviders;
  /** The runtime's log (rotating file in the data folder) for work done after a reply has gone. */
  log?: LogFn;
  /** This terminal's long-running parts and in-process state, built once by src-main/app. */
  readonly runtime: TerminalRuntime;
}

/**
 * Everything a use case may find running beside the ledger, in one record built by the composition
 * root (src-main/app/terminal-runtime.ts) when the terminal opens, and started / stopped there. No
 * module keeps such state of its own.
 */
export interface TerminalRuntime {
  /** The print queue worker, the printing shell's settings, receipts awaiting their copies. */
  readonly printing: Printing;
  /** The attached card terminal (ZVT) with its heartbeat, or none. */
  readonly card: CardTerminalSlot;
  /** QR sales through head office: the sale under way, the background resolution, time limits. */
  readonly qr: QrSlot;
  /** The pole display (客显) following the customer view, or none. */
  readonly pole: PoleDisplaySlot;
  /** Server → renderer events; the shells subscribe. */
  readonly push: PushBus;
  /** The customer displays: last customer view, paired connections, the pairing code. */
  readonly customer: CustomerDisplays;
  /** Default folder, one-at-a-time flag and schedule of the ledger backups. */
  readonly backups: Backups;
  /** The log folder and versions behind the supervisor's diagnostics. */
  readonly diagnostics: Diagnostics;
  /** Master-data imports staged and running in memory. */
  readonly imports: ImportJobs;
  /** The A4 PDF adapter of the shell, if any. */
  readonly documents: Documents;
  /** The head-office sync worker, when this terminal runs one. */
  sync: SyncWorker | null;
  /** Wrong PINs per clerk and connection (the log-in lockout). */
  readonly pins: PinLockout;
  /** The ledger's verified state (start-up and background full verify); an alarm stops payments. */
  readonly integrity: LedgerIntegrity;
  /** First run: the ledger is still to be set up (every command but setup.* is refused). */
  readonly setup: FirstRun;
  /** Per clerk: whose account was opened and when, the start of the service time (KPI). */
  readonly service: ServiceClock;
  /** Counter updates: electron-updater's port (desktop app), the release waiting, the last refusal. */
  readonly updates: Updates;
  /**
   * The ledger workers (worker threads with their own read connections) that run reports, exports,
   * dunning lists, backups and the full verify off the counter's thread; null: in-process.
   */
  offload: Offload | null;
}

/** A use case's refusal the clerk can act on; a LedgerError, so api/dispatch translates it too. */
export class ServiceError extends LedgerError {
  constructor(code: ErrorCode, details: Record<string, string | number> = {}) {
    super(code, details);
    this.name = 'ServiceError';
  }
}
