// First run (issue 19): a production shell opens an empty ledger "to be set up"; until then the API
// answers the setup commands only (api/dispatch: SETUP_REQUIRED). Three ways out, each refused once
// the ledger is set up (SETUP_DONE): enroll with head office and download its master data, restore a
// verified backup, or (asked for) a DEMO ledger.
import type { Signer } from '@heating-cashier/core/signing';
import { ServiceError, type ServiceContext } from '../../services/context';
import { backupSettings, backupsIn, restoreFirstRun } from '../backup/backups';
import { enrollTerminal } from '../sync/enroll';
import { syncState } from '../sync/store';
import { SyncWorker } from '../sync/worker';
import { ensureTerminalKey } from '../terminal/terminal-key';
import { ledgerCounts, setupPendingMark, writeSetupPending } from './setup.store';

/** `ctx.runtime.setup`: whether the ledger is still to be set up, and the shell's demo seeder. */
export class FirstRun {
  /** Cached from the ledger's mark (setup.store); dispatch reads it on every command. */
  pending = false;
  /** Seeds the demo district (the demo tier, handed in by the composition root). */
  seedDemo: ((ctx: ServiceContext) => void) | null = null;
}

/**
 * Called by openTerminal: 'mark' an empty ledger "to be set up", 'clear' the mark (demo seeded at
 * start), or 'keep' what an earlier start left (a setup interrupted half-way opens setup again).
 */
export function loadFirstRun(ctx: ServiceContext, mode: 'mark' | 'clear' | 'keep'): void {
  if (mode !== 'keep') writeSetupPending(ctx.db, mode === 'mark');
  ctx.runtime.setup.pending = setupPendingMark(ctx.db);
}

function finish(ctx: ServiceContext): void {
  writeSetupPending(ctx.db, false);
  ctx.runtime.setup.pending = false;
}

function requirePending(ctx: ServiceContext): void {
  if (!ctx.runtime.setup.pending) throw new ServiceError('SETUP_DONE');
}

export function setupStatus(ctx: ServiceContext) {
  const s = syncState(ctx.db);
  let backupDir: string | null;
  try {
    backupDir = backupSettings(ctx).dir;
  } catch {
    backupDir = null;
  }
  return {
    required: ctx.runtime.setup.pending,
    terminalId: ctx.terminal.id,
    terminalName: ctx.terminal.name,
    enrolled: Boolean(s.head_office_url && s.terminal_token),
    headOfficeUrl: s.head_office_url,
    backupDir,
  };
}

/**
 * Enrolls with head office (nothing is written unless head office certifies the key: a bad URL, an
 * unknown code or head office down leaves the ledger as it was), then downloads the master data in
 * one sync cycle. Already enrolled (the download failed before): only the download runs again.
 */
export async function setupEnroll(
  ctx: ServiceContext,
  input: { url: string; code: string },
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
) {
  requirePending(ctx);
  const s = syncState(ctx.db);
  if (!(s.head_office_url && s.terminal_token)) await enrollTerminal(ctx, input, options);
  const worker = new SyncWorker(ctx, {
    requestTimeoutMs: options.timeoutMs ?? 15_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const outcome = await worker.cycle();
  if (outcome !== 'ok')
    throw new ServiceError('SETUP_DOWNLOAD_FAILED', {
      reason: (syncState(ctx.db).last_error ?? outcome).slice(0, 160),
    });
  const counts = ledgerCounts(ctx.db);
  if (counts.clerks === 0) throw new ServiceError('SETUP_NO_CLERKS');
  finish(ctx);
  ctx.runtime.sync?.kick();
  return {
    ...counts,
    terminalId: ctx.terminal.id,
    headOfficeUrl: syncState(ctx.db).head_office_url ?? input.url,
  };
}

export function setupBackups(ctx: ServiceContext, input: { dir?: string | undefined }) {
  requirePending(ctx);
  const dir = input.dir ?? setupStatus(ctx).backupDir;
  if (!dir) return { dir: null, files: [] };
  return {
    dir,
    files: backupsIn(dir).map((f) => ({
      name: f.name,
      takenAt: f.takenAt,
      kind: f.kind,
      bytes: f.bytes,
    })),
  };
}

/**
 * Verifies the backup (checksum, integrity_check, hash chain, projections) and only then replaces
 * the empty ledger with it. The restored ledger keeps its terminal id; this PC's signing key is
 * recorded in it as a replaced key (head office trusts it again after a re-enrollment).
 */
export async function setupRestore(ctx: ServiceContext, input: { dir: string; file: string }) {
  requirePending(ctx);
  const signer: Signer | null = ctx.db.cache.signer;
  const outcome = await restoreFirstRun(ctx, input.dir, input.file);
  if (signer)
    ensureTerminalKey(ctx, {
      load: () => signer,
      save: () => {},
      describe: () => ({ path: '', sealed: false }),
    });
  finish(ctx);
  ctx.runtime.sync?.kick();
  return {
    ...ledgerCounts(ctx.db),
    terminalId: ctx.terminal.id,
    terminalName: ctx.terminal.name,
    headSeq: outcome.headSeq,
    verified: outcome.verified,
  };
}

export function setupDemo(ctx: ServiceContext) {
  requirePending(ctx);
  const seed = ctx.runtime.setup.seedDemo;
  if (!seed) throw new ServiceError('SETUP_DONE');
  seed(ctx);
  finish(ctx);
  return { ...ledgerCounts(ctx.db), terminalId: ctx.terminal.id };
}
