// @vitest-environment happy-dom-terminal
// Counter updates on screen (README "Updates / 更新"): the supervisor's panel on the head-office
// screen checks with the supervisor's PIN and shows a refusal with what to do (a real terminal; the
// port stands for electron-updater, which needs the Electron binary); the status bar's part says an
// update waits for the customer, in zh-CN and English.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpdateNotice } from '../../src-renderer/features/updates/UpdateNotice';
import { UpdatePanel } from '../../src-renderer/features/updates/UpdatePanel';
import { attachUpdater } from '../../src-main/features/updates/updates';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeAll(() => {
  dir = tempDir('update-panel-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 3 });
});
afterEach(() => cleanup());
afterAll(() => {
  t.close();
  dir.cleanup();
});

async function panel(language: 'zh-CN' | 'en' = 'zh-CN') {
  const client = terminalClient(t);
  const props = screenProps(client, await clerkSession(client));
  renderScreen(<UpdatePanel {...props} />, language);
  return { user: userEvent.setup() };
}

describe('the update panel', () => {
  it('in the web version says updates come with the desktop app and offers no check', async () => {
    await panel();
    await waitFor(() =>
      expect(screen.getByTestId('update-phase').textContent).toBe(
        '仅桌面版程序可自动更新（当前为网页版）',
      ),
    );
    expect(screen.getByRole('button', { name: '检查更新' }).hasAttribute('disabled')).toBe(true);
  });

  it('checks with the supervisor PIN and shows a refusal with what to do, in both languages', async () => {
    // a terminal not enrolled: nothing to check a signature against, the feed is not asked
    let asked = 0;
    attachUpdater(t.ctx, { check: async () => void asked++, install: () => {} }, '1.0.0');
    const { user } = await panel();
    await waitFor(() => expect(screen.getByTestId('update-phase').textContent).toBe('尚未检查'));
    await user.type(
      document.querySelector<HTMLInputElement>('input[name="updateSupervisorCode"]')!,
      '9001',
    );
    await user.type(
      document.querySelector<HTMLInputElement>('input[name="updateSupervisorPin"]')!,
      '888888{Enter}',
    );
    const refused = await screen.findByTestId('update-refused');
    expect(refused.dataset.refusal).toBe('not_enrolled');
    expect(asked).toBe(0);
    expect(refused.textContent).toContain('本机尚未入网，无法验证总部签名。请先在本页入网');
    expect(refused.textContent).toContain('本机照常收费');
    expect(screen.getByTestId('update-phase').textContent).toBe('已拒绝（不会安装）');
    // the same in English
    cleanup();
    await panel('en');
    const en = await screen.findByTestId('update-refused');
    expect(en.textContent).toContain('This terminal is not enrolled');
  });
});

describe('the status bar part', () => {
  it('says the update waits for the customer and installs before the next one; nothing when idle', () => {
    renderScreen(
      <UpdateNotice update={{ phase: 'waiting', version: '2.1.0', waitingFor: ['customer'] }} />,
    );
    expect(screen.getByTestId('status-update').textContent).toBe(
      '更新更新 2.1.0 已下载，等当前顾客结账结束后、下一位顾客之前安装',
    );
    cleanup();
    renderScreen(
      <UpdateNotice update={{ phase: 'waiting', version: '2.1.0', waitingFor: [] }} />,
      'en',
    );
    expect(screen.getByTestId('status-update').textContent).toBe(
      'UpdateUpdate 2.1.0 downloaded; installs before the next customer',
    );
    cleanup();
    renderScreen(<UpdateNotice update={{ phase: 'up_to_date', version: null, waitingFor: [] }} />);
    expect(screen.queryByTestId('status-update')).toBeNull();
  });
});
