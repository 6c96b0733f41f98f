/**
 * An Alipay gateway simulator for 当面付 条码支付 on 127.0.0.1: it speaks the OpenAPI 2.0 gateway
 * protocol as alipay-sdk sends it (POST /gateway.do, the public parameters in the query string,
 * biz_content in the form body) and answers like Alipay: `{"alipay_trade_pay_response":{…},
 * "sign":"…"}`, the signature made with the simulator's own Alipay private key over the exact
 * text of the response object. Every request's RSA2 signature is checked with the merchant's
 * public key by this file's own string-to-sign code (node:crypto, independent of the SDK), so a
 * test through the SDK proves the SDK's signing, and a wrong key is refused as Alipay refuses it
 * (40002 isv.invalid-signature).
 *
 * Trades live in memory and in a journal (JSON lines, replayed on start); one trade per
 * out_trade_no, as at Alipay. Outcomes come from the amount (fen part) or a per-trade script:
 *   ¥x.13 40004 ACQ.BUYER_BALANCE_NOT_ENOUGH       ¥x.14 40004 ACQ.PAYMENT_AUTH_CODE_INVALID
 *   ¥x.15 40004 ACQ.SYSTEM_ERROR (the pay went through: query finds it paid)
 *   ¥x.16 20000 isp.unknow-error (nothing happened: query finds no trade)
 *   ¥x.21 10003 the customer is confirming; the first 2 queries WAIT_BUYER_PAY, the 3rd paid
 *   ¥x.22 10003 and the customer never confirms (only cancel ends it)
 *   ¥x.23 10003, the first 2 queries WAIT_BUYER_PAY, then the customer gives up: TRADE_CLOSED
 *   ¥x.31 no answer at all, nothing done (the client times out; query: no trade)
 *   ¥x.32 the pay goes through, then the answer is cut off half-way (lost answer); so is the
 *         answer to the same pay sent again (urllib under the SDK resends once on a socket error)
 *   ¥x.33 the pay goes through, then the connection is reset before the answer (the HTTP client
 *         sends the pay again; Alipay answers ACQ.TRADE_HAS_SUCCESS for the same out_trade_no)
 *   ¥x.41 paid, but the answer's signature is wrong        ¥x.43 paid, the answer is unsigned
 *   ¥x.42 paid, the asynchronous notification is sent twice
 *   anything else: paid at once (10000).
 */
import { createSign, createVerify, generateKeyPairSync, randomInt } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SettlementLine } from './provider';

// ---------------------------------------------------------------------------------------------
// Signing as the documentation describes it (自行实现签名): all parameters but `sign` (for
// notifications also `sign_type`), empty values left out, sorted by key (ASCII), joined as
// key=value with &, the values raw (not URL-encoded); RSA2 = SHA256withRSA, base64.

export function alipaySignContent(
  params: Record<string, string>,
  exclude: readonly string[] = ['sign'],
): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function rsa2Sign(content: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKeyPem, 'base64');
}

export function rsa2Verify(content: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256')
      .update(content, 'utf8')
      .verify(publicKeyPem, signature, 'base64');
  } catch {
    return false;
  }
}

export interface KeyPairPem {
  privateKey: string;
  publicKey: string;
}

/** An RSA 2048 key pair, PEM (private PKCS#8 or PKCS#1, public SPKI), for tests and the CLI. */
export function generateRsaKeyPair(privateFormat: 'pkcs8' | 'pkcs1' = 'pkcs8'): KeyPairPem {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: privateFormat, format: 'pem' },
  });
}

// ---------------------------------------------------------------------------------------------

export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';

export interface SimTrade {
  outTradeNo: string;
  tradeNo: string;
  amountFen: number;
  subject: string;
  status: TradeStatus;
  /** Beijing time, Alipay's format "yyyy-MM-dd HH:mm:ss". */
  gmtCreate: string;
  gmtPayment: string | null;
  /** Set when a cancel closed it: close (it was unpaid) or refund (its money went back). */
  cancelAction: 'close' | 'refund' | null;
  notifyUrl: string | null;
  /** Queries still answered WAIT_BUYER_PAY before the customer confirms; null: never. */
  queriesBeforePaid: number | null;
  /** What the customer does after those queries: pays (default) or gives up (Alipay closes it). */
  afterWait?: 'paid' | 'closed';
}

/** How the simulator answers one trade's pay (per-trade script, else the amount rule). */
export type PayScript =
  | { kind: 'success'; notifications?: number }
  | { kind: 'refuse'; subCode: string; subMsg: string }
  | { kind: 'systemError'; processed: boolean }
  | { kind: 'unavailable' }
  | { kind: 'paying'; queriesBeforePaid: number | null; afterWait?: 'paid' | 'closed' }
  | { kind: 'hang'; processed: boolean }
  | { kind: 'drop' }
  | { kind: 'reset' }
  | { kind: 'badSignature' }
  | { kind: 'unsigned' };

export interface TradeScript {
  pay?: PayScript;
  /**
   * Faults for this trade's queries, in order (one per HTTP request, then normal answers). A
   * 'drop' or 'reset' is followed by the SDK's one automatic resend, which takes the next entry.
   */
  queries?: (
    | 'hang'
    | 'drop'
    | 'reset'
    | 'badSignature'
    | 'unsigned'
    | 'systemError'
    /** A well-signed answer about another trade (a confused gateway). */
    | 'wrongTrade'
  )[];
  /** The first N cancels answer 40004 ACQ.SYSTEM_ERROR with retry_flag Y. */
  cancelFailures?: number;
}

export function payScriptForAmount(amountFen: number): PayScript {
  switch (amountFen % 100) {
    case 13:
      return { kind: 'refuse', subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', subMsg: '买家余额不足' };
    case 14:
      return {
        kind: 'refuse',
        subCode: 'ACQ.PAYMENT_AUTH_CODE_INVALID',
        subMsg: '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款',
      };
    case 15:
      return { kind: 'systemError', processed: true };
    case 16:
      return { kind: 'unavailable' };
    case 21:
      return { kind: 'paying', queriesBeforePaid: 2 };
    case 22:
      return { kind: 'paying', queriesBeforePaid: null };
    case 23:
      return { kind: 'paying', queriesBeforePaid: 2, afterWait: 'closed' };
    case 31:
      return { kind: 'hang', processed: false };
    case 32:
      return { kind: 'drop' };
    case 33:
      return { kind: 'reset' };
    case 41:
      return { kind: 'badSignature' };
    case 42:
      return { kind: 'success', notifications: 2 };
    case 43:
      return { kind: 'unsigned' };
    default:
      return { kind: 'success' };
  }
}

export interface NotificationRecord {
  outTradeNo: string;
  url: string;
  params: Record<string, string>;
  /** HTTP status and body of the merchant's answer, or the error. */
  status: number | null;
  answer: string;
}

export interface AlipaySimulatorOptions {
  appId: string;
  /** The merchant application's public key: every request's signature is checked with it. */
  appPublicKey: string;
  /** The simulator's "Alipay" private key: every answer and notification is signed with it. */
  alipayPrivateKey: string;
  /** Journal (alipay-sim-journal.jsonl) and settlement files go here. */
  dir: string;
  port?: number;
  now?: () => Date;
  /** The seller (收款方) id in answers and notifications. */
  sellerId?: string;
}

type Answer = Record<string, string>;

interface Reply {
  key: string;
  body: Answer;
  fault?: 'hang' | 'drop' | 'reset' | 'badSignature' | 'unsigned';
}

const METHODS = new Set(['alipay.trade.pay', 'alipay.trade.query', 'alipay.trade.cancel']);

export class AlipaySimulator {
  readonly journalFile: string;
  readonly notifications: NotificationRecord[] = [];
  /** Requests the simulator refused at the gateway (bad signature, bad parameters). */
  readonly gatewayRefusals: { method: string; subCode: string }[] = [];
  private readonly trades = new Map<string, SimTrade>();
  private readonly scripts = new Map<string, TradeScript>();
  private readonly queryFaults = new Map<string, TradeScript['queries']>();
  private readonly cancelFailures = new Map<string, number>();
  /** Trades whose every pay answer is lost (¥x.32): the first pay and any resent one. */
  private readonly lostPayAnswers = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | null = null;
  private seq = 0;
  private readonly node = String(randomInt(1000, 9999));
  private readonly now: () => Date;
  private readonly sellerId: string;

  constructor(private readonly opts: AlipaySimulatorOptions) {
    mkdirSync(opts.dir, { recursive: true });
    this.journalFile = join(opts.dir, 'alipay-sim-journal.jsonl');
    this.now = opts.now ?? (() => new Date());
    this.sellerId = opts.sellerId ?? '2088000000000001';
    this.replay();
  }

  /** Starts listening on 127.0.0.1 (port 0 unless given); returns the gateway URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        this.journal({ type: 'error', message: (e as Error).message });
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server = server;
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolveListen());
    });
    return this.gatewayUrl;
  }

  get gatewayUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('simulator not started');
    return `http://127.0.0.1:${address.port}/gateway.do`;
  }

  async close(): Promise<void> {
    await this.settleNotifications();
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  /** Scripts one trade's outcomes (overrides the amount rule). */
  script(outTradeNo: string, script: TradeScript): void {
    this.scripts.set(outTradeNo, script);
    if (script.queries) this.queryFaults.set(outTradeNo, [...script.queries]);
    if (script.cancelFailures) this.cancelFailures.set(outTradeNo, script.cancelFailures);
  }

  trade(outTradeNo: string): SimTrade | undefined {
    const t = this.trades.get(outTradeNo);
    return t ? { ...t } : undefined;
  }

  allTrades(): SimTrade[] {
    return [...this.trades.values()].map((t) => ({ ...t }));
  }

  /** Resolves when every notification sent so far has had its answer. */
  async settleNotifications(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** The business day's settled trades: paid and not cancelled, by payment date (Beijing). */
  settlementLines(date: string): SettlementLine[] {
    return [...this.trades.values()]
      .filter((t) => t.status === 'TRADE_SUCCESS' && t.gmtPayment?.slice(0, 10) === date)
      .sort((a, b) => (a.gmtPayment! < b.gmtPayment! ? -1 : a.gmtPayment! > b.gmtPayment! ? 1 : 0))
      .map((t) => ({
        outTradeNo: t.outTradeNo,
        tradeNo: t.tradeNo,
        amountFen: t.amountFen,
        paidAt: `${t.gmtPayment!.replace(' ', 'T')}+08:00`,
      }));
  }

  /**
   * Writes the business day's settlement CSV (Alipay's merchant bill, simplified) and returns its
   * path: header `out_trade_no,trade_no,total_amount,gmt_payment`, one line per settled trade,
   * total_amount in yuan ("123.45"), gmt_payment Beijing time "yyyy-MM-dd HH:mm:ss".
   */
  settlementFile(date: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`settlementFile: not a date: ${date}`);
    const file = join(this.opts.dir, `alipay-settlement-${date}.csv`);
    const lines = [...this.trades.values()]
      .filter((t) => t.status === 'TRADE_SUCCESS' && t.gmtPayment?.slice(0, 10) === date)
      .sort((a, b) => (a.gmtPayment! < b.gmtPayment! ? -1 : a.gmtPayment! > b.gmtPayment! ? 1 : 0))
      .map((t) => `${t.outTradeNo},${t.tradeNo},${yuan(t.amountFen)},${t.gmtPayment}`);
    writeFileSync(
      file,
      ['out_trade_no,trade_no,total_amount,gmt_payment', ...lines].join('\n') + '\n',
    );
    return file;
  }

  // -------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    const type = String(req.headers['content-type'] ?? '');
    if (body.length > 0) {
      if (!type.startsWith('application/x-www-form-urlencoded')) {
        this.send(res, 'error_response', this.gatewayError('40002', 'isv.invalid-content-type'));
        return;
      }
      for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    }
    const method = params.method ?? '';
    const key = METHODS.has(method) ? `${method.replaceAll('.', '_')}_response` : 'error_response';
    const refusal = this.checkGateway(params, method);
    if (refusal !== null) {
      this.gatewayRefusals.push({ method, subCode: refusal.sub_code ?? '' });
      this.journal({ type: 'refused', method, code: refusal.code, subCode: refusal.sub_code });
      this.send(res, key, refusal);
      return;
    }
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(params.biz_content ?? '') as Record<string, unknown>;
    } catch {
      this.send(
        res,
        key,
        this.gatewayError('40002', 'isv.invalid-biz-content', 'biz_content 格式错误'),
      );
      return;
    }
    const reply =
      method === 'alipay.trade.pay'
        ? this.lose(this.pay(biz, params.notify_url ?? null), str(biz.out_trade_no))
        : method === 'alipay.trade.query'
          ? this.query(biz)
          : this.cancel(biz);
    this.journal({
      type: 'request',
      method,
      outTradeNo: typeof biz.out_trade_no === 'string' ? biz.out_trade_no : null,
      code: reply.body.code,
      subCode: reply.body.sub_code ?? null,
      tradeStatus: reply.body.trade_status ?? null,
      fault: reply.fault ?? null,
      timestamp: params.timestamp,
      // urllib (under alipay-sdk) resends a request once after a socket error and says so.
      resent: req.headers['x-urllib-retry-on-socket-error'] ?? null,
    });
    this.deliver(res, key, reply);
  }

  /** Public parameters and the request signature, checked as the gateway does. */
  private checkGateway(params: Record<string, string>, method: string): Answer | null {
    for (const name of [
      'app_id',
      'method',
      'charset',
      'sign_type',
      'sign',
      'timestamp',
      'version',
    ]) {
      if (!params[name]) {
        return this.gatewayError(
          '40001',
          `isv.missing-${name.replace('_', '-')}`,
          `缺少${name}参数`,
        );
      }
    }
    if (params.app_id !== this.opts.appId) {
      return this.gatewayError('40002', 'isv.invalid-app-id', '无效的AppID参数');
    }
    if (params.sign_type !== 'RSA2') {
      return this.gatewayError('40002', 'isv.invalid-signature-type', '无效的签名类型');
    }
    const content = alipaySignContent(params);
    if (!rsa2Verify(content, params.sign ?? '', this.opts.appPublicKey)) {
      return this.gatewayError(
        '40002',
        'isv.invalid-signature',
        `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`,
      );
    }
    if (!METHODS.has(method)) {
      return this.gatewayError('40002', 'isv.invalid-method', '不存在的方法名');
    }
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.timestamp ?? '')) {
      return this.gatewayError('40002', 'isv.invalid-timestamp', '非法的时间戳参数');
    }
    return null;
  }

  private gatewayError(code: string, subCode: string, subMsg?: string): Answer {
    return {
      code,
      msg: code === '40001' ? 'Missing Required Arguments' : 'Invalid Arguments',
      sub_code: subCode,
      sub_msg: subMsg ?? subCode,
    };
  }

  private business(subCode: string, subMsg: string, extra: Answer = {}): Answer {
    return { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg, ...extra };
  }

  private pay(biz: Record<string, unknown>, notifyUrl: string | null): Reply {
    const key = 'alipay_trade_pay_response';
    const outTradeNo = str(biz.out_trade_no);
    const amountFen = fen(str(biz.total_amount));
    if (!/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo) || biz.scene !== 'bar_code') {
      return { key, body: this.business('ACQ.INVALID_PARAMETER', '参数无效') };
    }
    if (!/^\d{16,24}$/.test(str(biz.auth_code))) {
      return { key, body: this.business('ACQ.PAYMENT_AUTH_CODE_INVALID', '付款码无效') };
    }
    if (amountFen === null || amountFen <= 0) {
      return { key, body: this.business('ACQ.INVALID_PARAMETER', 'total_amount 无效') };
    }
    const existing = this.trades.get(outTradeNo);
    if (existing) {
      if (existing.amountFen !== amountFen) {
        return { key, body: this.business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改') };
      }
      if (existing.status === 'TRADE_SUCCESS') {
        return { key, body: this.business('ACQ.TRADE_HAS_SUCCESS', '交易已被支付') };
      }
      if (existing.status === 'TRADE_CLOSED') {
        return { key, body: this.business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭') };
      }
      return { key, body: this.payingAnswer(existing) };
    }
    const script = this.scripts.get(outTradeNo)?.pay ?? payScriptForAmount(amountFen);
    const make = (status: TradeStatus, queriesBeforePaid: number | null = null): SimTrade =>
      this.create(outTradeNo, amountFen, str(biz.subject), status, notifyUrl, queriesBeforePaid);
    switch (script.kind) {
      case 'refuse':
        return {
          key,
          body: this.business(script.subCode, script.subMsg, { out_trade_no: outTradeNo }),
        };
      case 'unavailable':
        return {
          key,
          body: {
            code: '20000',
            msg: 'Service Currently Unavailable',
            sub_code: 'isp.unknow-error',
            sub_msg: '系统繁忙',
          },
        };
      case 'systemError':
        if (script.processed) this.paid(make('TRADE_SUCCESS'), 1);
        return {
          key,
          body: this.business('ACQ.SYSTEM_ERROR', '系统错误', { out_trade_no: outTradeNo }),
        };
      case 'paying': {
        const t = make('WAIT_BUYER_PAY', script.queriesBeforePaid);
        if (script.afterWait === 'closed') {
          t.afterWait = 'closed';
          this.save(t);
        }
        return { key, body: this.payingAnswer(t) };
      }
      case 'hang':
        if (script.processed) this.paid(make('TRADE_SUCCESS'), 1);
        return { key, body: {}, fault: 'hang' };
      default: {
        const t = make('TRADE_SUCCESS');
        this.paid(t, script.kind === 'success' ? (script.notifications ?? 1) : 1);
        const body = this.paidAnswer(t);
        if (script.kind !== 'success') {
          return { key, body, fault: script.kind };
        }
        return { key, body };
      }
    }
  }

  private lose(reply: Reply, outTradeNo: string): Reply {
    if (reply.fault === 'drop') this.lostPayAnswers.add(outTradeNo);
    return this.lostPayAnswers.has(outTradeNo) && reply.fault === undefined
      ? { ...reply, fault: 'drop' }
      : reply;
  }

  private query(biz: Record<string, unknown>): Reply {
    const key = 'alipay_trade_query_response';
    const outTradeNo = str(biz.out_trade_no);
    const fault = this.queryFaults.get(outTradeNo)?.shift();
    if (fault === 'systemError') {
      return { key, body: this.business('ACQ.SYSTEM_ERROR', '系统错误') };
    }
    const t = this.trades.get(outTradeNo);
    if (!t) {
      return {
        key,
        body: this.business('ACQ.TRADE_NOT_EXIST', '交易不存在', { out_trade_no: outTradeNo }),
      };
    }
    if (t.status === 'WAIT_BUYER_PAY' && t.queriesBeforePaid !== null) {
      if (t.queriesBeforePaid <= 0) {
        if (t.afterWait === 'closed') {
          t.status = 'TRADE_CLOSED';
          t.queriesBeforePaid = null;
          this.save(t);
        } else this.paid(t, 1);
      } else {
        t.queriesBeforePaid -= 1;
        this.save(t);
      }
    }
    const body: Answer = {
      code: '10000',
      msg: 'Success',
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo,
      trade_status: t.status,
      total_amount: yuan(t.amountFen),
      buyer_logon_id: BUYER,
      buyer_user_id: '2088102100000000',
    };
    if (t.gmtPayment !== null) {
      body.send_pay_date = t.gmtPayment;
      body.receipt_amount = yuan(t.amountFen);
      body.buyer_pay_amount = yuan(t.amountFen);
    }
    if (fault === 'wrongTrade') {
      return {
        key,
        body: { ...body, out_trade_no: `${t.outTradeNo}X`, trade_no: `${t.tradeNo}9` },
      };
    }
    return fault === undefined ? { key, body } : { key, body, fault };
  }

  private cancel(biz: Record<string, unknown>): Reply {
    const key = 'alipay_trade_cancel_response';
    const outTradeNo = str(biz.out_trade_no);
    const failures = this.cancelFailures.get(outTradeNo) ?? 0;
    if (failures > 0) {
      this.cancelFailures.set(outTradeNo, failures - 1);
      return { key, body: this.business('ACQ.SYSTEM_ERROR', '系统错误', { retry_flag: 'Y' }) };
    }
    const t = this.trades.get(outTradeNo);
    if (!t) {
      // No such trade: success without action or trade_no (action is returned "when the call
      // succeeded and the trade exists").
      return {
        key,
        body: { code: '10000', msg: 'Success', out_trade_no: outTradeNo, retry_flag: 'N' },
      };
    }
    if (t.status !== 'TRADE_CLOSED') {
      t.cancelAction = t.status === 'TRADE_SUCCESS' ? 'refund' : 'close';
      t.status = 'TRADE_CLOSED';
      t.queriesBeforePaid = null;
      this.save(t);
    }
    const body: Answer = {
      code: '10000',
      msg: 'Success',
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo,
      retry_flag: 'N',
      action: t.cancelAction ?? 'close',
    };
    if (t.cancelAction === 'refund') body.gmt_refund_pay = beijing(this.now());
    return { key, body };
  }

  private payingAnswer(t: SimTrade): Answer {
    return {
      code: '10003',
      msg: ' order success pay inprocess',
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo,
      total_amount: yuan(t.amountFen),
      buyer_logon_id: BUYER,
    };
  }

  private paidAnswer(t: SimTrade): Answer {
    return {
      code: '10000',
      msg: 'Success',
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo,
      total_amount: yuan(t.amountFen),
      receipt_amount: yuan(t.amountFen),
      buyer_pay_amount: yuan(t.amountFen),
      buyer_logon_id: BUYER,
      buyer_user_id: '2088102100000000',
      gmt_payment: t.gmtPayment ?? beijing(this.now()),
    };
  }

  private create(
    outTradeNo: string,
    amountFen: number,
    subject: string,
    status: TradeStatus,
    notifyUrl: string | null,
    queriesBeforePaid: number | null,
  ): SimTrade {
    const now = this.now();
    this.seq += 1;
    const t: SimTrade = {
      outTradeNo,
      tradeNo: `${beijing(now).slice(0, 10).replaceAll('-', '')}2200${this.node}${String(this.seq).padStart(12, '0')}`,
      amountFen,
      subject,
      status,
      gmtCreate: beijing(now),
      gmtPayment: null,
      cancelAction: null,
      notifyUrl,
      queriesBeforePaid,
    };
    this.trades.set(outTradeNo, t);
    this.save(t);
    return t;
  }

  /** The customer has paid: TRADE_SUCCESS, and the asynchronous notification(s) go out. */
  private paid(t: SimTrade, notifications: number): void {
    t.status = 'TRADE_SUCCESS';
    t.gmtPayment = beijing(this.now());
    t.queriesBeforePaid = null;
    this.save(t);
    if (t.notifyUrl !== null) {
      for (let i = 0; i < notifications; i++) this.notify(t);
    }
  }

  private notify(t: SimTrade): void {
    const url = t.notifyUrl;
    if (url === null) return;
    const params: Record<string, string> = {
      notify_time: beijing(this.now()),
      notify_type: 'trade_status_sync',
      notify_id: `${t.tradeNo}${String(randomInt(1e9)).padStart(9, '0')}`,
      app_id: this.opts.appId,
      auth_app_id: this.opts.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      trade_status: t.status,
      total_amount: yuan(t.amountFen),
      receipt_amount: yuan(t.amountFen),
      buyer_pay_amount: yuan(t.amountFen),
      subject: t.subject,
      gmt_create: t.gmtCreate,
      gmt_payment: t.gmtPayment ?? '',
      seller_id: this.sellerId,
      buyer_id: '2088102100000000',
      fund_bill_list: JSON.stringify([{ amount: yuan(t.amountFen), fundChannel: 'ALIPAYACCOUNT' }]),
    };
    // Alipay sends no empty parameters.
    for (const k of Object.keys(params)) if (params[k] === '') delete params[k];
    params.sign = rsa2Sign(
      alipaySignContent(params, ['sign', 'sign_type']),
      this.opts.alipayPrivateKey,
    );
    const record: NotificationRecord = {
      outTradeNo: t.outTradeNo,
      url,
      params,
      status: null,
      answer: '',
    };
    this.notifications.push(record);
    const p = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (r) => {
        record.status = r.status;
        record.answer = (await r.text()).trim();
      })
      .catch((e: unknown) => {
        record.answer = `error: ${(e as Error).message}`;
      })
      .finally(() => {
        this.pending.delete(p);
        this.journal({
          type: 'notify',
          outTradeNo: t.outTradeNo,
          notifyId: params.notify_id,
          status: record.status,
          answer: record.answer.slice(0, 100),
        });
      });
    this.pending.add(p);
  }

  private deliver(res: ServerResponse, key: string, reply: Reply): void {
    switch (reply.fault) {
      case 'hang':
        // Never answers; the client gives up. Destroyed at close().
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'reset':
        // Cut before the first byte of the answer. The HTTP client may send the request again on
        // a new connection (it does on a reused keep-alive socket); Alipay then answers
        // ACQ.TRADE_HAS_SUCCESS for the paid out_trade_no.
        res.socket?.destroy();
        return;
      case 'drop': {
        // The answer is lost on its way: the status line and part of the body, then the cut.
        const text = JSON.stringify(reply.body);
        res.writeHead(200, { 'content-type': 'text/html;charset=utf-8', 'content-length': '4096' });
        res.write(`{"${key}":${text.slice(0, 20)}`, () => res.socket?.destroy());
        return;
      }
      default:
        this.send(res, key, reply.body, reply.fault);
    }
  }

  private send(res: ServerResponse, key: string, body: Answer, fault?: Reply['fault']): void {
    const text = JSON.stringify(body);
    let out: string;
    if (fault === 'unsigned') out = `{"${key}":${text}}`;
    else {
      const signed = fault === 'badSignature' ? text.replace('"10000"', '"10003"') : text;
      out = `{"${key}":${text},"sign":"${rsa2Sign(signed, this.opts.alipayPrivateKey)}"}`;
    }
    res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' }).end(out);
  }

  private save(t: SimTrade): void {
    this.journal({ type: 'trade', trade: t });
  }

  private journal(entry: Record<string, unknown>): void {
    appendFileSync(
      this.journalFile,
      `${JSON.stringify({ at: this.now().toISOString(), ...entry })}\n`,
    );
  }

  private replay(): void {
    if (!existsSync(this.journalFile)) return;
    for (const line of readFileSync(this.journalFile, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const e = JSON.parse(line) as { type?: string; trade?: SimTrade };
        if (e.type === 'trade' && e.trade) {
          this.trades.set(e.trade.outTradeNo, e.trade);
          this.seq += 1;
        }
      } catch {
        // A torn last line from a killed process: the earlier lines stand.
      }
    }
  }
}

const BUYER = '159******20';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function fen(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function yuan(amountFen: number): string {
  return `${Math.floor(amountFen / 100)}.${String(amountFen % 100).padStart(2, '0')}`;
}

/** Beijing time in Alipay's format "yyyy-MM-dd HH:mm:ss". */
export function beijing(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
