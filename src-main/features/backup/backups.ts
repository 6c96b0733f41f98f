// Backups of the ledger: settings, "back up now", the schedule, rotation, verification (restore
// drill) and restore. Used by every shell (Electron main, plain-Node host, CLI) through the command
// table; the shell tells it its default folder with `ctx.runtime.backups.configure`.
import { randomBytes } from 'node:crypto';
import {
  BACKUP_PROBLEM_TEXT,
  type BackupProblemKind,
} from '@heating-cashier/core/contract/backup-problems';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {
  discardCopy,
  inspectBackup,
  parseChecksumLine,
  readSetting,
  restoreInto,
  writeBackupFile,
  writeSettings,
} from './backup.store';
import { DEFAULT_MIGRATIONS_DIR } from '../../ledger/db';
import { chainHead } from '../../ledger/event-log';
import { terminalRow } from '../terminal/terminal.store';
import { verifyLedger } from '../../ledger/verify';
import { resetSidecar } from '../../ledger/checkpoints';
import { forgetDerivedState } from '../../ledger/db';
import {
  backupFileName,
  nextBackupDue,
  parseBackupFileName,
  rotationPlan,
  terminalTag,
  type BackupKind,
} from './backup-rotation';
import { ServiceError, type ServiceContext } from '../../services/context';
import { queueCommittedReceipts } from '../printing/print-queue';

export type BackupLog = (
  level: 'error' | 'warn' | 'info',
  message: string,
  data?: Record<string, unknown>,
) => void;

/** `ctx.runtime.backups`: what the shell told the backups, the one-at-a-time flag, the schedule. */
export class Backups {
  /** The shell's default folder (e.g. <user data>/backups) when none is set in the settings. */
  defaultDir: string | null = null;
  migrationsDir: string = DEFAULT_MIGRATIONS_DIR;
  log: BackupLog = () => {};
  /** A backup, check or restore is running; another is refused (BACKUP_BUSY). */
  busy = false;
  /** The running schedule (`startBackupSchedule`), if any. */
  schedule: BackupSchedule | null = null;

  configure(options: {
    defaultDir?: string | null;
    migrationsDir?: string;
    log?: BackupLog;
  }): void {
    if (options.defaultDir !== undefined) this.defaultDir = options.defaultDir;
    if (options.migrationsDir) this.migrationsDir = options.migrationsDir;
    if (options.log) this.log = options.log;
  }

  stop(): void {
    this.schedule?.stop();
    this.schedule = null;
  }
}

export interface BackupSchedule {
  stop(): void;
  tick(): Promise<void>;
}

const runtimeOf = (ctx: ServiceContext): Backups => ctx.runtime.backups;

const KEY = {
  dir: 'backup.dir',
  intervalHours: 'backup.intervalHours',
  enabled: 'backup.enabled',
  lastAt: 'backup.lastAt',
  lastFile: 'backup.lastFile',
  lastError: 'backup.lastError',
  lastErrorAt: 'backup.lastErrorAt',
} as const;

export const DEFAULT_INTERVAL_HOURS = 24;

export interface BackupSettings {
  dir: string | null;
  source: 'settings' | 'default' | 'none';
  intervalHours: number;
  enabled: boolean;
}

export function backupSettings(ctx: ServiceContext): BackupSettings {
  const saved = readSetting(ctx.db, KEY.dir);
  const rt = runtimeOf(ctx);
  const hours = Number(readSetting(ctx.db, KEY.intervalHours) ?? DEFAULT_INTERVAL_HOURS);
  return {
    dir: saved ?? rt.defaultDir,
    source: saved ? 'settings' : rt.defaultDir ? 'default' : 'none',
    intervalHours:
      Number.isInteger(hours) && hours >= 1 && hours <= 168 ? hours : DEFAULT_INTERVAL_HOURS,
    enabled: readSetting(ctx.db, KEY.enabled) !== '0',
  };
}

/**
 * Proves the folder usable: an absolute path, created if missing only where its parent exists (a
 * USB disk that is not plugged in is refused, never replaced by a folder on the local disk), and
 * writable (a probe file is written and removed). Throws BACKUP_DIR_INVALID otherwise.
 */
function usableDir(dir: string): string {
  return probeDir(dir).dir;
}

function probeDir(dir: string): { dir: string; created: boolean } {
  if (!path.isAbsolute(dir)) {
    throw new ServiceError('BACKUP_DIR_INVALID', { dir, reason: 'not an absolute path' });
  }
  const resolved = path.resolve(dir);
  let created = false;
  try {
    if (!existsSync(resolved)) {
      mkdirSync(resolved); // not recursive: the parent (the disk, the share) must be there
      created = true;
    }
    if (!statSync(resolved).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(resolved, constants.W_OK);
    const probe = path.join(resolved, `.write-test-${randomBytes(4).toString('hex')}`);
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'error';
    throw new ServiceError('BACKUP_DIR_INVALID', { dir: resolved, reason: code });
  }
  return { dir: resolved, created };
}

/** True when the folder is on the ledger's own disk: a disk failure would take both. */
function onLedgerDisk(ctx: ServiceContext, dir: string): boolean {
  const ledger = ctx.db.name;
  if (!ledger || ledger === ':memory:') return false;
  try {
    return statSync(dir).dev === statSync(path.dirname(path.resolve(ledger))).dev;
  } catch {
    return false;
  }
}

const T = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/**
 * The settings screen's test button: the folder checked as a backup would use it (created where
 * its parent exists, a probe file written and removed), nothing saved. Says whether it shares the
 * ledger's disk.
 */
export function testBackupDir(ctx: ServiceContext, dir: string) {
  const probed = probeDir(dir.trim());
  const sameDisk = onLedgerDisk(ctx, probed.dir);
  const ok = probed.created
    ? T(
        `文件夹已新建，可以写入：${probed.dir}（试写的文件已删除）。`,
        `The folder was created and is writable: ${probed.dir} (the probe file was removed).`,
      )
    : T(
        `文件夹可以写入：${probed.dir}（试写的文件已删除）。`,
        `The folder is writable: ${probed.dir} (the probe file was removed).`,
      );
  return {
    dir: probed.dir,
    created: probed.created,
    sameDiskAsLedger: sameDisk,
    message: sameDisk
      ? T(
          `${ok['zh-CN']}注意：它与收费数据在同一块磁盘上，磁盘损坏时备份会一起丢失；建议用U盘或网络共享。`,
          `${ok.en} Note: it is on the same disk as the ledger, so a disk failure would take both; a USB disk or network share is safer.`,
        )
      : ok,
  };
}

export function saveBackupSettings(
  ctx: ServiceContext,
  input: { dir: string; intervalHours: number; enabled: boolean },
): BackupSettings {
  const dir = usableDir(input.dir.trim());
  writeSettings(ctx.db, {
    [KEY.dir]: dir,
    [KEY.intervalHours]: String(input.intervalHours),
    [KEY.enabled]: input.enabled ? '1' : '0',
  });
  return backupSettings(ctx);
}

function requireDir(ctx: ServiceContext): string {
  const { dir } = backupSettings(ctx);
  if (!dir) throw new ServiceError('BACKUP_NOT_CONFIGURED');
  return usableDir(dir);
}

export interface BackupFileInfo {
  name: string;
  takenAt: string;
  kind: BackupKind;
  bytes: number;
  ownTerminal: boolean;
  hasChecksum: boolean;
}

function listIn(dir: string, ownTag: string): BackupFileInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const present = new Set(names);
  const out: BackupFileInfo[] = [];
  for (const name of names) {
    const parsed = parseBackupFileName(name);
    if (!parsed) continue;
    let bytes: number;
    try {
      bytes = statSync(path.join(dir, name)).size;
    } catch {
      continue;
    }
    out.push({
      name,
      takenAt: parsed.takenAt.toISOString(),
      kind: parsed.kind,
      bytes,
      ownTerminal: parsed.terminalTag === ownTag,
      hasChecksum: present.has(`${name}.sha256`),
    });
  }
  return out.sort((a, b) => b.takenAt.localeCompare(a.takenAt) || b.name.localeCompare(a.name));
}

export function listBackups(ctx: ServiceContext): BackupFileInfo[] {
  const { dir } = backupSettings(ctx);
  return dir ? listIn(dir, terminalTag(ctx.terminal.id)) : [];
}

export interface BackupStatus {
  settings: BackupSettings;
  last: { at: string | null; file: string | null; error: string | null; errorAt: string | null };
  nextDueAt: string | null;
  files: BackupFileInfo[];
}

export function backupStatus(ctx: ServiceContext): BackupStatus {
  const settings = backupSettings(ctx);
  const lastAt = readSetting(ctx.db, KEY.lastAt);
  return {
    settings,
    last: {
      at: lastAt,
      file: readSetting(ctx.db, KEY.lastFile),
      error: readSetting(ctx.db, KEY.lastError),
      errorAt: readSetting(ctx.db, KEY.lastErrorAt),
    },
    nextDueAt:
      settings.dir && settings.enabled
        ? nextBackupDue(
            lastAt ? new Date(lastAt) : null,
            settings.intervalHours,
            ctx.clock(),
          ).toISOString()
        : null,
    files: listBackups(ctx),
  };
}

async function exclusive<T>(ctx: ServiceContext, fn: () => Promise<T>): Promise<T> {
  const rt = runtimeOf(ctx);
  if (rt.busy) throw new ServiceError('BACKUP_BUSY');
  rt.busy = true;
  try {
    return await fn();
  } finally {
    rt.busy = false;
  }
}

async function takeBackup(
  ctx: ServiceContext,
  dir: string,
  kind: BackupKind,
): Promise<{ file: BackupFileInfo; removed: string[] }> {
  // A copy holds each receipt's paper state with it: queued copies of receipts just paid, not a
  // cursor that a restore would catch up on (and print again).
  queueCommittedReceipts(ctx);
  const now = ctx.clock();
  let name = backupFileName(ctx.terminal.id, now, kind);
  for (let ms = 1; listIn(dir, '').some((f) => f.name === name) && ms < 1000; ms++) {
    name = backupFileName(ctx.terminal.id, new Date(now.getTime() + ms), kind);
  }
  const target = path.join(dir, name);
  let written;
  try {
    // The copy, its quick_check and checksum in a ledger worker when they run (the counter's thread
    // keeps serving); in-process otherwise.
    const offload = ctx.runtime.offload;
    written = offload
      ? await offload.writeBackupFile(target)
      : await writeBackupFile(ctx.db, target);
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 160);
    writeSettings(ctx.db, { [KEY.lastError]: reason, [KEY.lastErrorAt]: now.toISOString() });
    runtimeOf(ctx).log('error', 'backup failed', { dir, reason });
    throw new ServiceError('BACKUP_FAILED', { reason });
  }
  if (kind !== 'pre-restore') {
    writeSettings(ctx.db, {
      [KEY.lastAt]: now.toISOString(),
      [KEY.lastFile]: name,
      [KEY.lastError]: null,
      [KEY.lastErrorAt]: null,
    });
  }
  const removed = rotate(ctx, dir);
  runtimeOf(ctx).log('info', 'backup written', {
    file: name,
    bytes: written.bytes,
    kind,
    removed: removed.length,
  });
  const info = listIn(dir, terminalTag(ctx.terminal.id)).find((f) => f.name === name);
  return {
    file: info ?? {
      name,
      takenAt: now.toISOString(),
      kind,
      bytes: written.bytes,
      ownTerminal: true,
      hasChecksum: true,
    },
    removed,
  };
}

/** Applies the rotation plan to this terminal's backups in `dir`; returns the names removed. */
function rotate(ctx: ServiceContext, dir: string): string[] {
  const tag = terminalTag(ctx.terminal.id);
  const own = listIn(dir, tag)
    .filter((f) => f.ownTerminal)
    .map((f) => parseBackupFileName(f.name)!);
  const plan = rotationPlan(own, ctx.clock(), ctx.terminal.timeZone);
  for (const name of plan.remove) {
    rmSync(path.join(dir, name), { force: true });
    rmSync(path.join(dir, `${name}.sha256`), { force: true });
  }
  return plan.remove;
}

export function backupNow(
  ctx: ServiceContext,
  kind: 'auto' | 'manual' = 'manual',
): Promise<{ file: BackupFileInfo; removed: string[] }> {
  return exclusive(ctx, () => takeBackup(ctx, requireDir(ctx), kind));
}

/** A backup file name from the client, resolved inside the backup folder (nothing else). */
function backupPath(ctx: ServiceContext, name: string): { dir: string; file: string } {
  const dir = requireDir(ctx);
  if (!parseBackupFileName(name) || path.basename(name) !== name) {
    throw new ServiceError('BACKUP_NOT_FOUND', { file: name.slice(0, 80) });
  }
  const file = path.join(dir, name);
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw new ServiceError('BACKUP_NOT_FOUND', { file: name });
  }
  return { dir, file };
}

function expectedChecksum(file: string): string | null {
  try {
    return parseChecksumLine(readFileSync(`${file}.sha256`, 'utf8'));
  } catch {
    return null;
  }
}

export interface BackupCheck {
  file: string;
  ok: boolean;
  problemKind: BackupProblemKind | null;
  problemText: { 'zh-CN': string; en: string } | null;
  problem: string | null;
  terminalId: string | null;
  terminalName: string | null;
  schemaVersion: number | null;
  headSeq: number | null;
  headHash: string | null;
}

/** The restore drill without the restore: checksum, integrity_check, hash chain, projections. */
export function verifyBackup(ctx: ServiceContext, name: string): Promise<BackupCheck> {
  return exclusive(ctx, async () => {
    const { file } = backupPath(ctx, name);
    // The working copy goes beside the live ledger (local disk), not onto the USB disk or share.
    const options = {
      workDir: path.dirname(ctx.db.name),
      migrationsDir: runtimeOf(ctx).migrationsDir,
      expectedSha256: expectedChecksum(file),
    };
    const offload = ctx.runtime.offload;
    const inspection = offload
      ? await offload.inspectBackup(file, options)
      : await inspectBackup(file, options);
    if (!inspection.ok) {
      runtimeOf(ctx).log('warn', 'backup check failed', {
        file: name,
        problem: inspection.problem,
      });
      return {
        file: name,
        ok: false,
        problemKind: inspection.kind,
        problemText: BACKUP_PROBLEM_TEXT[inspection.kind],
        problem: inspection.problem,
        terminalId: null,
        terminalName: null,
        schemaVersion: null,
        headSeq: null,
        headHash: null,
      };
    }
    const b = inspection.backup;
    await discardCopy(b.copy);
    return {
      file: name,
      ok: true,
      problemKind: null,
      problemText: null,
      problem: null,
      terminalId: b.terminalId,
      terminalName: b.terminalName,
      schemaVersion: b.schemaVersion,
      headSeq: b.headSeq,
      headHash: b.headHash,
    };
  });
}

export interface RestoreOutcome {
  file: string;
  safetyCopy: string;
  headSeq: number;
  headHash: string;
  eventsLost: number;
  verified: boolean;
}

/**
 * Restores a backup over the live ledger — only after the backup's copy passed the checksum,
 * integrity_check, migrations, hash chain and projection replay. Refuses another terminal's backup
 * over a ledger with real records, and a backup behind the live chain unless `acceptLoss`. Takes a
 * pre-restore safety copy of the live ledger first.
 */
export function restoreBackup(
  ctx: ServiceContext,
  name: string,
  options: { acceptLoss: boolean },
): Promise<RestoreOutcome> {
  return exclusive(ctx, async () => {
    const { dir, file } = backupPath(ctx, name);
    return restoreFile(ctx, { dir, file, name, acceptLoss: options.acceptLoss, fresh: false });
  });
}

/** The backup files in any folder (the first-run screen: a USB disk, a share), newest first. */
export function backupsIn(dir: string): BackupFileInfo[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ServiceError('SETUP_FOLDER_UNREADABLE', { dir: dir.slice(0, 120) });
  return listIn(dir, '');
}

/**
 * First run: restores a backup from any folder over a ledger that holds nothing yet (the setup
 * screen checked that), with the same verification first; no safety copy (there is nothing to keep).
 */
export function restoreFirstRun(
  ctx: ServiceContext,
  dir: string,
  name: string,
): Promise<RestoreOutcome> {
  return exclusive(ctx, async () => {
    const file = path.join(dir, name);
    if (!parseBackupFileName(name) || path.basename(name) !== name || !existsSync(file))
      throw new ServiceError('BACKUP_NOT_FOUND', { file: name.slice(0, 80) });
    return restoreFile(ctx, { dir, file, name, acceptLoss: false, fresh: true });
  });
}

async function restoreFile(
  ctx: ServiceContext,
  o: { dir: string; file: string; name: string; acceptLoss: boolean; fresh: boolean },
): Promise<RestoreOutcome> {
  const { dir, file, name } = o;
  const rt = runtimeOf(ctx);
  const liveFile = ctx.db.name;
  const options = {
    workDir: path.dirname(liveFile),
    migrationsDir: rt.migrationsDir,
    expectedSha256: expectedChecksum(file),
  };
  const inspection = ctx.runtime.offload
    ? await ctx.runtime.offload.inspectBackup(file, options)
    : await inspectBackup(file, options);
  if (!inspection.ok) {
    rt.log('warn', 'restore refused: backup failed verification', {
      file: name,
      problem: inspection.problem,
    });
    throw new ServiceError('BACKUP_CORRUPT', {
      file: name,
      problemKind: inspection.kind,
      problem: inspection.problem,
    });
  }
  const b = inspection.backup;
  try {
    const live = chainHead(ctx.db);
    const liveHasRecords = live.seq > 0 && !ctx.terminal.isDemo && !o.fresh;
    if (b.terminalId !== ctx.terminal.id && liveHasRecords) {
      throw new ServiceError('BACKUP_OTHER_TERMINAL', { file: name });
    }
    const lost = b.terminalId === ctx.terminal.id ? Math.max(0, live.seq - b.headSeq) : 0;
    if (lost > 0 && !o.acceptLoss) {
      throw new ServiceError('BACKUP_OLDER_THAN_LEDGER', {
        backupSeq: b.headSeq,
        liveSeq: live.seq,
        lost,
      });
    }
    const safety = o.fresh ? null : await takeBackup(ctx, dir, 'pre-restore');
    await restoreInto(liveFile, b.copy);
    // What the connection derived from the old content goes; the checkpoint sidecar follows the
    // restored ledger (else the next start sees a cut log).
    forgetDerivedState(ctx.db);
    resetSidecar(ctx.db);
    const row = terminalRow(ctx.db)!;
    ctx.terminal = {
      id: row.terminal_id,
      name: row.name,
      timeZone: row.time_zone,
      isDemo: row.is_demo === 1,
    };
    const report = verifyLedger(ctx.db, ctx.terminal.id);
    ctx.runtime.integrity.recordFull(ctx.db, report, ctx.clock());
    rt.log(report.ok ? 'info' : 'error', 'ledger restored from backup', {
      file: name,
      safetyCopy: safety?.file.name ?? null,
      headSeq: report.headSeq,
      verified: report.ok,
    });
    return {
      file: name,
      safetyCopy: safety?.file.name ?? '',
      headSeq: report.headSeq,
      headHash: report.headHash,
      eventsLost: lost,
      verified: report.ok,
    };
  } finally {
    await discardCopy(b.copy);
  }
}

/**
 * The schedule: checks every `checkEveryMs` (and once at start) whether a backup is due and takes
 * it; failures are recorded (status screen) and logged, never thrown. Replaces a running one;
 * `ctx.runtime.backups.stop()` stops it.
 */
export function startBackupSchedule(
  ctx: ServiceContext,
  options: { checkEveryMs?: number } = {},
): BackupSchedule {
  const rt = runtimeOf(ctx);
  rt.stop();
  let stopped = false;
  const tick = async () => {
    if (stopped || rt.busy) return;
    const settings = backupSettings(ctx);
    if (!settings.dir || !settings.enabled) return;
    const lastAt = readSetting(ctx.db, KEY.lastAt);
    const due = nextBackupDue(
      lastAt ? new Date(lastAt) : null,
      settings.intervalHours,
      ctx.clock(),
    );
    if (due.getTime() > ctx.clock().getTime()) return;
    try {
      await backupNow(ctx, 'auto');
    } catch (e) {
      if (!(e instanceof ServiceError)) {
        rt.log('error', 'scheduled backup failed', { error: String(e) });
      } else if (e.code !== 'BACKUP_FAILED') {
        // BACKUP_FAILED was recorded already; a missing folder (USB disk out) is recorded here.
        const reason = `${e.code} ${String(e.details.reason ?? '')}`.trim();
        writeSettings(ctx.db, {
          [KEY.lastError]: reason,
          [KEY.lastErrorAt]: ctx.clock().toISOString(),
        });
        rt.log('warn', 'scheduled backup skipped', { reason });
      }
    }
  };
  const timer = setInterval(() => void tick(), options.checkEveryMs ?? 10 * 60_000);
  timer.unref();
  const first = setTimeout(() => void tick(), 5_000);
  first.unref();
  rt.schedule = {
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
    },
    tick,
  };
  return rt.schedule;
}
