import { createHash } from 'node:crypto';
import { formatFen } from '@heating-cashier/core/money';
import { maskPaymentCode, paymentCodeProvider } from '@heating-cashier/core/payment-code';
import {
  qrSaleAnswer,
  type QrSaleAnswer,
  type QrSaleRequest,
  type QrSaleState,
} from '@heating-cashier/core/contract/qr-wire';
import type { SyncErrorBody } from '@heating-cashier/core/contract/sync-wire';
import type { Queryable } from '../db';
import { unknownOutcome, type ProviderOutcome, type QrProviderPort } from './provider';

/**
 * Head office's QR sale procedure (issue 23), as Alipay documents it for 当面付 条码支付: `pay`;
 * when the answer is 10003 (the customer is paying) or no usable answer came, `query` every few
 * seconds for about a minute; only TRADE_SUCCESS / TRADE_FINISHED is paid; still unpaid at the end,
 * `cancel` right after the last query. Nothing is kept in the process: the sale's row
 * (ho_qr_sales, written before the provider is called) says where it stands, and every provider
 * call is made by the one instance holding the row's short lease, so several head-office
 * processes on one database never send a second `pay` for an out-trade number, never query in
 * parallel, and never cancel a trade another one just found paid.
 */

export type ProviderName = QrProviderPort['name'];

export interface QrSalesConfig {
  providers: Partial<Record<ProviderName, QrProviderPort>>;
  /** Between two queries of a sale that is not final (Alipay: 3–6 s). Default 3000. */
  pollIntervalMs?: number;
  /** From the sale's row to the last query and the cancel (Alipay: about 60 s). Default 60000. */
  deadlineMs?: number;
  /** How long one instance may hold a sale while it calls the provider. Default 30000. */
  leaseMs?: number;
}

interface Timing {
  poll: number;
  deadline: number;
  lease: number;
}

const timing = (c: QrSalesConfig): Timing => ({
  poll: c.pollIntervalMs ?? 3000,
  deadline: c.deadlineMs ?? 60_000,
  lease: c.leaseMs ?? 30_000,
});

export const FINAL_STATES: readonly QrSaleState[] = ['paid', 'failed', 'cancelled'];
const isFinal = (state: string) => (FINAL_STATES as readonly string[]).includes(state);

/** Why a sale stands as it does, beyond the provider's code (the clerk's words depend on it). */
type Problem = 'timeout' | 'clerk' | 'closed' | 'amount_mismatch' | 'never_received' | null;

interface SaleRow {
  terminal_id: string;
  out_trade_no: string;
  provider: ProviderName;
  masked_code: string;
  code_sha256: string;
  amount_fen: number;
  subject: string;
  household_id: string;
  state: QrSaleState;
  trade_no: string | null;
  buyer: string | null;
  paid_at: string | null;
  paid_fen: number | null;
  code: string | null;
  sub_code: string | null;
  message: string | null;
  problem: Problem;
  /** Computed on read: the deadline has passed (database clock). */
  past_deadline: boolean;
  /** Computed on read: milliseconds until the next query is due (≤ 0: due). */
  due_in_ms: number;
  /** Computed on read: milliseconds until the deadline (≤ 0: passed). */
  to_deadline_ms: number;
}

export type SaleReply =
  { status: 200; body: QrSaleAnswer } | { status: number; body: SyncErrorBody };

const COLUMNS = `*, now() >= deadline_at AS past_deadline,
  (extract(epoch FROM (next_step_at - now())) * 1000)::float8 AS due_in_ms,
  (extract(epoch FROM (deadline_at - now())) * 1000)::float8 AS to_deadline_ms`;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, Math.max(0, ms)));

async function load(db: Queryable, outTradeNo: string): Promise<SaleRow | null> {
  const [row] = await db.query<SaleRow>(
    `SELECT ${COLUMNS} FROM ho_qr_sales WHERE out_trade_no = $1`,
    [outTradeNo],
  );
  return row ?? null;
}

/**
 * Takes the sale's lease when nobody holds it and it is not final; `force` ignores when the next
 * query is due (a GET, a clerk's cancel, a notification). Answers the row, and whether it is ours.
 */
async function claim(
  db: Queryable,
  t: Timing,
  outTradeNo: string,
  force: boolean,
): Promise<{ row: SaleRow | null; claimed: boolean }> {
  const [row] = await db.query<SaleRow>(
    `UPDATE ho_qr_sales SET lease_until = now() + $2::float8 * interval '1 millisecond'
     WHERE out_trade_no = $1 AND state IN ('paying', 'unknown')
       AND (lease_until IS NULL OR lease_until < now()) AND ($3 OR next_step_at <= now())
     RETURNING ${COLUMNS}`,
    [outTradeNo, t.lease, force],
  );
  return row ? { row, claimed: true } : { row: await load(db, outTradeNo), claimed: false };
}

async function logCall(
  db: Queryable,
  row: Pick<SaleRow, 'terminal_id' | 'out_trade_no'> | { terminal_id: null; out_trade_no: string },
  call: 'pay' | 'query' | 'cancel' | 'notify',
  state: string,
  code: string | null,
  subCode: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await db.query(
    `INSERT INTO ho_qr_sale_log (terminal_id, out_trade_no, call, state, code, sub_code, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.terminal_id, row.out_trade_no, call, state, code, subCode, JSON.stringify(detail)],
  );
}

/** One provider call, logged; a thrown error is an unknown answer (query again, never guess). */
async function call(
  db: Queryable,
  row: SaleRow,
  name: 'pay' | 'query' | 'cancel',
  run: () => Promise<ProviderOutcome>,
): Promise<ProviderOutcome> {
  let out: ProviderOutcome;
  try {
    out = await run();
  } catch (e) {
    out = unknownOutcome(e instanceof Error ? e.message : String(e));
  }
  await logCall(db, row, name, out.state, out.code, out.subCode, {
    tradeNo: out.tradeNo,
    paidFen: out.paidFen,
    problem: out.problem,
    message: out.providerMessage,
  });
  return out;
}

interface Change {
  state: QrSaleState;
  problem?: Problem;
  outcome?: ProviderOutcome;
  /**
   * When the next query is due: 'poll' (an interval, but at the deadline when that comes first) or
   * 'retry' (an interval). Past the deadline both are an interval: never due again at once.
   */
  next?: 'poll' | 'retry';
}

/**
 * Records what the provider said and lets go of the lease. Only a sale that is not final changes
 * (a notification may have made it paid meanwhile); answers the row as it now stands.
 */
async function record(db: Queryable, t: Timing, row: SaleRow, ch: Change): Promise<SaleRow> {
  const o = ch.outcome;
  const paid = ch.state === 'paid';
  const [updated] = await db.query<SaleRow>(
    `UPDATE ho_qr_sales SET state = $2,
       trade_no = coalesce($3, trade_no), buyer = coalesce($4, buyer),
       paid_at = CASE WHEN $5 THEN coalesce($6, paid_at) ELSE paid_at END,
       paid_fen = CASE WHEN $5 OR $11 THEN coalesce($7, paid_fen) ELSE paid_fen END,
       code = CASE WHEN $8::text IS NULL AND $9::text IS NULL THEN code ELSE $8 END,
       sub_code = CASE WHEN $8::text IS NULL AND $9::text IS NULL THEN sub_code ELSE $9 END,
       message = coalesce($10, message),
       problem = $12,
       lease_until = NULL,
       next_step_at = CASE WHEN $13 AND now() < deadline_at
                           THEN least(now() + $14::float8 * interval '1 millisecond', deadline_at)
                           ELSE now() + $14::float8 * interval '1 millisecond' END,
       updated_at = now()
     WHERE out_trade_no = $1 AND state IN ('paying', 'unknown')
     RETURNING ${COLUMNS}`,
    [
      row.out_trade_no,
      ch.state,
      o?.tradeNo ?? null,
      o?.buyer ?? null,
      paid,
      o?.paidAt ?? null,
      o?.paidFen ?? null,
      o?.code ?? null,
      o?.subCode ?? null,
      o?.providerMessage ?? null,
      ch.problem === 'amount_mismatch',
      ch.problem ?? null,
      (ch.next ?? 'poll') === 'poll',
      t.poll,
    ],
  );
  return updated ?? (await load(db, row.out_trade_no))!;
}

/** Paid, as far as head office will say so: the provider's paid AND exactly the amount asked. */
function paidChange(row: SaleRow, o: ProviderOutcome): Change {
  if (o.paidFen === row.amount_fen && o.tradeNo)
    return { state: 'paid', outcome: o, problem: null };
  return { state: 'unknown', outcome: o, problem: 'amount_mismatch' };
}

/** Lets go of a lease taken for nothing (the provider is no longer configured). */
async function release(db: Queryable, row: SaleRow): Promise<void> {
  await db.query('UPDATE ho_qr_sales SET lease_until = NULL WHERE out_trade_no = $1', [
    row.out_trade_no,
  ]);
}

/**
 * One step of a sale this instance holds: query, and when the deadline has passed (or the clerk
 * cancels) and the trade is not paid, cancel right after that query.
 */
async function step(
  db: Queryable,
  t: Timing,
  port: QrProviderPort,
  row: SaleRow,
  cancelling: boolean,
): Promise<SaleRow> {
  const q = await call(db, row, 'query', () => port.query(row.out_trade_no));
  if (q.state === 'paid') return record(db, t, row, paidChange(row, q));
  if (q.state === 'closed')
    return record(db, t, row, { state: 'cancelled', outcome: q, problem: 'closed' });
  const keep: QrSaleState = q.state === 'paying' ? 'paying' : row.state;
  // A paid answer of another amount is never cancelled by head office: the operator looks at it.
  if ((cancelling || row.past_deadline) && row.problem !== 'amount_mismatch') {
    const c = await call(db, row, 'cancel', () => port.cancel(row.out_trade_no));
    if (c.state === 'closed' || c.state === 'absent')
      return record(db, t, row, {
        state: 'cancelled',
        outcome: c,
        problem: cancelling ? 'clerk' : 'timeout',
      });
    // not cancelled (no answer, a refusal): query and cancel again at the next step
    return record(db, t, row, { state: keep, outcome: q, problem: row.problem, next: 'retry' });
  }
  return record(db, t, row, { state: keep, outcome: q, problem: row.problem });
}

/**
 * Steps the sale whenever it is due and no one else holds it, until it is final or `untilMs`
 * (this process's clock) has passed. `forceFirst`: the first step does not wait for the interval.
 */
async function drive(
  db: Queryable,
  config: QrSalesConfig,
  outTradeNo: string,
  untilMs: number,
  opts: { forceFirst: boolean; cancelling: boolean },
): Promise<SaleRow> {
  const t = timing(config);
  let force = opts.forceFirst;
  for (;;) {
    // a step that is due is taken even when the request's time is up (a late timer must not
    // skip the cancel at the deadline); only waiting stops at `untilMs`
    const { row, claimed } = await claim(db, t, outTradeNo, force);
    if (!row) throw new Error(`QR sale ${outTradeNo} vanished`);
    if (isFinal(row.state)) return row;
    if (claimed) {
      const port = config.providers[row.provider];
      if (!port) {
        await release(db, row);
        return row;
      }
      const after = await step(db, t, port, row, opts.cancelling);
      force = false;
      if (isFinal(after.state) || opts.cancelling) return after;
      continue;
    }
    if (Date.now() >= untilMs) return row;
    // someone else holds it, or the next query is not due yet
    const wait = force ? Math.min(50, t.poll) : Math.min(Math.max(row.due_in_ms, 10), t.poll);
    await sleep(Math.min(wait, Math.max(untilMs - Date.now(), 0)));
  }
}

const refusal = (status: number, error: SyncErrorBody['error'], message: string): SaleReply => ({
  status,
  body: { error, message },
});

const PROVIDER_NAMES: Record<ProviderName, { zh: string; en: string }> = {
  alipay: { zh: '支付宝', en: 'Alipay' },
  wechat: { zh: '微信支付', en: 'WeChat Pay' },
  unionpay: { zh: '云闪付', en: 'UnionPay' },
};

function unavailable(provider: ProviderName): SaleReply {
  const p = PROVIDER_NAMES[provider];
  return refusal(
    422,
    'provider_unavailable',
    `head office takes no ${p.en} payments (no ${provider} keys configured); nothing was sent — take cash or card`,
  );
}

/** POST /v1/qr/sales: write the sale, send `pay` once, drive it to a final state within the deadline. */
export async function startSale(
  db: Queryable,
  config: QrSalesConfig,
  terminalId: string,
  req: QrSaleRequest,
): Promise<SaleReply> {
  const port = config.providers[req.provider];
  if (!port) return unavailable(req.provider);
  if (paymentCodeProvider(req.authCode) !== req.provider)
    return refusal(
      400,
      'bad_request',
      `authCode: not a ${PROVIDER_NAMES[req.provider].en} payment code`,
    );
  const t = timing(config);
  const codeHash = sha256(req.authCode);
  const [mine] = await db.query<SaleRow>(
    `INSERT INTO ho_qr_sales (terminal_id, out_trade_no, provider, masked_code, code_sha256, amount_fen,
       subject, household_id, state, lease_until, next_step_at, deadline_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'unknown', now() + $9::float8 * interval '1 millisecond', now(),
       now() + $10::float8 * interval '1 millisecond')
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [
      terminalId,
      req.outTradeNo,
      req.provider,
      maskPaymentCode(req.authCode),
      codeHash,
      req.amountFen,
      req.subject,
      req.householdId,
      t.lease,
      t.deadline,
    ],
  );
  // a request waits for the sale's end: the deadline, the last query and its cancel
  const until = (row: SaleRow) => Date.now() + Math.max(row.to_deadline_ms, 0) + 2 * t.poll;
  if (!mine) {
    // a repeat (lost answer, another instance): the same sale resumes, anything else is refused
    const row = await load(db, req.outTradeNo);
    if (!row) return refusal(409, 'conflict', 'out-trade number in use; retry');
    if (row.terminal_id !== terminalId)
      return refusal(
        409,
        'conflict',
        `out-trade number ${req.outTradeNo} is taken; make a new one`,
      );
    if (row.code_sha256 === NEVER_RECEIVED) return answer(row); // closed before it arrived
    if (
      row.code_sha256 !== codeHash ||
      row.amount_fen !== req.amountFen ||
      row.provider !== req.provider
    )
      return refusal(
        409,
        'conflict',
        `out-trade number ${req.outTradeNo} was sent with another payment code or amount; nothing was sent for this one`,
      );
    if (isFinal(row.state)) return answer(row);
    return answer(
      await drive(db, config, req.outTradeNo, until(row), { forceFirst: true, cancelling: false }),
    );
  }
  const untilMs = until(mine); // from the row's making: a slow pay eats into the request's time
  const o = await call(db, mine, 'pay', () =>
    port.pay({
      outTradeNo: req.outTradeNo,
      authCode: req.authCode,
      amountFen: req.amountFen,
      subject: req.subject,
    }),
  );
  let after: SaleRow;
  if (o.state === 'paid') after = await record(db, t, mine, paidChange(mine, o));
  else if (o.state === 'refused' || o.state === 'closed')
    after = await record(db, t, mine, { state: 'failed', outcome: o });
  else
    after = await record(db, t, mine, {
      state: o.state === 'paying' ? 'paying' : 'unknown',
      outcome: o,
    });
  // a pay that took the request's whole time is answered as it stands: the terminal asks again
  if (isFinal(after.state) || Date.now() >= untilMs) return answer(after);
  return answer(
    await drive(db, config, req.outTradeNo, untilMs, { forceFirst: false, cancelling: false }),
  );
}

async function ownSale(db: Queryable, terminalId: string, outTradeNo: string) {
  const row = await load(db, outTradeNo);
  return row && row.terminal_id === terminalId ? row : null;
}

const notFound = (no: string) =>
  refusal(404, 'not_found', `no QR sale ${no} from this terminal at head office`);

/** In code_sha256 of a sale closed before its request arrived: no payment code hashes to it. */
const NEVER_RECEIVED = 'never-received';

export interface UnsentSale {
  provider: ProviderName;
  amountFen: number;
  householdId: string;
}

/**
 * A cancel of a sale head office never received (the terminal's request was lost, or is still on
 * its way): the out-trade number is closed as cancelled before any provider hears of it, so a
 * late copy of the request is answered `cancelled` instead of being paid. Nothing is sent to the
 * provider: head office writes every sale's row before its `pay`, so no row means no `pay`.
 * A row that appears meanwhile (the request won the race) is the sale; another terminal's: null.
 */
async function closeUnsent(
  db: Queryable,
  terminalId: string,
  outTradeNo: string,
  sale: UnsentSale,
): Promise<SaleRow | null> {
  const [made] = await db.query<SaleRow>(
    `INSERT INTO ho_qr_sales (terminal_id, out_trade_no, provider, masked_code, code_sha256, amount_fen,
       subject, household_id, state, problem, next_step_at, deadline_at)
     VALUES ($1, $2, $3, '', $4, $5, '', $6, 'cancelled', 'never_received', now(), now())
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [terminalId, outTradeNo, sale.provider, NEVER_RECEIVED, sale.amountFen, sale.householdId],
  );
  return made ?? (await ownSale(db, terminalId, outTradeNo));
}

/** GET /v1/qr/sales/:no — final: as stored; otherwise one query now (and the cancel when overdue). */
export async function getSale(
  db: Queryable,
  config: QrSalesConfig,
  terminalId: string,
  outTradeNo: string,
): Promise<SaleReply> {
  const row = await ownSale(db, terminalId, outTradeNo);
  if (!row) return notFound(outTradeNo);
  if (isFinal(row.state)) return answer(row);
  return answer(
    await drive(db, config, outTradeNo, Date.now(), { forceFirst: true, cancelling: false }),
  );
}

/** POST /v1/qr/sales/:no/cancel — query first (paid stays paid: never cancelled), else cancel. */
export async function cancelSale(
  db: Queryable,
  config: QrSalesConfig,
  terminalId: string,
  outTradeNo: string,
  unsent?: UnsentSale,
): Promise<SaleReply> {
  const row =
    (await ownSale(db, terminalId, outTradeNo)) ??
    (unsent ? await closeUnsent(db, terminalId, outTradeNo, unsent) : null);
  if (!row) return notFound(outTradeNo);
  if (isFinal(row.state)) return answer(row);
  const t = timing(config);
  // waits for another instance's provider call to end (at most one lease)
  return answer(
    await drive(db, config, outTradeNo, Date.now() + t.lease, {
      forceFirst: true,
      cancelling: true,
    }),
  );
}

/** What a provider's verified asynchronous notification says about a trade. */
export interface QrNotification {
  provider: ProviderName;
  outTradeNo: string;
  tradeNo: string | null;
  /** paid: TRADE_SUCCESS / TRADE_FINISHED; closed: TRADE_CLOSED; other: e.g. WAIT_BUYER_PAY. */
  status: 'paid' | 'closed' | 'other';
  /** The provider's own status word, for the log. */
  statusText: string;
  paidFen: number | null;
  buyer: string | null;
  paidAt: string | null;
}

const NOTIFY_WAIT_MS = 5000;

/** A notification head office did not take (its signature did not verify): kept in the log. */
export async function logNotification(
  db: Queryable,
  outTradeNo: string,
  state: string,
  reason: string,
): Promise<void> {
  const [row] = await db.query<{ terminal_id: string }>(
    'SELECT terminal_id FROM ho_qr_sales WHERE out_trade_no = $1',
    [outTradeNo],
  );
  await logCall(
    db,
    { terminal_id: row?.terminal_id ?? null, out_trade_no: outTradeNo },
    'notify',
    state,
    null,
    null,
    { problem: reason.slice(0, 300) },
  );
}

/**
 * A verified notification: a paid trade makes a sale that is not final paid (same amount only).
 * Idempotent: a repeat (or one for a final sale) changes nothing but the log. Answers false when
 * the sale is busy at this moment (the provider sends the notification again later).
 */
export async function applyNotification(
  db: Queryable,
  config: QrSalesConfig,
  n: QrNotification,
): Promise<boolean> {
  const t = timing(config);
  // a provider call in progress holds the sale for a moment (the pay that the notification follows)
  const until = Date.now() + Math.min(t.lease, NOTIFY_WAIT_MS);
  let { row, claimed } = await claim(db, t, n.outTradeNo, true);
  while (row && !claimed && !isFinal(row.state) && Date.now() < until) {
    await sleep(20);
    ({ row, claimed } = await claim(db, t, n.outTradeNo, true));
  }
  const who = row ?? { terminal_id: null, out_trade_no: n.outTradeNo };
  const detail = { status: n.statusText, tradeNo: n.tradeNo, paidFen: n.paidFen };
  if (!row || row.provider !== n.provider || isFinal(row.state)) {
    await logCall(
      db,
      who,
      'notify',
      row ? `ignored:${row.state}` : 'unknown_trade',
      null,
      null,
      detail,
    );
    return true;
  }
  if (!claimed) return false;
  await logCall(db, row, 'notify', n.status, null, null, detail);
  if (n.status !== 'paid') {
    await release(db, row); // closed or waiting: the next query says it with the provider's code
    return true;
  }
  const outcome: ProviderOutcome = {
    state: 'paid',
    tradeNo: n.tradeNo,
    paidFen: n.paidFen,
    buyer: n.buyer,
    paidAt: n.paidAt,
    code: null,
    subCode: null,
    providerMessage: null,
    problem: null,
  };
  const ch = paidChange(row, outcome);
  await record(db, t, row, ch.state === 'paid' ? ch : { ...ch, next: 'poll' });
  return true;
}

// ---- the clerk's words ---------------------------------------------------------------------------

interface Words {
  zh: string;
  en: string;
}

/** Refusals the clerk can act on, by the provider's sub-code (Alipay's published list). */
const REFUSALS: Record<string, Words> = {
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': {
    zh: '顾客余额不足。请顾客换一种付款方式（换卡或改付现金、银行卡）。',
    en: "The customer's balance is too low. Ask for another payment method (another card, cash or bank card).",
  },
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': {
    zh: '顾客银行卡余额不足。请顾客换一张卡或改付现金、银行卡。',
    en: "The customer's bank card balance is too low. Ask for another card, cash or a bank card payment.",
  },
  'ACQ.PAYMENT_AUTH_CODE_INVALID': {
    zh: '付款码无效或已过期。请顾客刷新付款码后重新扫码。',
    en: 'The payment code is invalid or expired. Ask the customer to refresh it, then scan again.',
  },
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': {
    zh: '超出顾客当日支付限额。请顾客换一种付款方式。',
    en: "Above the customer's daily payment limit. Ask for another payment method.",
  },
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': {
    zh: '超出顾客当月支付限额。请顾客换一种付款方式。',
    en: "Above the customer's monthly payment limit. Ask for another payment method.",
  },
  'ACQ.BUYER_ENABLE_STATUS_FORBID': {
    zh: '顾客账户暂不能付款。请顾客换一种付款方式。',
    en: "The customer's account cannot pay at the moment. Ask for another payment method.",
  },
  'ACQ.TRADE_HAS_CLOSE': {
    zh: '这笔交易已关闭，未扣款。请重新扫码发起新的收款。',
    en: 'This trade is closed; nothing was taken. Scan again to start a new payment.',
  },
};

function clerkMessage(row: SaleRow): { 'zh-CN': string; en: string } {
  const p = PROVIDER_NAMES[row.provider];
  const said = row.message ? `（${row.message}）` : '';
  const saidEn = row.message ? ` (${row.message})` : '';
  const w = ((): Words => {
    switch (row.state) {
      case 'paid':
        return {
          zh: `${p.zh}已收款 ${formatFen(row.amount_fen)}，交易号 ${row.trade_no ?? ''}。`,
          en: `${p.en} paid ${formatFen(row.amount_fen)}, trade no. ${row.trade_no ?? ''}.`,
        };
      case 'paying':
        return {
          zh: '顾客正在手机上确认支付（输入密码）。请稍候，不要重复扫码。',
          en: 'The customer is confirming on the phone (entering the password). Wait; do not scan again.',
        };
      case 'failed': {
        const known = row.sub_code ? REFUSALS[row.sub_code] : undefined;
        if (known) return { zh: `${p.zh}：${known.zh}`, en: `${p.en}: ${known.en}` };
        return {
          zh: `${p.zh}拒绝了这笔支付${said}，未扣款。请顾客换一种付款方式，或改收现金、银行卡。`,
          en: `${p.en} refused this payment${saidEn}; nothing was taken. Ask for another payment method, cash or bank card.`,
        };
      }
      case 'cancelled':
        if (row.problem === 'never_received')
          return {
            zh: '总部没有收到这笔扫码交易，已将其关闭，未扣款。如需收款请重新扫码。',
            en: 'Head office never received this QR sale and has closed it; nothing was charged. Scan again to take the payment.',
          };
        if (row.problem === 'clerk')
          return {
            zh: `已在${p.zh}撤销这笔支付，未扣款。可重新扫码，或改收现金、银行卡。`,
            en: `The payment was cancelled at ${p.en}; nothing was taken. Scan again, or take cash or a bank card.`,
          };
        if (row.problem === 'closed')
          return {
            zh: `${p.zh}已关闭这笔交易${said}，未扣款。可重新扫码，或改收现金、银行卡。`,
            en: `${p.en} closed this trade${saidEn}; nothing was taken. Scan again, or take cash or a bank card.`,
          };
        return {
          zh: `顾客未在规定时间内完成支付，总部已在${p.zh}撤销这笔交易，未扣款。可重新扫码，或改收现金、银行卡。`,
          en: `The customer did not confirm in time; head office cancelled the trade at ${p.en} and nothing was taken. Scan again, or take cash or a bank card.`,
        };
      default:
        if (row.problem === 'amount_mismatch')
          return {
            zh: `${p.zh}报告的金额${row.paid_fen === null ? '' : ` ${formatFen(row.paid_fen)}`}与应收 ${formatFen(row.amount_fen)} 不符，这笔支付未确认。不要出收据，请联系总部财务核实。`,
            en: `${p.en} reports${row.paid_fen === null ? ' another amount' : ` ${formatFen(row.paid_fen)}`}, not the ${formatFen(row.amount_fen)} asked: not confirmed. Issue no receipt; call head office finance.`,
          };
        return {
          zh: `暂未得到${p.zh}的结果${said}。不要重新收款，稍后再查询这笔支付。`,
          en: `No answer from ${p.en} yet${saidEn}. Do not take the money again; query this payment again shortly.`,
        };
    }
  })();
  return { 'zh-CN': w.zh, en: w.en };
}

const cut = (s: string | null, n: number) => (s === null ? null : s.slice(0, n));

function answer(row: SaleRow): SaleReply {
  return {
    status: 200,
    body: qrSaleAnswer.parse({
      outTradeNo: row.out_trade_no,
      provider: row.provider,
      state: row.state,
      amountFen: Number(row.amount_fen),
      tradeNo: cut(row.trade_no, 64),
      buyer: cut(row.buyer, 100),
      paidAt: row.state === 'paid' ? cut(row.paid_at, 40) : null,
      code: cut(row.code, 40),
      subCode: cut(row.sub_code, 80),
      message: clerkMessage(row),
    }),
  };
}
