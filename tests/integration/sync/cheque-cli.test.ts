// Finance's cheque work from the head-office CLI (cheques / decide-cheque / decide-cheques), on
// PGlite and PostgreSQL: found by the receipt number as printed, refused with a reason and nothing
// written when ambiguous or wrong, and pulled by the cheque's terminal like a decision over HTTP.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChequeCommand, type ChequeCommand } from '../../../head-office/src/cheque-cli';
import type { Backend, TestHeadOffice } from '../../support/head-office';
import { syncSuite } from '../../support/sync-suite';
import { householdsOwing, tempDir, type TestTerminal } from '../../support/terminal';

const SUP = { code: '9001', pin: '888888' };

interface ReportRow {
  receipt_id: string;
  receipt_label: string;
  terminal_id: string;
  position: number;
  status: string;
  decision_source: string | null;
  decided_by: string | null;
  reason: string | null;
}

describe.each<Backend>(['pglite', 'postgres'])('head-office cheque CLI on %s', (backend) => {
  const suite = syncSuite(backend, 30);
  let ho: TestHeadOffice;
  beforeAll(() => {
    ho = suite.ho;
  });
  const cli = (command: ChequeCommand, ...args: string[]) => runChequeCommand(ho.db, command, args);
  const rows = async (...args: string[]) =>
    (JSON.parse((await cli('cheques', ...args)).out!) as { rows: ReportRow[] }).rows;

  async function payByCheque(t: TestTerminal, session: string, hh: string, cheques: string[]) {
    return t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: hh,
      amountFen: cheques.length * 10_00,
      tenders: cheques.map((no) => ({
        kind: 'cheque',
        amountFen: 10_00,
        chequeNo: no,
        bank: '建设银行',
      })),
    });
  }

  it('list, decide one by its printed number, refuse what is ambiguous or wrong, decide a file all or none', async () => {
    const a = suite.terminal();
    const b = suite.terminal();
    const aId = await ho.enrol(a, `A-${backend}`).then(() => a.ctx.terminal.id);
    await ho.enrol(b, `B-${backend}`);
    const clerkA = await a.login();
    const clerkB = await b.login();
    await a.must('shift.open', { session: clerkA, openingFloatFen: 0 });
    await b.must('shift.open', { session: clerkB, openingFloatFen: 0 });
    const [h1, h2, h3] = householdsOwing(a, 20_00, 3);
    const r1 = await payByCheque(a, clerkA, h1!, ['CHQ-1']);
    const r2 = await payByCheque(a, clerkA, h2!, ['CHQ-2A', 'CHQ-2B']);
    const r3 = await payByCheque(a, clerkA, h3!, ['CHQ-3']);
    const [hb] = householdsOwing(b, 20_00, 1);
    const rb = await payByCheque(b, clerkB, hb!, ['CHQ-B']);
    await suite.sync(a);
    await suite.sync(b);

    expect((await rows('--status', 'pending', '--terminal', aId)).length).toBe(4);

    // each counter numbers from its own book: A000001 was printed by both
    expect(rb.receiptLabel).toBe(r1.receiptLabel);
    const dup = await cli(
      'decide-cheque',
      r1.receiptLabel,
      '--cleared',
      '--value-date',
      '2099-01-02',
      '--by',
      '财务王',
    );
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(
      new RegExp(
        `exists on terminals "A-${backend}" \\(${aId}\\), "B-${backend}" .*add --terminal`,
      ),
    );

    // by the number printed on the receipt and the counter's name
    const one = await cli(
      'decide-cheque',
      r1.receiptLabel,
      '--terminal',
      `A-${backend}`,
      '--cleared',
      '--value-date',
      '2099-01-02',
      '--by',
      '财务王',
    );
    expect([one.code, one.err]).toEqual([0, undefined]);
    expect(JSON.parse(one.out!).decisions).toEqual([
      { receiptId: r1.id, position: 0, decisionId: expect.any(String) },
    ]);
    expect((await rows('--status', 'cleared')).map((r) => [r.receipt_id, r.decided_by])).toEqual([
      [r1.id, '财务王'],
    ]);

    // refused, nothing written: two cheques on the receipt, no reason for a bounce, decided already,
    // no such receipt
    const two = await cli(
      'decide-cheque',
      r2.receiptLabel,
      '--cleared',
      '--value-date',
      '2099-01-02',
      '--by',
      '财务王',
    );
    expect(two.code).toBe(1);
    expect(two.err).toMatch(/carries 2 cheques.*--position 0: CHQ-2A.*--position 1: CHQ-2B/);
    const noReason = await cli(
      'decide-cheque',
      r2.receiptLabel,
      '--bounced',
      '--position',
      '1',
      '--value-date',
      '2099-01-02',
      '--by',
      '财务王',
    );
    expect(noReason.code).toBe(2);
    expect(noReason.err).toMatch(/--reason/);
    const again = await cli(
      'decide-cheque',
      r1.id,
      '--bounced',
      '--reason',
      '退票',
      '--value-date',
      '2099-01-02',
      '--by',
      '财务王',
    );
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already cleared/);
    expect(
      (
        await cli(
          'decide-cheque',
          'X999999',
          '--cleared',
          '--value-date',
          '2099-01-02',
          '--by',
          'a',
        )
      ).err,
    ).toMatch(/no cheque on receipt X999999/);
    // usage errors: exit 2, with the usage line
    for (const bad of [
      [
        'decide-cheque',
        r3.receiptLabel,
        '--cleared',
        '--bounced',
        '--value-date',
        '2099-01-02',
        '--by',
        'a',
      ],
      ['decide-cheque', r3.receiptLabel, '--cleared', '--value-date', '2099-1-2', '--by', 'a'],
      ['decide-cheque', r3.receiptLabel, '--cleared', '--value-date', '2099-01-02'],
      [
        'decide-cheque',
        r3.receiptLabel,
        '--cleared',
        '--value-date',
        '2099-01-02',
        '--by',
        'a',
        '--colour',
        'red',
      ],
      ['cheques', '--status', 'lost'],
    ] as [ChequeCommand, ...string[]][]) {
      const r = await cli(...bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.err).toMatch(/usage: /);
    }
    expect((await rows('--status', 'pending', '--terminal', aId)).length).toBe(3);

    // a file: one bad item refuses all of it
    const dir = tempDir('cheque-cli-');
    try {
      const file = join(dir.dir, 'decisions.json');
      const items = [
        {
          receiptId: r2.id,
          position: 1,
          outcome: 'bounced',
          valueDate: '2099-01-03',
          reason: '余额不足',
          decidedBy: '财务王',
        },
        {
          receiptId: r3.id,
          position: 0,
          outcome: 'cleared',
          valueDate: '2000-01-01',
          decidedBy: '财务王',
        },
      ];
      writeFileSync(file, JSON.stringify(items));
      const refused = await cli('decide-cheques', file);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(
        /nothing decided:\n {2}item 2: value date 2000-01-01 is before the payment/,
      );
      expect((await rows('--status', 'pending', '--terminal', aId)).length).toBe(3);
      writeFileSync(file, '{"not": "an array"');
      expect((await cli('decide-cheques', file)).err).toMatch(/cannot read/);
      items[1]!.valueDate = '2099-01-03';
      writeFileSync(file, JSON.stringify(items));
      expect((await cli('decide-cheques', file)).code).toBe(0);
    } finally {
      dir.cleanup();
    }
    expect(
      (await rows('--status', 'bounced')).map((r) => [r.receipt_id, r.position, r.reason]),
    ).toEqual([[r2.id, 1, '余额不足']]);

    // the counter pulls the CLI's decisions like any other
    await suite.sync(a);
    const sup = await a.login(SUP.code, SUP.pin);
    const onA = await a.must('cheque.list', { session: sup, status: 'all' });
    const status = (id: string, position: number) =>
      onA.cheques.find((c) => c.receiptId === id && c.position === position);
    // the counter records head office as the decider; the name stays in head office's report
    expect(status(r1.id, 0)).toMatchObject({
      status: 'cleared',
      source: 'head-office',
      decidedBy: 'head-office',
    });
    expect(status(r2.id, 1)).toMatchObject({ status: 'bounced', reason: '余额不足' });
    expect(status(r2.id, 0)).toMatchObject({ status: 'pending' });
    expect(status(r3.id, 0)).toMatchObject({ status: 'cleared' });
  }, 120_000);
});
