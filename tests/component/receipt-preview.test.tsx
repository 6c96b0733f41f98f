// @vitest-environment happy-dom-terminal
// The on-screen receipt words each season as the paper does (issue 21, defect 5): 部分缴费 with the
// share while the season still owes after this payment, 结清 once it is settled (with this
// payment's share when an earlier one paid part), and a QR/transfer tender shows its channel.
import { cleanup, screen } from '@testing-library/react';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptPreview } from '../../src-renderer/features/receipts/ReceiptPreview';
import { renderScreen } from '../support/render';
import {
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;

beforeAll(async () => {
  dir = tempDir('receipt-preview-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 10 });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const notes = () => screen.getAllByTestId('receipt-line-note').map((n) => n.textContent);

describe('the on-screen receipt', () => {
  it('a part payment says 部分缴费; paying the rest by WeChat says 结清 and names the channel', async () => {
    const [id] = householdsOwing(t, 10_000);
    const first = await payCash(t, session, id!, 100);
    const partial = await t.must('receipt.find', { session, receiptId: first.id });
    renderScreen(<ReceiptPreview receipt={partial} />);
    expect(notes()[0]).toMatch(/^部分缴费 占本季应收 /);
    cleanup();

    const owed = (
      t.ctx.db.prepare('SELECT owed_fen FROM households WHERE id = ?').get(id) as {
        owed_fen: number;
      }
    ).owed_fen;
    const rest = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: owed,
      tenders: [{ kind: 'qr', amountFen: owed, channel: 'wechat', reference: 'WX4200001' }],
    });
    const settled = await t.must('receipt.find', { session, receiptId: rest.id });
    renderScreen(<ReceiptPreview receipt={settled} />);
    const shown = notes();
    expect(shown[0]).toMatch(/^结清 本次占本季应收 /);
    expect(shown.slice(1).every((n) => n === '结清')).toBe(true);
    const preview = screen.getByTestId('receipt-preview').textContent ?? '';
    expect(preview).toContain('微信');
    expect(preview).toContain('WX4200001');
    // a hand-entered QR reference is not confirmed by anyone: the preview says so
    expect(screen.getByTestId('receipt-qr-confirmation').textContent).toBe(' · 未确认');
    cleanup();

    renderScreen(<ReceiptPreview receipt={settled} />, 'en');
    expect(notes()[0]).toMatch(/^Settled; this payment /);
    expect(screen.getByTestId('receipt-preview').textContent).toContain('WeChat');
  });
});
