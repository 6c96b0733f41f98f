// Satisfaction ratings (issue 22): one per receipt, tied to the receipt and its clerk, refused on a
// void or unknown receipt and for a score outside 1–5 (through dispatch, as every transport); the
// service time's start recorded main-side by household.account; rebuild == live.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectionSnapshot } from '../../../src-main/ledger/projector';
import { rebuildProjections } from '../../../src-main/ledger/rebuild';
import { rateReceipt } from '../../../src-main/features/service/ratings';
import { clerkByCode } from '../../../src-main/features/session/clerks.store';
import {
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let now = Date.parse('2026-12-07T02:00:00.000Z');
const clock = () => new Date(now);

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };

beforeEach(async () => {
  now = Date.parse('2026-12-07T02:00:00.000Z');
  dir = tempDir();
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { clock });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 20000 });
});
afterEach(() => {
  t.close();
  dir.cleanup();
});

const row = (receiptId: string) =>
  t.ctx.db
    .prepare(
      'SELECT receipt_id, receipt_label, clerk_id, business_date, score, source, rated_at FROM service_ratings WHERE receipt_id = ?',
    )
    .get(receiptId);

describe('service.rate', () => {
  it('stores one rating tied to the receipt and its clerk; a second is RATING_ALREADY_GIVEN', async () => {
    const [h] = householdsOwing(t, 10_000);
    const r = await payCash(t, session, h!, 5_000);
    now += 30_000;
    const rated = await t.must('service.rate', {
      session,
      receiptId: r.id,
      score: 4,
      source: 'keypad',
    });
    expect(rated).toMatchObject({ receiptId: r.id, receiptLabel: r.receiptLabel, score: 4 });
    expect(rated.points).toBe(80);
    const clerkId = (
      t.ctx.db.prepare('SELECT clerk_id FROM receipts WHERE id = ?').get(r.id) as {
        clerk_id: string;
      }
    ).clerk_id;
    expect(row(r.id)).toEqual({
      receipt_id: r.id,
      receipt_label: r.receiptLabel,
      clerk_id: clerkId,
      business_date: '2026-12-07',
      score: 4,
      source: 'keypad',
      rated_at: '2026-12-07T02:00:30.000Z',
    });
    const again = await t.call('service.rate', {
      session,
      receiptId: r.id,
      score: 5,
      source: 'display',
    });
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('RATING_ALREADY_GIVEN');
      expect(again.error.message['zh-CN']).toContain(r.receiptLabel);
      expect(again.error.message['zh-CN']).toContain('下一位顾客');
      expect(again.error.message.en).toContain('serve the next customer');
    }
    expect(row(r.id)).toMatchObject({ score: 4 });
    const events = t.ctx.db
      .prepare("SELECT count(*) AS n FROM events WHERE type = 'service.rated'")
      .get() as { n: number };
    expect(events.n).toBe(1);
  });

  it('refuses a voided receipt, an unknown one and a score outside 1–5 with a clear error', async () => {
    const [h] = householdsOwing(t, 10_000);
    const r = await payCash(t, session, h!, 5_000);
    await t.must('receipt.void', { session, receiptId: r.id, reason: '金额错误', ...SUPERVISOR });
    const voided = await t.call('service.rate', {
      session,
      receiptId: r.id,
      score: 5,
      source: 'display',
    });
    expect(!voided.ok && voided.error.code).toBe('RATING_RECEIPT_VOID');
    const unknown = await t.call('service.rate', {
      session,
      receiptId: '0190aaaa-0000-7000-8000-000000000000',
      score: 5,
      source: 'display',
    });
    expect(!unknown.ok && unknown.error.code).toBe('RECEIPT_NOT_FOUND');
    for (const score of [0, 6, 2.5, '5']) {
      const bad = await t.call('service.rate', {
        session,
        receiptId: r.id,
        score,
        source: 'keypad',
      });
      expect(bad.ok, String(score)).toBe(false);
      if (!bad.ok) expect(bad.error.code).toBe('BAD_INPUT');
    }
    // The use case itself (called in-process by the customer display) checks the score too.
    const clerk = clerkByCode(t.ctx.db, '1001')!;
    expect(() =>
      rateReceipt(t.ctx, clerk, { receiptId: r.id, score: 7, source: 'display' }),
    ).toThrow(expect.objectContaining({ code: 'RATING_SCORE_INVALID' }));
    expect(
      t.ctx.db.prepare('SELECT count(*) AS n FROM service_ratings').get() as { n: number },
    ).toEqual({ n: 0 });
  });

  it('receipt.issued carries serviceStartedAt from household.account (main clock); rebuild == live', async () => {
    const [a, b, c] = householdsOwing(t, 10_000);
    await t.must('household.account', { session, householdId: a });
    now += 60_000;
    // Reloading the same account does not restart the clock.
    await t.must('household.account', { session, householdId: a });
    now += 4 * 60_000;
    const ra = await payCash(t, session, a!, 1_000);
    // A receipt for a household whose account was not opened carries no start.
    const rb = await payCash(t, session, b!, 1_000);
    await t.must('household.account', { session, householdId: c });
    now += 10 * 60_000;
    const rc = await payCash(t, session, c!, 1_000);
    now += 20_000;
    await t.must('service.rate', { session, receiptId: rc.id, score: 5, source: 'display' });
    const starts = t.ctx.db
      .prepare('SELECT id, issued_at, service_started_at FROM receipts ORDER BY issued_seq')
      .all();
    expect(starts).toEqual([
      {
        id: ra.id,
        issued_at: '2026-12-07T02:05:00.000Z',
        service_started_at: '2026-12-07T02:00:00.000Z',
      },
      { id: rb.id, issued_at: '2026-12-07T02:05:00.000Z', service_started_at: null },
      {
        id: rc.id,
        issued_at: '2026-12-07T02:15:00.000Z',
        service_started_at: '2026-12-07T02:05:00.000Z',
      },
    ]);
    const payload = JSON.parse(
      (
        t.ctx.db
          .prepare(
            "SELECT payload FROM events WHERE type = 'receipt.issued' ORDER BY seq LIMIT 1 OFFSET 1",
          )
          .get() as { payload: string }
      ).payload,
    ) as Record<string, unknown>;
    expect('serviceStartedAt' in payload).toBe(false);
    const live = projectionSnapshot(t.ctx.db);
    rebuildProjections(t.ctx.db);
    expect(projectionSnapshot(t.ctx.db)).toEqual(live);
    expect(live.service_ratings).toHaveLength(1);
  });
});
