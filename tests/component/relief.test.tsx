// @vitest-environment happy-dom-terminal
// The relief screen follows the rule (issue 21, defect 4), on a real ledger: how many supervisors
// a reduction needs is read again and worded from the rule — one, two (the demo district has two
// supervisors, so it works out of the box), or more — in both languages; Enter on the rule
// settings saves them; a rule of three asks for (and takes) three supervisors.
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClerksPage } from '../../src-renderer/features/clerks/ClerksPage';
import { HeatingRulesPage } from '../../src-renderer/features/rules/HeatingRulesPage';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let accountNo: string;
const SUP = { supervisorCode: '9001', supervisorPin: '888888' };

beforeAll(async () => {
  dir = tempDir('relief-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 20 });
  const id = householdsOwing(t, 50_000, 1)[0]!;
  accountNo = (
    t.ctx.db.prepare('SELECT account_no FROM households WHERE id = ?').get(id) as {
      account_no: string;
    }
  ).account_no;
  // a third supervisor, added the way the counter adds one
  const s = await t.login('9001', '888888');
  await t.must('clerk.add', {
    session: s,
    code: '9100',
    name: '孙经理',
    role: 'supervisor',
    pin: '246810',
    ...SUP,
  });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const field = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`);
const pairs = () => document.querySelectorAll('input[name^="supervisorCode"]').length;
const ruleText = () => screen.getByTestId('relief-approvals').textContent;

async function reliefFor(user: ReturnType<typeof userEvent.setup>) {
  await user.keyboard('{F6}');
  await waitFor(() => expect(document.querySelector('[data-section="relief"]')).toBeTruthy());
  await user.clear(field('accountNo')!);
  await user.type(field('accountNo')!, `${accountNo}{Enter}`);
  await waitFor(() => expect(screen.getByTestId('relief-approvals')).toBeTruthy());
}

async function setRuleOnServer(n: number) {
  const s = await t.login('9001', '888888');
  const { settings } = await t.must('rules.get', { session: s });
  await t.must('rules.settings.set', { session: s, ...settings, reliefApprovals: n, ...SUP });
}

describe('the relief screen words the rule it reads', () => {
  it('two by default; Enter on the rule settings saves one; the text and fields follow, in both languages', async () => {
    const client = terminalClient(t);
    const props = screenProps(client, await clerkSession(client, '9001', '888888'));
    const { i18n } = renderScreen(<HeatingRulesPage {...props} />);
    const user = userEvent.setup();
    await reliefFor(user);
    expect(ruleText()).toBe('需要 2 位不同主管授权（如公司经理和主管经理）。');
    expect(pairs()).toBe(2);

    // the supervisor changes the rule on the seasons tab with the keyboard: select, PIN, Enter
    await user.keyboard('{F8}');
    await waitFor(() =>
      expect(document.querySelector('select[name="reliefApprovals"]')).toBeTruthy(),
    );
    await user.selectOptions(document.querySelector('select[name="reliefApprovals"]')!, '1');
    await user.type(field('supervisorCode')!, '9001');
    await user.type(field('supervisorPin')!, '888888{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('rules-done').textContent).toBe('规则设置已保存。'),
    );
    const s = await t.login();
    expect((await t.must('rules.get', { session: s })).settings.reliefApprovals).toBe(1);

    await reliefFor(user);
    expect(ruleText()).toBe('需要 1 位主管授权。');
    expect(pairs()).toBe(1);
    await act(() => i18n.changeLanguage('en'));
    expect(ruleText()).toBe('One supervisor must approve.');
    await act(() => i18n.changeLanguage('zh-CN'));
  });

  it('a rule changed elsewhere is read again: three supervisors asked for and taken', async () => {
    await setRuleOnServer(2);
    const client = terminalClient(t);
    const props = screenProps(client, await clerkSession(client, '9001', '888888'));
    renderScreen(<HeatingRulesPage {...props} />);
    const user = userEvent.setup();
    await reliefFor(user);
    expect(ruleText()).toBe('需要 2 位不同主管授权（如公司经理和主管经理）。');
    await setRuleOnServer(3); // e.g. from the command line, or pulled from head office
    await user.keyboard('{F5}');
    await reliefFor(user);
    await waitFor(() => expect(ruleText()).toBe('需要 3 位不同主管授权。'));
    expect(pairs()).toBe(3);
    await user.type(field('amount')!, '10');
    await user.type(field('reason')!, '困难户');
    const approvers = [
      ['9001', '888888'],
      ['9009', '999999'],
      ['9100', '246810'],
    ];
    for (const [i, [code, pin]] of approvers.entries()) {
      const suffix = i === 0 ? '' : String(i + 1);
      await user.type(field(`supervisorCode${suffix}`)!, code!);
      await user.type(field(`supervisorPin${suffix}`)!, pin!);
    }
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('rules-done').textContent).toContain('孙经理'));
    const ev = t.ctx.db
      .prepare("SELECT payload FROM events WHERE type = 'relief.granted' ORDER BY seq DESC LIMIT 1")
      .get() as { payload: string };
    expect(JSON.parse(ev.payload)).toMatchObject({
      requiredApprovals: 3,
      approvers: ['C9001', 'C9009', 'C9100'],
    });
  });

  it('the clerks screen (F9) adds a supervisor with the keyboard, who then logs in', async () => {
    const client = terminalClient(t);
    const props = screenProps(client, await clerkSession(client, '9001', '888888'));
    renderScreen(<ClerksPage {...props} />);
    const user = userEvent.setup();
    await waitFor(() => expect(document.activeElement?.getAttribute('name')).toBe('code'));
    await user.keyboard('9200{Tab}钱经理{Tab}');
    await user.selectOptions(field('role')!, 'supervisor'); // a clerk by default
    await user.tab();
    await user.keyboard('135246{Tab}135247{Tab}9001{Tab}888888{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('problem').textContent).toBe(
        '两次输入的初始密码不一致，请重新输入。',
      ),
    );
    await user.clear(field('pinAgain')!);
    await user.type(field('pinAgain')!, '135246{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('clerks-done').textContent).toBe(
        '已添加主管 9200 钱经理，可用初始密码登录。',
      ),
    );
    const login = await t.must('session.login', { clerkCode: '9200', pin: '135246' });
    expect(login.clerk).toMatchObject({ name: '钱经理', role: 'supervisor' });
  });
});
