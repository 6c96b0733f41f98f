// @vitest-environment happy-dom-terminal
// Pole display (客显) settings (issue 22): the supervisor switches the display on with a port and
// baud rate; a port that cannot be opened is refused with the reason and nothing changes; the test
// button reports the display's state; everything in zh-CN and English.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PoleSettingsPage } from '../../src-renderer/features/pole/PoleSettingsPage';
import { configurePole, POLE_OFF } from '../../src-main/features/pole/pole-display';
import { startPtyPair, type PtyPair } from '../support/pty';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let pair: PtyPair;

beforeAll(async () => {
  dir = tempDir('pole-settings-');
  pair = await startPtyPair(dir.dir, 'pole');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 5 });
});
afterEach(async () => {
  cleanup();
  await configurePole(t.ctx, POLE_OFF);
});
afterAll(async () => {
  t.close();
  await pair.kill();
  dir.cleanup();
});

async function polePage(language: 'zh-CN' | 'en' = 'zh-CN') {
  const client = terminalClient(t);
  const props = screenProps(client, await clerkSession(client, '9001', '888888'));
  renderScreen(<PoleSettingsPage {...props} />, language);
  await waitFor(() => expect(screen.getByTestId('pole-state').dataset.state).toBe('off'));
  return { user: userEvent.setup() };
}

const portInput = () => screen.getByTestId('pole-port') as HTMLInputElement;
const pinInput = () => document.querySelector<HTMLInputElement>('input[name="supervisorPin"]')!;

describe('pole display settings screen', () => {
  it('is off by default; the test button says to switch it on first', async () => {
    const { user } = await polePage();
    expect(screen.getByText('启用客显')).toBeTruthy();
    expect(screen.getByText('2400')).toBeTruthy();
    await user.click(screen.getByTestId('pole-test'));
    await waitFor(() =>
      expect(screen.getByTestId('pole-notice').textContent).toContain('客显未启用'),
    );
  });

  it('a port that cannot be opened is refused with the reason; nothing changes', async () => {
    const { user } = await polePage();
    await user.click(screen.getByTestId('pole-enabled'));
    await user.type(portInput(), '/dev/ttyNOSUCHPOLE');
    await user.type(pinInput(), '888888');
    await user.click(screen.getByTestId('pole-save'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('无法打开'));
    expect(screen.getByRole('alert').textContent).toContain('原设置未改变');
    const session = await t.login();
    expect(await t.must('pole.settings.get', { session })).toMatchObject({
      enabled: false,
      path: '',
      state: 'off',
    });
  });

  it('no port while switched on is caught on the screen, before anything is sent', async () => {
    const { user } = await polePage();
    await user.click(screen.getByTestId('pole-enabled'));
    await user.type(pinInput(), '888888');
    await user.click(screen.getByTestId('pole-save'));
    expect(screen.getByTestId('problem').textContent).toContain('请选择或输入客显的串口');
  });

  it('the supervisor saves a working port; the test shows 总计 8888.88 and the state', async () => {
    const { user } = await polePage();
    await user.click(screen.getByTestId('pole-enabled'));
    await user.type(portInput(), pair.ecr);
    await user.click(screen.getByText('9600'));
    await user.type(pinInput(), '888888');
    await user.click(screen.getByTestId('pole-save'));
    await waitFor(() =>
      expect(screen.getByTestId('pole-notice').textContent).toContain('客显设置已保存'),
    );
    expect(screen.getByTestId('pole-state').dataset.state).toBe('ready');
    const session = await t.login();
    expect(await t.must('pole.settings.get', { session })).toMatchObject({
      enabled: true,
      path: pair.ecr,
      baudRate: 9600,
    });
    await user.click(screen.getByTestId('pole-test'));
    await waitFor(() =>
      expect(screen.getByTestId('pole-shown').textContent).toContain('总计 8888.88'),
    );
    expect(screen.getByTestId('pole-notice').textContent).toContain('8888.88');
  });

  it('in English too', async () => {
    await polePage('en');
    expect(screen.getByText('Use a pole display')).toBeTruthy();
    expect(screen.getByTestId('pole-state').textContent).toContain('Off');
  });
});
