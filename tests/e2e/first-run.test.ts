// First run (issue 19) in headless Chromium against the plain-Node host opened as a production shell
// opens it (an empty ledger, no --demo): the setup screen, keyboard only. Enrollment against a real
// head office (PGlite) brings clerks, the receipt book and households; the issued clerk logs in,
// opens a shift and takes the first payment, which reaches head office. A second empty counter
// restores a backup: a damaged file is refused with the screen still there, the good one restores.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportKind } from '../../head-office/src/import';
import { openTerminal, type OpenTerminal } from '../../src-main/app/open-terminal';
import { backupNow, saveBackupSettings } from '../../src-main/features/backup/backups';
import { backupFileName } from '../../src-main/features/backup/backup-rotation';
import { startHost, type Host } from '../../src-main/host/server';
import {
  importCsv,
  seasonRows,
  startHeadOffice,
  type TestHeadOffice,
} from '../support/head-office';
import { openTestTerminal, tempDir } from '../support/terminal';
import { buildRenderer, focusedName, launchBrowser, screenshot } from './support';

let dir: ReturnType<typeof tempDir>;
let staticDir: string;
let ho: TestHeadOffice;
const closers: (() => Promise<void> | void)[] = [];

/** An empty ledger opened the way the Electron shell and `host/main.ts` without --demo open it. */
async function emptyCounter(name: string, sync: boolean) {
  const terminal: OpenTerminal = openTerminal({
    dbFile: join(dir.dir, `${name}.db`),
    firstRun: 'setup',
    timeZone: 'Asia/Shanghai',
    ...(sync ? { sync: { intervalMs: 200, backoffBaseMs: 20, backoffCapMs: 200 } } : {}),
  });
  const host: Host = await startHost({ ctx: terminal.ctx, port: 0, staticDir });
  const browser = await launchBrowser();
  closers.push(
    () => browser.close(),
    () => host.close(),
    () => terminal.close(),
  );
  return { terminal, host, page: browser.page, problems: browser.problems };
}

beforeAll(async () => {
  dir = tempDir('cashier-e2e-setup-');
  staticDir = join(dir.dir, 'renderer');
  buildRenderer(staticDir);
  ho = await startHeadOffice('pglite');
}, 240_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await ho?.close();
  dir?.cleanup();
});

async function screenIs(page: Page, name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

describe('first run at a new counter', () => {
  it('setup screen → enrollment with head office → login with the issued PIN, forced PIN change → first payment, synced', async () => {
    const c = await emptyCounter('new-counter', true);
    const { page } = c;
    const id = c.terminal.ctx.terminal.id;
    // head office has the district, a clerk with a PIN it issued, and a book for this counter
    const ok = (kind: ImportKind, rows: string[][]) => importCsv(ho.db, kind, rows);
    await ok('households', [
      ['account_no', 'name', 'community', 'building', 'unit', 'room', 'area_m2', 'category'],
      ['40000001', '王五', '春晖园', '2', '1', '302', '80.00', 'residential'],
    ]);
    await ok('seasons', seasonRows(2026));
    await ok('charges', [
      ['account_no', 'season', 'charge', 'paid_before'],
      ['40000001', '2026-2027', '2000.00', '0'],
    ]);
    await ok('clerks', [
      ['code', 'name', 'role', 'pin'],
      ['3001', '李收费', 'clerk', '471125'],
    ]);

    await page.goto(`${c.host.url}/`);
    await screenIs(page, 'setup');
    await expect.poll(() => page.locator('.setup-panel').innerText()).toContain('新收费终端设置');
    expect(
      await page.getByTestId('setup-enroll').evaluate((e) => e === document.activeElement),
    ).toBe(true);
    await screenshot(page, 'first-run-setup', 'zh-CN');
    await page.keyboard.press('F10');
    await expect
      .poll(() => page.locator('.setup-panel').innerText())
      .toContain('Set up this counter');
    await screenshot(page, 'first-run-setup', 'en');
    await page.keyboard.press('F10');
    // nothing else answers meanwhile: no login screen, the API refuses
    expect(await page.locator('input[name="clerkCode"]').count()).toBe(0);

    await page.keyboard.press('F1');
    await expect.poll(() => focusedName(page)).toBe('headOfficeUrl');
    await page.keyboard.type(ho.url);
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('enrollmentCode');
    await page.keyboard.type('1234-5678'); // mistyped: caught on the screen
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.setup-panel').innerText()).toContain('16 位字母或数字');
    await page.locator('input[name="enrollmentCode"]').fill('zzzz-zzzz-zzzz-zzzz');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.setup-panel').innerText()).toContain('入网码不正确');
    await screenshot(page, 'first-run-enroll-refused', 'zh-CN');
    // the receipt book travels on the code (the new counter's id is not known before it enrolls)
    const issued = await ho.admin('/v1/enrollment-codes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: '新窗口',
        books: [{ clerkCode: '3001', series: 'N', firstNo: 1, lastNo: 100 }],
      }),
    });
    expect(issued.status).toBe(201);
    const { code } = (await issued.json()) as { code: string };
    await page.locator('input[name="enrollmentCode"]').fill(code.toLowerCase());
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('setup-done').innerText()).toContain('入网完成');
    expect(await page.getByTestId('setup-done').innerText()).toContain('收费员 1 人');
    await screenshot(page, 'first-run-enrolled', 'zh-CN');
    await page.keyboard.press('Enter');
    await screenIs(page, 'login');

    // the clerk head office issued logs in with its PIN and opens a shift
    await expect.poll(() => focusedName(page)).toBe('clerkCode');
    await page.keyboard.type('3001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('471125');
    await page.keyboard.press('Enter');
    // head office issued that PIN: a new one first (current, new, new again), an easy one refused
    await screenIs(page, 'changePin');
    await expect.poll(() => focusedName(page)).toBe('currentPin');
    await screenshot(page, 'first-run-pin-change', 'zh-CN');
    await page.keyboard.type('471125');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123456');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('error').getAttribute('data-code')).toBe('PIN_WEAK');
    expect(await page.getByTestId('error').innerText()).toContain('太容易被猜到');
    await expect.poll(() => focusedName(page)).toBe('newPin');
    await page.keyboard.type('830517');
    await page.keyboard.press('Tab');
    await page.keyboard.type('830517');
    await page.keyboard.press('Enter');
    await screenIs(page, 'openShift');
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    await screenIs(page, 'search');

    // first payment: account no, Enter, Enter, tendered, Enter
    await page.locator('input[name="search"]').focus();
    await page.keyboard.type('40000001');
    await expect
      .poll(() => page.getByTestId('search-results').getAttribute('data-query'))
      .toBe('40000001');
    await page.keyboard.press('Enter');
    await screenIs(page, 'account');
    await page.keyboard.press('Enter');
    await screenIs(page, 'payment');
    await expect.poll(() => focusedName(page)).toBe('tender-1-tendered');
    await page.keyboard.type('2000');
    await page.keyboard.press('Enter');
    await screenIs(page, 'success');
    const label = await page.getByTestId('success-receipt').innerText();
    expect(label).toContain('N');

    // at head office: the receipt arrived from this terminal
    await expect
      .poll(
        async () =>
          (
            await ho.db.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM ho_events WHERE terminal_id = $1 AND type = 'receipt.issued'",
              [id],
            )
          )[0]?.n,
        { timeout: 20_000 },
      )
      .toBe(1);
    // the new PIN went with it; head office keeps it (no initial-PIN mark) for the next pulls
    const [clerk] = await ho.db.query<{ data: string }>(
      "SELECT data FROM ho_clerks WHERE code = '3001'",
    );
    const pinHash = (JSON.parse(clerk!.data) as { pinHash: string }).pinHash;
    expect(pinHash.endsWith('$initial')).toBe(false);
    expect(
      await ho.db.query(
        "SELECT type FROM ho_events WHERE terminal_id = $1 AND type = 'clerk.pin_changed'",
        [id],
      ),
    ).toEqual([{ type: 'clerk.pin_changed' }]);
    expect(c.problems).toEqual([]);
  });

  it('restore from a backup: a damaged file is refused, the setup screen stays; the good one restores', async () => {
    // the counter that died, and its backups on a USB disk
    const oldDb = join(dir.dir, 'old.db');
    const old = openTestTerminal(oldDb, { households: 12 });
    closers.push(() => old.close());
    const usb = join(dir.dir, 'usb');
    saveBackupSettings(old.ctx, { dir: usb, intervalHours: 24, enabled: false });
    const good = (await backupNow(old.ctx, 'manual')).file.name;
    const damaged = backupFileName(old.ctx.terminal.id, new Date(Date.now() + 60_000), 'manual');
    const bytes = readFileSync(join(usb, good));
    bytes.fill(0x41, 20_000, 20_400);
    writeFileSync(join(usb, damaged), bytes);
    copyFileSync(join(usb, `${good}.sha256`), join(usb, `${damaged}.sha256`));

    const c = await emptyCounter('replacement', false);
    const { page } = c;
    await page.goto(`${c.host.url}/`);
    await screenIs(page, 'setup');
    await page.keyboard.press('F2');
    await expect.poll(() => focusedName(page)).toBe('backupDir');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(usb);
    await page.keyboard.press('Enter');
    // newest first: the damaged one has focus
    await expect.poll(() => page.locator('.setup-backup').count()).toBe(2);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-file')))
      .toBe(damaged);
    await screenshot(page, 'first-run-restore', 'zh-CN');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('error').getAttribute('data-code'))
      .toBe('BACKUP_CORRUPT');
    await screenIs(page, 'setup');
    expect(c.terminal.ctx.runtime.setup.pending).toBe(true);
    await screenshot(page, 'first-run-restore-refused', 'zh-CN');

    await page.locator(`.setup-backup[data-file="${good}"]`).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('setup-done').innerText())
      .toContain('备份已校验并恢复');
    expect(await page.getByTestId('setup-done').innerText()).toContain('用户 12 户');
    await page.keyboard.press('Enter');
    await screenIs(page, 'login');
    expect(c.terminal.ctx.terminal.id).toBe(old.ctx.terminal.id);
    // the restored demo ledger says so
    await expect.poll(() => page.getByTestId('demo-badge').count()).toBe(1);
    await page.keyboard.type('1001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await screenIs(page, 'openShift');
    expect(c.problems).toEqual([]);
  });
});
