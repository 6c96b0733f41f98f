import { formatPercentTenths } from '@heating-cashier/core/fees';
import { formatFen } from '@heating-cashier/core/money';
import { toChineseUppercase } from '@heating-cashier/core/chinese-amount';
import {
  COLLECTED_KINDS,
  inDrawer,
  isPending,
  printLabels,
  TENDERS,
  type TenderKind,
} from '@heating-cashier/core/tenders';
import type { TemplateScope } from './markup';
import type {
  DunningNoticeData,
  HandInSlipData,
  ReceiptData,
  TemplateData,
  TemplateName,
  TestPageData,
  VoidNoticeData,
  XReportData,
  ZReportData,
} from './template-data';

/**
 * Fillers: typed template input → the values the template's placeholders name. Pure code.
 * Money is printed with ￥ (U+FFE5, inside GBK), never ¥ (U+00A5, four bytes in GB18030).
 */
export const money = (fen: number) => formatFen(fen, '￥');

const localFormatters = new Map<string, Intl.DateTimeFormat>();
/** 'YYYY-MM-DD HH:mm:ss' on the counter's local clock. */
export function localDateTime(iso: string, timeZone: string): string {
  let f = localFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    localFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(iso));
  const p = (t: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')}`;
}

/** The household block of a receipt or notice: account no., name, address and heated area. */
function householdBlock(d: {
  accountNo: string;
  name: string;
  address: string;
  areaHundredths: number;
}) {
  return {
    accountNo: d.accountNo,
    name: d.name,
    address: d.address,
    area: formatArea(d.areaHundredths),
  };
}

/** A total as printed: in figures and in capital characters (大写), as finance requires. */
function totalFields(fen: number) {
  return { total: money(fen), totalUpper: toChineseUppercase(fen) };
}

/** Hundredths of m² → '85.23平方米' (digit string, no division). */
export function formatArea(hundredths: number): string {
  const d = String(hundredths).padStart(3, '0');
  return `${d.slice(0, -2)}.${d.slice(-2)}平方米`;
}

/** A short code the clerk can read out: first 8 hex digits of the event hash, 'A1B2-C3D4'. */
export function verificationCode(eventHash: string): string {
  const h = eventHash.slice(0, 8).toUpperCase();
  return `${h.slice(0, 4)}-${h.slice(4)}`;
}

const QR_CHANNEL: Record<string, string> = {
  wechat: '微信',
  alipay: '支付宝',
  unionpay: '云闪付',
  transfer: '转账',
};

function common(d: { company: string; terminalName: string; isDemo: boolean }) {
  return { company: d.company, terminalName: d.terminalName, demo: d.isDemo };
}

/**
 * A card number as it may be printed: first 6 and last 4 digits at most, every other digit '*',
 * whatever was handed in (the ledger only stores masked PANs; this is the printer's own guard).
 */
export function printablePan(pan: string): string {
  const chars = [...pan.replace(/\s+/g, '')];
  const digitAt = chars.map((c) => /[0-9]/.test(c));
  const total = digitAt.filter(Boolean).length;
  let seen = 0;
  return chars
    .map((c, i) => {
      if (!digitAt[i]) return c;
      seen += 1;
      return seen <= 6 || seen > total - 4 ? c : '*';
    })
    .join('');
}

/** A terminal print line: control characters dropped, any long digit run masked like a PAN. */
export function printableSlipLine(line: string): string {
  return [...line]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c))
    .join('')
    .replace(/\d{11,}/g, (run) => printablePan(run))
    .trimEnd();
}

/** Manual = keyed in by the clerk (card.manual or a card tender of payment.take); only `mode: terminal` is online. */
export const isManualCard = (t: { kind: string; detail: Record<string, string> }) =>
  t.kind === 'card' && t.detail.mode !== 'terminal';

type ReceiptTender = ReceiptData['tenders'][number];

function cardDetails(t: ReceiptTender): string[] {
  const d = t.detail;
  const pair = (a: [string, string | undefined], b: [string, string | undefined]) =>
    [a, b]
      .filter(([, v]) => v)
      .map(([k, v]) => `${k} ${v}`)
      .join(' ');
  const lines = [
    [d.maskedPan && `卡号 ${printablePan(d.maskedPan)}`, d.brand].filter(Boolean).join(' '),
    pair(['授权码', d.authCode], ['流水号', d.traceNo]),
    pair(
      ['终端号', d.terminalId],
      d.terminalReceiptNo ? ['凭证号', d.terminalReceiptNo] : ['参考号', t.reference],
    ),
  ];
  return lines.filter((l) => l !== '');
}

/** The lines printed under a tender of each kind; a kind not named here prints its reference. */
const TENDER_DETAILS: Partial<Record<TenderKind, (t: ReceiptTender) => string[]>> = {
  card: cardDetails,
  cheque: (t) => [`票号${t.reference ?? ''}${t.detail.bank ? ` ${t.detail.bank}` : ''}（待兑付）`],
  qr: (t) => [`${QR_CHANNEL[t.detail.channel ?? ''] ?? ''} ${t.reference ?? ''}`.trim()],
};

function tenderLines(tenders: ReceiptData['tenders'], changeFen: number): TemplateScope[] {
  return tenders.map((t) => {
    const details = TENDER_DETAILS[t.kind]?.(t) ?? (t.reference ? [t.reference] : []);
    const label = TENDERS[t.kind].printLabel;
    return {
      label: isManualCard(t) ? `${label}（手工录入）` : label,
      amount: money(t.amountFen),
      details: details.filter((text) => text !== '').map((text) => ({ text })),
      tendered: inDrawer(t.kind) && t.tenderedFen !== undefined ? money(t.tenderedFen) : null,
      change: inDrawer(t.kind) ? money(changeFen) : null,
    };
  });
}

export function fillReceipt(d: ReceiptData): TemplateScope {
  const reprint = d.reprintNo > 0 || d.replacesUnknown;
  return {
    ...common(d),
    title: d.title,
    copyLabel: d.copy === 'customer' ? '第一联 客户联' : '第二联 存根联',
    reprint,
    reprintLabel: d.reprintNo > 0 ? `补打 COPY 第${d.reprintNo}次` : '补打 COPY',
    receiptLabel: d.receiptLabel,
    ...householdBlock(d),
    lines: d.lines.map((l) => ({
      season: l.seasonCode,
      kind: l.arrears ? '陈欠' : '采暖费',
      amount: money(l.amountFen),
      rate: money(l.rateFenPerM2),
      charge: money(l.chargeFen),
      partial: l.pctTenths < 1000,
      pct: formatPercentTenths(l.pctTenths),
    })),
    outstanding: d.outstanding
      .filter((o) => o.balanceFen > 0)
      .map((o) => ({ season: o.seasonCode, balance: money(o.balanceFen) })),
    hasOutstanding: d.outstanding.some((o) => o.balanceFen > 0),
    ...totalFields(d.totalFen),
    tenders: tenderLines(d.tenders, d.changeFen),
    clerk: `${d.clerkName}（${d.clerkCode}）`,
    issuedAt: localDateTime(d.issuedAt, d.timeZone),
    verification: verificationCode(d.eventHash),
    // The signed paper code (number, amount, seq, date, terminal): anyone with the terminal's
    // public key can check the paper offline (`npm run cli -- verify-receipt`), head office too.
    qr: d.paperCode,
    // the terminal's own slip (ZVT print lines) goes with the customer copy only
    terminalSlip:
      d.copy === 'customer' && d.terminalSlip.length > 0
        ? { lines: d.terminalSlip.map((l) => ({ text: printableSlipLine(l) || ' ' })) }
        : null,
  };
}

export function fillVoidNotice(d: VoidNoticeData): TemplateScope {
  return {
    ...common(d),
    receiptLabel: d.receiptLabel,
    accountNo: d.accountNo,
    name: d.name,
    ...totalFields(d.totalFen),
    issuedAt: localDateTime(d.issuedAt, d.timeZone),
    voidedAt: localDateTime(d.voidedAt, d.timeZone),
    reason: d.reason,
    clerkName: d.clerkName,
    approverName: d.approverName,
    verification: verificationCode(d.eventHash),
  };
}

/**
 * The finance rule (services/shift-report.ts, cash-control): 收款合计 = cash + card + QR (+ cheques
 * that cleared in the period, X/Z only); cheques count when they clear, so the cheques taken are
 * listed apart, never inside the total's rows. The rows printed above the total add up to it.
 */
function tenderTotals(rows: HandInSlipData['byTender'], collectedFen: number): TemplateScope[] {
  const cleared = rows.filter((r) => !isPending(r.kind));
  const out: TemplateScope[] = cleared.map((r) => ({
    label: TENDERS[r.kind].printLabel,
    count: `${r.count}笔`,
    amount: money(r.amountFen),
  }));
  const chequesCleared = collectedFen - cleared.reduce((n, r) => n + r.amountFen, 0);
  if (chequesCleared > 0) out.push({ label: '支票到账', count: '', amount: money(chequesCleared) });
  return out;
}

/** The pending-cheques line, or null when the period took no cheque. */
function pendingCheques(rows: HandInSlipData['byTender']): TemplateScope | null {
  const pending = rows.filter((r) => isPending(r.kind));
  const count = pending.reduce((n, r) => n + r.count, 0);
  const fen = pending.reduce((n, r) => n + r.amountFen, 0);
  return count > 0 || fen > 0 ? { count: `${count}笔`, amount: money(fen) } : null;
}

/** Card takings, terminal vs manual (count + amount), printed below the total; null when not given. */
function cardSplitRows(split: HandInSlipData['cardSplit']): TemplateScope | null {
  if (!split) return null;
  return {
    terminalCount: `${split.terminalCount}笔`,
    terminalAmount: money(split.terminalFen),
    manualCount: `${split.manualCount}笔`,
    manualAmount: money(split.manualFen),
  };
}

export function fillHandInSlip(d: HandInSlipData): TemplateScope {
  const signed = (fen: number) => (fen < 0 ? `-${money(-fen)}` : money(fen));
  return {
    ...common(d),
    copyLabel: d.copy === 'finance' ? '第一联 财务联' : '第二联 收费员联',
    slipNo: d.slipNo,
    businessDate: d.businessDate,
    clerk: `${d.clerkName}（${d.clerkCode}）`,
    openedAt: localDateTime(d.shiftOpenedAt, d.timeZone),
    closedAt: localDateTime(d.shiftClosedAt, d.timeZone),
    openingFloat: money(d.openingFloatFen),
    receiptCount: `${d.receiptCount}张`,
    voidCount: `${d.voidCount}张`,
    receiptRange:
      d.firstReceiptLabel && d.lastReceiptLabel
        ? `${d.firstReceiptLabel}—${d.lastReceiptLabel}`
        : '无',
    byTender: tenderTotals(d.byTender, d.collectedFen),
    chequesPending: pendingCheques(d.byTender),
    cardSplit: cardSplitRows(d.cardSplit),
    collected: money(d.collectedFen),
    collectedRule: printLabels(COLLECTED_KINDS),
    expectedCash: money(d.expectedCashFen),
    countedCash: money(d.countedCashFen),
    denominations: d.denominations
      .filter((x) => x.count > 0)
      .map((x) => ({
        face: money(x.faceFen),
        count: `×${x.count}`,
        amount: money(x.faceFen * x.count),
      })),
    variance: signed(d.varianceFen),
    hasVariance: d.varianceFen !== 0,
    varianceApprovedBy: d.varianceApprovedBy ?? '（未审批）',
    handIn: money(d.handInFen),
    handInUpper: toChineseUppercase(d.handInFen),
    verification: verificationCode(d.chainHash),
  };
}

function fillReportBase(d: XReportData) {
  return {
    ...common(d),
    businessDate: d.businessDate,
    printedAt: localDateTime(d.printedAt, d.timeZone),
    periodStart: localDateTime(d.periodStart, d.timeZone),
    clerkName: d.clerkName,
    receiptCount: `${d.totals.receiptCount}张`,
    voidCount: `${d.totals.voidCount}张`,
    collected: money(d.totals.collectedFen),
    voided: money(d.totals.voidedFen),
    byTender: tenderTotals(d.totals.byTender, d.totals.collectedFen),
    chequesPending: pendingCheques(d.totals.byTender),
    cardSplit: cardSplitRows(d.totals.cardSplit),
    byClerk: d.byClerk.map((c) => ({
      clerkName: c.clerkName,
      count: `${c.receiptCount}张`,
      amount: money(c.collectedFen),
    })),
    headSeq: String(d.headSeq),
  };
}

export function fillXReport(d: XReportData): TemplateScope {
  return fillReportBase(d);
}

export function fillZReport(d: ZReportData): TemplateScope {
  return {
    ...fillReportBase(d),
    zNo: String(d.zNo).padStart(4, '0'),
    periodEnd: localDateTime(d.periodEnd, d.timeZone),
    perpetual: d.perpetualFen < 0 ? `-${money(-d.perpetualFen)}` : money(d.perpetualFen),
    perpetualAbsolute: money(d.perpetualAbsoluteFen),
    verification: verificationCode(d.chainHash),
  };
}

export function fillDunningNotice(d: DunningNoticeData): TemplateScope {
  return {
    ...common(d),
    noticeNo: d.noticeNo,
    ...householdBlock(d),
    arrears: d.arrears.map((a) => ({
      season: a.seasonCode,
      charge: money(a.chargeFen),
      paid: money(a.paidFen),
      balance: money(a.balanceFen),
    })),
    ...totalFields(d.totalFen),
    dueDate: d.dueDate,
    issuedAt: localDateTime(d.issuedAt, d.timeZone).slice(0, 10),
    contactPhone: d.contactPhone,
    counterAddress: d.counterAddress,
    /** The account no. as CODE128 (inserted as markup: only characters safe inside `{code:…}`). */
    barcode: d.accountNo.replace(/[^0-9A-Za-z-]/g, ''),
  };
}

export function fillTestPage(d: TestPageData): TemplateScope {
  return {
    ...common(d),
    printedAt: localDateTime(d.printedAt, d.timeZone),
    interfaceLabel: d.interfaceLabel,
    width: `${d.width}列（${d.width === 32 ? '58' : '80'}毫米）`,
    encoding: d.encoding.toUpperCase(),
    ruler: '1234567890'.repeat(5).slice(0, d.width),
    sampleMoney: money(123_450),
    sampleUpper: toChineseUppercase(123_450),
  };
}

export const fillers: { [T in TemplateName]: (d: TemplateData<T>) => TemplateScope } = {
  receipt: fillReceipt,
  'void-notice': fillVoidNotice,
  'hand-in-slip': fillHandInSlip,
  'x-report': fillXReport,
  'z-report': fillZReport,
  'dunning-notice': fillDunningNotice,
  'test-page': fillTestPage,
};
