// The payment path builds its reply and its receipt print data from what the transaction already
// holds (no read-back; the copies are queued right after the commit from that data). These must be exactly what the ledger gives back for the same receipt.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seasonAccounts } from '../../src-main/features/households/accounts.store';
import { printJobsOf } from '../../src-main/features/printing/print-jobs.store';
import { RECEIPT_PARTS } from '../../src-main/devices/printer/template-data';
import {
  queueCommittedReceipts,
  receiptPrintData,
} from '../../src-main/features/printing/print-queue';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;

beforeEach(async () => {
  dir = tempDir();
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 80 });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 20000 });
});
afterEach(() => {
  t.close();
  dir.cleanup();
});

async function payAndCompare(input: Record<string, unknown>) {
  const reply = await t.must('payment.take', { session, requestId: randomUUID(), ...input });
  const { replayed, ...detail } = reply;
  expect(replayed).toBe(false);
  const found = await t.must('receipt.find', { session, receiptId: reply.id });
  expect(detail).toEqual(found);
  // Queued in the payment's own commit from what it held in memory (not read back from the ledger):
  // nothing is left for a catch-up.
  expect(queueCommittedReceipts(t.ctx)).toBe(0);
  const jobs = printJobsOf(t.ctx.db, reply.id);
  expect(jobs.map((j) => JSON.parse(j.data) as unknown)).toEqual(
    jobs.map((_, i) => receiptPrintData(t.ctx, reply.id, RECEIPT_PARTS[i]!)),
  );
  expect(jobs).toHaveLength(3);
  return reply;
}

describe('payment reply and print data ≡ the ledger read back', () => {
  it('full payment in cash with change, over several seasons', async () => {
    const ids = householdsOwing(t, 1, 40);
    const multi = ids.find(
      (id) => seasonAccounts(t.ctx.db, id).filter((a) => a.balanceFen > 0).length > 1,
    );
    const id = multi ?? ids[0]!;
    const owed = seasonAccounts(t.ctx.db, id).reduce((s, a) => s + a.balanceFen, 0);
    const tendered = Math.ceil(owed / 10_000) * 10_000 + 10_000;
    const r = await payAndCompare({
      householdId: id,
      amountFen: owed,
      tenders: [{ kind: 'cash', amountFen: owed, tenderedFen: tendered }],
    });
    expect(r.changeFen).toBe(tendered - owed);
    expect(r.household.owedFen).toBe(0);
  });

  it('partial payment, split tenders with card detail, cheque and QR', async () => {
    const [id] = householdsOwing(t, 4000);
    const r = await payAndCompare({
      householdId: id,
      amountFen: 4000,
      tenders: [
        { kind: 'cash', amountFen: 1000, tenderedFen: 1500 },
        {
          kind: 'card',
          amountFen: 1000,
          terminalRef: 'T1',
          authCode: '12',
          maskedPan: '6222****1234',
        },
        { kind: 'cheque', amountFen: 1000, chequeNo: 'CH-1', bank: '工商银行' },
        { kind: 'qr', amountFen: 1000, channel: 'wechat', reference: 'WX1' },
      ],
    });
    expect(r.tenders).toHaveLength(4);
  });

  it('explicit allocation to a later season first (lines come back in season order)', async () => {
    const id = householdsOwing(t, 1, 80).find(
      (h) => seasonAccounts(t.ctx.db, h).filter((a) => a.balanceFen >= 200).length > 1,
    );
    expect(id, 'the demo district has households owing two seasons').toBeDefined();
    const open = seasonAccounts(t.ctx.db, id!).filter((a) => a.balanceFen >= 200);
    const [older, newer] = [open[0]!, open[1]!];
    const r = await payAndCompare({
      householdId: id,
      amountFen: 300,
      allocation: [
        { seasonId: newer.seasonId, amountFen: 200 },
        { seasonId: older.seasonId, amountFen: 100 },
      ],
      tenders: [{ kind: 'cash', amountFen: 300, tenderedFen: 300 }],
    });
    expect(r.lines.map((l) => l.seasonCode)).toEqual([older.seasonCode, newer.seasonCode]);
  });
});
