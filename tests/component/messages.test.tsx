// @vitest-environment happy-dom-terminal
// Result and problem messages follow the language (issue 21, defect 7), on a real ledger: a message
// already on the screen reads in English once the clerk switches with F10 (i18n.changeLanguage,
// what F10 calls), and in Chinese again when switching back.
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HeatingRulesPage } from '../../src-renderer/features/rules/HeatingRulesPage';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let accounts: string[];

beforeAll(() => {
  dir = tempDir('messages-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 10 });
  // households without arrears from the previous season (a no-heat application needs them cleared)
  accounts = (
    t.ctx.db
      .prepare(
        `SELECT h.account_no FROM households h
         JOIN charges c ON c.household_id = h.id AND c.season_id = 'S2025'
         WHERE c.charge_fen <= c.paid_elsewhere_fen ORDER BY h.num LIMIT 2`,
      )
      .all() as { account_no: string }[]
  ).map((r) => r.account_no);
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const input = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
const HAN = /\p{Script=Han}/u;

async function rulesPage() {
  const client = terminalClient(t);
  const props = screenProps(client, await clerkSession(client, '9001', '888888'));
  const { i18n } = renderScreen(<HeatingRulesPage {...props} />);
  return { user: userEvent.setup(), i18n };
}

describe('messages follow the language', () => {
  it('a no-heat result shown in Chinese reads in English after F10, and in Chinese again', async () => {
    const { user, i18n } = await rulesPage();
    await user.type(input('accountNo'), `${accounts[0]}{Enter}`);
    await waitFor(() => expect(screen.getByTestId('rules-household')).toBeTruthy());
    await user.type(input('reason'), '家中无人');
    // past the deadline: the supervisor approves the late application
    await user.type(input('supervisorCode'), '9001');
    await user.type(input('supervisorPin'), '888888{Enter}');
    const done = () => screen.getByTestId('rules-done').textContent ?? '';
    await waitFor(() => expect(done()).toContain('已办理停供'));
    await act(() => i18n.changeLanguage('en'));
    expect(done()).toMatch(/^No-heat recorded: .*Late application approved by 李主管/);
    expect(done().replace('李主管', '')).not.toMatch(HAN); // the approver's name is data
    await act(() => i18n.changeLanguage('zh-CN'));
    expect(done()).toContain('已办理停供');
  });

  it('a problem found in the inspection form reads in English after F10', async () => {
    const { user, i18n } = await rulesPage();
    await user.keyboard('{F1}');
    await waitFor(() => expect(document.querySelector('[data-section="inspection"]')).toBeTruthy());
    await user.type(input('accountNo'), `${accounts[1]}{Enter}`);
    await waitFor(() => expect(input('finding')).toBeTruthy());
    await user.type(input('finding'), '{Enter}');
    const problem = () => screen.getByTestId('problem').textContent;
    await waitFor(() => expect(problem()).toBe('请填写稽查情况。'));
    await act(() => i18n.changeLanguage('en'));
    expect(problem()).toBe('Describe what the inspection found.');
  });
});
