// The clerk's whole day in headless Chromium against the plain-Node host on a demo ledger, keyboard
// only: login → open shift → search by each kind → full cash payment → partial payment across two
// seasons → split tender → void with supervisor PIN → reprint → bad input → logout. Each step checks
// what the clerk sees AND what the ledger holds (through the command table). Screenshots of every
// screen in zh-CN and en go to tests/e2e/screenshots/.
import { pinyin } from 'pinyin-pro';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandOutput } from '@heating-cashier/core/contract/commands';
import { formatFen } from '@heating-cashier/core/money';
import { formatPercentTenths } from '@heating-cashier/core/fees';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
let api: string; // a session of our own, to read the ledger through the command table
type Account = CommandOutput<'household.account'>;

async function account(householdId: string): Promise<Account> {
  return c.terminal.must('household.account', { session: api, householdId });
}
async function eventCount(): Promise<number> {
  return (await c.terminal.must('terminal.info', {})).eventCount;
}

/** Visible text outside ledger data (names, addresses, the terminal name) that contains Han characters. */
async function untranslatedText(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('.data, .lang-button, [data-key="F10"], script, style')) continue;
      if (el.closest('[hidden]') || el.getClientRects().length === 0) continue;
      const text = n.textContent ?? '';
      if (/\p{Script=Han}/u.test(text)) out.push(text.trim());
    }
    return out;
  });
}

/** Screenshot in zh-CN, switch to English with F10, check nothing is left untranslated, screenshot, back. */
async function shoot(name: string) {
  await page.waitForTimeout(150); // let the preview / fonts settle
  await screenshot(page, name, 'zh-CN');
  await page.keyboard.press('F10');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  await page.waitForTimeout(100);
  await screenshot(page, name, 'en');
  expect(await untranslatedText(page), `untranslated text on ${name}`).toEqual([]);
  await page.keyboard.press('F10');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
}

async function screenIs(name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

async function searchFor(query: string) {
  const box = page.locator('input[name="search"]');
  await box.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(query);
  await expect
    .poll(() => page.getByTestId('search-results').getAttribute('data-query'))
    .toBe(query);
}

async function resultAccounts(): Promise<string[]> {
  return page.locator('#search-results tbody tr td:first-child').allInnerTexts();
}

function yuan(fen: number) {
  return formatFen(fen, '').replaceAll(',', '');
}

/** Households of the demo district by what they owe. */
let fullCash: Account; // owes something: paid in full with cash
let twoSeasons: Account; // owes in both seasons: partial payment across them
let manualSplit: Account; // owes in both seasons: manual split paying only the newer one
let split: Account; // owes > ¥300: card + cash
let badInput: Account; // for refused input
let chequeQr: Account; // owes > ¥300: cash + cheque + QR
let allCard: Account; // owes > ¥300: the first tender turned into a card with the keyboard
let scanned: Account; // typed on the success screen: the next search

beforeAll(async () => {
  c = await startCounter({ households: 60 });
  page = c.page;
  api = await c.terminal.login('1001', '123456');
  const all: Account[] = [];
  for (let i = 1; i <= 60; i++) all.push(await account(`H${10000000 + i}`));
  const owing = all.filter((a) => a.owedFen > 0);
  const both = owing.filter((a) => a.seasons.filter((s) => s.balanceFen > 0).length === 2);
  twoSeasons = both[0]!;
  manualSplit = both[1]!;
  const rest = owing.filter((a) => a !== twoSeasons && a !== manualSplit && a.owedFen > 30_000);
  fullCash = rest[0]!;
  split = rest[1]!;
  badInput = rest[2]!;
  chequeQr = rest[3]!;
  allCard = rest[4]!;
  scanned = rest[5]!;
  expect(
    [twoSeasons, manualSplit, fullCash, split, badInput, chequeQr, allCard, scanned].every(Boolean),
  ).toBe(true);
});

afterAll(async () => {
  await c?.close();
});

describe('counter workflow (keyboard only)', () => {
  it('start page: terminal, DEMO badge, connection, F-key map, status bar shows devices as unavailable', async () => {
    await page.goto(`${c.host.url}/`);
    const info = c.terminal.ctx.terminal;
    await expect.poll(() => page.getByTestId('terminal-name').textContent()).toBe(info.name);
    expect(await page.getByTestId('demo-badge').textContent()).toContain('演示');
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('已连接');
    expect(await page.getByTestId('terminal-id').textContent()).toBe(info.id);
    await expect.poll(() => focusedName(page)).toBe('clerkCode');
    expect(await page.getByTestId('keybar').innerText()).toContain('F10');
    // Printer, card terminal and sync have not landed: shown honestly as unavailable.
    await expect
      .poll(() => page.getByTestId('status-printer').getAttribute('data-state'))
      .toBe('unavailable');
    expect(await page.getByTestId('status-printer').innerText()).toContain('不可用');
    expect(await page.getByTestId('status-card').getAttribute('data-state')).toBe('unavailable');
    expect(await page.getByTestId('status-sync').innerText()).toContain('从未成功');
    await shoot('01-login');
  });

  it('a wrong PIN is refused in Chinese with the attempts left; the code is kept', async () => {
    const before = await eventCount();
    await page.keyboard.type('1001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    const error = page.getByTestId('error');
    await error.waitFor();
    expect(await error.innerText()).toContain('工号或密码错误');
    expect(await error.innerText()).toContain('还可尝试');
    await expect.poll(() => focusedName(page)).toBe('pin');
    await shoot('02-login-error');
    expect(await eventCount()).toBe(before);
  });

  it('logs in and, with no shift open, asks for the opening float (letters refused)', async () => {
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await screenIs('openShift');
    await expect.poll(() => focusedName(page)).toBe('openingFloat');
    await page.keyboard.type('5OO');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('problem').innerText()).toContain('金额格式不对');
    expect((await c.terminal.must('shift.current', { session: api })).shift).toBeNull();
    await shoot('03-open-shift');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('500');
    await page.keyboard.press('Enter');
    await screenIs('search');
    const shift = (await c.terminal.must('shift.current', { session: api })).shift;
    expect(shift?.openingFloatFen).toBe(50_000);
    expect(shift?.clerkName).toBe('张丽');
    expect(await page.getByTestId('status-clerk').innerText()).toContain('张丽');
    await expect.poll(() => focusedName(page)).toBe('search');
  });

  it('finds a household by each kind of query', async () => {
    const row = c.terminal.ctx.db
      .prepare('SELECT * FROM households WHERE id = ?')
      .get(twoSeasons.household.id) as {
      account_no: string;
      name: string;
      community: string;
      building: string;
      unit: string;
      room: string;
      phone: string;
    };
    const syllables = pinyin(row.name, { surname: 'head', toneType: 'none', type: 'array' });
    const queries = {
      account_prefix: row.account_no.slice(0, 7),
      name: row.name,
      pinyin_initials: syllables.map((s) => s[0]).join(''),
      pinyin_full: syllables.join(''),
      address: `${row.building}-${row.unit}-${row.room}`,
      community: row.community,
      phone_last4: row.phone.slice(-4),
    };
    for (const [kind, q] of Object.entries(queries)) {
      await searchFor(q);
      expect(await resultAccounts(), `${kind}: ${q}`).toContain(row.account_no);
    }
    await searchFor('1000000');
    await page.keyboard.press('ArrowDown'); // the highlight moves with the arrows
    expect(await page.locator('#search-results tr.selected td:first-child').innerText()).toBe(
      '10000002',
    );
    await shoot('04-search');
    // A barcode scanner types the account number and Enter faster than results render: it still
    // opens exactly that household.
    await page.keyboard.press('Control+A');
    await page.keyboard.type(manualSplit.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await expect
      .poll(() => page.getByTestId('household-name').innerText())
      .toBe(manualSplit.household.name);
    await page.keyboard.press('Escape');
    await screenIs('search');
    await expect.poll(() => focusedName(page)).toBe('search');
    await searchFor('zzzz-no-such');
    await page.getByTestId('no-results').waitFor();
    await shoot('05-search-none');
    await page.keyboard.press('Escape'); // Esc clears the search box
    expect(await page.locator('input[name="search"]').inputValue()).toBe('');
    await expect.poll(() => focusedName(page)).toBe('search');
  });

  it('full cash payment: account no + Enter, Enter, cash tendered + Enter', async () => {
    const owed = fullCash.owedFen;
    const tendered = Math.ceil((owed + 1) / 10_000) * 10_000; // next ¥100 up: there is change
    await searchFor(fullCash.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await expect
      .poll(() => page.getByTestId('household-name').innerText())
      .toBe(fullCash.household.name);
    expect(await page.getByTestId('owed').innerText()).toBe(formatFen(owed));
    expect(await page.getByTestId('as-of').innerText()).toContain('尚未与总部同步');
    await shoot('06-account');

    await page.keyboard.press('Enter');
    await screenIs('payment');
    expect(await page.locator('input[name="amount"]').inputValue()).toBe(yuan(owed));
    await expect.poll(() => focusedName(page)).toBe('tender-1-tendered');
    await page.keyboard.type(yuan(tendered));
    await expect
      .poll(() => page.getByTestId('change').innerText())
      .toContain(formatFen(tendered - owed));
    await shoot('07-payment-cash');
    await page.keyboard.press('Enter');
    await screenIs('success');
    const label = await page.getByTestId('success-receipt').innerText();
    expect(await page.getByTestId('success-change').innerText()).toBe(formatFen(tendered - owed));
    // The printer is not there yet: the screen says so instead of pretending it printed.
    expect(await page.getByTestId('printer-note').innerText()).toContain('收据未打印');
    expect(await page.getByTestId('receipt-total').innerText()).toBe(formatFen(owed));
    await shoot('08-success');

    const receipt = await c.terminal.must('receipt.find', { session: api, receiptLabel: label });
    expect(receipt.totalFen).toBe(owed);
    expect(receipt.changeFen).toBe(tendered - owed);
    expect(receipt.tenders).toEqual([
      expect.objectContaining({ kind: 'cash', amountFen: owed, tenderedFen: tendered }),
    ]);
    expect((await account(fullCash.household.id)).owedFen).toBe(0);
    await page.keyboard.press('Enter'); // next household
    await screenIs('search');
    await expect.poll(() => focusedName(page)).toBe('search');
  });

  it('partial payment across two seasons shows the % of each season’s charge', async () => {
    const [older, newer] = twoSeasons.seasons.filter((s) => s.balanceFen > 0);
    const half = Math.floor(newer!.balanceFen / 2);
    const amount = older!.balanceFen + half;
    const preview = await c.terminal.must('payment.preview', {
      session: api,
      householdId: twoSeasons.household.id,
      amountFen: amount,
    });
    await searchFor(twoSeasons.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    expect(await page.locator(`tr[data-season="${older!.seasonCode}"]`).getAttribute('class')).toBe(
      'arrears',
    );
    await page.keyboard.press('Enter');
    await screenIs('payment');
    await page.keyboard.press('Shift+Tab'); // back to the amount
    await expect.poll(() => focusedName(page)).toBe('amount');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(yuan(amount));
    const [l1, l2] = preview.lines;
    await expect
      .poll(() => page.getByTestId(`pct-${newer!.seasonCode}`).innerText())
      .toContain(formatPercentTenths(l2!.pctTenths));
    expect(await page.getByTestId(`pct-${newer!.seasonCode}`).innerText()).toContain('部分缴费');
    expect(await page.getByTestId(`pct-${older!.seasonCode}`).innerText()).toContain(
      formatPercentTenths(l1!.pctTenths),
    );
    await shoot('09-payment-partial');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await screenIs('success');
    const label = await page.getByTestId('success-receipt').innerText();
    const preview2 = await page.getByTestId('receipt-preview').innerText();
    expect(preview2).toContain(formatPercentTenths(l2!.pctTenths));
    const receipt = await c.terminal.must('receipt.find', { session: api, receiptLabel: label });
    expect(receipt.totalFen).toBe(amount);
    expect(receipt.lines.map((l) => [l.seasonCode, l.amountFen, l.pctTenths])).toEqual([
      [older!.seasonCode, older!.balanceFen, l1!.pctTenths],
      [newer!.seasonCode, half, l2!.pctTenths],
    ]);
    const after = await account(twoSeasons.household.id);
    expect(after.seasons.find((s) => s.seasonId === newer!.seasonId)!.balanceFen).toBe(
      newer!.balanceFen - half,
    );
    await page.keyboard.press('Enter');
    await screenIs('search');
  });

  it('manual split (F6): pay only the newer season, leaving the arrears', async () => {
    const [older, newer] = manualSplit.seasons.filter((s) => s.balanceFen > 0);
    const part = Math.floor(newer!.balanceFen / 3);
    await searchFor(manualSplit.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await page.keyboard.press('Enter');
    await screenIs('payment');
    await page.keyboard.press('F6');
    await expect.poll(() => focusedName(page)).toBe(`season-${older!.seasonCode}`);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe(`season-${newer!.seasonCode}`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(yuan(part));
    const preview = await c.terminal.must('payment.preview', {
      session: api,
      householdId: manualSplit.household.id,
      allocation: [{ seasonId: newer!.seasonId, amountFen: part }],
    });
    await expect
      .poll(() => page.getByTestId(`pct-${newer!.seasonCode}`).innerText())
      .toContain(formatPercentTenths(preview.lines[0]!.pctTenths));
    expect(await page.locator('input[name="amount"]').inputValue()).toBe(yuan(part));
    await shoot('09b-payment-manual-split');
    await page.keyboard.press('Enter');
    await screenIs('success');
    const label = await page.getByTestId('success-receipt').innerText();
    const receipt = await c.terminal.must('receipt.find', { session: api, receiptLabel: label });
    expect(receipt.lines.map((l) => [l.seasonCode, l.amountFen])).toEqual([
      [newer!.seasonCode, part],
    ]);
    const after = await account(manualSplit.household.id);
    expect(after.seasons.find((s) => s.seasonId === older!.seasonId)!.balanceFen).toBe(
      older!.balanceFen,
    );
    await page.keyboard.press('Enter');
    await screenIs('search');
  });

  let splitLabel = '';
  it('split tender: card (manual reference, terminal unavailable) + cash', async () => {
    const owed = split.owedFen;
    const card = 20_000;
    await searchFor(split.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await page.keyboard.press('F3');
    await screenIs('payment');
    await page.keyboard.press('F7'); // add a tender: a card
    await expect.poll(() => focusedName(page)).toBe('tender-2-amount');
    await page.keyboard.type(yuan(card));
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('tender-2-ref');
    await page.keyboard.type('POS778899');
    await expect.poll(() => page.getByTestId('cash-due').innerText()).toBe(formatFen(owed - card));
    expect(await page.getByTestId('payment').innerText()).toContain('刷卡机未连接');
    await shoot('10-payment-split');
    await page.keyboard.press('Enter');
    await screenIs('success');
    splitLabel = await page.getByTestId('success-receipt').innerText();
    const receipt = await c.terminal.must('receipt.find', {
      session: api,
      receiptLabel: splitLabel,
    });
    expect(receipt.totalFen).toBe(owed);
    expect(receipt.tenders).toEqual([
      expect.objectContaining({ kind: 'cash', amountFen: owed - card, tenderedFen: owed - card }),
      expect.objectContaining({ kind: 'card', amountFen: card, reference: 'POS778899' }),
    ]);
  });

  it('three tenders: cash + cheque (pending) + QR reference, kinds chosen with the keyboard', async () => {
    const owed = chequeQr.owedFen;
    await page.keyboard.press('F2');
    await searchFor(chequeQr.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await page.keyboard.press('Enter');
    await screenIs('payment');
    await page.keyboard.press('F7'); // tender 2 (a card) …
    await page.keyboard.press('Shift+Tab'); // … its kind
    await expect.poll(() => focusedName(page)).toBe('tender-2-kind');
    await page.keyboard.press('ArrowDown'); // card -> cheque
    await expect
      .poll(() => page.locator('select[name="tender-2-kind"]').inputValue())
      .toBe('cheque');
    await page.keyboard.press('Tab');
    await page.keyboard.type('100');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ZP0001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('工商银行');
    await page.keyboard.press('F7'); // tender 3
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown'); // card -> cheque -> QR
    await expect.poll(() => page.locator('select[name="tender-3-kind"]').inputValue()).toBe('qr');
    await page.keyboard.press('Tab');
    await page.keyboard.type('50');
    await page.keyboard.press('Tab'); // channel: WeChat Pay
    await page.keyboard.press('Tab');
    await page.keyboard.type('WX20261127001');
    await expect
      .poll(() => page.getByTestId('cash-due').innerText())
      .toBe(formatFen(owed - 15_000));
    await shoot('10b-payment-three-tenders');
    await page.keyboard.press('Enter');
    await screenIs('success');
    const label = await page.getByTestId('success-receipt').innerText();
    const receipt = await c.terminal.must('receipt.find', { session: api, receiptLabel: label });
    expect(receipt.tenders.map((t) => [t.kind, t.amountFen])).toEqual([
      ['cash', owed - 15_000],
      ['cheque', 10_000],
      ['qr', 5_000],
    ]);
    expect(JSON.stringify(receipt.tenders)).toContain('ZP0001');
    expect(JSON.stringify(receipt.tenders)).toContain('WX20261127001');
    await page.keyboard.press('Enter');
    await screenIs('search');
  });

  it("all by card: Tab from the cash reaches the first tender's kind; the next account no. typed on success opens it", async () => {
    await searchFor(allCard.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await page.keyboard.press('Enter');
    await screenIs('payment');
    await expect.poll(() => focusedName(page)).toBe('tender-1-tendered');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('tender-1-kind');
    await page.keyboard.press('ArrowDown'); // cash -> card: the card takes the amount due
    await expect.poll(() => page.locator('select[name="tender-1-kind"]').inputValue()).toBe('card');
    await expect.poll(() => focusedName(page)).toBe('tender-1-kind');
    expect(await page.locator('input[name="tender-1-amount"]').inputValue()).toBe(
      yuan(allCard.owedFen),
    );
    await page.keyboard.press('Tab'); // the amount
    await page.keyboard.press('Tab'); // the slip reference
    await expect.poll(() => focusedName(page)).toBe('tender-1-ref');
    await page.keyboard.type('POS445566');
    await page.keyboard.press('Enter');
    await screenIs('success');
    const label = await page.getByTestId('success-receipt').innerText();
    const receipt = await c.terminal.must('receipt.find', { session: api, receiptLabel: label });
    expect(receipt.tenders.map((t) => [t.kind, t.amountFen])).toEqual([['card', allCard.owedFen]]);

    // The next customer's account number, typed (or scanned) right on the success screen.
    await page.keyboard.type(scanned.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await expect
      .poll(() => page.getByTestId('household-name').innerText())
      .toBe(scanned.household.name);
    await page.keyboard.press('F2');
    await screenIs('search');
  });

  it('void: empty reason and a wrong supervisor PIN are refused; then voided with the PIN', async () => {
    await page.keyboard.press('F4');
    await screenIs('receipt');
    await expect.poll(() => focusedName(page)).toBe('receiptLabel');
    await page.keyboard.type(splitLabel);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('receipt-preview').getAttribute('data-label'))
      .toBe(splitLabel);
    await shoot('11-receipt');
    const before = await eventCount();

    await page.keyboard.press('F8');
    await expect.poll(() => focusedName(page)).toBe('reason');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('problem').innerText()).toContain('请输入作废原因');
    await page.keyboard.type('金额录错');
    await page.keyboard.press('Tab');
    await page.keyboard.type('9001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('111111');
    await page.keyboard.press('Enter');
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('error').innerText()).toMatch(/密码错误|主管/);
    await expect.poll(() => focusedName(page)).toBe('supervisorPin');
    await shoot('12-void-form');
    expect(await eventCount()).toBe(before);
    expect(
      (await c.terminal.must('receipt.find', { session: api, receiptLabel: splitLabel })).voided,
    ).toBe(false);

    await page.keyboard.type('888888');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-done').waitFor();
    expect(await page.getByTestId('receipt-preview').innerText()).toContain('作废');
    const receipt = await c.terminal.must('receipt.find', {
      session: api,
      receiptLabel: splitLabel,
    });
    expect(receipt.voided).toBe(true);
    expect(receipt.voidReason).toBe('金额录错');
    expect((await account(split.household.id)).owedFen).toBe(split.owedFen);
    await shoot('13-voided');
  });

  it('reprint: a marked copy, the counter goes up, and the missing printer is said plainly', async () => {
    await page.keyboard.press('F9');
    await page.getByTestId('copy-mark').waitFor();
    expect(await page.getByTestId('copy-mark').innerText()).toContain('补打副本（第 1 次）');
    expect(await page.getByTestId('receipt-done').innerText()).toContain('副本未打印');
    const receipt = await c.terminal.must('receipt.find', {
      session: api,
      receiptLabel: splitLabel,
    });
    expect(receipt.reprintCount).toBe(1);
    await shoot('14-reprint');
    await page.keyboard.press('Escape');
  });

  it('bad input changes nothing: letters in amounts, more than owed; Esc backs out before confirm', async () => {
    const before = await eventCount();
    await page.keyboard.press('F2');
    await screenIs('search');
    await searchFor(badInput.household.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await page.keyboard.press('Enter');
    await screenIs('payment');
    await page.keyboard.type('12O.5');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('payment').innerText()).toContain('实收现金格式不对');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('abc');
    expect(await page.getByTestId('payment').innerText()).toContain('金额格式不对');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(yuan(badInput.owedFen + 1));
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('payment').innerText()).toContain('超过应缴合计');
    await shoot('15-payment-bad-input');
    await page.keyboard.press('Escape');
    await screenIs('account');
    expect(await eventCount()).toBe(before);
    expect((await account(badInput.household.id)).owedFen).toBe(badInput.owedFen);
    await page.keyboard.press('Escape');
    await screenIs('search');
  });

  it('logs out (F12); five wrong PINs lock the clerk with a message that says what to do', async () => {
    const session = await page.evaluate(() => null);
    void session;
    await page.keyboard.press('F12');
    await screenIs('login');
    await expect.poll(() => focusedName(page)).toBe('clerkCode');
    const before = await eventCount();
    await page.keyboard.type('1002');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 5; i++) {
      await page.keyboard.type('999999');
      await page.keyboard.press('Enter');
      await expect.poll(() => focusedName(page)).toBe('pin');
      await expect
        .poll(() => page.getByTestId('error').getAttribute('data-code'))
        .toBe(i < 4 ? 'BAD_CREDENTIALS' : 'CLERK_LOCKED');
      // wait for THIS attempt's answer (the previous one shows the same code) before typing again
      if (i < 4)
        await expect.poll(() => page.getByTestId('error').innerText()).toContain(`${4 - i} 次`);
    }
    expect(await page.getByTestId('error').innerText()).toContain('请稍后再试或请主管处理');
    await shoot('16-locked');
    // Even the right PIN is refused while locked.
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('error').getAttribute('data-code'))
      .toBe('CLERK_LOCKED');
    expect(await eventCount()).toBe(before);
    expect(c.problems).toEqual([]);
  });
});
