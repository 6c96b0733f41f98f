// QR tenders on the printed receipt (issue 23): a payment code settled through head office prints
// its channel in Chinese, the provider's trade number and 已确认; a QR reference the clerk typed
// (payment.take, no confirmation) prints 未确认. At 32 and 48 columns, and decoded back from ESC/POS.
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../src-main/devices/printer/escpos-decoder';
import { renderEscPos, renderText } from '../../../src-main/devices/printer/render';
import { fixture, normalizeLines } from '../../support/printer';

const receipt = fixture('receipt');
const confirmed = (provider: string, tradeNo: string) => ({
  kind: 'qr',
  amountFen: 53_075,
  reference: tradeNo,
  detail: {
    channel: provider,
    confirmation: 'confirmed',
    provider,
    tradeNo,
    outTradeNo: '0190a5e4abcd1234567890abcdef0123',
    qrIntentId: '0190a5e4-abcd-7000-8000-000000000001',
  },
});
const typed = {
  kind: 'qr',
  amountFen: 53_075,
  reference: '4200001234',
  detail: { channel: 'wechat' },
};

const print = (tender: object, width: 32 | 48) =>
  renderText('receipt', { ...receipt, tenders: [tender], changeFen: 0 }, { width });

describe('receipt: QR tenders', () => {
  for (const width of [32, 48] as const) {
    it(`confirmed Alipay at ${width} columns: 支付宝, the trade number, 已确认; fits and decodes back`, () => {
      const tender = confirmed('alipay', '2026120722001400001234567890');
      const text = print(tender, width);
      const rows = text.split('\n');
      expect(rows.find((r) => r.startsWith('支付宝'))).toContain('￥530.75');
      expect(text.replace(/\s+/g, '')).toContain('交易号2026120722001400001234567890');
      expect(rows.map((r) => r.trim())).toContain('已确认');
      expect(text).not.toContain('未确认');
      for (const r of rows) {
        const cols = [...r].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
        expect(cols, r).toBeLessThanOrEqual(width);
      }
      const page = decodeEscPos(
        renderEscPos('receipt', { ...receipt, tenders: [tender], changeFen: 0 }, { width }),
      );
      expect(page.problems).toEqual([]);
      expect(normalizeLines(page.lines)).toEqual(normalizeLines(rows));
    });
  }

  it('each provider by its Chinese name: 微信支付, 云闪付', () => {
    const wx = print(confirmed('wechat', '4200002026120700001'), 48).split('\n');
    expect(wx.find((r) => r.startsWith('微信支付'))).toContain('￥530.75');
    const up = print(confirmed('unionpay', '62202612070001'), 48).split('\n');
    expect(up.find((r) => r.startsWith('云闪付'))).toContain('￥530.75');
  });

  it('a reference the clerk typed prints 未确认, never 已确认', () => {
    const text = print(typed, 48);
    expect(text.split('\n').find((r) => r.startsWith('微信支付'))).toContain('￥530.75');
    expect(text).toContain('交易号 4200001234');
    expect(text).toContain('未确认（手工登记，待对账）');
    expect(text).not.toContain('已确认');
  });
});
