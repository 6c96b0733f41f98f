import type { ReceiptDetail } from '@heating-cashier/core/contract/commands';
import type { QrSaleAnswer } from '@heating-cashier/core/contract/qr-wire';
import {
  maskPaymentCode,
  paymentCodeProvider,
  type QrProvider,
} from '@heating-cashier/core/payment-code';
import { formatFen } from '@heating-cashier/core/money';
import type { ClerkRow } from '../session/clerks.store';
import { clerkById } from '../session/clerks.store';
import { openShift } from '../cash/books-shifts.store';
import { householdById } from '../households/households.store';
import { uuidv7 } from '../../ledger/ids';
import { receiptById } from '../receipts/receipts.store';
import { receiptDetailView } from '../receipts/views';
import { ServiceError, type ServiceContext } from '../../services/context';
import { intentPayment, takePayment, validateDeviceSale } from '../payments/payments';
import { intentRows } from '../payments/intents';
import { HeadOfficeClient, type HoResult } from '../sync/client';
import { syncState } from '../sync/sync-state.store';

/**
 * QR (payment code, 付款码) sales through head office (issue 23), crash-safe like card payments:
 *   1. refused at once, with nothing written, when the code is no payment code, the terminal is not
 *      enrolled, or head office does not answer a quick reachability check;
 *   2. an intent row (amount, household, shift, the receipt's requestId, the outTradeNo) commits
 *      BEFORE the sale goes to head office, which calls the provider;
 *   3. paid (same amount) → the receipt (payment service, QR tender with the provider's trade number
 *      and detail.confirmation 'confirmed') and intent → completed commit in ONE transaction,
 *      idempotent by the intent's requestId; refused or cancelled → closed, nothing taken;
 *   4. anything else (paying, unknown, a timeout, a lost answer) leaves the intent open: it is
 *      resolved by query (qr.resolve, qr.cancel, or by itself whenever head office is reached), never
 *      by guessing, and no second sale starts while one is open.
 * The full payment code is never stored (masked: first 4, last 4).
 */

export type QrState = 'intent' | 'completed' | 'failed' | 'cancelled';

interface QrRow {
  id: string;
  request_id: string;
  out_trade_no: string;
  provider: QrProvider;
  masked_code: string;
  source: 'scanner' | 'keyboard';
  household_id: string;
  shift_id: string;
  clerk_id: string;
  amount_fen: number;
  allocation: string | null;
  state: QrState;
  trade_no: string | null;
  buyer: string | null;
  paid_at: string | null;
  provider_code: string | null;
  provider_sub_code: string | null;
  message: string | null;
  receipt_id: string | null;
  resolution: string | null;
  resolved_by: string | null;
  created_at: string;
  updated_at: string;
}

/** Test hooks (fault tests): what runs between the durable steps. */
export interface QrRuntimeHooks {
  /** After the intent is durable, before the sale goes to head office. */
  afterIntent?: (intentId: string) => Promise<void> | void;
}

/** `ctx.runtime.qr`: the sale under way, the background resolution, the time limits. */
export class QrSlot {
  /** The intent whose sale request is under way (the background resolution leaves it alone). */
  inFlight: string | null = null;
  /** The background resolution of open intents under way (one at a time). */
  resolving: Promise<void> | null = null;
  /** Head office queries a paying sale for up to 60 s before it cancels: the sale waits longer. */
  saleTimeoutMs = 90_000;
  /** The reachability check before an intent is written. */
  reachTimeoutMs = 3_000;
  /** A query or cancel (head office asks the provider once or a few times). */
  queryTimeoutMs = 30_000;
  hooks: QrRuntimeHooks = {};
  /** The terminal is closing: the background resolution writes nothing more. */
  closed = false;
  /**
   * When head office last answered a background query that left a sale open (paying, unknown):
   * the next background round waits `backgroundGapMs` (the sync worker reaches head office every
   * few seconds; a sale it cannot settle yet is not asked about that often).
   */
  answeredAt = 0;
  backgroundGapMs = 30_000;
}

type Localized = { 'zh-CN': string; en: string };
const T = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

/** The printed / spoken name of each provider. */
export const QR_PROVIDER_NAME: Record<QrProvider, Localized> = {
  alipay: T('支付宝', 'Alipay'),
  wechat: T('微信支付', 'WeChat Pay'),
  unionpay: T('云闪付', 'UnionPay QR'),
};

// ---------------------------------------------------------------------------------------------
// rows

const intents = intentRows<QrRow, QrState>('qr_payments', 'QR_INTENT_NOT_FOUND');
const requireIntent = intents.require;
const update = intents.update;

function openIntent(ctx: ServiceContext): QrRow | undefined {
  return ctx.db
    .prepare("SELECT * FROM qr_payments WHERE state = 'intent' ORDER BY created_at LIMIT 1")
    .get() as QrRow | undefined;
}

export function qrPaymentView(r: QrRow) {
  return {
    intentId: r.id,
    requestId: r.request_id,
    outTradeNo: r.out_trade_no,
    provider: r.provider,
    maskedCode: r.masked_code,
    state: r.state,
    householdId: r.household_id,
    shiftId: r.shift_id,
    amountFen: r.amount_fen,
    tradeNo: r.trade_no,
    buyer: r.buyer,
    paidAt: r.paid_at,
    providerCode: r.provider_code,
    providerSubCode: r.provider_sub_code,
    message: r.message ? (JSON.parse(r.message) as Localized) : null,
    receiptId: r.receipt_id,
    resolution: r.resolution,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type QrPaymentView = ReturnType<typeof qrPaymentView>;

function result(ctx: ServiceContext, id: string) {
  const r = requireIntent(ctx, id);
  return {
    payment: qrPaymentView(r),
    receipt: r.receipt_id ? receiptDetailView(ctx.db, receiptById(ctx.db, r.receipt_id)!) : null,
  };
}

export function pendingQrPayments(ctx: ServiceContext): QrPaymentView[] {
  return (
    ctx.db
      .prepare("SELECT * FROM qr_payments WHERE state = 'intent' ORDER BY created_at")
      .all() as QrRow[]
  ).map(qrPaymentView);
}

/**
 * The merchant order number (商户订单号) of an intent: the intent's time (12 hex), this terminal (its
 * id's last 8 hex) and the intent's random tail (12 hex) — 32 characters, within every provider's
 * limit (WeChat Pay and UnionPay: 32), unique per terminal and intent.
 */
export function outTradeNoOf(terminalId: string, intentId: string): string {
  const hex = (s: string) => s.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  const t = hex(terminalId).padStart(8, '0');
  const i = hex(intentId).padStart(24, '0');
  return `${i.slice(0, 12)}${t.slice(-8)}${i.slice(-12)}`;
}

// ---------------------------------------------------------------------------------------------
// head office

/** Head office as the sync settings name it (url + this terminal's token), or null: not enrolled. */
function clientOf(ctx: ServiceContext, timeoutMs = ctx.runtime.qr.queryTimeoutMs) {
  const s = syncState(ctx.db);
  if (!s.head_office_url || !s.terminal_token) return null;
  return new HeadOfficeClient({ url: s.head_office_url, token: s.terminal_token, timeoutMs });
}

function requireClient(ctx: ServiceContext, timeoutMs?: number): HeadOfficeClient {
  const client = clientOf(ctx, timeoutMs);
  if (!client) throw new ServiceError('QR_NOT_ENROLLED');
  return client;
}

/** Head office's plain refusal text as the clerk's message: nothing was charged. */
function refusedMessage(text: string): Localized {
  return T(
    `总部未受理此笔扫码收款（${text}），未扣款。请核对后重新扫码，或改用其他付款方式。`,
    `Head office did not take this QR sale (${text}); nothing was charged. Check and scan again, or take another way to pay.`,
  );
}

const UNKNOWN_MESSAGE = (reason: string) =>
  T(
    `结果未知（${reason}）。不要让顾客重复付款：稍后查询，或撤销此笔。`,
    `Outcome unknown (${reason}). Do not charge again: query it later, or cancel it.`,
  );

// ---------------------------------------------------------------------------------------------
// receipt

function commitReceipt(ctx: ServiceContext, clerk: ClerkRow, intentId: string): ReceiptDetail {
  return ctx.db
    .transaction(() => {
      const r = requireIntent(ctx, intentId);
      if (r.state === 'completed' && r.receipt_id)
        return receiptDetailView(ctx.db, receiptById(ctx.db, r.receipt_id)!);
      if (r.state !== 'intent' || !r.trade_no)
        throw new ServiceError('QR_ACTION_NOT_ALLOWED', { state: r.state });
      const receipt = takePayment(
        ctx,
        clerk,
        intentPayment(r, {
          kind: 'qr',
          amountFen: r.amount_fen,
          channel: r.provider,
          reference: r.trade_no,
        }),
        {
          confirmation: 'confirmed',
          provider: r.provider,
          tradeNo: r.trade_no,
          outTradeNo: r.out_trade_no,
          qrIntentId: r.id,
          ...(r.buyer ? { buyer: r.buyer.slice(0, 100) } : {}),
        },
      );
      update(ctx, r.id, { state: 'completed', receipt_id: receipt.id }, ['intent']);
      return receipt;
    })
    .immediate();
}

/**
 * What head office answered, applied to an open intent. Paid for our amount → the receipt; refused
 * or cancelled → closed; anything else → the intent stays open (`open: true`) with the words.
 * `clerk` records the receipt (null: nobody has an open shift here, it waits for one).
 */
function applyAnswer(
  ctx: ServiceContext,
  clerk: ClerkRow | null,
  intentId: string,
  a: QrSaleAnswer,
  how: { resolution: string; resolvedBy: string | null },
): { open: boolean; reason: string } {
  const r = requireIntent(ctx, intentId);
  if (r.state !== 'intent') return { open: false, reason: r.state };
  if (a.outTradeNo !== r.out_trade_no || a.provider !== r.provider) {
    const reason = 'answer for another sale';
    update(ctx, r.id, { message: JSON.stringify(UNKNOWN_MESSAGE(reason)) }, ['intent']);
    return { open: true, reason };
  }
  const facts: Partial<QrRow> = {
    provider_code: a.code,
    provider_sub_code: a.subCode,
    message: JSON.stringify(a.message),
    ...(a.tradeNo ? { trade_no: a.tradeNo } : {}),
    ...(a.buyer ? { buyer: a.buyer } : {}),
    ...(a.paidAt ? { paid_at: a.paidAt } : {}),
  };
  const who = { resolution: how.resolution, resolved_by: how.resolvedBy };
  if (a.state === 'paid' && a.amountFen === r.amount_fen && a.tradeNo) {
    update(ctx, r.id, { ...facts, ...who }, ['intent']);
    if (!clerk) {
      update(ctx, r.id, {
        message: JSON.stringify(
          T(
            `已付款 ${formatFen(r.amount_fen)}（交易号 ${a.tradeNo}），收据尚未开出：开班后在“未确认的扫码交易”中查询即开出收据。`,
            `Paid ${formatFen(r.amount_fen)} (trade no. ${a.tradeNo}), no receipt yet: open a shift, then query it under “unconfirmed QR payments” to issue the receipt.`,
          ),
        ),
      });
      return { open: true, reason: 'paid, waiting for an open shift' };
    }
    try {
      commitReceipt(ctx, clerk, r.id);
    } catch (e) {
      // paid: the facts are kept; the receipt follows at the next query (a shift, a book...)
      const why = e instanceof Error ? e.message.slice(0, 200) : String(e);
      update(ctx, r.id, {
        message: JSON.stringify(
          T(
            `已付款 ${formatFen(r.amount_fen)}（交易号 ${a.tradeNo}），但收据未能开出（${why}）。请处理后在“未确认的扫码交易”中再次查询，不要重复收款。`,
            `Paid ${formatFen(r.amount_fen)} (trade no. ${a.tradeNo}) but the receipt could not be issued (${why}). Fix that, then query it again under “unconfirmed QR payments”; do not charge again.`,
          ),
        ),
      });
      if (e instanceof ServiceError) throw e;
      return { open: true, reason: why };
    }
    return { open: false, reason: 'paid' };
  }
  if (a.state === 'paid') {
    // paid, but not what we asked for: never guess; finance and head office look at it
    const reason = `paid ${formatFen(a.amountFen)} for ${formatFen(r.amount_fen)}`;
    update(
      ctx,
      r.id,
      {
        ...facts,
        message: JSON.stringify(
          T(
            `支付渠道报告已付 ${formatFen(a.amountFen)}，与应收 ${formatFen(r.amount_fen)} 不符。不要开收据或重复收款，请联系总部核对（${r.out_trade_no}）。`,
            `The provider reports ${formatFen(a.amountFen)} paid, not ${formatFen(r.amount_fen)}. Issue no receipt and do not charge again; call head office to check (${r.out_trade_no}).`,
          ),
        ),
      },
      ['intent'],
    );
    return { open: true, reason };
  }
  if (a.state === 'failed' || a.state === 'cancelled') {
    update(ctx, r.id, { ...facts, ...who, state: a.state }, ['intent']);
    return { open: false, reason: a.state };
  }
  update(ctx, r.id, facts, ['intent']); // paying / unknown: keep asking, never pay again
  return { open: true, reason: a.state };
}

// ---------------------------------------------------------------------------------------------
// sale

export interface QrSaleInput {
  requestId: string;
  householdId: string;
  amountFen: number;
  allocation?: { seasonId: string; amountFen: number }[] | undefined;
  code: string;
  source: 'scanner' | 'keyboard';
}

function existingByRequest(ctx: ServiceContext, input: QrSaleInput): QrRow | undefined {
  const r = ctx.db
    .prepare('SELECT * FROM qr_payments WHERE request_id = ?')
    .get(input.requestId) as QrRow | undefined;
  if (r && (r.household_id !== input.householdId || r.amount_fen !== input.amountFen))
    throw new ServiceError('REQUEST_REUSED');
  return r;
}

/** Is head office there at all (≤ reachTimeoutMs)? Asked before any intent is written. */
async function requireReachable(ctx: ServiceContext): Promise<void> {
  const res = await requireClient(ctx, ctx.runtime.qr.reachTimeoutMs).health();
  if (res.kind !== 'ok')
    throw new ServiceError('QR_OFFLINE', {
      reason: res.kind === 'network' ? res.message.slice(0, 120) : `HTTP ${res.status}`,
    });
}

/** Takes a QR payment through head office; see the module comment for the durable steps. */
export async function qrSale(ctx: ServiceContext, clerk: ClerkRow, rawInput: QrSaleInput) {
  const input = { ...rawInput, code: rawInput.code.replace(/\s+/g, '') };
  const again = existingByRequest(ctx, input);
  if (again) return { ...result(ctx, again.id), replayed: true }; // never sent twice
  const provider = paymentCodeProvider(input.code);
  if (!provider) throw new ServiceError('QR_CODE_INVALID');
  const client = requireClient(ctx);
  const open = openIntent(ctx);
  if (open) throw new ServiceError('QR_RECOVERY_PENDING', { intentId: open.id });
  validateDeviceSale(ctx, clerk, input);
  await requireReachable(ctx);

  // durable before the sale leaves this terminal (re-checked: the reachability check awaited)
  const id = uuidv7(ctx.clock().getTime());
  const outTradeNo = outTradeNoOf(ctx.terminal.id, id);
  const replayed = ctx.db
    .transaction(() => {
      const replay = existingByRequest(ctx, input);
      if (replay) return replay;
      const other = openIntent(ctx);
      if (other) throw new ServiceError('QR_RECOVERY_PENDING', { intentId: other.id });
      const s = validateDeviceSale(ctx, clerk, input);
      const now = ctx.clock().toISOString();
      ctx.db
        .prepare(
          `INSERT INTO qr_payments (id, request_id, out_trade_no, provider, masked_code, source, household_id,
             shift_id, clerk_id, amount_fen, allocation, state, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'intent', ?, ?)`,
        )
        .run(
          id,
          input.requestId,
          outTradeNo,
          provider,
          maskPaymentCode(input.code),
          input.source,
          input.householdId,
          s.id,
          clerk.id,
          input.amountFen,
          input.allocation ? JSON.stringify(input.allocation) : null,
          now,
          now,
        );
      return null;
    })
    .immediate();
  if (replayed) return { ...result(ctx, replayed.id), replayed: true }; // a concurrent repeat won

  const slot = ctx.runtime.qr;
  slot.inFlight = id;
  let res: HoResult<QrSaleAnswer>;
  try {
    await slot.hooks.afterIntent?.(id);
    const household = householdById(ctx.db, input.householdId);
    res = await client.qrSale(
      {
        outTradeNo,
        provider,
        authCode: input.code,
        amountFen: input.amountFen,
        subject: `供热费 ${household?.accountNo ?? input.householdId}`.slice(0, 128),
        householdId: input.householdId,
      },
      slot.saleTimeoutMs,
    );
  } finally {
    slot.inFlight = null;
  }
  const how = { resolution: 'sale', resolvedBy: clerk.id };
  if (res.kind === 'refused') {
    // head office refused before sending anything to the provider: certainly nothing taken
    const message = refusedMessage(res.body.message.slice(0, 200));
    update(
      ctx,
      id,
      {
        state: 'failed',
        resolution: 'not_sent',
        resolved_by: clerk.id,
        message: JSON.stringify(message),
        provider_code: res.body.error,
      },
      ['intent'],
    );
    if (res.body.error === 'provider_unavailable')
      throw new ServiceError('QR_PROVIDER_UNAVAILABLE', {
        provider: QR_PROVIDER_NAME[provider]['zh-CN'],
        reason: res.body.message.slice(0, 200),
      });
    return { ...result(ctx, id), replayed: false };
  }
  if (res.kind === 'network') {
    update(ctx, id, { message: JSON.stringify(UNKNOWN_MESSAGE(res.message.slice(0, 120))) }, [
      'intent',
    ]);
    throw new ServiceError('QR_OUTCOME_UNKNOWN', {
      intentId: id,
      reason: res.message.slice(0, 200),
    });
  }
  const applied = applyAnswer(ctx, clerk, id, res.value, how);
  if (applied.open)
    throw new ServiceError('QR_OUTCOME_UNKNOWN', { intentId: id, reason: applied.reason });
  return { ...result(ctx, id), replayed: false };
}

// ---------------------------------------------------------------------------------------------
// recovery

/** The clerk whose shift is open here (a paid sale's receipt goes there), or null. */
function clerkOfOpenShift(ctx: ServiceContext): ClerkRow | null {
  const shift = openShift(ctx.db);
  return shift ? clerkById(ctx.db, shift.clerk_id) : null;
}

async function ask(
  ctx: ServiceContext,
  intentId: string,
  how: 'query' | 'cancel',
): Promise<{ r: QrRow; res: HoResult<QrSaleAnswer> | null }> {
  const r = requireIntent(ctx, intentId);
  if (r.state !== 'intent') return { r, res: null };
  const client = requireClient(ctx);
  const slot = ctx.runtime.qr;
  if (slot.inFlight === intentId) throw new ServiceError('QR_RECOVERY_PENDING', { intentId }); // its sale is still under way
  const res =
    how === 'query'
      ? await client.qrQuery(r.out_trade_no, slot.queryTimeoutMs)
      : await client.qrCancel(r.out_trade_no, slot.queryTimeoutMs);
  if (!isNotFound(res)) return { r, res };
  // Head office never received the sale: the request was lost, or is still on its way (a delayed
  // or replayed copy). Closing the out-trade number there first makes a late copy harmless; only
  // head office's answer to that closes the intent (paid, if the request won the race).
  const closed = await client.qrCancel(r.out_trade_no, slot.queryTimeoutMs, {
    provider: r.provider,
    amountFen: r.amount_fen,
    householdId: r.household_id,
  });
  return { r, res: closed };
}

/**
 * Head office has no such sale even when asked to close it (a head office without the close of
 * unsent sales answers 404 to that too): the sale request never reached it (a crash or a cut line
 * between the intent and the request), so nothing went to the provider — head office keeps every
 * sale it received before calling the provider — and the intent closes as not sent. A request of
 * this process still under way is never asked about (`inFlight`).
 */
function neverReceived(ctx: ServiceContext, r: QrRow, by: string | null) {
  update(
    ctx,
    r.id,
    {
      state: 'failed',
      resolution: 'not_sent',
      resolved_by: by,
      message: JSON.stringify(
        T(
          '总部没有收到这笔扫码交易，未扣款。如需收款请重新扫码。',
          'Head office never received this QR sale; nothing was charged. Scan again to take the payment.',
        ),
      ),
    },
    ['intent'],
  );
}

const isNotFound = (res: HoResult<QrSaleAnswer>) =>
  res.kind === 'refused' && res.status === 404 && res.body.error === 'not_found';

/** What a query or cancel came to when head office could not say: the intent stays, with why. */
function notAnswered(
  ctx: ServiceContext,
  r: QrRow,
  res: Exclude<HoResult<QrSaleAnswer>, { kind: 'ok' }>,
) {
  const reason =
    res.kind === 'network' ? res.message.slice(0, 120) : res.body.message.slice(0, 120);
  update(
    ctx,
    r.id,
    {
      message: JSON.stringify(
        res.kind === 'network'
          ? T(
              `无法连接总部（${reason}），结果仍未知。不要重复收款；总部恢复后会自动查询，也可稍后再查。`,
              `Head office cannot be reached (${reason}); the outcome is still unknown. Do not charge again; it is queried by itself once head office is back, or query again later.`,
            )
          : T(
              `总部未能查询（${reason}），结果仍未知。不要重复收款，请稍后再查或联系总部。`,
              `Head office could not query it (${reason}); the outcome is still unknown. Do not charge again; query later or call head office.`,
            ),
      ),
    },
    ['intent'],
  );
}

/** qr.resolve: ask head office (which asks the provider); paid → receipt, refused → closed. */
export async function resolveQrPayment(ctx: ServiceContext, clerk: ClerkRow, intentId: string) {
  const { r, res } = await ask(ctx, intentId, 'query');
  if (!res) return result(ctx, r.id); // already settled: a repeated click
  if (isNotFound(res)) neverReceived(ctx, r, clerk.id);
  else if (res.kind !== 'ok') notAnswered(ctx, r, res);
  else applyAnswer(ctx, clerk, r.id, res.value, { resolution: 'query', resolvedBy: clerk.id });
  return result(ctx, r.id);
}

/** qr.cancel: head office queries first (paid → receipt), otherwise cancels at the provider. */
export async function cancelQrPayment(ctx: ServiceContext, clerk: ClerkRow, intentId: string) {
  const { r, res } = await ask(ctx, intentId, 'cancel');
  if (!res) return result(ctx, r.id); // already settled (a paid one keeps its receipt)
  if (isNotFound(res)) neverReceived(ctx, r, clerk.id);
  else if (res.kind !== 'ok') notAnswered(ctx, r, res);
  else applyAnswer(ctx, clerk, r.id, res.value, { resolution: 'cancel', resolvedBy: clerk.id });
  return result(ctx, r.id);
}

/**
 * Resolves every open intent by query, in the background: at start and whenever the sync worker
 * reaches head office. A paid one becomes its receipt in the open shift even if no clerk looks;
 * what head office cannot answer yet stays open. One run at a time; never throws.
 */
export function resolveOpenQrPayments(ctx: ServiceContext): Promise<void> {
  const slot = ctx.runtime.qr;
  if (slot.resolving) return slot.resolving;
  if (slot.closed || !clientOf(ctx) || !openIntent(ctx)) return Promise.resolve();
  if (Date.now() - slot.answeredAt < slot.backgroundGapMs) return Promise.resolve();
  const run = async () => {
    for (const p of pendingQrPayments(ctx)) {
      if (slot.closed) return;
      if (slot.inFlight === p.intentId) continue; // its sale answers for it
      try {
        const { r, res } = await ask(ctx, p.intentId, 'query');
        if (slot.closed) return;
        if (!res) continue;
        if (isNotFound(res)) {
          neverReceived(ctx, r, null);
          continue;
        }
        if (res.kind !== 'ok') {
          notAnswered(ctx, r, res);
          if (res.kind === 'network') return; // head office went away again: the next contact
          continue;
        }
        const applied = applyAnswer(ctx, clerkOfOpenShift(ctx), r.id, res.value, {
          resolution: 'auto',
          resolvedBy: null,
        });
        if (applied.open) slot.answeredAt = Date.now();
      } catch (e) {
        ctx.log?.('warn', 'QR payment not resolved in the background', {
          intentId: p.intentId,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
  };
  slot.resolving = run()
    .catch(() => undefined)
    .finally(() => {
      slot.resolving = null;
    });
  return slot.resolving;
}
