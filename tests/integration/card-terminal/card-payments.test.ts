import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  approvedTotal,
  readJournal,
  type SimScript,
} from '../../../src-main/devices/card-terminal/simulator';
import {
  attachCardTerminal,
  cardReport,
  pendingCardPayments,
} from '../../../src-main/features/card/card-payments';
import { ptyDriver, startSimulator } from '../../support/card';
import { startPtyPair, type PtyPair } from '../../support/pty';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';
import type { ZvtCardTerminal } from '../../../src-main/devices/card-terminal/zvt-driver';
import { randomUUID } from 'node:crypto';

let tmp: ReturnType<typeof tempDir>;
let pty: PtyPair;
let t: TestTerminal;
let session: string;
let driver: ZvtCardTerminal;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let journal: string;
let households: string[];

async function boot(script: SimScript = {}) {
  pty = await startPtyPair(tmp.dir);
  sim = await startSimulator(pty.pt, journal, script);
  driver = ptyDriver(pty.ecr);
  attachCardTerminal(t.ctx, driver);
  const r = await t.must('card.reconnect', { session });
  expect(r.connected).toBe(true);
}

/** The invariant of every scenario: the ledger's terminal card total equals the terminal's approved total. */
function expectBooksMatchTerminal() {
  expect(pendingCardPayments(t.ctx)).toEqual([]);
  expect(cardReport(t.ctx).terminalFen).toBe(approvedTotal(readJournal(journal)));
}

const sale = (amountFen: number, householdId = households[0]!, requestId = randomUUID()) =>
  t.call('card.sale', { session, requestId, householdId, amountFen });

beforeEach(async () => {
  tmp = tempDir('card-');
  journal = join(tmp.dir, 'sim-journal.json');
  t = openTestTerminal(join(tmp.dir, 'l.db'));
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  households = householdsOwing(t, 5000, 10);
});
afterEach(async () => {
  await driver?.close().catch(() => undefined);
  await pty?.kill();
  t.close();
  tmp.cleanup();
});

describe('card payments over a pty with the ZVT simulator', () => {
  it('approve → one receipt with a card tender referencing the terminal data and its print lines', async () => {
    await boot();
    const requestId = randomUUID();
    const r = await sale(2500, households[0], requestId);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.payment.state).toBe('completed');
    expect(r.value.payment.printLines.join('\n')).toContain('CNY 25.00');
    const tender = r.value.receipt!.tenders[0]!;
    expect(tender).toMatchObject({ kind: 'card', amountFen: 2500, reference: '68012345/0001' });
    expect(tender.detail).toMatchObject({
      mode: 'terminal',
      terminalReceiptNo: '0001',
      maskedPan: '622588******1234',
    });
    // a retry with the same requestId never charges again
    const again = await t.must('card.sale', {
      session,
      requestId,
      householdId: households[0],
      amountFen: 2500,
    });
    expect(again.replayed).toBe(true);
    expect(readJournal(journal).transactions).toHaveLength(1);
    expectBooksMatchTerminal();
  });

  it('decline (¥x.13) → no receipt, clear message', async () => {
    await boot();
    const r = await t.must('card.sale', {
      session,
      requestId: randomUUID(),
      householdId: households[0],
      amountFen: 1013,
    });
    expect(r.payment.state).toBe('declined');
    expect(r.receipt).toBeNull();
    expect(r.payment.message?.['zh-CN']).toContain('拒绝');
    expectBooksMatchTerminal();
  });

  it('NAK storm → CARD_NOT_SENT, nothing charged, the next sale works', async () => {
    await boot();
    sim.sim.link.nakNext = 3;
    const r = await sale(1200);
    expect(r.ok ? 'ok' : r.error.code).toBe('CARD_NOT_SENT');
    expect((await sale(1200)).ok).toBe(true);
    expectBooksMatchTerminal();
  });

  it('timeout (terminal silent) → unknown → recovery finds nothing approved → mark failed', async () => {
    await boot({ faults: [{ on: 'sale', nth: 1, fault: 'silence' }] });
    const r = await sale(3000);
    expect(r.ok ? 'ok' : r.error.code).toBe('CARD_OUTCOME_UNKNOWN');
    expect((await sale(3000)).ok ? 'ok' : 'refused').toBe('refused'); // no second sale while unresolved
    const [p] = pendingCardPayments(t.ctx);
    const facts = await t.must('card.inspect', { session, intentId: p!.intentId });
    expect(facts.allowed).toEqual(['fail']);
    const rec = await t.call('card.resolve', { session, intentId: p!.intentId, action: 'record' });
    expect(rec.ok ? 'ok' : rec.error.code).toBe('CARD_ACTION_NOT_ALLOWED');
    await t.must('card.resolve', { session, intentId: p!.intentId, action: 'fail' });
    expectBooksMatchTerminal();
  });

  it('terminal drops the line after approval (before completion) → the approval still becomes one receipt', async () => {
    await boot({ faults: [{ on: 'sale', nth: 1, fault: 'exit_after_approval' }] });
    const r = await t.must('card.sale', {
      session,
      requestId: randomUUID(),
      householdId: households[0],
      amountFen: 4100,
    });
    expect(r.payment.state).toBe('completed');
    expectBooksMatchTerminal();
  });

  it('unplug (socat killed) mid-transaction → reconnect → recovery → one receipt or one clean failure', async () => {
    await boot({ faults: [{ on: 'sale', nth: 1, fault: 'slow', ms: 3000 }] });
    const pending = sale(5200);
    await new Promise((r) => setTimeout(r, 300));
    await pty.kill();
    const r = await pending;
    expect(r.ok ? 'ok' : r.error.code).toBe('CARD_OUTCOME_UNKNOWN');
    await sim.served;
    // the cable is back: a new pty pair, the same terminal (journal)
    pty = await startPtyPair(tmp.dir, 'zvt2');
    sim = await startSimulator(pty.pt, journal);
    driver = ptyDriver(pty.ecr);
    attachCardTerminal(t.ctx, driver);
    const again = await t.must('card.reconnect', { session });
    expect(again.pending).toHaveLength(1);
    const facts = await t.must('card.inspect', { session, intentId: again.pending[0]!.intentId });
    expect(facts.terminalReachable).toBe(true);
    // The terminal may have finished the card after the cable was pulled (then: record it), or not
    // (then: only "mark failed" is offered). Either way the books must match the terminal.
    const approved = readJournal(journal).transactions.some((x) => x.status === 'approved');
    expect(facts.allowed).toEqual(approved ? ['record', 'reverse'] : ['fail']);
    const done = await t.must('card.resolve', {
      session,
      intentId: again.pending[0]!.intentId,
      action: facts.allowed[0]!,
    });
    expect(done.payment.state).toBe(approved ? 'completed' : 'failed');
    expectBooksMatchTerminal();
  });

  it('clerk abort → aborted, no receipt; manual mode receipt is marked manual', async () => {
    await boot({ faults: [{ on: 'sale', nth: 1, fault: 'slow', ms: 3000 }] });
    const pending = sale(800);
    await new Promise((r) => setTimeout(r, 300));
    const progress = await t.must('card.progress', { session });
    expect(progress.texts.map((x) => x.text['zh-CN'])).toContain('请插卡/刷卡');
    expect((await t.must('card.abort', { session })).requested).toBe(true);
    const r = await pending;
    expect(r.ok && r.value.payment.state).toBe('declined');
    const m = await t.must('card.manual', {
      session,
      requestId: randomUUID(),
      householdId: households[1],
      amountFen: 900,
      terminalRef: 'POS-0001',
      authCode: '123456',
    });
    expect(m.receipt!.tenders[0]!.detail).toMatchObject({ mode: 'manual' });
    expect(cardReport(t.ctx)).toMatchObject({ manualFen: 900, terminalFen: 0 });
    expectBooksMatchTerminal();
  });
});
