// The keystroke budget: a full-balance cash payment from the search box, keyboard only, takes at most
// 6 key presses beyond typing the account number and the cash tendered. Counted twice: by the test's
// own tally and by a keydown listener inside the page (so nothing sneaks in unseen).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatFen } from '@heating-cashier/core/money';
import { focusedName, screenshot, startCounter, type Counter } from './support';

const BUDGET = 6;
let c: Counter;
let page: Page;

beforeAll(async () => {
  c = await startCounter({ households: 40 });
  page = c.page;
});

afterAll(async () => {
  await c?.close();
});

it(`a full-balance cash payment takes ≤ ${BUDGET} key presses beyond the account no. and the cash`, async () => {
  const api = await c.terminal.login('1001', '123456');
  await c.terminal.must('shift.open', { session: api, openingFloatFen: 20_000 });
  let target = null;
  for (let i = 1; i <= 40 && !target; i++) {
    const a = await c.terminal.must('household.account', {
      session: api,
      householdId: `H${10000000 + i}`,
    });
    if (a.owedFen > 0) target = a;
  }
  expect(target).not.toBeNull();
  const { accountNo } = target!.household;
  const owed = target!.owedFen;
  const tendered = String(Math.ceil((owed + 1) / 10_000) * 100); // whole yuan above the amount owed
  const tenderedFen = Number(tendered) * 100;

  // Log in (not counted): the shift is already open, so the clerk lands in the search box.
  await page.goto(`${c.host.url}/`);
  await expect.poll(() => focusedName(page)).toBe('clerkCode');
  await page.keyboard.type('1001');
  await page.keyboard.press('Tab');
  await page.keyboard.type('123456');
  await page.keyboard.press('Enter');
  await expect.poll(() => focusedName(page)).toBe('search');

  await page.evaluate(() => {
    const w = window as unknown as { __keys: string[] };
    w.__keys = [];
    window.addEventListener('keydown', (e) => w.__keys.push(e.key), true);
  });
  let presses = 0;
  let typed = 0;
  const press = async (key: string) => {
    presses++;
    await page.keyboard.press(key);
  };
  const type = async (text: string) => {
    typed += text.length;
    await page.keyboard.type(text);
  };

  await type(accountNo); // (a scanner would type the same)
  await press('Enter'); // open the household
  await page.getByTestId('account').waitFor();
  await press('Enter'); // pay: amount = full balance, cursor in "cash tendered"
  await page.getByTestId('payment').waitFor();
  await expect.poll(() => focusedName(page)).toBe('tender-1-tendered');
  await type(tendered);
  await press('Enter'); // confirm
  await page.getByTestId('success').waitFor();
  await screenshot(page, '20-keystroke-budget-success', 'zh-CN');

  const label = await page.getByTestId('success-receipt').innerText();
  expect(await page.getByTestId('success-change').innerText()).toBe(formatFen(tenderedFen - owed));
  const seen = await page.evaluate(() => (window as unknown as { __keys: string[] }).__keys);
  expect(seen.length).toBe(typed + presses);
  expect(typed).toBe(accountNo.length + tendered.length);
  expect(presses).toBeLessThanOrEqual(BUDGET);
  console.log(`keystroke budget: ${presses} presses beyond typing (budget ${BUDGET})`);

  const receipt = await c.terminal.must('receipt.find', { session: api, receiptLabel: label });
  expect(receipt.totalFen).toBe(owed);
  expect(receipt.tenders).toEqual([
    expect.objectContaining({ kind: 'cash', amountFen: owed, tenderedFen }),
  ]);
  expect(
    (
      await c.terminal.must('household.account', {
        session: api,
        householdId: target!.household.id,
      })
    ).owedFen,
  ).toBe(0);
  expect(c.problems).toEqual([]);
});
