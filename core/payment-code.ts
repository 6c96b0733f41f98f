/**
 * Customer payment codes (付款码) as a barcode scanner types them, and which provider issued one.
 * Prefixes and lengths as the providers publish them for merchant-scanned (条码) payments:
 * - Alipay: 16–24 digits starting 25–30 (当面付 条码支付, auth_code);
 * - WeChat Pay: 18 digits starting 10–15 (付款码支付, auth_code);
 * - UnionPay QR: 19 digits starting 62.
 */
export type QrProvider = 'alipay' | 'wechat' | 'unionpay';

export const QR_PROVIDERS: readonly QrProvider[] = ['alipay', 'wechat', 'unionpay'];

export function paymentCodeProvider(code: string): QrProvider | null {
  if (!/^\d+$/.test(code)) return null;
  const prefix = Number(code.slice(0, 2));
  if (prefix >= 25 && prefix <= 30 && code.length >= 16 && code.length <= 24) return 'alipay';
  if (prefix >= 10 && prefix <= 15 && code.length === 18) return 'wechat';
  if (prefix === 62 && code.length === 19) return 'unionpay';
  return null;
}

/** A payment code for logs and screens: the first 4 and last 4 digits only (the code is a bearer token). */
export function maskPaymentCode(code: string): string {
  if (code.length <= 8) return '*'.repeat(code.length);
  return `${code.slice(0, 4)}${'*'.repeat(code.length - 8)}${code.slice(-4)}`;
}
