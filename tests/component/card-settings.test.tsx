// @vitest-environment happy-dom-terminal
// Card terminal settings screen (issue 19) on a real ledger: the form's checks (the cursor goes to
// the field that is wrong, nothing is sent), the keyboard (F6 test, F3 save, the port has the cursor
// first), a port that cannot be opened (the server's words, nothing changed), switching the terminal
// off, and the English texts.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CardSettingsPage,
  cardSettingsOf,
  DEFAULT_CARD_FORM,
} from '../../src-renderer/features/card/CardSettingsPage';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeAll(() => {
  dir = tempDir('card-settings-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 5 });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const field = (name: string) => document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const focused = () => document.activeElement?.getAttribute('name') ?? null;
const savedRow = () =>
  (
    t.ctx.db.prepare("SELECT value FROM settings WHERE key = 'cardTerminal'").get() as
      { value: string } | undefined
  )?.value ?? null;

async function settingsPage(language: 'zh-CN' | 'en' = 'zh-CN', first = 'card-port') {
  const client = terminalClient(t);
  const props = screenProps(client, await clerkSession(client, '9001', '888888'));
  renderScreen(<CardSettingsPage {...props} />, language);
  await waitFor(() => expect(screen.getByTestId('card-source').textContent).not.toBe(''));
  await waitFor(() => expect(document.activeElement?.id).toBe(first));
  return { user: userEvent.setup() };
}

/** Replaces a field's text. */
async function retype(user: ReturnType<typeof userEvent.setup>, name: string, text: string) {
  await user.clear(field(name));
  if (text) await user.type(field(name), text);
}

describe('cardSettingsOf (the form → the command input)', () => {
  it('takes ports of every kind and gives ZVT defaults', () => {
    for (const port of ['/dev/ttyUSB0', '/dev/pts/3', '/tmp/zvt-x/zvt-ecr', 'COM3', '\\\\.\\COM12'])
      expect(cardSettingsOf({ ...DEFAULT_CARD_FORM, port })).toEqual({
        settings: {
          path: port,
          baudRate: 9600,
          dataBits: 8,
          stopBits: 2,
          parity: 'none',
          password: '000000',
          currency: 156,
          heartbeatMs: 30_000,
        },
      });
  });

  it('names the first field that is wrong', () => {
    const bad: [Partial<typeof DEFAULT_CARD_FORM>, string][] = [
      [{ port: '' }, 'port'],
      [{ port: 'ttyUSB0' }, 'port'],
      [{ port: '/dev/tty USB0' }, 'port'],
      [{ port: '/dev/ttyS0;reboot' }, 'port'],
      [{ port: 'COM1234' }, 'port'],
      [{ port: '/dev/ttyS0', password: '12345' }, 'password'],
      [{ port: '/dev/ttyS0', password: '12345a' }, 'password'],
      [{ port: '/dev/ttyS0', currency: '0' }, 'currency'],
      [{ port: '/dev/ttyS0', currency: '1000' }, 'currency'],
      [{ port: '/dev/ttyS0', currency: '' }, 'currency'],
      [{ port: '/dev/ttyS0', heartbeatS: '3601' }, 'heartbeat'],
      [{ port: '/dev/ttyS0', heartbeatS: '-1' }, 'heartbeat'],
    ];
    for (const [change, problem] of bad)
      expect(cardSettingsOf({ ...DEFAULT_CARD_FORM, ...change }), JSON.stringify(change)).toEqual({
        problem,
      });
  });
});

describe('the card terminal settings screen', () => {
  it('a wrong field: F6 and F3 say which, the cursor goes there, nothing is sent or saved', async () => {
    const { user } = await settingsPage();
    await user.keyboard('tty USB0');
    await user.keyboard('{F6}');
    await waitFor(() => expect(screen.getByTestId('problem').textContent).toContain('请填写串口'));
    expect(focused()).toBe('card-port');

    await retype(user, 'card-port', '/dev/ttyS0');
    await retype(user, 'card-password', '1234');
    await user.keyboard('{F3}');
    await waitFor(() => expect(screen.getByTestId('problem').textContent).toContain('6 位数字'));
    expect(focused()).toBe('card-password');

    await retype(user, 'card-password', '000000');
    await retype(user, 'card-heartbeat', '7200');
    await user.keyboard('{F6}');
    await waitFor(() => expect(screen.getByTestId('problem').textContent).toContain('0–3600'));
    expect(focused()).toBe('card-heartbeat');

    await retype(user, 'card-heartbeat', '30');
    await user.keyboard('{F3}'); // no PIN yet
    await waitFor(() => expect(screen.getByTestId('problem').textContent).toContain('主管密码'));
    expect(focused()).toBe('supervisorPin');
    expect(screen.queryByTestId('error')).toBeNull(); // nothing went to the main side
    expect(savedRow()).toBeNull();
    expect(t.ctx.runtime.card.attached).toBeNull();
  });

  it('a port that cannot be opened: the server’s words on F6 and F3, nothing changed', async () => {
    const { user } = await settingsPage();
    await user.keyboard('/dev/ttyNOSUCH9');
    await user.keyboard('{F6}');
    await waitFor(() =>
      expect(screen.getByTestId('error').getAttribute('data-code')).toBe('CARD_PORT_UNAVAILABLE'),
    );
    expect(screen.getByTestId('error').textContent).toContain('原设置未改变');
    await user.type(field('supervisorPin'), '888888');
    await user.keyboard('{F3}');
    await waitFor(() => expect(field('supervisorPin').value).toBe('')); // sent, the PIN cleared
    expect(screen.getByTestId('error').getAttribute('data-code')).toBe('CARD_PORT_UNAVAILABLE');
    expect(savedRow()).toBeNull();
    expect(t.ctx.runtime.card.attached).toBeNull();
    expect(screen.getByTestId('card-state').getAttribute('data-state')).toBe('unavailable');
  });

  it('switched off and saved with the PIN (Enter submits): manual entry only, saved on screen', async () => {
    const { user } = await settingsPage();
    await user.click(screen.getByTestId('card-enabled'));
    expect(field('card-port')).toBeNull(); // no port asked for
    expect((screen.getByTestId('card-test') as HTMLButtonElement).disabled).toBe(true);
    await user.type(field('supervisorPin'), '888888{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('card-notice').textContent).toContain('不使用联机刷卡机'),
    );
    expect(savedRow()).toBe('off');
    expect(screen.getByTestId('card-source').textContent).toBe('来源：本屏幕保存的设置');
    // shown again as saved: off
    cleanup();
    const client = terminalClient(t);
    const props = screenProps(client, await clerkSession(client, '9001', '888888'));
    renderScreen(<CardSettingsPage {...props} />);
    await waitFor(() =>
      expect(screen.getByTestId('card-source').textContent).toBe('来源：本屏幕保存的设置'),
    );
    expect(
      (screen.getByTestId('card-enabled') as HTMLButtonElement).getAttribute('aria-checked'),
    ).toBe('false');
  });

  it('in English; a terminal switched off: the cursor starts on the switch', async () => {
    await settingsPage('en', 'card-enabled');
    expect(screen.getByText('Card terminal')).toBeTruthy();
    expect(screen.getByText('Test registration', { exact: false })).toBeTruthy();
    expect(screen.getByTestId('card-source').textContent).toBe('Source: saved on this screen');
  });
});
