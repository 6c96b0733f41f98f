// The customer display's view, composed by main from the clerk's screen state and the ledger
// (issue 22): masking, owed per season, the payment's own allocation with %, change, the receipt,
// idle reset, version order, refused input that changes nothing, and the pairing / connection rules.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerView } from '@heating-cashier/core/contract/customer-view';
import { dispatch } from '../../src-main/api/dispatch';
import { maskAddress, maskName } from '../../src-main/features/customer/customer-view';
import {
  PAIRING_ATTEMPTS_PER_CODE,
  PAIRING_ATTEMPTS_PER_CONNECTION,
  PAIRING_CODE_TTL_MS,
} from '../../src-main/features/customer/displays';
import { householdById } from '../../src-main/features/households/households.store';
import { printerSettings } from '../../src-main/features/printing/print-queue';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let now: number;
const pushed: CustomerView[] = [];
const otherEvents: string[] = [];

beforeEach(async () => {
  dir = tempDir();
  now = Date.parse('2026-11-20T02:00:00.000Z');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { clock: () => new Date(now) });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 20_000 });
  pushed.length = 0;
  otherEvents.length = 0;
  t.ctx.runtime.push.subscribe((event, data) => {
    if (event === 'customer.view') pushed.push(data as CustomerView);
    else otherEvents.push(event);
  });
});
afterEach(() => {
  t.close();
  dir.cleanup();
});

function show(screen: Record<string, unknown>) {
  return t.call('customer.show', { session, screen });
}
/** A household owing in at least two seasons (partial payments span them). */
async function twoSeasonHousehold() {
  for (const id of householdsOwing(t, 10_000, 50)) {
    const account = await t.must('household.account', { session, householdId: id });
    if (account.seasons.filter((s) => s.balanceFen > 0).length >= 2) return account;
  }
  throw new Error('no household owing in two seasons in the demo district');
}
const asDisplay = (name: string, input: unknown, connection = 'ws:display-1') =>
  dispatch(t.ctx, name, input, () => {}, { connection });

describe('masking', () => {
  it('keeps the first and last character of a name and never the room', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王')).toBe('*');
    expect(maskName('  赵六  ')).toBe('赵*');
    expect(maskAddress({ community: '阳光小区', building: '3', unit: '2' })).toBe(
      '阳光小区 3-2-***',
    );
    expect(maskAddress({ community: '阳光小区', building: '3', unit: '' })).toBe('阳光小区 3-***');
  });
});

describe('customer.show composes the view from the ledger', () => {
  it('account: the masked household and what it owes per season, nothing else of it', async () => {
    const account = await twoSeasonHousehold();
    const h = householdById(t.ctx.db, account.household.id)!;
    const r = await show({ phase: 'account', householdId: h.id });
    expect(r.ok).toBe(true);
    const view = pushed.at(-1)!;
    expect(view.phase).toBe('account');
    expect(view.companyName).toBe(printerSettings(t.ctx.db).companyName);
    expect(view.householdNameMasked).toBe(maskName(h.name));
    expect(view.addressMasked).toBe(maskAddress(h));
    expect(view.seasons).toEqual(
      account.seasons
        .filter((s) => s.balanceFen > 0)
        .map((s) => ({ seasonCode: s.seasonCode, chargeFen: s.chargeFen, owedFen: s.balanceFen })),
    );
    expect(view.owedFen).toBe(account.owedFen);
    const json = JSON.stringify(view);
    expect(json).not.toContain(h.name);
    expect(json).not.toContain(h.phone);
    expect(json).not.toContain(h.accountNo);
    expect(json).not.toContain(`-${h.room}`);
    expect(otherEvents).toEqual([]);
  });

  it('payment: the allocation and % of the payment’s own preview, change = tendered − amount', async () => {
    const account = await twoSeasonHousehold();
    const householdId = account.household.id;
    const oldest = account.seasons.find((s) => s.balanceFen > 0)!;
    // More than the oldest season: it is paid off, the next one partly.
    const amountFen = oldest.balanceFen + 1_234;
    const preview = await t.must('payment.preview', { session, householdId, amountFen });
    await t.must('customer.show', {
      session,
      screen: { phase: 'payment', householdId, amountFen, tenderedFen: amountFen + 5_000 },
    });
    const view = pushed.at(-1)!;
    expect(view.phase).toBe('payment');
    expect(view.amountFen).toBe(amountFen);
    expect(view.lines).toEqual(
      preview.lines.map((l) => ({
        seasonCode: l.seasonCode,
        amountFen: l.amountFen,
        pctTenths: l.pctTenths,
        partial: l.partial,
      })),
    );
    expect(view.lines).toHaveLength(2);
    expect(view.lines[0]!.partial).toBe(false);
    expect(view.lines[1]!.partial).toBe(true);
    expect(view.tenderedFen).toBe(amountFen + 5_000);
    expect(view.changeFen).toBe(5_000);

    // The clerk's own split (F6) is what the display shows; a split tender's change is against cash.
    const newest = account.seasons.filter((s) => s.balanceFen > 0).at(-1)!;
    await t.must('customer.show', {
      session,
      screen: {
        phase: 'payment',
        householdId,
        allocation: [{ seasonId: newest.seasonId, amountFen: 1_000 }],
        cashFen: 600,
        tenderedFen: 1_000,
      },
    });
    const split = pushed.at(-1)!;
    expect(split.amountFen).toBe(1_000);
    expect(split.lines.map((l) => [l.seasonCode, l.amountFen])).toEqual([
      [newest.seasonCode, 1_000],
    ]);
    expect(split.changeFen).toBe(400);

    // Not enough tendered yet: no change shown; no amount yet: no allocation.
    await show({ phase: 'payment', householdId, amountFen: 5_000, tenderedFen: 4_000 });
    expect(pushed.at(-1)!.changeFen).toBeNull();
    await show({ phase: 'payment', householdId });
    expect(pushed.at(-1)!).toMatchObject({ amountFen: null, lines: [], changeFen: null });
  });

  it('paid: the receipt as issued (number, lines, tendered, change), rated once from the display, then idle', async () => {
    const account = await twoSeasonHousehold();
    const householdId = account.household.id;
    const oldest = account.seasons.find((s) => s.balanceFen > 0)!;
    const amountFen = oldest.balanceFen + 500;
    const receipt = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId,
      amountFen,
      tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen + 2_000 }],
    });
    await t.must('customer.show', {
      session,
      screen: { phase: 'paid', householdId, receiptId: receipt.id },
    });
    const view = pushed.at(-1)!;
    expect(view).toMatchObject({
      phase: 'paid',
      amountFen,
      tenderedFen: amountFen + 2_000,
      changeFen: 2_000,
      receiptLabel: receipt.receiptLabel,
      ratingReceiptId: receipt.id,
    });
    expect(view.lines.map((l) => [l.amountFen, l.pctTenths, l.partial])).toEqual(
      receipt.lines.map((l) => [l.amountFen, l.pctTenths, l.balanceAfterFen > 0]),
    );
    // What is still owed after the payment.
    expect(view.owedFen).toBe(account.owedFen - amountFen);

    const { code } = await t.must('customer.pairingCode', { session });
    expect((await asDisplay('customer.pair', { code })).ok).toBe(true);
    const rated = await asDisplay('customer.rate', { score: 5 });
    expect(rated).toEqual({ ok: true, value: { receiptLabel: receipt.receiptLabel, score: 5 } });
    const row = t.ctx.db
      .prepare('SELECT score, source, clerk_id FROM service_ratings WHERE receipt_id = ?')
      .get(receipt.id);
    expect(row).toEqual({ score: 5, source: 'display', clerk_id: receipt.clerkId });
    // The display is back to welcome, and it cannot rate again.
    expect(pushed.at(-1)!.phase).toBe('idle');
    const again = await asDisplay('customer.rate', { score: 1 });
    expect(!again.ok && again.error.code).toBe('CUSTOMER_NOTHING_TO_RATE');
  });

  it('idle carries nothing of the customer before, and versions only go up', async () => {
    const [a, b] = householdsOwing(t, 10_000);
    const ha = householdById(t.ctx.db, a!)!;
    await show({ phase: 'account', householdId: a });
    await show({ phase: 'payment', householdId: a, amountFen: 10_000, tenderedFen: 10_000 });
    await show({ phase: 'idle' });
    const idle = pushed.at(-1)!;
    expect(idle).toMatchObject({
      phase: 'idle',
      householdNameMasked: null,
      addressMasked: null,
      seasons: [],
      owedFen: 0,
      amountFen: null,
      lines: [],
      tenderedFen: null,
      changeFen: null,
      receiptLabel: null,
      ratingReceiptId: null,
    });
    await show({ phase: 'account', householdId: b });
    const next = pushed.at(-1)!;
    expect(JSON.stringify(next)).not.toContain(maskName(ha.name));
    const versions = pushed.map((v) => v.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('refuses bad screen states with a clear error and publishes nothing', async () => {
    const [a, b] = householdsOwing(t, 10_000);
    await show({ phase: 'account', householdId: a });
    const before = pushed.length;
    const lastVersion = pushed.at(-1)!.version;
    const owedB = (await t.must('household.account', { session, householdId: b })).owedFen;
    const receipt = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: b,
      amountFen: 100,
      tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ phase: 'account', householdId: 'H-none' }, 'HOUSEHOLD_NOT_FOUND'],
      [{ phase: 'account' }, 'BAD_INPUT'],
      [{ phase: 'idle', householdId: a }, 'BAD_INPUT'],
      [{ phase: 'account', householdId: a, amountFen: 100 }, 'BAD_INPUT'],
      [{ phase: 'payment', householdId: a, amountFen: 1.5 }, 'BAD_INPUT'],
      [{ phase: 'payment', householdId: a, amountFen: -1 }, 'BAD_INPUT'],
      [{ phase: 'payment', householdId: a, amountFen: 100, cashFen: 200 }, 'BAD_INPUT'],
      [{ phase: 'payment', householdId: b, amountFen: owedB + 1 }, 'OVERPAY'],
      [{ phase: 'paid', householdId: a }, 'BAD_INPUT'],
      [{ phase: 'paid', householdId: a, receiptId: receipt.id }, 'CUSTOMER_RECEIPT_MISMATCH'],
      [{ phase: 'paid', householdId: a, receiptId: 'R-none' }, 'CUSTOMER_RECEIPT_MISMATCH'],
      [{ phase: 'shouting', householdId: a }, 'BAD_INPUT'],
      [{ phase: 'account', householdId: a, name: '张三' }, 'BAD_INPUT'],
    ];
    for (const [screen, code] of cases) {
      const r = await show(screen);
      expect(!r.ok && r.error.code, JSON.stringify(screen)).toBe(code);
      if (!r.ok) expect(r.error.message['zh-CN'].length).toBeGreaterThan(5);
    }
    const noSession = await t.call('customer.show', { screen: { phase: 'idle' } });
    expect(!noSession.ok && noSession.error.code).toBe('BAD_INPUT');
    expect(pushed.length).toBe(before);
    // The next good state continues the version sequence where it was.
    await show({ phase: 'idle' });
    expect(pushed.at(-1)!.version).toBe(lastVersion + 1);
  });
});

describe('pairing and the display connection', () => {
  it('a paired display gets the current view, runs only the display commands, and loses them on close', async () => {
    const [a] = householdsOwing(t, 10_000);
    await show({ phase: 'account', householdId: a });
    const { code, displays } = await t.must('customer.pairingCode', { session });
    expect(code).toMatch(/^\d{6}$/);
    expect(displays).toBe(0);
    // Same code until it expires or is used.
    expect((await t.must('customer.pairingCode', { session })).code).toBe(code);
    const paired = await asDisplay('customer.pair', { code });
    expect(paired.ok && (paired.value as { view: CustomerView }).view).toEqual(pushed.at(-1));
    expect((await t.must('customer.pairingCode', { session })).displays).toBe(1);
    // The code is used up: a second page needs a new one.
    const second = await asDisplay('customer.pair', { code }, 'ws:display-2');
    expect(!second.ok && second.error.code).toBe('CUSTOMER_PAIRING_WRONG');

    // Every clerk command is refused on the display's connection, even with a valid session.
    for (const [name, input] of [
      ['terminal.info', {}],
      ['household.account', { session, householdId: a }],
      ['household.search', { session, query: '1' }],
      ['customer.show', { session, screen: { phase: 'idle' } }],
      ['customer.pairingCode', { session }],
      ['session.logout', { session }],
    ] as const) {
      const r = await asDisplay(name, input);
      expect(!r.ok && r.error.code, name).toBe('CUSTOMER_DISPLAY_ONLY');
    }
    expect((await asDisplay('customer.current', {})).ok).toBe(true);
    // The clerk's connection cannot read the view or rate as the customer.
    const clerkRead = await t.call('customer.current', {});
    expect(!clerkRead.ok && clerkRead.error.code).toBe('CUSTOMER_NOT_PAIRED');

    t.ctx.runtime.customer.forget('ws:display-1');
    const gone = await asDisplay('customer.current', {});
    expect(!gone.ok && gone.error.code).toBe('CUSTOMER_NOT_PAIRED');
  });

  it('wrong codes: a connection is locked after the limit, a code burns after too many, codes expire', async () => {
    const { code } = await t.must('customer.pairingCode', { session });
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 1; i < PAIRING_ATTEMPTS_PER_CONNECTION; i++) {
      const r = await asDisplay('customer.pair', { code: wrong });
      expect(!r.ok && r.error.code).toBe('CUSTOMER_PAIRING_WRONG');
      expect(!r.ok && r.error.details?.attemptsLeft).toBe(PAIRING_ATTEMPTS_PER_CONNECTION - i);
    }
    const last = await asDisplay('customer.pair', { code: wrong });
    expect(!last.ok && last.error.code).toBe('CUSTOMER_PAIRING_LOCKED');
    // Locked: even the right code does nothing on this connection.
    const right = await asDisplay('customer.pair', { code });
    expect(!right.ok && right.error.code).toBe('CUSTOMER_PAIRING_LOCKED');
    expect(t.ctx.runtime.customer.isDisplay('ws:display-1')).toBe(false);

    // Many connections guessing burn the code: the right one no longer pairs.
    const fresh = (await t.must('customer.pairingCode', { session, renew: true })).code;
    const guess = String((Number(fresh) + 7) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < PAIRING_ATTEMPTS_PER_CODE; i++)
      await asDisplay('customer.pair', { code: guess }, `ws:guesser-${i}`);
    const burnt = await asDisplay('customer.pair', { code: fresh }, 'ws:honest');
    expect(!burnt.ok && burnt.error.code).toBe('CUSTOMER_PAIRING_WRONG');
    const renewed = (await t.must('customer.pairingCode', { session })).code;
    // A code past its lifetime no longer pairs.
    now += PAIRING_CODE_TTL_MS + 1;
    const expired = await asDisplay('customer.pair', { code: renewed }, 'ws:late');
    expect(!expired.ok && expired.error.code).toBe('CUSTOMER_PAIRING_WRONG');
    const newer = (await t.must('customer.pairingCode', { session })).code;
    expect((await asDisplay('customer.pair', { code: newer }, 'ws:late')).ok).toBe(true);
  });
});
