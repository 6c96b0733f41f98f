/**
 * The provider port: what head office needs from a QR payment provider for merchant-scanned
 * payment codes. One real protocol implements it (alipay.ts: 当面付 条码支付 through alipay-sdk);
 * the sale procedure (sales.ts) drives it: pay, query until final, cancel after the documented
 * limit, never paying twice for one out-trade number.
 */

/**
 * What one provider call came to.
 * - paid: money taken (Alipay 10000 on pay; TRADE_SUCCESS / TRADE_FINISHED on query);
 * - paying: waiting for the customer (10003 on pay; WAIT_BUYER_PAY on query);
 * - refused: a definite business refusal, nothing taken (40004 with e.g. ACQ.PAYMENT_AUTH_CODE_INVALID);
 * - closed: the trade is closed or cancelled (TRADE_CLOSED; cancel done);
 * - absent: the provider has no such trade (query: ACQ.TRADE_NOT_EXIST);
 * - unknown: no usable answer (timeout, reset, 20000, ACQ.SYSTEM_ERROR, a bad signature):
 *   query again, never guess.
 */
export type ProviderState = 'paid' | 'paying' | 'refused' | 'closed' | 'absent' | 'unknown';

export interface ProviderOutcome {
  state: ProviderState;
  /** The provider's trade number, once it has given one. */
  tradeNo: string | null;
  /** Amount the provider reports as paid, in fen (parsed from its decimal string without floats). */
  paidFen: number | null;
  buyer: string | null;
  /** ISO time of payment as the provider reports it. */
  paidAt: string | null;
  code: string | null;
  subCode: string | null;
  /** The provider's own message (sub_msg, else msg), for the clerk and the log. */
  providerMessage: string | null;
  /** Set when the answer was unusable: why (for the log and the clerk). */
  problem: string | null;
}

/** No usable answer from the provider, and why: query again, never guess. */
export function unknownOutcome(problem: string): ProviderOutcome {
  return {
    state: 'unknown',
    tradeNo: null,
    paidFen: null,
    buyer: null,
    paidAt: null,
    code: null,
    subCode: null,
    providerMessage: null,
    problem,
  };
}

export interface PayRequest {
  outTradeNo: string;
  authCode: string;
  amountFen: number;
  subject: string;
}

export interface QrProviderPort {
  readonly name: 'alipay' | 'wechat' | 'unionpay';
  pay(req: PayRequest): Promise<ProviderOutcome>;
  query(outTradeNo: string): Promise<ProviderOutcome>;
  /** Cancel (撤销): closes an unpaid trade; on a paid one the provider refunds. Sales only call it unpaid. */
  cancel(outTradeNo: string): Promise<ProviderOutcome>;
}

/** One settled trade as the provider's settlement (对账) file lists it. */
export interface SettlementLine {
  outTradeNo: string;
  tradeNo: string;
  amountFen: number;
  paidAt: string;
}
