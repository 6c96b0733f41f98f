// Backups on a real ledger file: online backup while the counter works, the restore drill (verify
// without restoring), restore with a safety copy, and corrupted backups (flipped bytes, an edited
// event, a truncated file, a missing checksum) refused with the live ledger byte-identical.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHead } from '../../../src-main/ledger/event-log';
import { checksumLine, sha256File } from '../../../src-main/features/backup/backup.store';
import { verifyLedger } from '../../../src-main/ledger/verify';
import { backupFileName } from '../../../src-main/features/backup/backup-rotation';
import { queueCommittedReceipts } from '../../../src-main/features/printing/print-queue';
import { backupSettings, startBackupSchedule } from '../../../src-main/features/backup/backups';
import {
  householdsOwing,
  payCash,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let backupDir: string;
let households: string[];
let paid = 0;

async function pay(): Promise<void> {
  await payCash(t, session, households[paid++ % households.length]!, 1_000);
}

/** The live ledger as bytes after a checkpoint, plus the connection's change counter. */
function liveFingerprint(): { sha: string; changes: number; head: number } {
  queueCommittedReceipts(t.ctx); // at rest: the receipts' copies queued (else the next turn does it)
  t.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  const sha = createHash('sha256').update(readFileSync(t.dbFile)).digest('hex');
  const changes = (t.ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  return { sha, changes, head: chainHead(t.ctx.db).seq };
}

/** A copy of `source` under a new valid backup name, optionally damaged, with or without a checksum. */
async function plant(
  source: string,
  minutes: number,
  damage: (file: string) => void,
  checksum: 'before-damage' | 'after-damage' | 'none',
): Promise<string> {
  const name = backupFileName(t.ctx.terminal.id, new Date(Date.now() - minutes * 60_000), 'manual');
  const file = join(backupDir, name);
  copyFileSync(join(backupDir, source), file);
  if (checksum === 'before-damage') {
    writeFileSync(`${file}.sha256`, checksumLine(await sha256File(file), name));
  }
  damage(file);
  if (checksum === 'after-damage') {
    writeFileSync(`${file}.sha256`, checksumLine(await sha256File(file), name));
  }
  return name;
}

beforeAll(async () => {
  dir = tempDir('cashier-backup-');
  backupDir = join(dir.dir, 'usb-disk', 'backups');
  mkdirSync(join(dir.dir, 'usb-disk')); // the disk is plugged in: its backups folder is created
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 30 });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 10_000 });
  households = householdsOwing(t, 5_000, 10);
  for (let i = 0; i < 3; i++) await pay();
});

afterAll(() => {
  t.close();
  dir.cleanup();
});

describe('backups', () => {
  it('without a folder, "back up now" says what to do', async () => {
    const r = await t.call('backup.now', { session });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BACKUP_NOT_CONFIGURED');
      expect(r.error.message['zh-CN']).toContain('备份');
    }
  });

  it('the folder needs a supervisor and an absolute path', async () => {
    const wrong = await t.call('backup.settings.set', {
      session,
      supervisorCode: '1001',
      supervisorPin: '123456',
      dir: backupDir,
      intervalHours: 24,
      enabled: true,
    });
    expect(!wrong.ok && wrong.error.code).toBe('NOT_SUPERVISOR');
    const relative = await t.call('backup.settings.set', {
      session,
      ...SUPERVISOR,
      dir: 'relative/folder',
      intervalHours: 24,
      enabled: true,
    });
    expect(!relative.ok && relative.error.code).toBe('BACKUP_DIR_INVALID');
    const set = await t.must('backup.settings.set', {
      session,
      ...SUPERVISOR,
      dir: backupDir,
      intervalHours: 24,
      enabled: true,
    });
    expect(set).toMatchObject({ dir: backupDir, source: 'settings', intervalHours: 24 });
  });

  it('backs up online: a self-contained file with a sha256sum-compatible checksum', async () => {
    const head = chainHead(t.ctx.db);
    const { file } = await t.must('backup.now', { session });
    expect(file.kind).toBe('manual');
    expect(file.ownTerminal && file.hasChecksum).toBe(true);
    const path = join(backupDir, file.name);
    expect(readFileSync(`${path}.sha256`, 'utf8')).toBe(
      checksumLine(await sha256File(path), file.name),
    );
    // journal_mode DELETE: no -wal file needed to read it; no partial files left behind.
    expect(readdirSync(backupDir).filter((n) => n.includes('partial'))).toEqual([]);
    const check = await t.must('backup.verify', { session, file: file.name });
    expect(check).toMatchObject({
      ok: true,
      problem: null,
      headSeq: head.seq,
      headHash: head.hash,
    });
    const status = await t.must('backup.status', { session });
    expect(status.last.file).toBe(file.name);
    expect(status.files.map((f) => f.name)).toContain(file.name);
  });

  it('restore: refuses to lose newer records unless told, then restores with a safety copy', async () => {
    const { file } = await t.must('backup.now', { session });
    const atBackup = chainHead(t.ctx.db);
    await pay();
    await pay();
    const later = chainHead(t.ctx.db);
    expect(later.seq).toBeGreaterThan(atBackup.seq);

    const before = liveFingerprint();
    const refused = await t.call('backup.restore', { session, ...SUPERVISOR, file: file.name });
    expect(!refused.ok && refused.error.code).toBe('BACKUP_OLDER_THAN_LEDGER');
    if (!refused.ok)
      expect(refused.error.details).toMatchObject({ lost: later.seq - atBackup.seq });
    const afterRefusal = liveFingerprint();
    expect(afterRefusal.sha).toBe(before.sha);
    expect(afterRefusal.changes).toBe(before.changes);

    const restored = await t.must('backup.restore', {
      session,
      ...SUPERVISOR,
      file: file.name,
      acceptLoss: true,
    });
    expect(restored).toMatchObject({
      headSeq: atBackup.seq,
      headHash: atBackup.hash,
      eventsLost: later.seq - atBackup.seq,
      verified: true,
    });
    expect(chainHead(t.ctx.db).seq).toBe(atBackup.seq);
    expect(verifyLedger(t.ctx.db, t.ctx.terminal.id).ok).toBe(true);
    expect(t.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(existsSync(join(backupDir, restored.safetyCopy))).toBe(true);

    // The safety copy brings the newer records back (it is ahead: no loss to accept).
    session = await t.login();
    const undo = await t.must('backup.restore', {
      session,
      ...SUPERVISOR,
      file: restored.safetyCopy,
    });
    expect(undo).toMatchObject({ headSeq: later.seq, headHash: later.hash, eventsLost: 0 });
    session = await t.login();
    await pay(); // the counter goes on working on the same connection
    expect(verifyLedger(t.ctx.db, t.ctx.terminal.id).ok).toBe(true);
  });

  it('restore drill: corrupted backups are detected and refused, the live ledger untouched', async () => {
    const { file: good } = await t.must('backup.now', { session });
    const bytes = readFileSync(join(backupDir, good.name));
    const firstHash = (
      t.ctx.db.prepare('SELECT hash FROM events WHERE seq = 1').get() as { hash: string }
    ).hash;
    expect(bytes.indexOf(Buffer.from(firstHash, 'latin1'))).toBeGreaterThan(0);

    const cases: [
      string,
      (f: string) => void,
      'before-damage' | 'after-damage' | 'none',
      RegExp,
    ][] = [
      [
        'bytes flipped after the backup (checksum)',
        (f) => flip(f, Math.floor(bytes.length / 2), 0xff),
        'before-damage',
        /checksum mismatch/,
      ],
      [
        // One hex digit of an event's stored hash changed, checksum recomputed: only the chain sees it.
        'an event row edited, checksum recomputed (hash chain)',
        (f) => editText(f, firstHash),
        'after-damage',
        /hash chain|integrity_check/,
      ],
      [
        'page headers overwritten, checksum recomputed (integrity_check)',
        (f) => {
          const b = readFileSync(f);
          for (let p = 4096; p < b.length; p += 4096) b.fill(0xa5, p, p + 16);
          writeFileSync(f, b);
        },
        'after-damage',
        /integrity_check|not a readable|malformed|hash chain/,
      ],
      [
        'truncated to half, checksum recomputed',
        (f) => truncateSync(f, Math.floor(bytes.length / 2 / 4096) * 4096),
        'after-damage',
        /integrity_check|not a readable|malformed|hash chain/,
      ],
      ['checksum file missing', () => {}, 'none', /checksum file missing/],
    ];

    let minutes = 10;
    for (const [label, damage, checksum, problem] of cases) {
      const name = await plant(good.name, (minutes += 10), damage, checksum);
      const before = liveFingerprint();

      const drill = await t.must('backup.verify', { session, file: name });
      expect(drill.ok, label).toBe(false);
      expect(drill.problem, label).toMatch(problem);
      if (process.env.BACKUP_TEST_VERBOSE) console.log(`${label}: ${drill.problem}`);

      const restore = await t.call('backup.restore', {
        session,
        ...SUPERVISOR,
        file: name,
        acceptLoss: true,
      });
      expect(restore.ok, label).toBe(false);
      if (!restore.ok) {
        expect(restore.error.code, label).toBe('BACKUP_CORRUPT');
        expect(restore.error.message['zh-CN'], label).toContain('当前数据未改动');
      }
      const after = liveFingerprint();
      expect(after, `${label}: live ledger untouched`).toEqual(before);
    }
    // No working copies left next to the live ledger.
    expect(readdirSync(dir.dir).filter((n) => n.startsWith('.verify-'))).toEqual([]);
    // And the good one still passes the drill.
    expect((await t.must('backup.verify', { session, file: good.name })).ok).toBe(true);
  });

  it('file names from the client cannot leave the backup folder', async () => {
    for (const file of ['../ledger.db', '/etc/passwd', 'cashier-x.sqlite', '..\\..\\x.sqlite']) {
      const r = await t.call('backup.verify', { session, file });
      expect(!r.ok && r.error.code).toBe('BAD_INPUT');
    }
    const missing = await t.call('backup.verify', {
      session,
      file: backupFileName(t.ctx.terminal.id, new Date('2020-01-01T00:00:00Z'), 'auto'),
    });
    expect(!missing.ok && missing.error.code).toBe('BACKUP_NOT_FOUND');
  });

  it('a backup of another terminal is refused over a ledger with real records', async () => {
    const other = openTestTerminal(join(dir.dir, 'other.db'), { households: 5 });
    try {
      mkdirSync(join(dir.dir, 'other-backups'));
      other.ctx.runtime.backups.configure({ defaultDir: join(dir.dir, 'other-backups') });
      // Not a demo ledger any more: mark it real for this check.
      other.ctx.terminal = { ...other.ctx.terminal, isDemo: false };
      const s = await other.login();
      const own = await t.must('backup.now', { session });
      copyFileSync(join(backupDir, own.file.name), join(dir.dir, 'other-backups', own.file.name));
      copyFileSync(
        join(backupDir, `${own.file.name}.sha256`),
        join(dir.dir, 'other-backups', `${own.file.name}.sha256`),
      );
      const r = await other.call('backup.restore', {
        session: s,
        ...SUPERVISOR,
        file: own.file.name,
      });
      if (chainHead(other.ctx.db).seq > 0) {
        expect(!r.ok && r.error.code).toBe('BACKUP_OTHER_TERMINAL');
      }
      // On a demo ledger (a new PC after a disk failure) the other terminal's backup is welcome.
      other.ctx.terminal = { ...other.ctx.terminal, isDemo: true };
      const s2 = await other.login();
      const ok = await other.must('backup.restore', {
        session: s2,
        ...SUPERVISOR,
        file: own.file.name,
      });
      expect(ok.verified).toBe(true);
      expect(other.ctx.terminal.id).toBe(t.ctx.terminal.id);
    } finally {
      other.close();
    }
  });

  it('the schedule backs up when due and not before', async () => {
    let now = new Date('2030-01-01T03:00:00Z');
    const s = openTestTerminal(join(dir.dir, 'scheduled.db'), { households: 5, clock: () => now });
    try {
      const folder = join(dir.dir, 'scheduled-backups');
      s.ctx.runtime.backups.configure({ defaultDir: folder });
      expect(backupSettings(s.ctx)).toMatchObject({
        dir: folder,
        source: 'default',
        intervalHours: 24,
      });
      const schedule = startBackupSchedule(s.ctx, { checkEveryMs: 3_600_000 });
      try {
        const count = () => readdirSync(folder).filter((n) => n.endsWith('-auto.sqlite')).length;
        await schedule.tick();
        expect(count()).toBe(1);
        now = new Date('2030-01-01T20:00:00Z');
        await schedule.tick();
        expect(count()).toBe(1); // not due yet
        // 40 days of daily backups: rotation keeps the last 30 days (+ the month's newest).
        for (let d = 1; d <= 40; d++) {
          now = new Date(Date.parse('2030-01-01T03:00:00Z') + d * 86_400_000);
          await schedule.tick();
        }
        const kept = readdirSync(folder).filter((n) => n.endsWith('-auto.sqlite'));
        expect(kept.length).toBeGreaterThanOrEqual(30);
        expect(kept.length).toBeLessThanOrEqual(32);
        expect(readdirSync(folder).filter((n) => n.endsWith('.sha256')).length).toBe(kept.length);
      } finally {
        schedule.stop();
      }
    } finally {
      s.close();
    }
  });
});

describe('backup retention (issue 21, defect 8)', () => {
  it('manual and automatic backups are retained independently: a manual backup never removes the only automatic one', async () => {
    let now = new Date('2030-03-01T01:00:00Z');
    const s = openTestTerminal(join(dir.dir, 'retention.db'), { households: 5, clock: () => now });
    try {
      const folder = join(dir.dir, 'retention-backups');
      s.ctx.runtime.backups.configure({ defaultDir: folder });
      const ofKind = (kind: string) =>
        readdirSync(folder).filter((n) => n.endsWith(`-${kind}.sqlite`));
      const schedule = startBackupSchedule(s.ctx, { checkEveryMs: 3_600_000 });
      try {
        await schedule.tick(); // the terminal's only automatic backup
      } finally {
        schedule.stop();
      }
      const auto = ofKind('auto');
      expect(auto).toHaveLength(1);
      // The clerk's first manual backup, the same day: the automatic one stays.
      now = new Date('2030-03-01T05:00:00Z');
      const first = await s.must('backup.now', { session: await s.login() });
      expect(first.removed).toEqual([]);
      expect(ofKind('auto')).toEqual(auto);
      // More manual backups that day replace the earlier manual one of the day, never the automatic one.
      now = new Date('2030-03-01T07:00:00Z');
      const second = await s.must('backup.now', { session: await s.login() });
      expect(second.removed).toEqual([first.file.name]);
      expect(ofKind('auto')).toEqual(auto);
      expect(ofKind('manual')).toEqual([second.file.name]);
      // …and the next day's automatic backup keeps the newest manual one.
      now = new Date('2030-03-02T08:00:00Z'); // due 24 h after the last backup
      const schedule2 = startBackupSchedule(s.ctx, { checkEveryMs: 3_600_000 });
      try {
        await schedule2.tick();
      } finally {
        schedule2.stop();
      }
      expect(ofKind('auto')).toHaveLength(2);
      expect(ofKind('manual')).toEqual([second.file.name]);
    } finally {
      s.close();
    }
  });
});

function flip(file: string, at: number, mask: number): void {
  const b = readFileSync(file);
  b[at] = b[at]! ^ mask;
  writeFileSync(file, b);
}

/** Changes one hex digit of `hash` wherever the text occurs in the file (row and any index entry). */
function editText(file: string, hash: string): void {
  const b = readFileSync(file);
  const needle = Buffer.from(hash, 'latin1');
  let at = b.indexOf(needle);
  while (at >= 0) {
    b[at + 10] = b[at + 10] === 0x30 ? 0x31 : 0x30;
    at = b.indexOf(needle, at + 1);
  }
  writeFileSync(file, b);
}
