// First run (issue 19) on real ledger files and a real head office (PGlite): an empty ledger opened
// by a production shell answers the setup commands only; enrollment with a bad address, a wrong code
// or head office down leaves it as it was; a real code brings clerks, households, seasons, rates and
// the receipt book; a damaged backup is refused with nothing changed, a good one is restored; the
// demo district appears only when asked for; a set-up ledger refuses every setup command.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, type ImportKind } from '../../../head-office/src/import';
import { isInitialPinHash } from '@heating-cashier/core/contract/trust-events';
import { SyncWorker } from '../../../src-main/features/sync/worker';
import { openTerminal } from '../../../src-main/app/open-terminal';
import { backupNow, saveBackupSettings } from '../../../src-main/features/backup/backups';
import { backupFileName } from '../../../src-main/features/backup/backup-rotation';
import {
  importCsv,
  seasonRows,
  startHeadOffice,
  type TestHeadOffice,
} from '../../support/head-office';
import {
  asTestTerminal,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');

let dir: ReturnType<typeof tempDir>;
let ho: TestHeadOffice;
const open: TestTerminal[] = [];

beforeAll(async () => {
  dir = tempDir('cashier-setup-');
  ho = await startHeadOffice('pglite');
}, 60_000);

afterAll(async () => {
  for (const t of open) t.close();
  await ho?.close();
  dir?.cleanup();
});

let n = 0;
/** An empty ledger as the Electron shell and the host without --demo open it. */
function freshCounter(mode: 'setup' | 'demo' | 'none' = 'setup'): TestTerminal {
  const firstRun = mode === 'none' ? undefined : mode;
  const dbFile = join(dir.dir, `counter-${++n}.db`);
  const t = asTestTerminal(
    openTerminal({
      dbFile,
      timeZone: 'Asia/Shanghai',
      demoHouseholds: 10,
      ...(firstRun ? { firstRun } : {}),
    }),
    dbFile,
  );
  open.push(t);
  return t;
}

/** Everything setup could have written: the log, master data, sync state and settings. */
function fingerprint(t: TestTerminal): string {
  const h = createHash('sha256');
  for (const table of [
    'events',
    'clerks',
    'households',
    'seasons',
    'rates',
    'receipt_books',
    'sync_state',
    'settings',
  ])
    h.update(JSON.stringify(t.ctx.db.prepare(`SELECT * FROM ${table}`).all()));
  return h.digest('hex');
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The first log-in's forced PIN change: nothing else runs, weak or mistyped PINs are refused. */
async function forcedPinChange(t: TestTerminal, session: string, current: string, next: string) {
  const code = async (
    name: Parameters<TestTerminal['call']>[0],
    input: Record<string, unknown>,
  ) => {
    const r = await t.call(name, input);
    return r.ok ? 'ok' : r.error.code;
  };
  expect(await code('shift.open', { session, openingFloatFen: 0 })).toBe('PIN_CHANGE_REQUIRED');
  expect(await code('household.search', { session, query: '1' })).toBe('PIN_CHANGE_REQUIRED');
  const change = (pin: string, a: string, b = a) =>
    code('session.changePin', { session, pin, newPin: a, newPinAgain: b });
  for (const [weak, reason] of [
    ['000000', 'repeated'],
    ['123456', 'sequence'],
    ['987654', 'sequence'],
    ['121212', 'repeated'],
    ['12345', 'short'],
    [current, 'same'],
  ] as const) {
    const r = await t.call('session.changePin', {
      session,
      pin: current,
      newPin: weak,
      newPinAgain: weak,
    });
    expect(r.ok ? 'ok' : [r.error.code, r.error.message.en]).toEqual([
      'PIN_WEAK',
      expect.stringContaining('too easy to guess'),
    ]);
    void reason;
  }
  expect(await change(current, next, `${next.slice(0, -1)}9`)).toBe('PIN_MISMATCH');
  expect(await change('999999', next)).toBe('BAD_CREDENTIALS');
  const before = t.ctx.db
    .prepare("SELECT count(*) AS n FROM events WHERE type = 'clerk.pin_changed'")
    .get();
  expect(before).toEqual({ n: 0 });
  expect(await change(current, next)).toBe('ok');
  expect(
    t.ctx.db.prepare("SELECT count(*) AS n FROM events WHERE type = 'clerk.pin_changed'").get(),
  ).toEqual({ n: 1 });
  expect(t.ctx.runtime.integrity.alarmed).toBe(false);
}

describe('first run: the setup gate', () => {
  it('an empty production ledger refuses everything but the setup commands, in both languages', async () => {
    const t = freshCounter();
    expect(await t.must('setup.status', {})).toMatchObject({ required: true, enrolled: false });
    for (const [name, input] of [
      ['terminal.info', {}],
      ['session.login', { clerkCode: '1001', pin: '123456' }],
      ['household.search', { session: 'A'.repeat(40), query: '1' }],
    ] as const) {
      const r = await t.call(name, input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('SETUP_REQUIRED');
        expect(r.error.message['zh-CN']).toContain('向总部入网');
        expect(r.error.message.en).toContain('enroll with head office');
      }
    }
    // no demo district appeared on its own
    expect(t.ctx.terminal.isDemo).toBe(false);
    expect(t.ctx.db.prepare('SELECT count(*) AS n FROM households').get()).toEqual({ n: 0 });
  });

  it('a restart half-way keeps the setup screen; tests and the CLI (no first-run option) are not gated', async () => {
    const t = freshCounter();
    t.close();
    open.splice(open.indexOf(t), 1);
    const again = asTestTerminal(openTerminal({ dbFile: t.dbFile, firstRun: 'setup' }), t.dbFile);
    open.push(again);
    expect(again.ctx.runtime.setup.pending).toBe(true);
    const plain = freshCounter('none');
    expect(plain.ctx.runtime.setup.pending).toBe(false);
    expect((await plain.call('terminal.info', {})).ok).toBe(true);
  });

  it('demo data only when asked for: firstRun demo seeds at once, setup.demo on the screen, each marked DEMO', async () => {
    const seeded = freshCounter('demo');
    expect(seeded.ctx.terminal.isDemo).toBe(true);
    expect(seeded.ctx.runtime.setup.pending).toBe(false);
    const t = freshCounter();
    expect((await t.call('setup.demo', {})).ok).toBe(false); // BAD_INPUT: the confirmation is explicit
    const v = await t.must('setup.demo', { confirm: 'DEMO' });
    expect(v.clerks).toBeGreaterThan(0);
    expect(v.households).toBe(10);
    expect(t.ctx.terminal.isDemo).toBe(true);
    expect((await t.must('terminal.info', {})).isDemo).toBe(true);
    await t.login();
    // set up: no second seeding, no enrollment or restore through the setup commands
    for (const [name, input] of [
      ['setup.demo', { confirm: 'DEMO' }],
      ['setup.enroll', { url: ho.url, code: 'ABCD-EFGH-JKMN-PQRS' }],
      ['setup.restore', { dir: dir.dir, file: 'x.db' }],
    ] as const) {
      const r = await t.call(name, input);
      expect(r.ok ? 'ok' : r.error.code).toBe('SETUP_DONE');
    }
    expect((await t.must('setup.status', {})).required).toBe(false);
  });
});

describe('first run: enrollment with head office', () => {
  it('a bad address, a wrong code or head office down: a clear error and nothing written', async () => {
    const t = freshCounter();
    const before = fingerprint(t);
    const bad = await t.call('setup.enroll', {
      url: 'ftp://head-office',
      code: 'ABCD-EFGH-JKMN-PQRS',
    });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('BAD_INPUT');
    const wrong = await t.call('setup.enroll', { url: ho.url, code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('ENROLL_REFUSED');
    if (!wrong.ok) expect(wrong.error.message['zh-CN']).toContain('入网码不正确');
    const down = await t.call('setup.enroll', {
      url: `http://127.0.0.1:${await closedPort()}`,
      code: await ho.enrollmentCode('down'),
    });
    expect(down.ok ? 'ok' : down.error.code).toBe('HEAD_OFFICE_UNREACHABLE');
    expect(fingerprint(t)).toBe(before);
    expect(await t.must('setup.status', {})).toMatchObject({ required: true, enrolled: false });
  });

  it('a real code: terminal id, key, clerks, receipt book, households, seasons and rates arrive; a payment goes through', async () => {
    const t = freshCounter();
    const id = t.ctx.terminal.id;
    const ok = (kind: ImportKind, rows: string[][]) => importCsv(ho.db, kind, rows);
    await ok('households', [
      ['account_no', 'name', 'community', 'building', 'unit', 'room', 'area_m2', 'category'],
      ['30000001', '周一', '和平里', '1', '1', '101', '80.00', 'residential'],
    ]);
    await ok('seasons', seasonRows(2026));
    await ok('charges', [
      ['account_no', 'season', 'charge', 'paid_before'],
      ['30000001', '2026-2027', '2000.00', '0'],
    ]);
    await ok('clerks', [
      ['code', 'name', 'role', 'pin'],
      ['2001', '吴收费', 'clerk', '471125'],
      ['2901', '郑主管', 'supervisor', '583326'],
    ]);
    // the new counter's id is not known at head office before it enrolls: its receipt book is named
    // on the enrollment code and allocated to whichever terminal uses it
    const issued = await ho.admin('/v1/enrollment-codes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: '新窗口',
        books: [{ clerkCode: '2001', series: 'S', firstNo: 1, lastNo: 50 }],
      }),
    });
    expect(issued.status).toBe(201);
    const { code } = (await issued.json()) as { code: string };
    const v = await t.must('setup.enroll', { url: ho.url, code });
    expect(v).toMatchObject({ terminalId: id, headOfficeUrl: ho.url, books: 1, seasons: 1 });
    expect(v.clerks).toBeGreaterThanOrEqual(2);
    expect(v.households).toBeGreaterThanOrEqual(1);
    expect(t.ctx.runtime.setup.pending).toBe(false);
    expect(
      await ho.db.query('SELECT key_no FROM ho_terminal_keys WHERE terminal_id = $1', [id]),
    ).toEqual([{ key_no: 1 }]);
    // enrolled once: setup cannot run again (no re-seeding a real counter)
    const again = await t.call('setup.enroll', { url: ho.url, code: await ho.enrollmentCode('x') });
    expect(again.ok ? 'ok' : again.error.code).toBe('SETUP_DONE');
    expect(t.ctx.terminal.isDemo).toBe(false);
    // the issued clerk logs in, opens a shift and takes the first payment from the pulled book
    const login = await t.must('session.login', { clerkCode: '2001', pin: '471125' });
    expect(login.mustChangePin).toBe(true);
    const session = login.session;
    await forcedPinChange(t, session, '471125', '830517');
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const paid = await payCash(t, session, 'H30000001', 50_000);
    expect(paid.receiptLabel).toMatch(/^S/);
    // the new PIN reaches head office as a signed event; head office sends it back as the clerk's
    // master row (its signature), so the next pull does not bring the initial PIN back
    expect(await new SyncWorker(t.ctx, { requestTimeoutMs: 5000 }).cycle()).toBe('ok');
    const [ev] = await ho.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ho_events WHERE terminal_id = $1 AND type = 'clerk.pin_changed'",
      [id],
    );
    expect(ev?.n).toBe(1);
    const [hoClerk] = await ho.db.query<{ data: string }>(
      "SELECT data FROM ho_clerks WHERE code = '2001'",
    );
    const hoHash = (JSON.parse(hoClerk!.data) as { pinHash: string }).pinHash;
    expect(isInitialPinHash(hoHash)).toBe(false);
    expect(await new SyncWorker(t.ctx, { requestTimeoutMs: 5000 }).cycle()).toBe('ok');
    const row = t.ctx.db
      .prepare("SELECT pin_hash, signed_by FROM clerks WHERE code = '2001'")
      .get() as { pin_hash: string; signed_by: string };
    expect(row).toEqual({ pin_hash: hoHash, signed_by: 'head-office' });
    const relogin = await t.must('session.login', { clerkCode: '2001', pin: '830517' });
    expect(relogin.mustChangePin).toBe(false);
    const old = await t.call('session.login', { clerkCode: '2001', pin: '471125' });
    expect(old.ok ? 'ok' : old.error.code).toBe('BAD_CREDENTIALS');
    // a restart does not bring the setup screen back
    t.close();
    open.splice(open.indexOf(t), 1);
    const reopened = asTestTerminal(
      openTerminal({ dbFile: t.dbFile, firstRun: 'setup' }),
      t.dbFile,
    );
    open.push(reopened);
    expect(reopened.ctx.runtime.setup.pending).toBe(false);
    expect((await reopened.call('terminal.info', {})).ok).toBe(true);
  });

  it('head office with no clerks for it: enrolled, told what to do, the retry needs no code', async () => {
    const empty = await startHeadOffice('pglite');
    try {
      const t = freshCounter();
      const r = await t.call('setup.enroll', {
        url: empty.url,
        code: await empty.enrollmentCode('空'),
      });
      expect(r.ok ? 'ok' : r.error.code).toBe('SETUP_NO_CLERKS');
      expect(await t.must('setup.status', {})).toMatchObject({ required: true, enrolled: true });
      await importFile(
        empty.db,
        'clerks',
        'csv',
        csv([
          ['code', 'name', 'role', 'pin'],
          ['2002', '冯收费', 'clerk', '602214'],
        ]),
        'c.csv',
      );
      // the code was used up; the retry only downloads
      const v = await t.must('setup.enroll', { url: empty.url, code: 'ABCD-EFGH-JKMN-PQRS' });
      expect(v.clerks).toBe(1);
      expect(t.ctx.runtime.setup.pending).toBe(false);
    } finally {
      await empty.close();
    }
  });
});

describe('first run: restore a backup', () => {
  it('a damaged file is refused with nothing changed; the good one becomes this ledger', async () => {
    // the counter that died: a demo ledger with a payment, its backup on a USB disk
    const oldDb = join(dir.dir, 'old-counter.db');
    const old = openTestTerminal(oldDb, { households: 10 });
    open.push(old);
    const usb = join(dir.dir, 'usb');
    saveBackupSettings(old.ctx, { dir: usb, intervalHours: 24, enabled: false });
    const taken = await backupNow(old.ctx, 'manual');
    const good = taken.file.name;
    // a damaged copy under another valid name, with the good file's checksum
    const damaged = backupFileName(old.ctx.terminal.id, new Date(Date.now() - 60_000), 'manual');
    copyFileSync(join(usb, good), join(usb, damaged));
    const bytes = readFileSync(join(usb, damaged));
    bytes.fill(0x41, 20_000, 20_400);
    writeFileSync(join(usb, damaged), bytes);
    copyFileSync(join(usb, `${good}.sha256`), join(usb, `${damaged}.sha256`));

    const t = freshCounter();
    const listed = await t.must('setup.backups', { dir: usb });
    expect(listed.files.map((f) => f.name).sort()).toEqual([good, damaged].sort());
    const missing = await t.call('setup.backups', { dir: join(dir.dir, 'no-such-usb') });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('SETUP_FOLDER_UNREADABLE');

    const before = fingerprint(t);
    const bad = await t.call('setup.restore', { dir: usb, file: damaged });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('BACKUP_CORRUPT');
    if (!bad.ok) expect(bad.error.message.en).toContain('current ledger is untouched');
    const notThere = await t.call('setup.restore', { dir: usb, file: 'notes.txt' });
    expect(notThere.ok ? 'ok' : notThere.error.code).toBe('BACKUP_NOT_FOUND');
    expect(fingerprint(t)).toBe(before);
    expect(t.ctx.runtime.setup.pending).toBe(true);

    const v = await t.must('setup.restore', { dir: usb, file: good });
    expect(v).toMatchObject({ terminalId: old.ctx.terminal.id, verified: true, households: 10 });
    expect(t.ctx.runtime.setup.pending).toBe(false);
    // the restored ledger works: a clerk logs in and takes a payment; the chain still verifies
    const s = await t.login();
    expect(s).toBeTruthy();
    expect(t.ctx.runtime.integrity.alarmed).toBe(false);
  });
});
