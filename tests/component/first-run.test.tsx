// @vitest-environment happy-dom-terminal
// First run (issue 19) on real ledgers: the setup screen's keys (F1 enroll, Esc back, F3 demo) and
// checks before anything is sent (a mistyped code changes nothing); the first log-in's PIN change:
// a mismatch caught on screen, an easy PIN refused in the main side's words, then saved.
import { join } from 'node:path';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_PIN_MARK } from '@heating-cashier/core/contract/trust-events';
import { openTerminal } from '../../src-main/app/open-terminal';
import { hashPin } from '../../src-main/features/session/auth';
import { insertClerk } from '../../src-main/features/session/clerks.store';
import { ChangePinPage } from '../../src-renderer/features/login/ChangePinPage';
import { SetupPage } from '../../src-renderer/features/setup/SetupPage';
import { renderScreen } from '../support/render';
import { clerkSession, terminalClient } from '../support/renderer-client';
import { asTestTerminal, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
const open: TestTerminal[] = [];
beforeAll(() => {
  dir = tempDir('first-run-ui-');
});
afterEach(cleanup);
afterAll(() => {
  for (const t of open) t.close();
  dir.cleanup();
});

const events = (t: TestTerminal) =>
  (t.ctx.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
const focused = () => document.activeElement?.getAttribute('name') ?? null;

describe('setup screen', () => {
  it('F1: a mistyped code is caught on screen, nothing sent; Esc back; F3 makes the DEMO ledger', async () => {
    const dbFile = join(dir.dir, 'setup.db');
    const t = asTestTerminal(
      openTerminal({ dbFile, firstRun: 'setup', demoHouseholds: 5 }),
      dbFile,
    );
    open.push(t);
    const client = terminalClient(t);
    const view = await t.must('setup.status', {});
    let done = 0;
    renderScreen(<SetupPage client={client} view={view} onDone={() => (done += 1)} />);
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId('setup-enroll')).toBe(document.activeElement));
    const before = events(t);
    await user.keyboard('{F1}');
    await waitFor(() => expect(focused()).toBe('headOfficeUrl'));
    await user.keyboard('http://127.0.0.1:5480{Tab}1234-5678{Enter}');
    await screen.findByText(/16 位字母或数字/);
    expect(events(t)).toBe(before);
    expect(t.ctx.runtime.setup.pending).toBe(true);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.getByTestId('setup-enroll')).toBe(document.activeElement));
    await user.keyboard('{F3}');
    await waitFor(() =>
      expect(screen.getByTestId('setup-demo-confirm')).toBe(document.activeElement),
    );
    await user.keyboard('{Enter}');
    const doneBox = await screen.findByTestId('setup-done');
    expect(doneBox.textContent).toContain('演示账本已生成');
    expect(doneBox.textContent).toContain('用户 5 户');
    expect(t.ctx.terminal.isDemo).toBe(true);
    expect(t.ctx.runtime.setup.pending).toBe(false);
    await user.keyboard('{Enter}');
    expect(done).toBe(1);
  });
});

describe('first log-in with an initial PIN', () => {
  it('a mismatch is caught on screen, 000000 refused by the main side, then the new PIN is saved', async () => {
    const t = openTestTerminal(join(dir.dir, 'pin.db'), { households: 5 });
    open.push(t);
    insertClerk(t.ctx.db, {
      id: 'C3001',
      code: '3001',
      name: '李收费',
      role: 'clerk',
      pin_hash: `${hashPin('471125')}${INITIAL_PIN_MARK}`,
    });
    const client = terminalClient(t);
    const session = await clerkSession(client, '3001', '471125');
    let saved = 0;
    renderScreen(<ChangePinPage client={client} session={session} onDone={() => (saved += 1)} />);
    const user = userEvent.setup();
    await waitFor(() => expect(focused()).toBe('currentPin'));
    const before = events(t);
    await user.keyboard('471125{Tab}830517{Tab}830518{Enter}');
    await screen.findByText(/两次输入的新密码不一致/);
    expect(focused()).toBe('newPinAgain');
    expect(events(t)).toBe(before);
    await user.keyboard('{Shift>}{Tab}{/Shift}');
    await user.clear(document.activeElement as HTMLInputElement);
    await user.keyboard('000000{Tab}000000{Enter}');
    const refused = await screen.findByTestId('error');
    expect(refused.getAttribute('data-code')).toBe('PIN_WEAK');
    expect(refused.textContent).toContain('数字全部相同');
    expect(focused()).toBe('newPin');
    await user.keyboard('830517{Tab}830517{Enter}');
    await waitFor(() => expect(saved).toBe(1));
    expect(events(t)).toBe(before + 1);
    expect((await t.call('session.login', { clerkCode: '3001', pin: '830517' })).ok).toBe(true);
  });
});
