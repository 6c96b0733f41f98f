// Pure rules of the payment form: what the clerk typed -> a `payment.take` request, or the list of
// problems to show (translation keys + parameters). No React, no I/O: unit-tested in tests/unit/renderer.
import type { TenderInput } from '@heating-cashier/core/contract';
import { cashChangeFen } from '@heating-cashier/core/cash';
import { fenToInput, formatFen, parseYuanToFen } from '@heating-cashier/core/money';
import { paymentCodeProvider } from '@heating-cashier/core/payment-code';

export type TenderKind = TenderInput['kind'];
export type CardMode = 'terminal' | 'manual';
/**
 * QR only: 'code' takes the customer's payment code (付款码) and settles it through head office
 * (`qr.sale`, confirmed); 'manual' records the reference of a payment made elsewhere (unconfirmed).
 */
export type QrMode = 'code' | 'manual';
export type QrChannel = Extract<TenderInput, { kind: 'qr' }>['channel'];
export { TENDER_KINDS } from '@heating-cashier/core/tenders';
export const QR_CHANNELS: readonly QrChannel[] = ['wechat', 'alipay', 'unionpay', 'transfer'];
export const MAX_TENDERS = 6;

export interface TenderDraft {
  key: number;
  kind: TenderKind;
  /** Non-cash tenders only: the cash tender takes what is left of the payment. */
  amountText: string;
  /** Cash only: what the customer handed over; empty means exactly the cash due. */
  tenderedText: string;
  /**
   * Card only: 'terminal' runs the sale on the connected card terminal (ZVT); 'manual' records a
   * payment already taken on a standalone terminal (reference + auth code from its slip).
   */
  cardMode: CardMode;
  terminalRef: string;
  authCode: string;
  chequeNo: string;
  bank: string;
  qrMode: QrMode;
  /** QR 'code' only: the payment code typed by the clerk (a scanner's burst goes straight to a sale). */
  qrCode: string;
  channel: QrChannel;
  reference: string;
}

export interface SeasonBalance {
  seasonId: string;
  seasonCode: string;
  balanceFen: number;
}

export interface PaymentDraft {
  owedFen: number;
  seasons: SeasonBalance[];
  /** Automatic (oldest season first) mode: the amount typed. */
  amountText: string;
  /** Manual split mode when not null: text per seasonId; the payment is their sum. */
  manual: Record<string, string> | null;
  tenders: TenderDraft[];
}

export type PaymentField =
  | 'amount'
  | `season:${string}`
  | `tender:${number}:amount`
  | `tender:${number}:tendered`
  | `tender:${number}:ref`
  | 'tenders';

export interface Problem {
  field: PaymentField;
  key: string;
  params?: Record<string, string | number>;
}

/**
 * How the payment is sent: `payment.take` (cash, cheque, QR, split tenders, a card reference
 * without auth code), `card.sale` (the whole amount on the connected terminal), `card.manual`
 * (the whole amount by card on a standalone terminal: reference + auth code, marked manual) or
 * `qr.sale` (the whole amount by the customer's payment code, through head office).
 */
export type PaymentRoute =
  | { kind: 'take' }
  | { kind: 'cardSale' }
  | { kind: 'qrSale'; code: string }
  | { kind: 'cardManual'; terminalRef: string; authCode: string };

export interface PlanOptions {
  /** A card terminal is configured (connected or not): card tenders default to it. */
  cardTerminal?: boolean;
}

/** The card tender's effective mode: the terminal only when one is configured. */
export function cardModeOf(t: TenderDraft, options: PlanOptions = {}): CardMode {
  return options.cardTerminal && t.cardMode === 'terminal' ? 'terminal' : 'manual';
}

export interface PaymentPlan {
  route: PaymentRoute;
  amountFen: number;
  allocation?: { seasonId: string; amountFen: number }[];
  tenders: TenderInput[];
  cashDueFen: number;
  tenderedFen: number;
  changeFen: number;
}

let nextKey = 1;
export function newTender(kind: TenderKind, amountText = ''): TenderDraft {
  return {
    key: nextKey++,
    kind,
    amountText,
    tenderedText: '',
    cardMode: 'terminal',
    terminalRef: '',
    authCode: '',
    chequeNo: '',
    bank: '',
    qrMode: 'manual',
    qrCode: '',
    channel: 'wechat',
    reference: '',
  };
}

/**
 * A tender's kind changed (↑↓ on its kind). Cash that becomes another kind takes the cash due as its
 * amount, so "all by card" is Tab, ↓ and the reference; anything typed stays.
 */
export function withKind(t: TenderDraft, kind: TenderKind, cashDueFen: number | null): TenderDraft {
  const takesDue =
    t.kind === 'cash' && kind !== 'cash' && t.amountText.trim() === '' && (cashDueFen ?? 0) > 0;
  return { ...t, kind, ...(takesDue ? { amountText: fenToInput(cashDueFen ?? 0) } : {}) };
}

/** The amount of the payment: typed, or the sum of the manual split. */
export function paymentAmount(d: PaymentDraft): { fen: number | null; problems: Problem[] } {
  if (d.manual === null) {
    const fen = parseYuanToFen(d.amountText);
    if (fen === null)
      return { fen, problems: [{ field: 'amount', key: 'payment.errors.amountFormat' }] };
    if (fen === 0)
      return { fen, problems: [{ field: 'amount', key: 'payment.errors.amountZero' }] };
    if (fen > d.owedFen) {
      return {
        fen,
        problems: [
          {
            field: 'amount',
            key: 'payment.errors.amountOver',
            params: { owed: formatFen(d.owedFen) },
          },
        ],
      };
    }
    return { fen, problems: [] };
  }
  const problems: Problem[] = [];
  let sum = 0;
  for (const s of d.seasons) {
    const text = d.manual[s.seasonId] ?? '';
    if (text.trim() === '') continue;
    const fen = parseYuanToFen(text);
    const field = `season:${s.seasonId}` as const;
    if (fen === null) problems.push({ field, key: 'payment.errors.amountFormat' });
    else if (fen > s.balanceFen) {
      problems.push({
        field,
        key: 'payment.errors.seasonOver',
        params: { season: s.seasonCode, balance: formatFen(s.balanceFen) },
      });
    } else sum += fen;
  }
  if (problems.length > 0) return { fen: null, problems };
  if (sum === 0)
    return { fen: 0, problems: [{ field: 'amount', key: 'payment.errors.allocationEmpty' }] };
  return { fen: sum, problems: [] };
}

/** The explicit allocation of the manual split (seasons with an amount), oldest first as listed. */
export function manualAllocation(d: PaymentDraft): { seasonId: string; amountFen: number }[] {
  if (d.manual === null) return [];
  const out: { seasonId: string; amountFen: number }[] = [];
  for (const s of d.seasons) {
    const fen = parseYuanToFen(d.manual[s.seasonId] ?? '');
    if (fen !== null && fen > 0) out.push({ seasonId: s.seasonId, amountFen: fen });
  }
  return out;
}

/** Everything the form needs to show live (cash due, change) and to submit (request or problems). */
export function planPayment(
  d: PaymentDraft,
  options: PlanOptions = {},
): {
  plan: PaymentPlan | null;
  problems: Problem[];
  cashDueFen: number | null;
  changeFen: number | null;
} {
  const amount = paymentAmount(d);
  const problems: Problem[] = [...amount.problems];
  if (d.tenders.length === 0)
    problems.push({
      field: 'tenders',
      key: 'payment.errors.tendersShort',
      params: { sum: formatFen(0), amount: formatFen(amount.fen ?? 0) },
    });
  if (d.tenders.length > MAX_TENDERS)
    problems.push({ field: 'tenders', key: 'payment.errors.maxTenders' });

  const tenders: TenderInput[] = [];
  const terminalCards: { key: number; n: number }[] = [];
  const manualCards: TenderDraft[] = [];
  const qrCodes: { key: number; n: number; code: string }[] = [];
  let nonCash = 0;
  let nonCashOk = true;
  d.tenders.forEach((t, i) => {
    if (t.kind === 'cash') return;
    const n = i + 1;
    const fen = parseYuanToFen(t.amountText);
    if (fen === null || fen === 0) {
      const key = fen === null ? 'payment.errors.tenderFormat' : 'payment.errors.tenderZero';
      problems.push({ field: `tender:${t.key}:amount`, key, params: { n } });
      nonCashOk = false;
      return;
    }
    nonCash += fen;
    const missing = (field: string) =>
      problems.push({
        field: `tender:${t.key}:ref`,
        key: 'payment.errors.refMissing',
        params: { n, field },
      });
    if (t.kind === 'card') {
      if (cardModeOf(t, options) === 'terminal') {
        terminalCards.push({ key: t.key, n });
        tenders.push({ kind: 'card', amountFen: fen, terminalRef: 'terminal' });
        return;
      }
      if (t.terminalRef.trim() === '') missing('payment.terminalRef');
      if (options.cardTerminal && t.authCode.trim() === '') missing('card.authCode');
      manualCards.push(t);
      tenders.push({
        kind: 'card',
        amountFen: fen,
        terminalRef: t.terminalRef.trim(),
        ...(t.authCode.trim() !== '' ? { authCode: t.authCode.trim() } : {}),
      });
    } else if (t.kind === 'cheque') {
      if (t.chequeNo.trim() === '') missing('payment.chequeNo');
      if (t.bank.trim() === '') missing('payment.bank');
      tenders.push({
        kind: 'cheque',
        amountFen: fen,
        chequeNo: t.chequeNo.trim(),
        bank: t.bank.trim(),
      });
    } else if (t.kind === 'qr' && t.qrMode === 'code') {
      const code = t.qrCode.trim();
      const provider = paymentCodeProvider(code);
      if (code === '') missing('qr.code');
      else if (!provider)
        problems.push({
          field: `tender:${t.key}:ref`,
          key: 'qr.errors.codeInvalid',
          params: { n },
        });
      qrCodes.push({ key: t.key, n, code });
      // Stands for the sale in the sums; the receipt's tender comes from the provider's answer.
      tenders.push({
        kind: 'qr',
        amountFen: fen,
        channel: provider ?? 'alipay',
        reference: 'code',
      });
    } else if (t.kind === 'qr') {
      if (t.reference.trim() === '') missing('payment.reference');
      tenders.push({
        kind: 'qr',
        amountFen: fen,
        channel: t.channel,
        reference: t.reference.trim(),
      });
    } else {
      // a new tender kind: its fields are read here (and shown in PaymentPage)
      const unread: never = t.kind;
      throw new Error(`tender kind without a form: ${String(unread)}`);
    }
  });

  const cashIndex = d.tenders.findIndex((t) => t.kind === 'cash');
  let cashDueFen: number | null = null;
  let changeFen: number | null = null;
  let tenderedFen = 0;
  if (amount.fen !== null && amount.problems.length === 0 && nonCashOk) {
    if (nonCash > amount.fen) {
      problems.push({
        field: 'tenders',
        key: 'payment.errors.tendersOver',
        params: { sum: formatFen(nonCash), amount: formatFen(amount.fen) },
      });
    } else if (cashIndex < 0) {
      if (nonCash < amount.fen) {
        problems.push({
          field: 'tenders',
          key: 'payment.errors.tendersShort',
          params: { sum: formatFen(nonCash), amount: formatFen(amount.fen) },
        });
      }
    } else {
      const cash = d.tenders[cashIndex]!;
      cashDueFen = amount.fen - nonCash;
      const field = `tender:${cash.key}:tendered` as const;
      if (cashDueFen === 0) {
        // Other tenders cover it all: the cash row simply drops out.
        changeFen = null;
      } else if (cash.tenderedText.trim() === '') {
        tenderedFen = cashDueFen;
        changeFen = 0;
      } else {
        const typed = parseYuanToFen(cash.tenderedText);
        const change = typed === null ? null : cashChangeFen(cashDueFen, typed);
        if (typed === null || change === null) {
          problems.push({ field, key: 'payment.errors.tenderedFormat' });
        } else if (!change.ok) {
          problems.push({
            field,
            key: 'payment.errors.tenderedLow',
            params: { tendered: formatFen(typed), due: formatFen(cashDueFen) },
          });
        } else {
          tenderedFen = typed;
          changeFen = change.value;
        }
      }
      if (cashDueFen > 0)
        tenders.splice(cashIndex, 0, {
          kind: 'cash',
          amountFen: cashDueFen,
          tenderedFen: tenderedFen || cashDueFen,
        });
    }
  }
  if (problems.length > 0 || amount.fen === null)
    return { plan: null, problems, cashDueFen, changeFen };
  // The terminal (or the QR provider) charges the whole payment itself: it cannot be one part of a split.
  if (tenders.length > 1) {
    for (const c of terminalCards)
      problems.push({
        field: `tender:${c.key}:amount`,
        key: 'card.errors.terminalSplit',
        params: { n: c.n },
      });
    for (const q of qrCodes)
      problems.push({
        field: `tender:${q.key}:amount`,
        key: 'qr.errors.split',
        params: { n: q.n },
      });
  }
  let route: PaymentRoute = { kind: 'take' };
  const manual = manualCards[0];
  const qrCode = qrCodes[0];
  if (tenders.length === 1 && terminalCards.length === 1) route = { kind: 'cardSale' };
  else if (tenders.length === 1 && qrCode) route = { kind: 'qrSale', code: qrCode.code };
  else if (tenders.length === 1 && manual && manual.authCode.trim() !== '')
    route = {
      kind: 'cardManual',
      terminalRef: manual.terminalRef.trim(),
      authCode: manual.authCode.trim(),
    };
  if (problems.length > 0 || amount.fen === null)
    return { plan: null, problems, cashDueFen, changeFen };
  return {
    plan: {
      route,
      amountFen: amount.fen,
      ...(d.manual !== null ? { allocation: manualAllocation(d) } : {}),
      tenders,
      cashDueFen: cashDueFen ?? 0,
      tenderedFen,
      changeFen: changeFen ?? 0,
    },
    problems,
    cashDueFen,
    changeFen,
  };
}
