// @vitest-environment happy-dom-terminal
// Keyboard gaps (issue 21, defect 6), on a real ledger: menu entries past 9 open by their number,
// Enter in the blacklist PIN submits, "请先开班" on a work screen offers F2 to open a shift, and an
// account number typed on the payment-success screen starts the next search.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { App } from '../../src-renderer/app/App';
import { DunningPage } from '../../src-renderer/features/dunning/DunningPage';
import { MenuPage, menuDigit } from '../../src-renderer/features/menu/MenuPage';
import { entriesFor } from '../../src-renderer/features/menu/entries';
import { renderScreen } from '../support/render';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeAll(() => {
  dir = tempDir('keyboard-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 12 });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const focused = () => (document.activeElement as HTMLInputElement | null)?.name;
const field = (name: string) => {
  const el = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  return el;
};
const accountNo = (householdId: string) =>
  (
    t.ctx.db.prepare('SELECT account_no FROM households WHERE id = ?').get(householdId) as {
      account_no: string;
    }
  ).account_no;

describe('menu numbers', () => {
  it('a digit opens at once when no longer number starts with it, else waits for a digit or Enter', () => {
    expect(menuDigit('', '7', 9)).toEqual({ open: 6 });
    expect(menuDigit('', '1', 9)).toEqual({ open: 0 });
    expect(menuDigit('', '1', 12)).toEqual({ wait: '1' });
    expect(menuDigit('1', '2', 12)).toEqual({ open: 11 });
    expect(menuDigit('1', '0', 12)).toEqual({ open: 9 });
    expect(menuDigit('', '2', 12)).toEqual({ open: 1 });
    expect(menuDigit('1', '3', 12)).toEqual({ open: 2 }); // no 13: the 3 starts again
    expect(menuDigit('', '0', 12)).toBeNull();
  });

  it('the supervisor opens items 10 and up by their number; "1" + Enter opens item 1', async () => {
    const entries = entriesFor('supervisor');
    expect(entries.length).toBeGreaterThanOrEqual(12);
    const client = terminalClient(t);
    const props = screenProps(client, await clerkSession(client, '9001', '888888'));
    const user = userEvent.setup();
    renderScreen(<MenuPage {...props} />);
    await user.keyboard('12');
    expect(props.went).toEqual([{ name: 'tool', id: entries[11]!.id }]);
    await user.keyboard('1');
    expect(props.went).toHaveLength(1); // waits: 1, 10, 11 or 12
    expect(screen.getByTestId('menu-typed').textContent).toContain('1');
    await user.keyboard('{Enter}');
    expect(props.went.at(-1)).toEqual({ name: 'tool', id: entries[0]!.id });
    await user.keyboard('10');
    expect(props.went.at(-1)).toEqual({ name: 'tool', id: entries[9]!.id });
    await user.keyboard('4');
    expect(props.went.at(-1)).toEqual({ name: 'tool', id: entries[3]!.id });
  });
});

describe('blacklist', () => {
  it('Enter in the supervisor PIN puts the household on the blacklist', async () => {
    const client = terminalClient(t);
    const props = screenProps(client, await clerkSession(client));
    const user = userEvent.setup();
    renderScreen(<DunningPage {...props} />);
    await user.keyboard('{Enter}'); // the list with the default filters
    await waitFor(() => expect(document.querySelector('.selected')).not.toBeNull());
    await user.keyboard('{F5}');
    await screen.findByTestId('dunning-household');
    const name = screen.getByTestId('dunning-household').querySelector('h2')!.textContent!;
    const householdId = (
      t.ctx.db
        .prepare("SELECT id FROM households WHERE ? LIKE '%' || account_no || '%'")
        .get(name) as { id: string }
    ).id;
    const flagged = () =>
      (
        t.ctx.db.prepare('SELECT blacklisted FROM households WHERE id = ?').get(householdId) as {
          blacklisted: number;
        }
      ).blacklisted;
    expect(flagged()).toBe(0);
    await user.click(field('flagReason'));
    await user.keyboard('多次催缴拒不缴费');
    await user.click(field('supervisorCode'));
    await user.keyboard('9001');
    await user.tab();
    expect(focused()).toBe('supervisorPin');
    await user.keyboard('888888{Enter}');
    await waitFor(() => expect(flagged()).toBe(1));
  });
});

describe('the counter shell', () => {
  async function logIn() {
    const user = userEvent.setup();
    renderScreen(<App client={terminalClient(t)} />);
    await waitFor(() => expect(focused()).toBe('clerkCode'));
    await user.keyboard('1001{Tab}123456{Enter}');
    return user;
  }

  it('"请先开班" on a work screen: the message names F2, and F2 opens the shift screen', async () => {
    const user = await logIn();
    await waitFor(() => expect(focused()).toBe('openingFloat'));
    await user.keyboard('{F9}');
    await screen.findByTestId('menu');
    const x = entriesFor('clerk').findIndex((e) => e.id === 'cash-x') + 1;
    await user.keyboard(String(x));
    const error = await screen.findByTestId('error');
    expect(error.getAttribute('data-code')).toBe('NO_OPEN_SHIFT');
    expect(error.textContent).toContain('按 F2 开班');
    await user.keyboard('{F2}');
    await waitFor(() => expect(focused()).toBe('openingFloat'));
    await user.keyboard('200{Enter}');
    await waitFor(() => expect(focused()).toBe('search'));
  });

  it('an account number typed on the payment-success screen starts the next search', async () => {
    const session = await t.login();
    if (!(await t.must('shift.current', { session })).shift)
      await t.must('shift.open', { session, openingFloatFen: 20_000 });
    const user = await logIn();
    await waitFor(() => expect(focused()).toBe('search'));
    const [first, second] = householdsOwing(t, 100, 2).map(accountNo);
    await user.keyboard(`${first}{Enter}`);
    await screen.findByTestId('account');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(focused()).toBe('tender-1-tendered'));
    await user.keyboard('{Enter}'); // exact cash
    await screen.findByTestId('success');

    // The next customer's number, typed right away (a scanner would do the same), then Enter.
    await user.keyboard(`${second}{Enter}`);
    await waitFor(() =>
      expect(document.querySelector('.shell')?.getAttribute('data-screen')).toBe('account'),
    );
    expect(screen.getByTestId('account').textContent).toContain(second);
  });
});
