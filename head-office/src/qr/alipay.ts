/**
 * Alipay 当面付 条码支付 (merchant scans the customer's payment code) behind the provider port,
 * through Alipay's own kept SDK (alipay-sdk: request signing RSA2, response signature check over
 * the raw `xxx_response` JSON text, notification signature check). This file only maps the
 * documented protocol values to ProviderOutcome; it does no crypto of its own.
 *
 * Protocol values (see README "Provider: Alipay 当面付 and the simulator" for the sources):
 * - alipay.trade.pay: scene=bar_code, auth_code, out_trade_no, subject, total_amount ("123.45");
 *   10000 paid, 10003 waiting for the customer, 20000 / 40004 ACQ.SYSTEM_ERROR unknown (query),
 *   40004 with a business sub_code a definite refusal;
 * - alipay.trade.query: trade_status WAIT_BUYER_PAY / TRADE_CLOSED / TRADE_SUCCESS / TRADE_FINISHED,
 *   40004 ACQ.TRADE_NOT_EXIST when Alipay has no such trade;
 * - alipay.trade.cancel: 10000 with action close (unpaid trade closed) or refund (a paid trade's
 *   money returned, the trade closed); retry_flag Y asks for the cancel to be repeated.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AlipaySdk, type AlipaySdkCommonResult } from 'alipay-sdk';
import { z } from 'zod';
import { fenToInput, MAX_FEN } from '@heating-cashier/core/money';
import { maskPaymentCode } from '@heating-cashier/core/payment-code';
import type {
  PayRequest,
  ProviderOutcome,
  ProviderState,
  QrProviderPort,
  SettlementLine,
} from './provider';
import { unknownOutcome } from './provider';

/**
 * An RSA key as head office is given it: PEM, or the bare base64 that Alipay's key tool (密钥工具)
 * shows; checked here (an RSA key of at least 2048 bits, as RSA2 requires; a private key where
 * the public one belongs is refused) and handed on as PEM.
 */
const rsaKey = (name: string, kind: 'private' | 'public') =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      const problem = (message: string): never => {
        ctx.addIssue({ code: 'custom', message: `${name}: ${message}` });
        return z.NEVER;
      };
      if (kind === 'public' && text.includes('PRIVATE KEY')) {
        return problem('this is a private key; give Alipay’s public key (支付宝公钥)');
      }
      const candidates = text.includes('-----BEGIN')
        ? [text]
        : kind === 'private'
          ? [wrapPem(text, 'PRIVATE KEY'), wrapPem(text, 'RSA PRIVATE KEY')]
          : [wrapPem(text, 'PUBLIC KEY')];
      for (const candidate of candidates) {
        let key: KeyObject;
        try {
          key = kind === 'private' ? createPrivateKey(candidate) : createPublicKey(candidate);
        } catch {
          continue;
        }
        if (key.asymmetricKeyType !== 'rsa') return problem('not an RSA key');
        if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
          return problem('RSA2 needs a key of 2048 bits or more');
        }
        return candidate;
      }
      return problem(`not an RSA ${kind} key (PEM, or the base64 text Alipay's key tool shows)`);
    });

function wrapPem(base64: string, label: string): string {
  const body = base64.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`;
}

export const alipayConfig = z
  .object({
    /** The merchant application's APPID (开放平台应用 ID). */
    appId: z.string().regex(/^\d{6,32}$/, 'appId: the Alipay APPID, digits'),
    /** The application's private key (应用私钥), PEM (PKCS#1 or PKCS#8) or bare base64. */
    privateKey: rsaKey('privateKey', 'private'),
    /** Alipay's public key (支付宝公钥), PEM or bare base64; answers and notifications are checked with it. */
    alipayPublicKey: rsaKey('alipayPublicKey', 'public'),
    /** The gateway, https://openapi.alipay.com/gateway.do in production; plain http only on loopback. */
    gateway: z.url().refine(
      (u) => {
        const url = new URL(u);
        return (
          url.protocol === 'https:' ||
          (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
        );
      },
      { message: 'gateway: https, or http on 127.0.0.1 (the simulator)' },
    ),
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
    /** Where Alipay posts the asynchronous trade notification (notify_url), if head office takes them. */
    notifyUrl: z.url().optional(),
  })
  .strict();
export type AlipayConfig = z.infer<typeof alipayConfig>;

const alipayConfigFile = z
  .object({
    appId: z.unknown(),
    privateKey: z.string().optional(),
    privateKeyFile: z.string().min(1).optional(),
    alipayPublicKey: z.string().optional(),
    alipayPublicKeyFile: z.string().min(1).optional(),
    gateway: z.unknown(),
    timeoutMs: z.unknown().optional(),
    notifyUrl: z.unknown().optional(),
  })
  .strict();

export class AlipayConfigError extends Error {
  override name = 'AlipayConfigError';
}

/**
 * Reads head office's Alipay settings from a JSON file. The keys may be given inline (privateKey,
 * alipayPublicKey) or as PEM files (privateKeyFile, alipayPublicKeyFile; relative to the JSON file).
 */
export function loadAlipayConfig(file: string): AlipayConfig {
  const text = readText(file, 'Alipay config file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AlipayConfigError(`${file}: not JSON (${(e as Error).message})`);
  }
  const raw = alipayConfigFile.safeParse(json);
  if (!raw.success) throw new AlipayConfigError(`${file}: ${z.prettifyError(raw.error)}`);
  const base = dirname(resolve(file));
  const key = (inline: string | undefined, path: string | undefined, name: string): string => {
    if (inline !== undefined && path !== undefined) {
      throw new AlipayConfigError(`${file}: give either ${name} or ${name}File, not both`);
    }
    if (path !== undefined) return readText(resolve(base, path), `${name}File`);
    if (inline === undefined) throw new AlipayConfigError(`${file}: ${name}File is missing`);
    return inline;
  };
  const { privateKeyFile, alipayPublicKeyFile, ...rest } = raw.data;
  const parsed = alipayConfig.safeParse({
    ...rest,
    privateKey: key(raw.data.privateKey, privateKeyFile, 'privateKey'),
    alipayPublicKey: key(raw.data.alipayPublicKey, alipayPublicKeyFile, 'alipayPublicKey'),
  });
  if (!parsed.success) throw new AlipayConfigError(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AlipayConfigError(
      code === 'ENOENT'
        ? `${what} ${path} does not exist`
        : `${what} ${path}: ${code ?? String(e)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Money: Alipay amounts are decimal yuan strings with at most two decimals ("0.01", "123.45").

/** fen → Alipay total_amount ("123.45"), on the digit string, no floats. */
export function fenToAlipayAmount(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen <= 0 || fen > MAX_FEN) {
    throw new RangeError(`fenToAlipayAmount: not a payable amount of fen: ${String(fen)}`);
  }
  return fenToInput(fen);
}

/** Alipay's decimal yuan string → fen; null for anything that is not a plain amount. */
export function alipayAmountToFen(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (m === null) return null;
  const yuan = m[1] ?? '0';
  const cents = (m[2] ?? '').padEnd(2, '0');
  let fen = 0;
  for (const d of yuan + cents) fen = fen * 10 + (d.charCodeAt(0) - 48);
  return fen <= MAX_FEN ? fen : null;
}

/** Alipay times ("2024-01-05 10:31:02", Beijing time) → ISO 8601 with +08:00; null if malformed. */
export function alipayTimeToIso(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text);
  return m === null ? null : `${m[1]}T${m[2]}+08:00`;
}

/** A moment as Alipay writes it: Beijing time (UTC+8, no daylight saving) "yyyy-MM-dd HH:mm:ss". */
export function beijingTimestamp(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------------
// Codes → states. Public codes (公共错误码): 10000 success, 10003 waiting for the user (pay only),
// 20000 service unavailable (unknown), 20001 no permission, 40001 missing parameter, 40002 invalid
// parameter (incl. isv.invalid-signature), 40004 business failure (sub_code says which), 40006 no
// permission.

/**
 * pay 40004 sub_codes that are a definite refusal: nothing was taken, the customer may pay
 * otherwise. Not here, so unknown (a query decides): ACQ.SYSTEM_ERROR ("call the inquiry API"),
 * ACQ.TRADE_BUYER_NOT_MATCH and ACQ.CONTEXT_INCONSISTENT (a trade with this number exists, with
 * another buyer or other content) and anything undocumented.
 */
export const PAY_REFUSALS: ReadonlySet<string> = new Set([
  'ACQ.PAYMENT_AUTH_CODE_INVALID',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH',
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR',
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR',
  'ACQ.PAYMENT_FAIL',
  'ACQ.PAYMENT_REQUEST_HAS_RISK',
  'ACQ.BUYER_ENABLE_STATUS_FORBID',
  'ACQ.BUYER_SELLER_EQUAL',
  'ACQ.ERROR_BALANCE_PAYMENT_DISABLE',
  'ACQ.PAYER_UNMATCHED',
  'ACQ.PRODUCT_AMOUNT_LIMIT_ERROR',
  'ACQ.TOTAL_FEE_EXCEED',
  'ACQ.INVALID_PARAMETER',
  'ACQ.ACCESS_FORBIDDEN',
  'ACQ.EXIST_FORBIDDEN_WORD',
  'ACQ.PARTNER_ERROR',
  'ACQ.SELLER_BEEN_BLOCKED',
  'ACQ.INVALID_STORE_ID',
  'ACQ.BEYOND_PAY_RESTRICTION',
  'ACQ.BEYOND_PER_RECEIPT_RESTRICTION',
  'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT',
]);

/**
 * What one gateway answer body means, for each method. Exported for the unit tests; the provider
 * below adds the transport failures (timeout, reset, bad signature) as 'unknown'.
 */
export function payState(r: AlipayAnswer): ProviderState {
  switch (r.code) {
    case '10000':
      return 'paid';
    case '10003':
      return 'paying';
    case '40004':
      if (r.sub_code === 'ACQ.TRADE_HAS_SUCCESS') return 'paid';
      if (r.sub_code === 'ACQ.TRADE_HAS_CLOSE') return 'closed';
      return r.sub_code !== undefined && PAY_REFUSALS.has(r.sub_code) ? 'refused' : 'unknown';
    case '20001':
    case '40001':
    case '40002':
    case '40006':
      // The gateway refused the request itself (permission, parameters, signature): nothing ran.
      return 'refused';
    default:
      // 20000 and anything undocumented: query, never guess.
      return 'unknown';
  }
}

export function queryState(r: AlipayAnswer): ProviderState {
  if (r.code === '10000') {
    switch (r.trade_status) {
      case 'TRADE_SUCCESS':
      case 'TRADE_FINISHED':
        return 'paid';
      case 'WAIT_BUYER_PAY':
        return 'paying';
      case 'TRADE_CLOSED':
        return 'closed';
      default:
        return 'unknown';
    }
  }
  if (r.code === '40004' && r.sub_code === 'ACQ.TRADE_NOT_EXIST') return 'absent';
  return 'unknown';
}

export function cancelState(r: AlipayAnswer): ProviderState {
  // 10000: the trade is closed; action=close (it was unpaid) or refund (its money went back).
  if (r.code === '10000') return r.retry_flag === 'Y' ? 'unknown' : 'closed';
  if (r.code === '40004' && r.sub_code === 'ACQ.TRADE_NOT_EXIST') return 'absent';
  // ACQ.SYSTEM_ERROR (retry_flag Y), ACQ.TRADE_HAS_FINISHED (too late to cancel: paid), 20000, …:
  // the trade's state is whatever a query says.
  return 'unknown';
}

/** The fields of a gateway answer this file reads (all strings as Alipay sends them). */
export interface AlipayAnswer {
  code?: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  out_trade_no?: string;
  trade_no?: string;
  total_amount?: string;
  buyer_logon_id?: string;
  gmt_payment?: string;
  send_pay_date?: string;
  trade_status?: string;
  action?: string;
  retry_flag?: string;
}

const answerShape = z
  .object({
    code: z.string().optional(),
    msg: z.string().optional(),
    sub_code: z.string().optional(),
    sub_msg: z.string().optional(),
    out_trade_no: z.string().optional(),
    trade_no: z.string().optional(),
    total_amount: z.string().optional(),
    buyer_logon_id: z.string().optional(),
    gmt_payment: z.string().optional(),
    send_pay_date: z.string().optional(),
    trade_status: z.string().optional(),
    action: z.string().optional(),
    retry_flag: z.string().optional(),
  })
  .loose();

/** ProviderOutcome plus what cancel says it did (close / refund), for the log. */
export interface AlipayOutcome extends ProviderOutcome {
  cancelAction?: string | null;
}

/** Public codes that mean the gateway did not run the request at all. */
const GATEWAY_REFUSALS: ReadonlySet<string> = new Set(['20001', '40001', '40002', '40006']);

function outcomeOf(
  state: ProviderState,
  r: AlipayAnswer,
  problemIn: string | null = null,
): AlipayOutcome {
  const paid = state === 'paid';
  const problem =
    problemIn ??
    (r.code !== undefined && GATEWAY_REFUSALS.has(r.code)
      ? `Alipay's gateway refused the request (${r.code} ${r.sub_code ?? ''}): check head office's appId and keys`
      : null);
  return {
    state,
    tradeNo: r.trade_no ?? null,
    paidFen: paid ? alipayAmountToFen(r.total_amount) : null,
    buyer: r.buyer_logon_id ?? null,
    paidAt: paid ? (alipayTimeToIso(r.gmt_payment ?? r.send_pay_date) ?? null) : null,
    code: r.code ?? null,
    subCode: r.sub_code ?? null,
    providerMessage: providerMessage(r),
    problem,
    ...(r.action !== undefined ? { cancelAction: r.action } : {}),
  };
}

/**
 * The provider's words for the clerk: sub_msg, else msg. Alipay's isv.invalid-signature text
 * quotes the whole string it verified (biz_content with the customer's payment code): that part
 * is cut, and any payment-code-like digit run is masked.
 */
export function providerMessage(r: Pick<AlipayAnswer, 'msg' | 'sub_msg'>): string | null {
  let s = (r.sub_msg?.trim() || r.msg?.trim()) ?? '';
  const quoted = s.search(/[，,]?\s*网关生成的验签字符串为/);
  if (quoted >= 0) s = s.slice(0, quoted);
  s = s.replace(/(?<!\d)\d{16,24}(?!\d)/g, (code) => maskPaymentCode(code)).slice(0, 200);
  return s === '' ? null : s;
}

const noAnswer = (problem: string): AlipayOutcome => unknownOutcome(problem);

// ---------------------------------------------------------------------------------------------

/** Which PEM header the private key has decides the SDK's keyType (it re-wraps the key itself). */
function keyTypeOf(privateKey: string): 'PKCS1' | 'PKCS8' {
  return privateKey.includes('-----BEGIN PRIVATE KEY-----') ? 'PKCS8' : 'PKCS1';
}

export function alipaySdk(config: AlipayConfig): AlipaySdk {
  return new AlipaySdk({
    appId: config.appId,
    privateKey: config.privateKey,
    keyType: keyTypeOf(config.privateKey),
    alipayPublicKey: config.alipayPublicKey,
    gateway: config.gateway,
    signType: 'RSA2',
    timeout: config.timeoutMs,
    // Keep Alipay's own snake_case field names.
    camelcase: false,
  });
}

type Method = 'alipay.trade.pay' | 'alipay.trade.query' | 'alipay.trade.cancel';

export function createAlipayProvider(config: AlipayConfig): QrProviderPort & {
  pay(req: PayRequest): Promise<AlipayOutcome>;
  query(outTradeNo: string): Promise<AlipayOutcome>;
  cancel(outTradeNo: string): Promise<AlipayOutcome>;
} {
  const sdk = alipaySdk(config);

  /** One signed call; the answer's signature is checked by the SDK (validateSign). */
  async function call(
    method: Method,
    bizContent: Record<string, string>,
    withNotify = false,
  ): Promise<AlipayAnswer | string> {
    let result: AlipaySdkCommonResult;
    try {
      result = await sdk.exec(
        method,
        {
          bizContent,
          // The SDK stamps the host's local time; Alipay's timestamp is Beijing time.
          timestamp: beijingTimestamp(new Date()),
          ...(withNotify && config.notifyUrl !== undefined ? { notify_url: config.notifyUrl } : {}),
        },
        { validateSign: true },
      );
    } catch (e) {
      return describeFailure(e);
    }
    const parsed = answerShape.safeParse(result);
    if (!parsed.success) return `unreadable answer: ${z.prettifyError(parsed.error)}`;
    const a = parsed.data as AlipayAnswer;
    if (a.code === undefined) return 'answer without a code';
    return a;
  }

  /** An answer about another out_trade_no is no answer about this one (its trade_no is not ours). */
  function checkTrade(a: AlipayAnswer, outTradeNo: string): AlipayOutcome | null {
    if (a.out_trade_no !== undefined && a.out_trade_no !== outTradeNo) {
      return {
        ...noAnswer(`answer is for out_trade_no ${a.out_trade_no}, not ${outTradeNo}`),
        code: a.code ?? null,
        subCode: a.sub_code ?? null,
      };
    }
    return null;
  }

  async function query(outTradeNo: string): Promise<AlipayOutcome> {
    const a = await call('alipay.trade.query', { out_trade_no: outTradeNo });
    if (typeof a === 'string') return noAnswer(a);
    const wrong = checkTrade(a, outTradeNo);
    if (wrong !== null) return wrong;
    const state = queryState(a);
    if (state === 'paid' && alipayAmountToFen(a.total_amount) === null) {
      return outcomeOf('unknown', a, `paid without a readable total_amount (${a.total_amount})`);
    }
    return outcomeOf(state, a);
  }

  return {
    name: 'alipay',
    async pay(req: PayRequest): Promise<AlipayOutcome> {
      const a = await call(
        'alipay.trade.pay',
        {
          out_trade_no: req.outTradeNo,
          scene: 'bar_code',
          auth_code: req.authCode,
          subject: req.subject,
          total_amount: fenToAlipayAmount(req.amountFen),
        },
        true,
      );
      if (typeof a === 'string') return noAnswer(a);
      const wrong = checkTrade(a, req.outTradeNo);
      if (wrong !== null) return wrong;
      const state = payState(a);
      if (state === 'paid' && a.code !== '10000') {
        // ACQ.TRADE_HAS_SUCCESS: this out_trade_no was paid before (a repeated request). The
        // answer carries no amount or trade number: the query gives them.
        const q = await query(req.outTradeNo);
        return q.state === 'paid' ? q : { ...q, subCode: q.subCode ?? a.sub_code ?? null };
      }
      if (state === 'paid' && alipayAmountToFen(a.total_amount) === null) {
        return outcomeOf('unknown', a, `paid without a readable total_amount (${a.total_amount})`);
      }
      return outcomeOf(state, a);
    },
    query,
    async cancel(outTradeNo: string): Promise<AlipayOutcome> {
      const a = await call('alipay.trade.cancel', { out_trade_no: outTradeNo });
      if (typeof a === 'string') return noAnswer(a);
      const wrong = checkTrade(a, outTradeNo);
      if (wrong !== null) return wrong;
      return outcomeOf(cancelState(a), a);
    },
  };
}

function describeFailure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (message.includes('验签失败')) return `answer signature invalid: ${message.slice(0, 200)}`;
  // The SDK hands an absent "sign" straight to crypto, which refuses it.
  if (message.includes('"signature" argument')) return 'answer without a signature';
  if (/timeout/i.test(message)) return `no answer in time: ${message.slice(0, 200)}`;
  return `no usable answer: ${message.slice(0, 200)}`;
}

// ---------------------------------------------------------------------------------------------
// Asynchronous notification (异步通知, notify_type trade_status_sync), posted as a form to
// notify_url; head office answers the text `success` once it has taken it (Alipay repeats it
// otherwise, so the same notification may come more than once).

export type AlipayNotification =
  | {
      ok: true;
      notifyId: string | null;
      outTradeNo: string;
      tradeNo: string;
      state: ProviderState;
      paidFen: number | null;
      paidAt: string | null;
      tradeStatus: string;
    }
  | { ok: false; reason: string };

export function verifyAlipayNotification(
  config: AlipayConfig,
  params: Record<string, string>,
  sdk: AlipaySdk = alipaySdk(config),
): AlipayNotification {
  if (typeof params.sign !== 'string' || params.sign === '') {
    return { ok: false, reason: 'notification without sign' };
  }
  let good: boolean;
  try {
    // V2: the values as received (already form-decoded), not decoded a second time.
    good = sdk.checkNotifySignV2(params);
  } catch (e) {
    return { ok: false, reason: `signature check failed: ${(e as Error).message}` };
  }
  if (!good) return { ok: false, reason: 'signature does not verify with the Alipay public key' };
  if (params.app_id !== config.appId) {
    return { ok: false, reason: `for app_id ${params.app_id}, not ${config.appId}` };
  }
  const outTradeNo = params.out_trade_no;
  const tradeNo = params.trade_no;
  const tradeStatus = params.trade_status;
  if (!outTradeNo || !tradeNo || !tradeStatus) {
    return { ok: false, reason: 'out_trade_no, trade_no or trade_status missing' };
  }
  const state = queryState({ code: '10000', trade_status: tradeStatus });
  const paid = state === 'paid';
  const paidFen = paid ? alipayAmountToFen(params.total_amount) : null;
  if (paid && paidFen === null) {
    return { ok: false, reason: `unreadable total_amount ${params.total_amount}` };
  }
  return {
    ok: true,
    notifyId: params.notify_id ?? null,
    outTradeNo,
    tradeNo,
    state,
    paidFen,
    paidAt: paid ? alipayTimeToIso(params.gmt_payment) : null,
    tradeStatus,
  };
}

// ---------------------------------------------------------------------------------------------
// Settlement (对账) file, the simplified merchant bill the simulator writes per business day:
// header `out_trade_no,trade_no,total_amount,gmt_payment`, one line per paid and not cancelled
// trade, total_amount in yuan ("123.45"), gmt_payment Beijing time "yyyy-MM-dd HH:mm:ss".

export const ALIPAY_SETTLEMENT_HEADER = 'out_trade_no,trade_no,total_amount,gmt_payment';

export function parseAlipaySettlement(text: string): SettlementLine[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== ALIPAY_SETTLEMENT_HEADER) {
    throw new Error(`settlement file: the first line is not ${ALIPAY_SETTLEMENT_HEADER}`);
  }
  const out: SettlementLine[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [outTradeNo, tradeNo, amount, gmt, ...rest] = line.split(',');
    const amountFen = alipayAmountToFen(amount);
    const paidAt = alipayTimeToIso(gmt);
    if (
      rest.length > 0 ||
      !outTradeNo ||
      !/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo) ||
      !tradeNo ||
      !/^\d{16,64}$/.test(tradeNo) ||
      amountFen === null ||
      paidAt === null
    ) {
      throw new Error(
        `settlement file line ${i + 2}: not out_trade_no,trade_no,yuan,time: ${line}`,
      );
    }
    out.push({ outTradeNo, tradeNo, amountFen, paidAt });
  });
  return out;
}
