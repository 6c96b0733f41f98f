// What every long-running shell (Electron main, plain-Node host) adds around an open terminal: the
// rotating log in the data folder, diagnostics for the supervisor screen, the default backup folder
// and the backup schedule, the print queue, the A4 PDF adapter, crash logging with context, and an
// orderly stop. The parts live in the terminal's runtime record (ctx.runtime, ./terminal-runtime).
import path from 'node:path';
import type { OpenTerminal } from './open-terminal';
import { startPrinting } from './printer';
import type { PdfRenderer } from '../devices/pdf/port';
import { startBackupSchedule } from '../features/backup/backups';
import { runtimeVersions } from '../features/terminal/diagnostics';
import { createFileLogger, type LogFn } from '../features/terminal/logs';
import { startBackgroundVerify } from '../features/terminal/integrity';
import type { ChainReport } from '../ledger/verify';
import { LedgerWorkers, type LedgerWorkersOptions } from './ledger-workers';

export interface RuntimeOptions {
  /** The per-user data folder: logs/, backups/ (default backup folder), diagnostics/. */
  dataDir: string;
  /** Extra versions for the diagnostic bundle (app, electron, chrome …). */
  versions?: Record<string, string>;
  migrationsDir?: string;
  /** Also write each log line here (stderr in the host). */
  echo?: (line: string) => void;
  /** Check for a due backup this often (default 10 min). */
  backupCheckEveryMs?: number;
  /** Where the print queue logs (default: the rotating log, level info). */
  printerLog?: (message: string, data?: Record<string, unknown>) => void;
  /** The A4 PDF adapter (Chromium in the host, printToPDF in Electron); closed on stop. */
  pdf?: PdfRenderer | null;
  /** Run the full ledger verify in the background after start (default true). */
  fullVerify?: boolean;
  /**
   * How long after the start the full verify begins (default 15 s): the clerk's login and first
   * searches do not share the machine with copying the whole ledger; the start-up verify from the
   * newest checkpoint has already run before anything was served.
   */
  fullVerifyAfterMs?: number;
  /**
   * The ledger workers (reports, exports, dunning, backup, verify off the main thread); default on
   * for a ledger file, false = everything in-process.
   */
  workers?: LedgerWorkersOptions | false;
}

export interface Runtime {
  log: LogFn;
  logDir: string;
  /** Logs an uncaught failure with where it happened and the versions; never throws. */
  logCrash(kind: string, error: unknown, context?: Record<string, unknown>): void;
  /** The printer the queue prints to, or null (none set up yet: a later setting starts it). */
  printer: string | null;
  /** The ledger workers, or null (in-process). */
  workers: LedgerWorkers | null;
  /** The background full verify's report (null: not run, stopped, or it could not run). */
  fullVerify: Promise<ChainReport | null>;
  /** Finishes (or records) the print job in flight, frees the PDF adapter, stops the schedule. */
  stop(): Promise<void>;
}

/** The full verify's default wait after the start (RuntimeOptions.fullVerifyAfterMs). */
export const FULL_VERIFY_AFTER_MS = 15_000;

export function startRuntime(terminal: OpenTerminal, options: RuntimeOptions): Runtime {
  const logDir = path.join(options.dataDir, 'logs');
  const logger = createFileLogger({ dir: logDir, ...(options.echo ? { echo: options.echo } : {}) });
  const { ctx } = terminal;
  ctx.log = logger.log;
  const versions = options.versions ?? {};
  ctx.runtime.diagnostics.configure({
    logDir,
    outDir: path.join(options.dataDir, 'diagnostics'),
    versions,
  });
  ctx.runtime.backups.configure({
    defaultDir: path.join(options.dataDir, 'backups'),
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    log: logger.log,
  });
  // The ledger workers first: the backup schedule and the full verify below already use them.
  const workers =
    options.workers === false || ctx.db.memory
      ? null
      : new LedgerWorkers(ctx, { log: logger.log, ...options.workers });
  ctx.runtime.offload = workers;
  // Printing first: a bad printer setting throws before anything long-running has started.
  let printing;
  try {
    printing = startPrinting(
      ctx,
      options.printerLog ?? ((message, data) => logger.log('info', message, data)),
    );
  } catch (e) {
    ctx.runtime.offload = null;
    void workers?.stop();
    throw e;
  }
  startBackupSchedule(
    ctx,
    options.backupCheckEveryMs ? { checkEveryMs: options.backupCheckEveryMs } : {},
  );
  if (options.pdf) ctx.runtime.documents.pdf = options.pdf;
  // The full ledger verify (chain, signatures, checkpoints, projection replay, master rows) on a
  // copy, in steps, while the counter works; an alarm stops payments (ctx.runtime.integrity).
  const fullVerify =
    options.fullVerify === false
      ? null
      : startBackgroundVerify(ctx, {
          log: logger.log,
          startAfterMs: options.fullVerifyAfterMs ?? FULL_VERIFY_AFTER_MS,
        });
  logger.log('info', 'terminal started', {
    terminalId: ctx.terminal.id,
    demo: ctx.terminal.isDemo,
    versions: { ...runtimeVersions(ctx), ...versions },
  });
  return {
    log: logger.log,
    logDir,
    logCrash(kind, error, context = {}) {
      logger.log('error', `crash: ${kind}`, {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        ...context,
        versions,
        uptimeS: Math.round(process.uptime()),
        rssMb: Math.round(process.memoryUsage().rss / 1048576),
      });
    },
    printer: printing.description,
    workers,
    fullVerify: fullVerify?.done ?? Promise.resolve(null),
    async stop() {
      try {
        await fullVerify?.stop();
        await printing.stop();
        await ctx.runtime.documents.close();
      } finally {
        ctx.runtime.backups.stop();
        ctx.runtime.offload = null;
        await workers?.stop();
        logger.log('info', 'terminal stopped');
      }
    },
  };
}
