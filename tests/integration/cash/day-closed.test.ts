import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeShiftExactly,
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
} from '../../support/terminal';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };

describe('a business day closed by Z (issue 21, defect 1)', () => {
  it('takes no new shift and no new receipt at this counter; the next business day does', async () => {
    // 10:00 in Shanghai on 2026-11-20; the clock moves on by hand.
    let now = new Date('2026-11-20T02:00:00.000Z');
    const t = openTestTerminal(join(dir.dir, 'z.db'), { households: 40, clock: () => now });
    const date = (await t.must('terminal.info', {})).businessDate;
    expect(date).toBe('2026-11-20');
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const ids = householdsOwing(t, 1000, 6);
    const labels: string[] = [];
    for (const id of ids) labels.push((await payCash(t, session, id, 1000)).receiptLabel);
    expect(labels).toHaveLength(6);
    await closeShiftExactly(t, session);
    const z = await t.must('day.close', { session, ...SUPERVISOR });
    expect(z).toMatchObject({ closureNo: 1, businessDate: date, receiptCount: 6 });

    // The defect: a new shift opened on the same date and issued the 7th receipt.
    now = new Date('2026-11-20T03:00:00.000Z');
    const reopened = await t.call('shift.open', { session, openingFloatFen: 0 });
    expect(reopened.ok).toBe(false);
    if (reopened.ok) throw new Error('a shift opened on a closed day');
    expect(reopened.error.code).toBe('DAY_CLOSED');
    expect(reopened.error.details).toEqual({
      date: '2026-11-20',
      closureNo: 1,
      nextDate: '2026-11-21',
    });
    expect(reopened.error.message['zh-CN']).toContain('Z1');
    expect(reopened.error.message['zh-CN']).toContain('2026-11-21');
    expect(reopened.error.message.en).toContain(
      'Business day 2026-11-20 is closed (Z1): this counter takes no new shift, payment or receipt on it.',
    );
    // Another clerk fares no better, and a payment without a shift names the Z, not "open a shift".
    const other = await t.login('1002', '123456');
    expect(await t.call('shift.open', { session: other, openingFloatFen: 0 })).toMatchObject({
      ok: false,
      error: { code: 'DAY_CLOSED' },
    });
    const pay = await t.call('payment.take', {
      session,
      requestId: '0193a000-0000-7000-8000-000000000001',
      householdId: ids[0],
      amountFen: 500,
      tenders: [{ kind: 'cash', amountFen: 500, tenderedFen: 500 }],
    });
    expect(pay).toMatchObject({ ok: false, error: { code: 'DAY_CLOSED' } });
    // A Z for a day that has not come yet would lock that day: refused.
    expect(
      await t.call('day.close', { session, businessDate: '2026-11-21', ...SUPERVISOR }),
    ).toMatchObject({ ok: false, error: { code: 'DAY_IN_FUTURE' } });

    const onDate = () =>
      (
        t.ctx.db
          .prepare('SELECT count(*) AS n FROM receipts WHERE business_date = ?')
          .get(date) as { n: number }
      ).n;
    expect(onDate()).toBe(z.receiptCount);
    expect((await t.must('report.daily', { session, businessDate: date })).total.receiptCount).toBe(
      z.receiptCount,
    );

    // 00:30 the next day: the counter works again, the book goes on where it stopped.
    now = new Date('2026-11-20T16:30:00.000Z');
    const morning = await t.login();
    await t.must('shift.open', { session: morning, openingFloatFen: 0 });
    const next = await payCash(t, morning, ids[0]!, 500);
    expect(next.receiptLabel).toBe('A000007');
    expect(onDate()).toBe(6);
    expect(await t.must('ledger.verify', { session: morning })).toMatchObject({ ok: true });
    t.close();
  });
});
