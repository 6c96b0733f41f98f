// Pure pieces of backups and logs: file names, the rotation plan (daily × 30, monthly × 12), log
// rotation steps, redaction for the diagnostic bundle; plus the file logger and the bundle on disk.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  backupFileName,
  localDay,
  nextBackupDue,
  parseBackupFileName,
  rotationPlan,
  type BackupName,
} from '../../../src-main/features/backup/backup-rotation';
import { recentErrors } from '../../../src-main/features/terminal/diagnostics';
import {
  createFileLogger,
  logRotationSteps,
  readLogRecords,
  redact,
} from '../../../src-main/features/terminal/logs';
import { openTestTerminal, tempDir } from '../../support/terminal';

const TERMINAL = '0190a5e4-1111-7222-8333-444455556666';
const TZ = 'Asia/Shanghai';

describe('backup file names', () => {
  it('round-trip and reject anything else', () => {
    const at = new Date('2026-11-20T02:03:04.005Z');
    const name = backupFileName(TERMINAL, at, 'manual');
    expect(name).toBe('cashier-444455556666-20261120T020304005Z-manual.sqlite');
    expect(parseBackupFileName(name)).toEqual({
      name,
      terminalTag: '444455556666',
      takenAt: at,
      kind: 'manual',
    });
    for (const bad of [
      'cashier-444455556666-20261320T020304005Z-manual.sqlite',
      'cashier-444455556666-20261120T020304005Z-manual.sqlite.sha256',
      '../cashier-444455556666-20261120T020304005Z-manual.sqlite',
      'ledger.db',
    ]) {
      expect(parseBackupFileName(bad), bad).toBeNull();
    }
  });
});

describe('rotation plan', () => {
  const daily = (from: string, days: number, hourUtc = 18): BackupName[] =>
    Array.from({ length: days }, (_, i) => {
      const at = new Date(Date.parse(from) + i * 86_400_000 + hourUtc * 3_600_000);
      return parseBackupFileName(backupFileName(TERMINAL, at, 'auto'))!;
    });

  it('two years of daily backups: the last 30 days and one per month for 12 months', () => {
    const files = daily('2025-01-01T00:00:00Z', 730);
    const now = new Date(files.at(-1)!.takenAt.getTime() + 3_600_000);
    const plan = rotationPlan(files, now, TZ);
    expect(plan.keep.length + plan.remove.length).toBe(730);
    const kept = files.filter((f) => plan.keep.includes(f.name));
    const days = new Set(kept.map((f) => localDay(f.takenAt, TZ)));
    const today = localDay(now, TZ);
    // every one of the last 30 local days has its backup
    for (let d = 0; d < 30; d++) {
      const day = localDay(new Date(Date.parse(`${today}T12:00:00+08:00`) - d * 86_400_000), TZ);
      expect(days.has(day), day).toBe(true);
    }
    // one per month for 12 months (this month included), nothing older than that
    const months = new Set(kept.map((f) => localDay(f.takenAt, TZ).slice(0, 7)));
    expect(months.size).toBe(12);
    const oldest = kept.map((f) => f.takenAt.getTime()).sort()[0]!;
    expect(now.getTime() - oldest).toBeLessThan(366 * 86_400_000);
    expect(kept.length).toBeLessThanOrEqual(30 + 12);
    expect(kept.length).toBeGreaterThanOrEqual(30 + 10);
    // the newest is always kept; the plan is stable (applying it again removes nothing)
    expect(plan.keep[0]).toBe(files.at(-1)!.name);
    expect(rotationPlan(kept, now, TZ).remove).toEqual([]);
  });

  it('keeps the newest of a day per kind, future-dated files, and pre-restore copies for 30 days', () => {
    const now = new Date('2026-11-20T10:00:00Z');
    const mk = (iso: string, kind: 'auto' | 'manual' | 'pre-restore') =>
      parseBackupFileName(backupFileName(TERMINAL, new Date(iso), kind))!;
    const files = [
      mk('2026-11-20T01:00:00Z', 'auto'),
      mk('2026-11-20T05:00:00Z', 'manual'),
      mk('2026-12-25T00:00:00Z', 'auto'), // clock was wrong once
      mk('2026-11-01T00:00:00Z', 'pre-restore'),
      mk('2026-09-01T00:00:00Z', 'pre-restore'),
      mk('2026-11-20T04:00:00Z', 'manual'),
      mk('2026-11-20T00:30:00Z', 'auto'),
    ];
    const plan = rotationPlan(files, now, TZ);
    // A manual backup never removes the automatic one of the same day (issue 21), nor the reverse;
    // within a kind the newest of the day stays.
    expect(plan.keep).toContain(files[1]!.name);
    expect(plan.keep).toContain(files[0]!.name);
    expect(plan.remove).toContain(files[5]!.name);
    expect(plan.remove).toContain(files[6]!.name);
    expect(plan.keep).toContain(files[2]!.name);
    expect(plan.keep).toContain(files[3]!.name);
    expect(plan.remove).toContain(files[4]!.name);
  });

  it('next backup is due after the interval, at once when none was taken', () => {
    const now = new Date('2026-11-20T10:00:00Z');
    expect(nextBackupDue(null, 24, now)).toEqual(now);
    expect(nextBackupDue(new Date('2026-11-20T09:00:00Z'), 24, now).toISOString()).toBe(
      '2026-11-21T09:00:00.000Z',
    );
  });
});

describe('logs', () => {
  const dir = tempDir('cashier-logs-');
  afterAll(() => dir.cleanup());

  it('rotation steps shift files up and drop the oldest', () => {
    expect(logRotationSteps([0, 1, 2, 3, 4], 5)).toEqual([
      { from: 'cashier.4.log', to: null },
      { from: 'cashier.3.log', to: 'cashier.4.log' },
      { from: 'cashier.2.log', to: 'cashier.3.log' },
      { from: 'cashier.1.log', to: 'cashier.2.log' },
      { from: 'cashier.log', to: 'cashier.1.log' },
    ]);
    expect(logRotationSteps([0], 5)).toEqual([{ from: 'cashier.log', to: 'cashier.1.log' }]);
  });

  it('the file logger rotates at the size limit and keeps maxFiles files', () => {
    const logDir = join(dir.dir, 'rot');
    const logger = createFileLogger({ dir: logDir, maxBytes: 2_000, maxFiles: 3 });
    for (let i = 0; i < 200; i++) logger.log('info', `line ${i}`, { i });
    const files = readdirSync(logDir).sort();
    expect(files).toEqual(['cashier.1.log', 'cashier.2.log', 'cashier.log']);
    for (const f of files) expect(readFileSync(join(logDir, f)).length).toBeLessThanOrEqual(2_000);
    const records = readLogRecords(logDir);
    expect(records.at(-1)!.message).toBe('line 199');
    // oldest first and contiguous
    const is = records.map((r) => r.i as number);
    expect(is).toEqual(Array.from({ length: is.length }, (_, k) => is[0]! + k));
  });

  it('a record is one JSON line: the clock, level, message and the data made JSON-safe; never throws', () => {
    const logDir = join(dir.dir, 'format');
    const echoed: string[] = [];
    const logger = createFileLogger({
      dir: logDir,
      clock: () => new Date('2026-11-20T02:00:00.000Z'),
      echo: (line) => echoed.push(line),
    });
    logger.log('warn', 'printer offline', {
      reason: 'ECONNREFUSED',
      error: new Error('boom'),
      big: 12n,
      long: 'x'.repeat(5000),
    });
    const text = readFileSync(join(logDir, 'cashier.log'), 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    expect(echoed).toEqual([text]);
    const [record] = readLogRecords(logDir);
    expect(record).toMatchObject({
      t: '2026-11-20T02:00:00.000Z',
      level: 'warn',
      message: 'printer offline',
      reason: 'ECONNREFUSED',
      big: '12',
      error: { message: 'boom' },
    });
    expect((record!.error as { stack: string }).stack).toContain('Error: boom');
    expect(record!.long).toBe(`${'x'.repeat(4000)}…`);
    rmSync(logDir, { recursive: true });
    expect(() => logger.log('error', 'the folder is gone')).not.toThrow();
  });

  it('redaction removes names, phones, account numbers, tokens and Chinese text', () => {
    const out = JSON.stringify(
      redact({
        t: '2026-11-20T02:00:00.000Z',
        level: 'error',
        message: 'payment failed for 张丽 13812345678 H10000001',
        command: 'payment.take',
        ref: 'a1b2c3d4',
        householdId: 'H10000001',
        payerName: '王强',
        session: 'AbCdEfGhIjKlMnOpQrStUvWxYz012345',
        error: 'Error: boom at /srv/app/x.js:10:5 contact li@example.com',
        nested: { phone: '13800000000', address: '3-2-501', text: '长江路 88 号 3-2-501' },
      }),
    );
    for (const leak of [
      '张丽',
      '王强',
      '13812345678',
      '10000001',
      'AbCdEfGh',
      'li@example.com',
      '长江路',
      '13800000000',
      '3-2-501',
    ]) {
      expect(out, leak).not.toContain(leak);
    }
    for (const kept of ['payment.take', 'a1b2c3d4', 'payment failed', 'Error: boom']) {
      expect(out).toContain(kept);
    }
  });

  it('recent errors and the diagnostic bundle: versions + redacted logs, no personal data', async () => {
    const t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 5 });
    try {
      const logDir = join(dir.dir, 'logs');
      const logger = createFileLogger({ dir: logDir });
      logger.log('info', 'terminal started');
      logger.log('error', 'command failed', {
        ref: 'deadbeef',
        command: 'payment.take',
        error: 'SQLITE_FULL 张丽 13812345678',
      });
      logger.log('warn', 'printer offline', { reason: 'ECONNREFUSED' });
      t.ctx.runtime.diagnostics.configure({ logDir, versions: { app: '0.1.0' } });
      const session = await t.login();

      const errors = await t.must('diagnostics.errors', { session, limit: 10 });
      expect(errors.entries.map((e) => e.message)).toEqual(['printer offline', 'command failed']);
      expect(errors.entries[1]).toMatchObject({
        ref: 'deadbeef',
        command: 'payment.take',
        level: 'error',
      });
      expect(JSON.stringify(errors)).not.toMatch(/张丽|13812345678/);

      const exported = await t.must('diagnostics.export', { session });
      expect(existsSync(exported.file)).toBe(true);
      const bundle = JSON.parse(readFileSync(exported.file, 'utf8')) as {
        kind: string;
        versions: Record<string, string>;
        logs: unknown[];
      };
      expect(bundle.kind).toBe('cashier-diagnostics');
      expect(bundle.versions).toMatchObject({ app: '0.1.0', node: process.versions.node });
      expect(bundle.versions.sqlite).toMatch(/^3\./);
      expect(bundle.logs).toHaveLength(3);
      const text = readFileSync(exported.file, 'utf8');
      expect(text).not.toMatch(/张丽|13812345678/);
      // No household data at all: no names or phone numbers of the demo district.
      const people = t.ctx.db.prepare('SELECT name AS n, phone AS p FROM households').all() as {
        n: string;
        p: string;
      }[];
      for (const { n, p } of people) {
        expect(text).not.toContain(n);
        if (p) expect(text).not.toContain(p);
      }
      expect(recentErrors(t.ctx, 1)).toHaveLength(1);
    } finally {
      t.close();
    }
  });
});
