// @vitest-environment happy-dom-terminal
// Form state across households (issue 21, defect 3), on a real ledger: whatever the clerk typed for
// one household (no-heat reason, valve key, relief amount, approvals, inspection finding, service
// log entries) is gone once another household is found, so it can never be saved on that one.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceLogPage } from '../../src-renderer/features/dunning/ServiceLogPage';
import { HeatingRulesPage } from '../../src-renderer/features/rules/HeatingRulesPage';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let first: string;
let second: string;

beforeAll(() => {
  dir = tempDir('forms-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 10 });
  const rows = t.ctx.db
    .prepare(
      "SELECT account_no FROM households WHERE category = 'residential' ORDER BY num LIMIT 2",
    )
    .all() as { account_no: string }[];
  [first, second] = rows.map((r) => r.account_no) as [string, string];
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const input = (name: string) => {
  const el = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  return el;
};
const value = (name: string) => input(name).value;

/** Types an account number into the rules form and waits until that household shows. */
async function findHousehold(user: ReturnType<typeof userEvent.setup>, accountNo: string) {
  await user.clear(input('accountNo'));
  await user.type(input('accountNo'), `${accountNo}{Enter}`);
  const name = (
    t.ctx.db.prepare('SELECT name FROM households WHERE account_no = ?').get(accountNo) as {
      name: string;
    }
  ).name;
  await waitFor(() => expect(screen.getByTestId('rules-household').textContent).toContain(name));
}

async function rulesPage() {
  const client = terminalClient(t);
  const props = screenProps(client, await clerkSession(client, '9001', '888888'));
  renderScreen(<HeatingRulesPage {...props} />);
  return userEvent.setup();
}

describe('forms across households', () => {
  it('no-heat: the reason and valve key typed for one household are empty for the next, and nothing is saved with them', async () => {
    const user = await rulesPage();
    await findHousehold(user, first);
    await user.type(input('reason'), '前一户的停供原因');
    await user.type(input('valveKey'), 'K-77');
    await findHousehold(user, second);
    expect(value('reason')).toBe('');
    expect(value('valveKey')).toBe('');
    // Enter now asks for this household's own reason instead of applying the previous one's.
    await user.type(input('reason'), '{Enter}');
    await waitFor(() => expect(screen.getByTestId('problem')).toBeTruthy());
    const applied = t.ctx.db
      .prepare("SELECT count(*) AS n FROM events WHERE type = 'noheat.applied'")
      .get() as { n: number };
    expect(applied.n).toBe(0);
  });

  it('relief: the amount and the supervisors typed for one household are empty for the next', async () => {
    const user = await rulesPage();
    await user.keyboard('{F6}');
    await waitFor(() => expect(document.querySelector('[data-section="relief"]')).not.toBeNull());
    await findHousehold(user, first);
    await user.type(input('amount'), '12.50');
    await user.type(input('reason'), '困难户');
    await user.type(input('supervisorCode'), '9001');
    await user.type(input('supervisorPin'), '888888');
    await findHousehold(user, second);
    for (const name of ['amount', 'reason', 'supervisorCode', 'supervisorPin'])
      expect([name, value(name)]).toEqual([name, '']);
  });

  it('inspection (F1): the finding and back-charge typed for one household are empty for the next', async () => {
    const user = await rulesPage();
    await user.keyboard('{F1}');
    await waitFor(() =>
      expect(document.querySelector('[data-section="inspection"]')).not.toBeNull(),
    );
    await findHousehold(user, first);
    await user.type(input('finding'), '私接暖气片');
    await user.type(input('amount'), '300');
    await findHousehold(user, second);
    expect(value('finding')).toBe('');
    expect(value('amount')).toBe('');
  });

  it('service log: the room, temperature, complaint and valve key typed for one household are empty for the next', async () => {
    const client = terminalClient(t);
    const props = screenProps(client, await clerkSession(client));
    renderScreen(<ServiceLogPage {...props} />);
    const user = userEvent.setup();
    const open = async (accountNo: string) => {
      await user.clear(input('account'));
      await user.type(input('account'), `${accountNo}{Enter}`);
      await waitFor(() =>
        expect(screen.getByTestId('service-household').textContent).toContain(accountNo),
      );
    };
    await open(first);
    await user.type(input('room'), '主卧');
    await user.type(input('tempC'), '15.5');
    await user.type(input('complaint'), '暖气不热');
    await user.type(input('keyNo'), 'F-12');
    await open(second);
    for (const name of ['room', 'tempC', 'complaint', 'keyNo'])
      expect([name, value(name)]).toEqual([name, '']);
  });
});
