// Head office's daily QR reconciliation (issue 23): Alipay's settlement file for a business date
// (the simulator's, one line taken out as if Alipay had not settled it) against head office's paid
// sales (made through the sale procedure and the simulator) and the receipts a real terminal
// pushed. Every kind of difference appears once, with its terminal, numbers and amounts.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QR_ROUTES, qrSaleAnswer } from '@heating-cashier/core/contract/qr-wire';
import { alipayConfig, createAlipayProvider } from '../../../head-office/src/qr/alipay';
import {
  AlipaySimulator,
  beijing,
  generateRsaKeyPair,
} from '../../../head-office/src/qr/alipay-simulator';
import type { QrProviderPort } from '../../../head-office/src/qr/provider';
import {
  runQrReconcileCommand,
  type QrDifference,
  type QrReconciliation,
} from '../../../head-office/src/qr/reconcile';
import { SyncWorker } from '../../../src-main/features/sync/worker';
import { startHeadOffice, type Backend, type TestHeadOffice } from '../../support/head-office';
import { FAST_SYNC } from '../../support/sync-suite';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

const APP_ID = '2021000000000043';

describe.each<Backend>(['pglite', 'postgres'])('QR reconciliation on %s', (backend) => {
  const dir = tempDir('qr-recon-');
  // one clock for the simulator and the counter: 10:00 Beijing today, running
  const started = Date.now();
  const base = Date.parse(`${beijing(new Date()).slice(0, 10)}T02:00:00Z`);
  const clock = () => new Date(base + (Date.now() - started));
  const day = beijing(clock()).slice(0, 10);
  const appKeys = generateRsaKeyPair();
  const alipayKeys = generateRsaKeyPair();
  const sim = new AlipaySimulator({
    appId: APP_ID,
    appPublicKey: appKeys.publicKey,
    alipayPrivateKey: alipayKeys.privateKey,
    dir: dir.dir,
    now: clock,
  });
  const providers: Partial<Record<'alipay' | 'wechat' | 'unionpay', QrProviderPort>> = {};
  let ho: TestHeadOffice;
  let t: TestTerminal;
  let token: string;

  beforeAll(async () => {
    const gateway = await sim.start();
    providers.alipay = createAlipayProvider(
      alipayConfig.parse({
        appId: APP_ID,
        privateKey: appKeys.privateKey,
        alipayPublicKey: alipayKeys.publicKey,
        gateway,
        timeoutMs: 2000,
      }),
    );
    ho = await startHeadOffice(backend, { qr: { providers, pollIntervalMs: 40 } });
    t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 30, clock });
    token = await ho.enrol(t, `R-${backend}`);
  });
  afterAll(async () => {
    t?.close();
    await sim.close();
    await ho?.close();
    dir.cleanup();
  });

  /** A paid sale through head office and the simulator: its out-trade and trade numbers. */
  async function paidSale(amountFen: number) {
    const outTradeNo = `R_${backend}_${randomBytes(6).toString('hex')}`;
    const r = await fetch(ho.url + QR_ROUTES.sale, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        outTradeNo,
        provider: 'alipay',
        authCode: `28${Array.from({ length: 16 }, () => String(randomInt(10))).join('')}`,
        amountFen,
        subject: '供热费',
        householdId: 'hh',
      }),
    });
    const ans = qrSaleAnswer.parse(await r.json());
    expect(ans.state).toBe('paid');
    return { outTradeNo, tradeNo: ans.tradeNo! };
  }

  it('lists settled without receipt, receipt not settled, amounts that differ, paid but not settled, a receipt twice', async () => {
    const s1 = await paidSale(100_00); // settled, one receipt of the same amount: no difference
    const s2 = await paidSale(50_00); // settled, no receipt
    const s3 = await paidSale(30_00); // settled, the receipt says ¥29.00
    const s4 = await paidSale(20_00); // paid at head office, not in Alipay's file; a receipt
    const s7 = await paidSale(40_00); // settled, two receipts

    const clerk = await t.login();
    await t.must('shift.open', { session: clerk, openingFloatFen: 0 });
    const households = householdsOwing(t, 100_00, 10);
    let h = 0;
    const receipt = async (amountFen: number, reference: string, channel = 'alipay') =>
      (
        await t.must('payment.take', {
          session: clerk,
          requestId: randomUUID(),
          householdId: households[h++]!,
          amountFen,
          tenders: [{ kind: 'qr', amountFen, channel, reference }],
        })
      ).receiptLabel;
    const r1 = await receipt(100_00, s1.tradeNo);
    const r3 = await receipt(29_00, s3.tradeNo);
    const r4 = await receipt(20_00, s4.tradeNo);
    const r5 = await receipt(10_00, '2026120822001499999999'); // a mistyped reference
    const r7a = await receipt(40_00, s7.tradeNo);
    const r7b = await receipt(40_00, s7.tradeNo);
    await receipt(12_00, '4200001234202612080001', 'wechat'); // WeChat: not in Alipay's reconciliation
    // the counter's own QR sales through head office: confirmed tenders naming their out-trade no.
    const scanned = async (amountFen: number) => {
      const r = await t.must('qr.sale', {
        session: clerk,
        requestId: randomUUID(),
        householdId: households[h++]!,
        amountFen,
        code: `28${Array.from({ length: 16 }, () => String(randomInt(10))).join('')}`,
        source: 'scanner',
      });
      expect(r.payment.state).toBe('completed');
      const tender = r.receipt!.tenders[0]!;
      expect(tender.detail).toMatchObject({ confirmation: 'confirmed', provider: 'alipay' });
      return {
        outTradeNo: r.payment.outTradeNo,
        tradeNo: r.payment.tradeNo!,
        label: r.receipt!.receiptLabel,
      };
    };
    const s8 = await scanned(60_00); // settled, its receipt: no difference
    const s9 = await scanned(70_00); // its receipt, but not in Alipay's file
    expect(
      await new SyncWorker(t.ctx, FAST_SYNC).drain({ maxCycles: 6, deadlineMs: 20_000 }),
    ).toMatchObject({ done: true });
    expect(r1).toBeTruthy();

    // Alipay's file for the day, without s4's line
    const file = sim.settlementFile(day);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(s4.outTradeNo);
    const edited = join(dir.dir, `settlement-${backend}.csv`);
    writeFileSync(
      edited,
      text
        .split('\n')
        .filter((l) => !l.startsWith(s4.outTradeNo) && !l.startsWith(s9.outTradeNo))
        .join('\n'),
    );

    const res = await ho.admin(`/v1/reports/qr-reconciliation?date=${day}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: readFileSync(edited),
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as QrReconciliation;
    const terminalId = t.ctx.terminal.id;
    const diff = (
      kind: QrDifference['kind'],
      sale: { outTradeNo: string | null; tradeNo: string },
      amounts: Partial<QrDifference>,
    ): QrDifference => ({
      kind,
      terminalId,
      outTradeNo: sale.outTradeNo,
      tradeNo: sale.tradeNo,
      settledFen: null,
      headOfficeFen: null,
      headOfficeState: null,
      receiptFen: null,
      receiptLabels: [],
      ...amounts,
    });
    const paid = (fen: number) => ({ headOfficeFen: fen, headOfficeState: 'paid' });
    expect(report).toMatchObject({
      provider: 'alipay',
      date: day,
      settled: { count: 5, fen: 280_00 },
      paidAtHeadOffice: { count: 7, fen: 370_00 },
      receipts: { count: 8, fen: 369_00 },
    });
    expect(report.differences.filter((d) => d.outTradeNo === s8.outTradeNo)).toEqual([]);
    const byKind = (d: QrDifference) => `${d.kind}:${d.tradeNo}`;
    expect([...report.differences].sort((x, y) => byKind(x).localeCompare(byKind(y)))).toEqual(
      [
        diff('amount_differs', s3, {
          settledFen: 30_00,
          ...paid(30_00),
          receiptFen: 29_00,
          receiptLabels: [r3],
        }),
        diff('paid_not_settled', { ...s4 }, paid(20_00)),
        diff('paid_not_settled', s9, {
          ...paid(70_00),
          receiptFen: 70_00,
          receiptLabels: [s9.label],
        }),
        diff('receipt_not_settled', s9, {
          ...paid(70_00),
          receiptFen: 70_00,
          receiptLabels: [s9.label],
        }),
        diff(
          'receipt_not_settled',
          { outTradeNo: null, tradeNo: s4.tradeNo },
          {
            receiptFen: 20_00,
            receiptLabels: [r4],
          },
        ),
        diff(
          'receipt_not_settled',
          { outTradeNo: null, tradeNo: '2026120822001499999999' },
          {
            receiptFen: 10_00,
            receiptLabels: [r5],
          },
        ),
        diff('receipt_twice', s7, {
          settledFen: 40_00,
          ...paid(40_00),
          receiptFen: 80_00,
          receiptLabels: [r7a, r7b],
        }),
        diff('settled_no_receipt', s2, { settledFen: 50_00, ...paid(50_00) }),
      ].sort((x, y) => byKind(x).localeCompare(byKind(y))),
    );

    // the same from the command line: exit 1 (differences); Alipay's full file: s4 settled too
    const cli = await runQrReconcileCommand(ho.db, ['--date', day, edited], readFileSync);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.out!)).toEqual(report);
    const full = JSON.parse(
      (await runQrReconcileCommand(ho.db, ['--date', day, file], readFileSync)).out ?? '{}',
    ) as QrReconciliation;
    expect(full.differences.map((d) => d.kind).sort()).toEqual([
      'amount_differs',
      'receipt_not_settled',
      'receipt_twice',
      'settled_no_receipt',
    ]);
    // another day: the sales and receipts of this one are not that day's
    const empty = join(dir.dir, 'empty.csv');
    writeFileSync(empty, 'out_trade_no,trade_no,total_amount,gmt_payment\n');
    const other = await runQrReconcileCommand(ho.db, ['--date', '2020-01-01', empty], readFileSync);
    expect(other.code).toBe(0);
    expect(JSON.parse(other.out!)).toMatchObject({ differences: [], receipts: { count: 0 } });
  });

  it('refuses a file it cannot read and a call without a date', async () => {
    const bad = await ho.admin(`/v1/reports/qr-reconciliation?date=${day}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'out_trade_no,trade_no,total_amount,gmt_payment\nX_1,123,12.345,2026-12-08 10:00:00\n',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('line 2');
    const noDate = await ho.admin('/v1/reports/qr-reconciliation', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'out_trade_no,trade_no,total_amount,gmt_payment\n',
    });
    expect(noDate.status).toBe(400);
    const terminalToken = await fetch(`${ho.url}/v1/reports/qr-reconciliation?date=${day}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: 'out_trade_no,trade_no,total_amount,gmt_payment\n',
    });
    expect(terminalToken.status).toBe(401);
    const usage = await runQrReconcileCommand(ho.db, ['--date', day], readFileSync);
    expect(usage.code).toBe(2);
    const missing = await runQrReconcileCommand(
      ho.db,
      ['--date', day, join(dir.dir, 'no-such.csv')],
      readFileSync,
    );
    expect(missing.code).toBe(2);
  });
});
