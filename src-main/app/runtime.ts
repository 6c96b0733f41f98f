// What every long-running shell (Electron main, plain-Node host) adds around an open terminal: the
// rotating log in the data folder, diagnostics for the supervisor screen, the default backup folder
// and the backup schedule, crash logging with context, and an orderly stop.
import path from 'node:path';
import type { OpenTerminal } from './open-terminal';
import { configureBackups, startBackupSchedule } from '../features/backup/backups';
import { configureDiagnostics, runtimeVersions } from '../features/terminal/diagnostics';
import { createFileLogger, type LogFn } from '../features/terminal/logs';

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
}

export interface Runtime {
  log: LogFn;
  logDir: string;
  /** Logs an uncaught failure with where it happened and the versions; never throws. */
  logCrash(kind: string, error: unknown, context?: Record<string, unknown>): void;
  stop(): void;
}

export function startRuntime(terminal: OpenTerminal, options: RuntimeOptions): Runtime {
  const logDir = path.join(options.dataDir, 'logs');
  const logger = createFileLogger({ dir: logDir, ...(options.echo ? { echo: options.echo } : {}) });
  const { ctx } = terminal;
  ctx.log = logger.log;
  const versions = options.versions ?? {};
  configureDiagnostics(ctx, {
    logDir,
    outDir: path.join(options.dataDir, 'diagnostics'),
    versions,
  });
  configureBackups(ctx, {
    defaultDir: path.join(options.dataDir, 'backups'),
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    log: logger.log,
  });
  const schedule = startBackupSchedule(
    ctx,
    options.backupCheckEveryMs ? { checkEveryMs: options.backupCheckEveryMs } : {},
  );
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
    stop() {
      schedule.stop();
      logger.log('info', 'terminal stopped');
    },
  };
}
