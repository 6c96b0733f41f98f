// @vitest-environment happy-dom-terminal
// Printer settings (issue 21): the receipt is written in triplicate (一式三联); the supervisor picks
// how many parts print, each named, and the setting is saved through printer.settings.set.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrinterSettingsPage } from '../../src-renderer/features/printer/PrinterSettingsPage';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeAll(() => {
  dir = tempDir('printer-settings-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 5 });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const partsRadio = (value: number) =>
  document.querySelector<HTMLInputElement>(`input[name="receiptParts"][value="${value}"]`);

async function settingsPage(language: 'zh-CN' | 'en' = 'zh-CN') {
  const client = terminalClient(t);
  const props = screenProps(client, await clerkSession(client, '9001', '888888'));
  renderScreen(<PrinterSettingsPage {...props} />, language);
  await waitFor(() => expect(partsRadio(3)?.checked).toBe(true));
  return { user: userEvent.setup(), client, props };
}

describe('receipt parts on the printer settings screen', () => {
  it('offers 1–3 parts, each named; three (一式三联) by default', async () => {
    await settingsPage();
    expect(screen.getByText('收据联数（一式三联）')).toBeTruthy();
    expect(screen.getByText('1 联 客户联')).toBeTruthy();
    expect(screen.getByText('2 联 +存根联')).toBeTruthy();
    expect(screen.getByText('3 联 +记账联')).toBeTruthy();
  });

  it('the supervisor saves two parts; the terminal then prints two', async () => {
    const { user } = await settingsPage();
    await user.click(screen.getByText('2 联 +存根联'));
    await user.type(
      document.querySelector<HTMLInputElement>('input[name="supervisorPin"]')!,
      '888888',
    );
    await user.click(screen.getByTestId('printer-save'));
    await waitFor(() =>
      expect(screen.getByTestId('printer-notice').textContent).toContain('已保存'),
    );
    const session = (await t.must('session.login', { clerkCode: '1001', pin: '123456' })).session;
    expect((await t.must('printer.settings.get', { session })).receiptParts).toBe(2);
    expect(partsRadio(2)?.checked).toBe(true);
  });

  it('in English too', async () => {
    await settingsPage('en');
    expect(screen.getByText('Receipt parts (triplicate)')).toBeTruthy();
    expect(screen.getByText('3: + accounting copy')).toBeTruthy();
  });
});
