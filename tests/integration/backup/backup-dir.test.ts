// The backup folder as the settings screen sets it (issue 19): backup.testDir checks a folder the way
// a backup would use it and saves nothing; every bad folder is refused with a clear error and changes
// nothing (no folder appears on the local disk for a USB disk that is not plugged in); a folder saved
// is used by the next backup, manual or scheduled, without a restart; one on the ledger's own disk
// is accepted with a warning.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackupSchedule } from '../../../src-main/features/backup/backups';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

let dir: ReturnType<typeof tempDir>;
let shm: string | null = null;
let t: TestTerminal;
let clerk: string;
let sup: string;
const SUP = { supervisorCode: '9001', supervisorPin: '888888' };

const status = () => t.must('backup.status', { session: clerk });

beforeAll(async () => {
  dir = tempDir('backup-dir-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 5 });
  t.ctx.runtime.backups.configure({ defaultDir: join(dir.dir, 'default-backups') });
  clerk = await t.login();
  sup = await t.login('9001', '888888');
  // another disk than the ledger's: /dev/shm (tmpfs) where there is one
  if (existsSync('/dev/shm')) {
    shm = join('/dev/shm', `cashier-backup-dir-${process.pid}`);
    mkdirSync(shm, { recursive: true });
  }
});
afterAll(() => {
  t.close();
  dir.cleanup();
  if (shm) rmSync(shm, { recursive: true, force: true });
});

describe('backup folder: test and save', () => {
  it('every bad folder → a clear error, nothing created, nothing saved', async () => {
    const before = await status();
    const aFile = join(dir.dir, 'a-file');
    writeFileSync(aFile, 'x');
    const unplugged = join(dir.dir, 'media', 'usb0', 'backups'); // its disk is not there
    const cases: [string, string, string | null][] = [
      ['relative/folder', 'BACKUP_DIR_INVALID', 'not an absolute path'],
      [unplugged, 'BACKUP_DIR_INVALID', 'ENOENT'],
      [aFile, 'BACKUP_DIR_INVALID', 'ENOTDIR'],
      [join(aFile, 'sub'), 'BACKUP_DIR_INVALID', 'ENOTDIR'],
      ['', 'BAD_INPUT', null],
      ['   ', 'BAD_INPUT', null],
      ['/tmp/a\0b', 'BAD_INPUT', null],
      ['/' + 'x'.repeat(400), 'BAD_INPUT', null],
    ];
    for (const [folder, code, reason] of cases) {
      const test = await t.call('backup.testDir', { session: sup, dir: folder });
      const set = await t.call('backup.settings.set', {
        session: sup,
        ...SUP,
        dir: folder,
        intervalHours: 24,
        enabled: true,
      });
      for (const r of [test, set]) {
        expect(r.ok ? 'ok' : r.error.code, folder).toBe(code);
        if (!r.ok && reason) {
          expect(r.error.details?.reason).toBe(reason);
          expect(r.error.message['zh-CN']).toContain('请插好U盘或检查网络共享，或换一个文件夹');
        }
      }
    }
    expect(existsSync(join(dir.dir, 'media'))).toBe(false);
    const asClerk = await t.call('backup.testDir', { session: clerk, dir: dir.dir });
    expect(asClerk.ok ? 'ok' : asClerk.error.code).toBe('SUPERVISOR_SESSION_REQUIRED');
    expect((await status()).settings).toEqual(before.settings);
  });

  it('a good folder: test writes and removes a probe, says whether it shares the ledger’s disk, saves nothing', async () => {
    const before = await status();
    const local = join(dir.dir, 'backups-here');
    const r = await t.must('backup.testDir', { session: sup, dir: local });
    expect(r).toMatchObject({ dir: local, created: true, sameDiskAsLedger: true });
    expect(r.message['zh-CN']).toContain('同一块磁盘');
    expect(readdirSync(local)).toEqual([]); // the probe file is gone
    const again = await t.must('backup.testDir', { session: sup, dir: local });
    expect(again.created).toBe(false);
    if (shm) {
      const other = await t.must('backup.testDir', { session: sup, dir: shm });
      expect(other.sameDiskAsLedger).toBe(false);
      expect(other.message['zh-CN']).toBe(`文件夹可以写入：${shm}（试写的文件已删除）。`);
    }
    expect((await status()).settings).toEqual(before.settings);
  });

  it('a folder saved is used by the next backup, manual and scheduled, without a restart', async () => {
    const first = join(dir.dir, 'first');
    const second = join(dir.dir, 'second');
    await t.must('backup.settings.set', {
      session: sup,
      ...SUP,
      dir: first,
      intervalHours: 24,
      enabled: true,
    });
    await t.must('backup.now', { session: clerk });
    expect(readdirSync(first).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
    await t.must('backup.settings.set', {
      session: sup,
      ...SUP,
      dir: second,
      intervalHours: 1,
      enabled: true,
    });
    await t.must('backup.now', { session: clerk });
    expect(readdirSync(second).filter((f) => f.endsWith('-manual.sqlite'))).toHaveLength(1);
    // the last backup was two hours ago: the schedule's next check backs up, into the new folder
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    t.ctx.db.prepare("UPDATE settings SET value = ? WHERE key = 'backup.lastAt'").run(twoHoursAgo);
    const schedule = startBackupSchedule(t.ctx, { checkEveryMs: 3_600_000 });
    try {
      await schedule.tick(); // the schedule reads the folder at each backup
    } finally {
      schedule.stop();
    }
    expect(readdirSync(second).filter((f) => f.endsWith('-auto.sqlite'))).toHaveLength(1);
    expect(readdirSync(first).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
  });
});
