import type { ReceiptDetail } from '@heating-cashier/core/contract/commands';
import type { ClerkRow } from '../session/clerks.store';
import { uuidv7 } from '../../ledger/ids';
import { receiptById } from '../receipts/receipts.store';
import {
  CardTerminalError,
  type CardTerminal,
  type CardTerminalEvent,
  type Localized,
  type TerminalOutcome,
  type TerminalTransaction,
} from '../../devices/card-terminal/port';
import { ServiceError, type ServiceContext } from '../../services/context';
import type { ComponentStatus } from '@heating-cashier/core/contract/commands';
import type { CardTerminalSettings } from './card-terminal-config';
import { today } from '../../ledger/transaction';
import { intentPayment, takePayment, validateDeviceSale } from '../payments/payments';
import { intentRows } from '../payments/intents';
import { receiptDetailView } from '../receipts/views';
import { formatFen } from '@heating-cashier/core/money';

/**
 * Crash-safe card payments. The order of durable steps is the whole point:
 *   1. an intent row (amount, household, shift, the receipt's requestId) commits BEFORE the sale
 *      is sent to the terminal;
 *   2. the terminal's approval (04 0F, result 00) is written to the intent BEFORE the terminal gets
 *      our acknowledgement;
 *   3. the receipt (payment service, card tender with the terminal data) and intent → completed
 *      commit in ONE transaction, idempotent by the intent's requestId.
 * A sale is sent at most once per intent and never while another intent is unresolved. An intent
 * left in 'intent' or 'approved' (crash, cable pulled, timeout) is recovered by asking the terminal
 * (Repeat Receipt 06 20 = its last transaction) and letting the clerk record it as paid, reverse it
 * on the terminal, or mark it failed — each only when the terminal's facts allow it.
 */

export type IntentState = 'intent' | 'approved' | 'completed' | 'declined' | 'failed' | 'reversed';
export type RecoveryAction = 'record' | 'reverse' | 'fail';

interface IntentRow {
  id: string;
  request_id: string;
  mode: 'terminal' | 'manual';
  household_id: string;
  shift_id: string;
  clerk_id: string;
  amount_fen: number;
  currency: number;
  allocation: string | null;
  state: IntentState;
  result_code: number | null;
  message: string | null;
  terminal_id: string | null;
  trace_no: string | null;
  terminal_receipt_no: string | null;
  auth_code: string | null;
  masked_pan: string | null;
  card_name: string | null;
  print_lines: string;
  receipt_id: string | null;
  resolution: string | null;
  created_at: string;
  updated_at: string;
}

export interface CardRuntimeHooks {
  /** Test hook (fault tests): runs after the approval is durable, before the receipt commits. */
  afterApproval?: (intentId: string) => Promise<void> | void;
}

/** A card terminal attached to this terminal: the driver and what the payments know about it. */
interface AttachedTerminal {
  terminal: CardTerminal;
  currency: number;
  texts: CardTerminalEvent[];
  inFlight: string | null;
  lastError: Localized | null;
  hooks: CardRuntimeHooks;
  /** A connect (start / reconnect) in progress: commands wait for it instead of failing BUSY. */
  connecting: Promise<unknown> | null;
  /** An idle liveness check (a registration, see probeCardTerminal) in progress: commands wait for it too. */
  probing: Promise<void> | null;
  /** Since when the terminal has not answered a liveness check (switched off, cable loose). */
  unansweredSince: string | null;
  heartbeat: ReturnType<typeof setInterval> | null;
}

/** `ctx.runtime.card`: the attached card terminal, or none (manual card entry only). */
export class CardTerminalSlot {
  attached: AttachedTerminal | null = null;
  /** The settings of the attached ZVT terminal (null: none, or one attached by a test). */
  settings: CardTerminalSettings | null = null;
  /** Where they came from: the settings screen, the shell's option/flag, an env file or variable. */
  source: 'screen' | 'option' | 'file' | 'env' | 'none' = 'none';
  /** A settings change or test is under way (one at a time). */
  changing = false;
}

/**
 * Runs `change` (a settings test or swap) only while no card transaction is open: waits for a
 * connect or liveness check under way, refuses (CARD_SETTINGS_BUSY) while a sale, query or reversal
 * runs or a card payment is unresolved, and holds the terminal in use meanwhile — commands that
 * arrive wait for the change, then run on whatever terminal it left attached.
 */
export async function whileCardTerminalIdle<T>(
  ctx: ServiceContext,
  change: (current: CardTerminal | null) => Promise<T>,
): Promise<T> {
  const slot = ctx.runtime.card;
  if (slot.changing) throw new ServiceError('CARD_SETTINGS_BUSY');
  slot.changing = true;
  try {
    const rt = slot.attached;
    if (rt) await settle(rt);
    if (rt?.inFlight || openIntent(ctx)) throw new ServiceError('CARD_SETTINGS_BUSY');
    let release = () => {};
    if (rt) rt.connecting = new Promise<void>((resolve) => (release = resolve));
    try {
      return await change(rt?.terminal ?? null);
    } finally {
      if (rt) rt.connecting = null;
      release();
    }
  } finally {
    slot.changing = false;
  }
}

const T = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

const UNANSWERED = T(
  '银行卡终端无应答：可能已关机或串口线松动。请检查终端电源和串口线，终端恢复应答后会自动重新连接。在此期间可收现金，或用“手工刷卡登记”。',
  'The card terminal does not answer: it may be switched off or its cable loose. Check its power and cable; it reconnects by itself once it answers. Meanwhile take cash, or use manual card entry.',
);

/**
 * Registers the configured card terminal with this service context and the status bar.
 * `heartbeatMs` > 0 checks an idle terminal that often (see probeCardTerminal).
 */
export function attachCardTerminal(
  ctx: ServiceContext,
  terminal: CardTerminal,
  options: { currency?: number; hooks?: CardRuntimeHooks; heartbeatMs?: number } = {},
): void {
  const rt: AttachedTerminal = {
    terminal,
    currency: options.currency ?? 156,
    texts: [],
    inFlight: null,
    lastError: null,
    hooks: options.hooks ?? {},
    connecting: null,
    probing: null,
    unansweredSince: null,
    heartbeat: null,
  };
  terminal.onEvent((e) => {
    rt.texts.push(e);
    if (rt.texts.length > 30) rt.texts.shift();
    ctx.runtime.push.publish('card.text', { intentId: rt.inFlight, ...e }); // live on the payment screen
  });
  ctx.runtime.card.attached = rt;
  ctx.status = { ...(ctx.status ?? {}), cardTerminal: () => cardTerminalStatus(ctx) };
  if (options.heartbeatMs && options.heartbeatMs > 0) {
    rt.heartbeat = setInterval(() => void probeCardTerminal(ctx), options.heartbeatMs);
    rt.heartbeat.unref();
  }
}

export function detachCardTerminal(ctx: ServiceContext): CardTerminal | null {
  const rt = ctx.runtime.card.attached;
  ctx.runtime.card.attached = null;
  if (rt?.heartbeat) clearInterval(rt.heartbeat);
  return rt?.terminal ?? null;
}

/**
 * Liveness check of an idle terminal: a registration (06 00) on the open line. A terminal switched
 * off, or whose cable came out of a built-in port, leaves the port open and says nothing, so without
 * this the status bar would stay 就绪 until a sale failed. No ACK → offline (无应答); any answer →
 * ready again, and registered (a power cycle, however short, forgets the registration). Registration
 * rather than status enquiry (05 01): the terminal may start its time-controlled jobs (an automatic
 * end-of-day) during a status enquiry, whose output would land here. Skipped while a command, a
 * connect or an unresolved card payment is under way (the terminal may still be finishing that
 * transaction); commands wait for a check that is running.
 */
export function probeCardTerminal(ctx: ServiceContext): Promise<void> {
  const rt = ctx.runtime.card.attached;
  if (!rt || rt.inFlight || rt.connecting || !rt.terminal.connected || openIntent(ctx))
    return Promise.resolve();
  if (rt.probing) return rt.probing;
  const probe = async () => {
    try {
      // Checking a terminal already silent, one transmission (T3) is enough: a sale may be waiting.
      await rt.terminal.register({ attempts: rt.unansweredSince ? 1 : HEARTBEAT_ATTEMPTS });
      answered(rt);
    } catch (e) {
      if (isUnanswered(e)) rt.unansweredSince ??= ctx.clock().toISOString();
      // A refusal (84 xx), NAKs, a garbled reply: it is there. BUSY / LINE_CLOSED: a command took
      // over, or the line closed (shown as offline anyway).
      else if (!(
        e instanceof CardTerminalError && ['BUSY', 'LINE_CLOSED', 'NOT_CONNECTED'].includes(e.code)
      ))
        answered(rt);
    }
  };
  rt.probing = probe().finally(() => {
    rt.probing = null;
  });
  return rt.probing;
}

/** Transmissions of the heartbeat's frame: one lost ACK does not make the terminal offline. */
const HEARTBEAT_ATTEMPTS = 2;

function answered(rt: AttachedTerminal): void {
  if (!rt.unansweredSince) return;
  rt.unansweredSince = null;
  rt.lastError = null;
}

function isUnanswered(e: unknown): boolean {
  return e instanceof CardTerminalError && (e.code === 'NO_ACK' || e.code === 'TIMEOUT');
}

/** Waits for a connect or liveness check under way, so a command never collides with it. */
async function settle(rt: AttachedTerminal): Promise<void> {
  while (rt.connecting || rt.probing) await (rt.connecting ?? rt.probing);
}

export function cardTerminalStatus(ctx: ServiceContext): ComponentStatus {
  const rt = ctx.runtime.card.attached;
  if (!rt)
    return { state: 'unavailable', detail: T('未配置银行卡终端', 'No card terminal configured') };
  // A sale (or a recovery query) running right now is busy, not "unconfirmed".
  if (rt.inFlight) return { state: 'busy', detail: rt.texts.at(-1)?.text ?? null };
  const open = openIntent(ctx);
  if (open)
    return {
      state: 'error',
      detail: T(
        '有一笔刷卡交易结果未确认，请先处理（补记/撤销/作废）。',
        'A card payment has an unconfirmed outcome: resolve it (record, reverse or mark failed) first.',
      ),
    };
  if (rt.terminal.connected && rt.unansweredSince) return { state: 'offline', detail: UNANSWERED };
  if (!rt.terminal.connected)
    return {
      state: 'offline',
      detail:
        rt.lastError ??
        T(
          '银行卡终端未连接，请检查串口线后重新连接。',
          'Card terminal not connected: check the cable and reconnect.',
        ),
    };
  return { state: 'ready', detail: null };
}

function requireAttached(ctx: ServiceContext): AttachedTerminal {
  const rt = ctx.runtime.card.attached;
  if (!rt) throw new ServiceError('CARD_TERMINAL_UNAVAILABLE');
  return rt;
}

// ---------------------------------------------------------------------------------------------
// rows

const intents = intentRows<IntentRow, IntentState>('card_payments', 'CARD_INTENT_NOT_FOUND');
const requireIntent = intents.require;
const update = intents.update;

function openIntent(ctx: ServiceContext): IntentRow | undefined {
  return ctx.db
    .prepare(
      "SELECT * FROM card_payments WHERE mode = 'terminal' AND state IN ('intent', 'approved') ORDER BY created_at LIMIT 1",
    )
    .get() as IntentRow | undefined;
}

/** A new card payment: what the clerk asked for, plus the columns its mode sets. */
function insertPayment(
  ctx: ServiceContext,
  id: string,
  ask: { input: CardSaleInput; shift: { id: string }; clerk: { id: string } },
  own: Partial<IntentRow>,
): void {
  const now = ctx.clock().toISOString();
  const row = {
    id,
    request_id: ask.input.requestId,
    household_id: ask.input.householdId,
    shift_id: ask.shift.id,
    clerk_id: ask.clerk.id,
    amount_fen: ask.input.amountFen,
    allocation: ask.input.allocation ? JSON.stringify(ask.input.allocation) : null,
    ...own,
    created_at: now,
    updated_at: now,
  };
  const keys = Object.keys(row);
  ctx.db
    .prepare(
      `INSERT INTO card_payments (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`,
    )
    .run(row);
}

function terminalFields(tx: TerminalTransaction): Partial<IntentRow> {
  return {
    result_code: tx.resultCode,
    terminal_id: tx.terminalId,
    trace_no: tx.traceNo,
    terminal_receipt_no: tx.receiptNo,
    auth_code: tx.authCode,
    masked_pan: tx.maskedPan,
    card_name: tx.cardName,
  };
}

export function cardPaymentView(r: IntentRow) {
  return {
    intentId: r.id,
    requestId: r.request_id,
    mode: r.mode,
    state: r.state,
    householdId: r.household_id,
    shiftId: r.shift_id,
    amountFen: r.amount_fen,
    currency: r.currency,
    resultCode: r.result_code,
    message: r.message ? (JSON.parse(r.message) as Localized) : null,
    terminalId: r.terminal_id,
    traceNo: r.trace_no,
    terminalReceiptNo: r.terminal_receipt_no,
    authCode: r.auth_code,
    maskedPan: r.masked_pan,
    cardName: r.card_name,
    printLines: JSON.parse(r.print_lines) as string[],
    receiptId: r.receipt_id,
    resolution: r.resolution,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type CardPaymentView = ReturnType<typeof cardPaymentView>;

// ---------------------------------------------------------------------------------------------
// receipt

/** The projection stores tender detail as JSON text; a replay of the canonical event yields sorted keys. */
function sortedKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function commitReceipt(ctx: ServiceContext, clerk: ClerkRow, intentId: string): ReceiptDetail {
  return ctx.db
    .transaction(() => {
      const r = requireIntent(ctx, intentId);
      if (r.state === 'completed' && r.receipt_id)
        return receiptDetailView(ctx.db, receiptById(ctx.db, r.receipt_id)!);
      if (r.state !== 'approved')
        throw new ServiceError('CARD_ACTION_NOT_ALLOWED', { state: r.state });
      const manual = r.mode === 'manual';
      const receipt = takePayment(
        ctx,
        clerk,
        intentPayment(r, {
          kind: 'card',
          amountFen: r.amount_fen,
          terminalRef: manual
            ? (r.terminal_receipt_no ?? r.id).slice(0, 32)
            : `${r.terminal_id ?? '-'}/${r.terminal_receipt_no ?? r.trace_no ?? '-'}`.slice(0, 32),
        }),
        sortedKeys({
          mode: r.mode,
          cardIntentId: r.id,
          ...(r.auth_code ? { authCode: r.auth_code.slice(0, 12) } : {}),
          ...(r.masked_pan ? { maskedPan: r.masked_pan } : {}),
          ...(r.terminal_id ? { terminalId: r.terminal_id } : {}),
          ...(r.trace_no ? { traceNo: r.trace_no } : {}),
          ...(r.terminal_receipt_no ? { terminalReceiptNo: r.terminal_receipt_no } : {}),
          ...(r.card_name ? { brand: r.card_name.slice(0, 40) } : {}),
        }),
      );
      update(ctx, r.id, { state: 'completed', receipt_id: receipt.id }, ['approved']);
      return receipt;
    })
    .immediate();
}

// ---------------------------------------------------------------------------------------------
// sale

export interface CardSaleInput {
  requestId: string;
  householdId: string;
  amountFen: number;
  allocation?: { seasonId: string; amountFen: number }[] | undefined;
}

function existingByRequest(ctx: ServiceContext, input: CardSaleInput): IntentRow | undefined {
  const r = ctx.db
    .prepare('SELECT * FROM card_payments WHERE request_id = ?')
    .get(input.requestId) as IntentRow | undefined;
  if (r && (r.household_id !== input.householdId || r.amount_fen !== input.amountFen))
    throw new ServiceError('REQUEST_REUSED');
  return r;
}

function result(ctx: ServiceContext, id: string) {
  const r = requireIntent(ctx, id);
  return {
    payment: cardPaymentView(r),
    receipt: r.receipt_id ? receiptDetailView(ctx.db, receiptById(ctx.db, r.receipt_id)!) : null,
  };
}

/** Takes a card payment on the terminal; see the module comment for the durable steps. */
export async function cardSale(ctx: ServiceContext, clerk: ClerkRow, input: CardSaleInput) {
  const rt = requireAttached(ctx);
  const again = existingByRequest(ctx, input);
  if (again) return { ...result(ctx, again.id), replayed: true }; // never sent twice
  const checkUnderWay = rt.probing !== null; // as fresh as a new one would be
  await settle(rt);
  if (ctx.runtime.card.attached !== rt) return cardSale(ctx, clerk, input); // settings changed meanwhile
  if (!checkUnderWay && rt.unansweredSince) {
    await probeCardTerminal(ctx); // it may be back on: ask once more, now
    await settle(rt);
  }
  const open = openIntent(ctx);
  if (open) throw new ServiceError('CARD_RECOVERY_PENDING', { intentId: open.id });
  if (rt.inFlight) throw new ServiceError('CARD_TERMINAL_BUSY');
  if (!rt.terminal.connected) throw new ServiceError('CARD_TERMINAL_OFFLINE');
  if (rt.unansweredSince) throw new ServiceError('CARD_TERMINAL_UNANSWERED');
  const shift = validateDeviceSale(ctx, clerk, input);

  const id = uuidv7(ctx.clock().getTime());
  const intent = { mode: 'terminal', currency: rt.currency, state: 'intent' } as const;
  ctx.db.transaction(() => insertPayment(ctx, id, { input, shift, clerk }, intent)).immediate(); // durable before a single byte goes to the terminal

  rt.inFlight = id;
  rt.texts = [];
  let outcome: TerminalOutcome;
  try {
    outcome = await rt.terminal.sale(input.amountFen, rt.currency, id, {
      onTransaction: (tx) => {
        if (tx.approved && tx.amountMinor === input.amountFen)
          update(ctx, id, { state: 'approved', ...terminalFields(tx) }, ['intent']);
      },
    });
  } catch (e) {
    rt.inFlight = null;
    const r = requireIntent(ctx, id);
    if (r.state === 'approved') return finishApproved(ctx, rt, clerk, id); // approved, then the line failed
    if (e instanceof CardTerminalError && !e.maybeExecuted) {
      const message = T(
        `银行卡终端未接受指令（${e.code}），未扣款。请重试。`,
        `The card terminal did not accept the command (${e.code}); nothing was charged. Try again.`,
      );
      update(
        ctx,
        id,
        {
          state: 'failed',
          resolution: 'not_sent',
          message: JSON.stringify(message),
          result_code: e.resultCode,
        },
        ['intent'],
      );
      throw new ServiceError('CARD_NOT_SENT', { reason: e.message.slice(0, 200) });
    }
    rt.lastError = T(
      '刷卡结果未知，请处理未确认交易。',
      'Card payment outcome unknown; resolve it.',
    );
    throw new ServiceError('CARD_OUTCOME_UNKNOWN', {
      intentId: id,
      reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
    });
  }
  rt.inFlight = null;
  update(ctx, id, {
    print_lines: JSON.stringify(outcome.printLines.slice(0, 200)),
    message: JSON.stringify(outcome.message),
  });
  const r = requireIntent(ctx, id);
  if (r.state === 'approved') return finishApproved(ctx, rt, clerk, id);
  if (outcome.outcome === 'approved') {
    // approved, but not for the amount we asked for (or no status information): let the clerk decide
    throw new ServiceError('CARD_OUTCOME_UNKNOWN', {
      intentId: id,
      reason: 'approval does not match the intent',
    });
  }
  update(
    ctx,
    id,
    {
      state: 'declined',
      result_code: outcome.resultCode,
      ...(outcome.transaction ? terminalFields({ ...outcome.transaction, receiptNo: null }) : {}),
    },
    ['intent'],
  );
  return { ...result(ctx, id), replayed: false };
}

async function finishApproved(
  ctx: ServiceContext,
  rt: AttachedTerminal,
  clerk: ClerkRow,
  id: string,
) {
  await rt.hooks.afterApproval?.(id);
  commitReceipt(ctx, clerk, id);
  return { ...result(ctx, id), replayed: false };
}

export function cardProgress(ctx: ServiceContext) {
  const rt = requireAttached(ctx);
  return { inFlight: rt.inFlight, connected: rt.terminal.connected, texts: rt.texts.slice(-10) };
}

export async function cardAbort(ctx: ServiceContext) {
  const rt = requireAttached(ctx);
  if (!rt.inFlight) return { requested: false }; // nothing running: nothing to abort
  try {
    await rt.terminal.abort();
  } catch (e) {
    throw new ServiceError('CARD_TERMINAL_ERROR', { reason: (e as Error).message.slice(0, 200) });
  }
  return { requested: true };
}

/** Opens the line (start or reconnect) and lists the intents that need the clerk. */
export async function connectCardTerminal(ctx: ServiceContext) {
  const rt = requireAttached(ctx);
  await settle(rt);
  if (ctx.runtime.card.attached !== rt) return connectCardTerminal(ctx); // settings changed meanwhile
  if (rt.inFlight) throw new ServiceError('CARD_TERMINAL_BUSY');
  const connecting = rt.terminal.connect();
  rt.connecting = connecting.catch(() => undefined);
  try {
    const { terminalId } = await connecting;
    rt.lastError = null;
    rt.unansweredSince = null;
    return { connected: true, terminalId, pending: pendingCardPayments(ctx) };
  } catch (e) {
    // The port opened but the registration went unanswered: the heartbeat keeps asking.
    if (isUnanswered(e) && rt.terminal.connected) rt.unansweredSince ??= ctx.clock().toISOString();
    rt.lastError = T(
      `无法连接银行卡终端：${(e as Error).message}。请检查串口线和终端电源。`,
      `Cannot reach the card terminal: ${(e as Error).message}. Check the cable and the terminal's power.`,
    );
    return { connected: false, terminalId: null, pending: pendingCardPayments(ctx) };
  } finally {
    rt.connecting = null;
  }
}

export function pendingCardPayments(ctx: ServiceContext): CardPaymentView[] {
  return (
    ctx.db
      .prepare(
        "SELECT * FROM card_payments WHERE state IN ('intent', 'approved') ORDER BY created_at",
      )
      .all() as IntentRow[]
  ).map(cardPaymentView);
}

// ---------------------------------------------------------------------------------------------
// recovery

function boundElsewhere(ctx: ServiceContext, tx: TerminalTransaction, intentId: string): boolean {
  return (
    ctx.db
      .prepare(
        `SELECT 1 FROM card_payments WHERE id <> ? AND state IN ('approved', 'completed', 'reversed')
           AND terminal_id IS ? AND terminal_receipt_no IS ? AND trace_no IS ?`,
      )
      .get(intentId, tx.terminalId, tx.receiptNo, tx.traceNo) !== undefined
  );
}

/** Facts about an unresolved intent, from our own record and the terminal's last transaction. */
export async function inspectCardPayment(ctx: ServiceContext, intentId: string) {
  const r = requireIntent(ctx, intentId);
  const view = cardPaymentView(r);
  if (r.state !== 'intent' && r.state !== 'approved')
    return {
      payment: view,
      terminalReachable: null,
      lastTransaction: null,
      matches: false,
      allowed: [] as RecoveryAction[],
      message: T('该交易已处理完毕。', 'This payment is already settled.'),
    };
  if (r.state === 'approved')
    return {
      payment: view,
      terminalReachable: null,
      lastTransaction: null,
      matches: true,
      allowed: ['record', 'reverse'] as RecoveryAction[],
      message: T(
        `终端已批准 ${formatFen(r.amount_fen)}（凭证号 ${r.terminal_receipt_no ?? '-'}），收据尚未开出。请补记为已收款，或在终端撤销。`,
        `The terminal approved ${formatFen(r.amount_fen)} (terminal receipt ${r.terminal_receipt_no ?? '-'}) but no receipt was issued. Record it as paid, or reverse it on the terminal.`,
      ),
    };
  const rt = requireAttached(ctx);
  await settle(rt);
  if (rt.inFlight) throw new ServiceError('CARD_TERMINAL_BUSY');
  let last: TerminalOutcome | null;
  try {
    if (!rt.terminal.connected) await rt.terminal.connect();
    rt.inFlight = r.id;
    last = await rt.terminal.lastTransaction();
    answered(rt);
  } catch (e) {
    return {
      payment: view,
      terminalReachable: false,
      lastTransaction: null,
      matches: false,
      allowed: [] as RecoveryAction[],
      message: T(
        `无法查询银行卡终端（${(e as Error).message}）。请检查连接后重试；在查明之前不要再次刷卡。`,
        `Cannot query the card terminal (${(e as Error).message}). Check the line and retry; do not charge the card again until this is settled.`,
      ),
    };
  } finally {
    rt.inFlight = null;
  }
  const tx = last?.transaction ?? null;
  const matches =
    tx !== null && tx.approved && tx.amountMinor === r.amount_fen && !boundElsewhere(ctx, tx, r.id);
  return {
    payment: view,
    terminalReachable: true,
    lastTransaction: tx,
    matches,
    allowed: (matches ? ['record', 'reverse'] : ['fail']) as RecoveryAction[],
    message: matches
      ? T(
          `终端最后一笔交易：已批准 ${formatFen(r.amount_fen)}，凭证号 ${tx.receiptNo}，卡号 ${tx.maskedPan ?? '-'}。请补记为已收款，或在终端撤销。`,
          `The terminal's last transaction: approved ${formatFen(r.amount_fen)}, terminal receipt ${tx.receiptNo}, card ${tx.maskedPan ?? '-'}. Record it as paid, or reverse it on the terminal.`,
        )
      : T(
          '终端没有与此笔对应的已批准交易，未扣款。请作废此笔后重新收款。',
          'The terminal has no approved transaction for this payment; nothing was charged. Mark it failed, then take the payment again.',
        ),
  };
}

/** The clerk's choice for an unresolved intent; refused unless the terminal's facts allow it. */
export async function resolveCardPayment(
  ctx: ServiceContext,
  clerk: ClerkRow,
  intentId: string,
  action: RecoveryAction,
) {
  const settled = requireIntent(ctx, intentId);
  const sameEnd: Record<RecoveryAction, IntentState[]> = {
    record: ['completed'],
    reverse: ['reversed'],
    fail: ['failed', 'declined'],
  };
  if (sameEnd[action].includes(settled.state)) return result(ctx, intentId); // a repeated click
  const facts = await inspectCardPayment(ctx, intentId);
  if (!facts.allowed.includes(action))
    throw new ServiceError('CARD_ACTION_NOT_ALLOWED', { state: facts.payment.state, action });
  const who = { resolution: action, resolved_by: clerk.id } as Partial<IntentRow>;
  if (facts.payment.state === 'intent' && facts.lastTransaction && action !== 'fail')
    update(ctx, intentId, { state: 'approved', ...terminalFields(facts.lastTransaction) }, [
      'intent',
    ]);
  if (action === 'record') {
    update(ctx, intentId, who);
    commitReceipt(ctx, clerk, intentId);
  } else if (action === 'fail') {
    update(ctx, intentId, { ...who, state: 'failed' }, ['intent']);
  } else {
    const rt = requireAttached(ctx);
    const r = requireIntent(ctx, intentId);
    if (!r.terminal_receipt_no)
      throw new ServiceError('CARD_ACTION_NOT_ALLOWED', { state: r.state, action });
    let out: TerminalOutcome;
    await settle(rt);
    if (rt.inFlight) throw new ServiceError('CARD_TERMINAL_BUSY');
    rt.inFlight = intentId;
    try {
      out = await rt.terminal.reversal(r.terminal_receipt_no);
    } catch (e) {
      throw new ServiceError('CARD_REVERSAL_FAILED', {
        reason: (e as Error).message.slice(0, 200),
      });
    } finally {
      rt.inFlight = null;
    }
    if (out.outcome !== 'approved' && out.resultCode !== 0xb4)
      throw new ServiceError('CARD_REVERSAL_FAILED', { reason: out.message.en });
    update(ctx, intentId, { ...who, state: 'reversed', message: JSON.stringify(out.message) }, [
      'approved',
    ]);
  }
  return result(ctx, intentId);
}

// ---------------------------------------------------------------------------------------------
// manual mode and reports

export interface ManualCardInput extends CardSaleInput {
  terminalRef: string;
  authCode: string;
  maskedPan?: string | undefined;
}

/** Standalone terminal: the clerk keys in the terminal's reference and auth code; marked manual. */
export function manualCardPayment(ctx: ServiceContext, clerk: ClerkRow, input: ManualCardInput) {
  const again = existingByRequest(ctx, input);
  if (again) return { ...result(ctx, again.id), replayed: true };
  const shift = validateDeviceSale(ctx, clerk, input);
  const id = uuidv7(ctx.clock().getTime());
  const keyedIn = {
    mode: 'manual',
    state: 'approved',
    terminal_receipt_no: input.terminalRef,
    auth_code: input.authCode,
    masked_pan: input.maskedPan ?? null,
  } as const;
  ctx.db
    .transaction(() => {
      insertPayment(ctx, id, { input, shift, clerk }, keyedIn);
      commitReceipt(ctx, clerk, id);
    })
    .immediate();
  return { ...result(ctx, id), replayed: false };
}

/** Card takings of a business day from the ledger (non-voided receipts), terminal vs manual. */
export function cardReport(ctx: ServiceContext, businessDate?: string) {
  const day = businessDate ?? today(ctx);
  const rows = ctx.db
    .prepare(
      `SELECT coalesce(json_extract(t.detail, '$.mode'), 'manual') AS mode, count(*) AS n, sum(t.amount_fen) AS fen
         FROM receipt_tenders t JOIN receipts r ON r.id = t.receipt_id
         JOIN events e ON e.seq = r.issued_seq
        WHERE t.kind = 'card' AND r.voided_seq IS NULL AND e.business_date = ?
        GROUP BY 1`,
    )
    .all(day) as { mode: string; n: number; fen: number }[];
  const get = (m: string) => rows.find((x) => x.mode === m) ?? { n: 0, fen: 0 };
  return {
    businessDate: day,
    terminalFen: get('terminal').fen,
    terminalCount: get('terminal').n,
    manualFen: get('manual').fen,
    manualCount: get('manual').n,
    unresolved: pendingCardPayments(ctx).length,
  };
}

/** End-of-day on the terminal (06 50); compares its total with the ledger's terminal card total. */
export async function cardEndOfDay(ctx: ServiceContext) {
  const rt = requireAttached(ctx);
  await settle(rt);
  if (rt.inFlight) throw new ServiceError('CARD_TERMINAL_BUSY');
  rt.inFlight = 'end-of-day';
  try {
    const out = await rt.terminal.endOfDay();
    const terminalTotalFen = out.transaction?.amountMinor ?? 0;
    const ledger = cardReport(ctx);
    return {
      terminalTotalFen,
      ledgerTerminalFen: ledger.terminalFen,
      matches: terminalTotalFen === ledger.terminalFen,
      printLines: out.printLines,
    };
  } catch (e) {
    throw new ServiceError('CARD_TERMINAL_ERROR', { reason: (e as Error).message.slice(0, 200) });
  } finally {
    rt.inFlight = null;
  }
}
