// @vitest-environment happy-dom-terminal
// Backup settings (issue 19) on a real ledger: F6 opens the settings, F6 there tests the folder
// typed (a probe written and removed, nothing saved) and says so, with a warning when it shares the
// ledger's disk; an empty folder is a problem at once; a folder whose disk is not there is refused in
// the server's words and nothing appears on the local disk.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackupPage } from '../../src-renderer/features/backup/BackupPage';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeAll(() => {
  dir = tempDir('backup-settings-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 5 });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const folderField = () => document.querySelector<HTMLInputElement>('input[name="backupDir"]')!;

async function settingsForm() {
  const client = terminalClient(t);
  const props = screenProps(client, await clerkSession(client, '9001', '888888'));
  renderScreen(<BackupPage {...props} />);
  await screen.findByTestId('backup-summary');
  const user = userEvent.setup();
  await user.keyboard('{F6}');
  await waitFor(() => expect(document.activeElement).toBe(folderField()));
  return user;
}

describe('backup folder test button', () => {
  it('an empty folder: a problem at once; F6 on a folder: written, removed, the shared disk named', async () => {
    const user = await settingsForm();
    await user.clear(folderField());
    await user.keyboard('{F6}');
    await waitFor(() => expect(screen.getByTestId('problem')).toBeTruthy());
    const folder = join(dir.dir, 'backups-here');
    await user.type(folderField(), folder);
    await user.keyboard('{F6}');
    const notice = await screen.findByText(/文件夹已新建，可以写入/);
    expect(notice.textContent).toContain('同一块磁盘');
    expect(readdirSync(folder)).toEqual([]);
    expect((await t.must('backup.status', { session: await t.login() })).settings.source).not.toBe(
      'settings',
    );
  });

  it('a folder on a disk that is not there: the server’s words, nothing created', async () => {
    const user = await settingsForm();
    const unplugged = join(dir.dir, 'usb0', 'backups');
    await user.clear(folderField());
    await user.type(folderField(), unplugged);
    await user.keyboard('{F6}');
    await waitFor(() =>
      expect(screen.getByTestId('error').getAttribute('data-code')).toBe('BACKUP_DIR_INVALID'),
    );
    expect(screen.getByTestId('error').textContent).toContain('请插好U盘');
    expect(existsSync(join(dir.dir, 'usb0'))).toBe(false);
  });
});
