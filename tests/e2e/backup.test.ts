// Backups at the counter, keyboard only, in headless Chromium against the plain-Node host: a
// supervisor opens 备份与日志 from the F9 menu, backs up now (F5), checks the copy (Enter: integrity
// + hash chain), and a copy damaged on disk afterwards is reported as unfit for a restore.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/terminal';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
const backups = tempDir('cashier-e2e-backups-');

beforeAll(async () => {
  c = await startCounter({ households: 40 });
  page = c.page;
  c.terminal.ctx.runtime.backups.configure({ defaultDir: backups.dir });
}, 180_000);

afterAll(async () => {
  await c?.close();
  backups.cleanup();
});

async function screenIs(name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

const notice = () => page.getByTestId('backup-notice').innerText();
const backupFiles = () => readdirSync(backups.dir).filter((f) => f.endsWith('.sqlite'));

describe('backups from the work menu', () => {
  it('a supervisor backs up now, checks the copy, and a damaged copy is refused', async () => {
    await page.goto(`${c.host.url}/`);
    await expect.poll(() => focusedName(page)).toBe('clerkCode');
    await page.keyboard.type('9001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('888888');
    await page.keyboard.press('Enter');
    await screenIs('openShift');

    await page.keyboard.press('F9');
    await screenIs('menu');
    const items = await page
      .locator('[data-testid^="menu-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    const index = items.indexOf('menu-backup');
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await screenIs('tool');
    await expect.poll(() => page.getByTestId('backup-dir').innerText()).toContain(backups.dir);

    await page.keyboard.press('F5');
    await expect.poll(notice).toMatch(/备份/);
    await expect.poll(() => backupFiles().length).toBe(1);
    await expect.poll(() => page.getByTestId('backup-files').innerText()).toMatch(/手动\s+\d+ KB/);
    await screenshot(page, 'backup-done', 'zh-CN');

    await page.keyboard.press('Enter');
    await expect.poll(notice).toMatch(/检验通过/);

    const file = join(backups.dir, backupFiles()[0]!);
    const bytes = readFileSync(file);
    for (let i = 8192; i < 8192 + 64; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(file, bytes);
    await page.keyboard.press('Enter');
    await expect.poll(notice).toMatch(/检验不通过.*校验和不符，备份后文件被改动过）。不要用它恢复/);
    await screenshot(page, 'backup-damaged', 'zh-CN');

    // F6: the settings; F6 there tests the folder typed (a probe written and removed, nothing saved)
    await page.keyboard.press('F6');
    await expect.poll(() => focusedName(page)).toBe('backupDir');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(backups.dir);
    await page.keyboard.press('F6');
    await expect.poll(notice).toContain(`文件夹可以写入：${backups.dir}（试写的文件已删除）`);
    expect(readdirSync(backups.dir).filter((f) => f.startsWith('.write-test'))).toEqual([]);
    await screenshot(page, 'backup-folder-test', 'zh-CN');
    await page.keyboard.press('Escape');
    expect(c.problems).toEqual([]);
  });
});
