// Backup file names and the rotation plan, as pure functions (tests/unit/backup).
//   cashier-<terminal tag>-<YYYYMMDDTHHMMSSmmmZ>-<kind>.sqlite   (+ .sha256 beside it)

export type BackupKind = 'auto' | 'manual' | 'pre-restore';

export interface BackupName {
  name: string;
  terminalTag: string;
  takenAt: Date;
  kind: BackupKind;
}

const NAME = /^cashier-([a-z0-9]{4,16})-(\d{8})T(\d{6})(\d{3})Z-(auto|manual|pre-restore)\.sqlite$/;

/** A short, stable tag of the terminal id: the random tail of its UUIDv7 (the head is a timestamp). */
export function terminalTag(terminalId: string): string {
  const hex = terminalId.toLowerCase().replace(/[^0-9a-z]/g, '');
  return (hex.slice(-12) || 'terminal').padStart(4, '0');
}

export function backupFileName(terminalId: string, takenAt: Date, kind: BackupKind): string {
  const iso = takenAt.toISOString(); // 2026-11-20T02:00:00.000Z
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}T${iso.slice(11, 19).replace(/:/g, '')}${iso.slice(20, 23)}Z`;
  return `cashier-${terminalTag(terminalId)}-${stamp}-${kind}.sqlite`;
}

export function parseBackupFileName(name: string): BackupName | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, tag, day, time, ms, kind] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    BackupKind,
  ];
  const iso = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}.${ms}Z`;
  const takenAt = new Date(iso);
  if (Number.isNaN(takenAt.getTime()) || takenAt.toISOString() !== iso) return null;
  return { name, terminalTag: tag, takenAt, kind };
}

export interface RotationPolicy {
  /** Keep the newest backup of each of the last N local days (today included). */
  dailyDays: number;
  /** Keep the newest backup of each of the last N local months (this month included). */
  monthlyMonths: number;
  /** Keep safety copies taken before a restore for N days. */
  preRestoreDays: number;
}

export const DEFAULT_ROTATION: RotationPolicy = {
  dailyDays: 30,
  monthlyMonths: 12,
  preRestoreDays: 30,
};

/** Local calendar date (YYYY-MM-DD) of `at` in `timeZone`. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

function monthNumber(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

export interface RotationPlan {
  keep: string[];
  remove: string[];
}

/**
 * Which backups to keep: the newest of each of the last 30 days, the newest of each of the last 12
 * months, pre-restore safety copies for 30 days, always the newest backup, and anything dated in
 * the future (a wrong clock is no reason to delete). Everything else is removed. Pure.
 * Automatic and manual backups are retained independently (each kind has its own daily and monthly
 * slots and its newest is always kept): a manual backup never removes an automatic one, nor the
 * other way round (issue 21).
 */
export function rotationPlan(
  files: readonly BackupName[],
  now: Date,
  timeZone: string,
  policy: RotationPolicy = DEFAULT_ROTATION,
): RotationPlan {
  const sorted = [...files].sort(
    (a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.name.localeCompare(a.name),
  );
  const today = localDay(now, timeZone);
  const todayNo = dayNumber(today);
  const monthNo = monthNumber(today);
  const keep = new Set<string>();
  // Slots per kind: "auto 2026-11-20", "manual 24322"; the newest auto and manual are always kept.
  const daysSeen = new Set<string>();
  const monthsSeen = new Set<string>();
  const newestOfKind = new Set<BackupKind>();
  for (const [i, f] of sorted.entries()) {
    const day = localDay(f.takenAt, timeZone);
    const ageDays = todayNo - dayNumber(day);
    const ageMonths = monthNo - monthNumber(day);
    if (i === 0 || f.takenAt.getTime() > now.getTime()) keep.add(f.name);
    if (f.kind === 'pre-restore') {
      if (ageDays < policy.preRestoreDays) keep.add(f.name);
      continue;
    }
    if (!newestOfKind.has(f.kind)) {
      newestOfKind.add(f.kind);
      keep.add(f.name);
    }
    const daySlot = `${f.kind} ${day}`;
    if (!daysSeen.has(daySlot)) {
      daysSeen.add(daySlot);
      if (ageDays < policy.dailyDays) keep.add(f.name);
    }
    const monthSlot = `${f.kind} ${monthNumber(day)}`;
    if (!monthsSeen.has(monthSlot)) {
      monthsSeen.add(monthSlot);
      if (ageMonths < policy.monthlyMonths) keep.add(f.name);
    }
  }
  return {
    keep: sorted.filter((f) => keep.has(f.name)).map((f) => f.name),
    remove: sorted.filter((f) => !keep.has(f.name)).map((f) => f.name),
  };
}

/** When the next scheduled backup is due, given the last successful one. */
export function nextBackupDue(lastAt: Date | null, intervalHours: number, now: Date): Date {
  if (!lastAt || lastAt.getTime() > now.getTime()) return now;
  return new Date(lastAt.getTime() + intervalHours * 3_600_000);
}
