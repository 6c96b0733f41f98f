import type { Queryable } from '../db';
import { verifyAlipayNotification, type AlipayConfig } from './alipay';
import { applyNotification, logNotification, type QrSalesConfig } from './sales';

/** Head office's QR settings: the sale procedure's, and the keys that check Alipay's notifications. */
export interface QrOptions extends QrSalesConfig {
  /** Alipay's notifications (POST /v1/qr/notify/alipay) are taken only when this is set. */
  alipayNotify?: AlipayConfig;
}

/**
 * Alipay's asynchronous notification (异步通知), a form posted to notify_url. Checked with Alipay's
 * public key (alipay.ts verifyAlipayNotification, alipay-sdk); answered with the text Alipay
 * expects: `success` once taken (a repeat changes nothing), `fail` when it does not verify or
 * the sale is busy (Alipay sends it again later).
 */
export async function alipayNotification(
  db: Queryable,
  qr: QrOptions,
  body: string,
): Promise<'success' | 'fail'> {
  const config = qr.alipayNotify;
  if (!config) return 'fail';
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  const n = verifyAlipayNotification(config, params);
  if (!n.ok) {
    const no = params.out_trade_no;
    if (no && /^[A-Za-z0-9_]{1,64}$/.test(no)) await logNotification(db, no, 'refused', n.reason);
    return 'fail';
  }
  const taken = await applyNotification(db, qr, {
    provider: 'alipay',
    outTradeNo: n.outTradeNo,
    tradeNo: n.tradeNo,
    status: n.state === 'paid' ? 'paid' : n.state === 'closed' ? 'closed' : 'other',
    statusText: n.tradeStatus,
    paidFen: n.paidFen,
    buyer: null,
    paidAt: n.paidAt,
  });
  return taken ? 'success' : 'fail';
}
