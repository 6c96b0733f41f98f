// The supervisor screen's diagnostics: recent errors from the log folder and the diagnostic bundle
// for support (versions + redacted logs, no personal data). The shell registers its log folder and
// versions with `ctx.runtime.diagnostics.configure`; without one (CLI) the commands say so.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chainHead } from '../../ledger/event-log';
import { schemaVersion } from '../../ledger/migrate';
import { ServiceError, type ServiceContext } from '../../services/context';
import { readLogRecords, redact, type LogRecord } from './logs';
import type { IntegrityView } from './integrity';

interface DiagnosticsSetup {
  logDir: string;
  /** Where bundles are written (default: <logDir>/../diagnostics). */
  outDir: string;
  versions: Record<string, string>;
}

/** `ctx.runtime.diagnostics`: the shell's log folder and versions, once it has a log folder. */
export class Diagnostics {
  private setup: DiagnosticsSetup | null = null;

  configure(options: { logDir: string; outDir?: string; versions?: Record<string, string> }): void {
    this.setup = {
      logDir: options.logDir,
      outDir: options.outDir ?? path.join(path.dirname(options.logDir), 'diagnostics'),
      versions: options.versions ?? {},
    };
  }

  /** The setup, or DIAGNOSTICS_UNAVAILABLE (CLI, tests without a log folder). */
  required(): DiagnosticsSetup {
    if (!this.setup) throw new ServiceError('DIAGNOSTICS_UNAVAILABLE');
    return this.setup;
  }
}

export interface ErrorEntry {
  t: string;
  level: 'error' | 'warn';
  message: string;
  ref: string | null;
  command: string | null;
  detail: string | null;
}

function entryOf(r: LogRecord): ErrorEntry {
  const red = redact(r) as LogRecord;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : null);
  return {
    t: r.t,
    level: r.level === 'error' ? 'error' : 'warn',
    message: String(red.message).slice(0, 300),
    ref: str(red.ref),
    command: str(red.command),
    detail: str(red.error) ?? str(red.reason) ?? str(red.problem),
  };
}

/** The newest errors and warnings, newest first, redacted like the bundle. */
export function recentErrors(ctx: ServiceContext, limit: number): ErrorEntry[] {
  const rt = ctx.runtime.diagnostics.required();
  return readLogRecords(rt.logDir)
    .filter((r) => r.level === 'error' || r.level === 'warn')
    .slice(-limit)
    .reverse()
    .map(entryOf);
}

/** Versions that are always known in-process. */
export function runtimeVersions(ctx: ServiceContext): Record<string, string> {
  const sqlite = ctx.db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    sqlite: sqlite.v,
    schema: String(schemaVersion(ctx.db)),
    ...(process.versions.electron ? { electron: process.versions.electron } : {}),
    ...(process.versions.chrome ? { chrome: process.versions.chrome } : {}),
  };
}

export interface DiagnosticBundle {
  kind: 'cashier-diagnostics';
  createdAt: string;
  versions: Record<string, string>;
  terminal: { id: string; isDemo: boolean; timeZone: string; headSeq: number };
  /** The ledger's verified state (start-up and full verify, first bad seq, warnings). */
  integrity: IntegrityView;
  logLines: number;
  logs: unknown[];
}

/** Builds the bundle: versions, terminal id and chain length, the last `maxLines` log lines redacted. */
export function buildDiagnosticBundle(ctx: ServiceContext, maxLines = 5000): DiagnosticBundle {
  const rt = ctx.runtime.diagnostics.required();
  const records = readLogRecords(rt.logDir).slice(-maxLines);
  return {
    kind: 'cashier-diagnostics',
    createdAt: ctx.clock().toISOString(),
    versions: { ...runtimeVersions(ctx), ...rt.versions },
    terminal: {
      id: ctx.terminal.id,
      isDemo: ctx.terminal.isDemo,
      timeZone: ctx.terminal.timeZone,
      headSeq: chainHead(ctx.db).seq,
    },
    integrity: ctx.runtime.integrity.view(),
    logLines: records.length,
    logs: records.map((r) => redact(r)),
  };
}

/** Writes the bundle as one JSON file into the diagnostics folder; returns where. */
export function exportDiagnosticBundle(ctx: ServiceContext): {
  file: string;
  bytes: number;
  logLines: number;
} {
  const rt = ctx.runtime.diagnostics.required();
  const bundle = buildDiagnosticBundle(ctx);
  mkdirSync(rt.outDir, { recursive: true });
  const stamp = bundle.createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const file = path.join(rt.outDir, `diagnostics-${stamp}.json`);
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  writeFileSync(file, text);
  return { file, bytes: Buffer.byteLength(text), logLines: bundle.logLines };
}
