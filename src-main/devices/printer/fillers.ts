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
  BookReturnData,
  DunningNoticeData,
  HandInSlipData,
  ReceiptData,
  ReceiptPart,
  StatementCopy,
  TemplateData,
  TemplateName,
  TestPageData,
  VoidNoticeData,
  VoidStatementData,
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

/** A QR/transfer tender printed by its channel (the kind's own name when none was kept). */
const QR_CHANNEL: Record<string, string> = {
  wechat: '微信支付',
  alipay: '支付宝',
  unionpay: '云闪付',
  transfer: '银行转账',
};

/**
 * A QR/transfer tender's lines: the provider's trade number and whether it is confirmed — settled
 * through head office (qr.sale: detail.confirmation 'confirmed') or a reference the clerk typed,
 * which finance reconciles against the statement (未确认).
 */
function qrDetails(t: ReceiptTender): string[] {
  const confirmed = t.detail.confirmation === 'confirmed';
  return [
    t.reference ? `交易号 ${t.reference}` : '',
    confirmed ? '已确认' : '未确认（手工登记，待对账）',
  ];
}

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
  qr: qrDetails,
};

/** The tender's printed name with its channel: 现金, 银行卡（手工录入）, 支票, 微信支付, 支付宝, 银行转账. */
function tenderLabel(t: ReceiptTender): string {
  const label = TENDERS[t.kind].printLabel;
  if (isManualCard(t)) return `${label}（手工录入）`;
  return (t.kind === 'qr' ? QR_CHANNEL[t.detail.channel ?? ''] : undefined) ?? label;
}

function tenderLines(tenders: ReceiptData['tenders'], changeFen: number): TemplateScope[] {
  return tenders.map((t) => {
    const details = TENDER_DETAILS[t.kind]?.(t) ?? (t.reference ? [t.reference] : []);
    return {
      label: tenderLabel(t),
      amount: money(t.amountFen),
      details: details.filter((text) => text !== '').map((text) => ({ text })),
      tendered: inDrawer(t.kind) && t.tenderedFen !== undefined ? money(t.tenderedFen) : null,
      change: inDrawer(t.kind) ? money(changeFen) : null,
    };
  });
}

/** The parts of a receipt (一式三联), named as the paper book names them. */
export const RECEIPT_PART_LABEL: Record<ReceiptPart, string> = {
  customer: '第一联 客户联',
  stub: '第二联 存根联',
  accounting: '第三联 记账联',
};

/**
 * The note under a season line. A season this payment leaves owing is 部分缴费 with the share of
 * the season's charge it paid (the seed: 收取部分热费时必须注明相应百分比); a season it settles is
 * 结清, with this payment's share when earlier payments (or a reduction) covered the rest.
 */
function seasonNote(l: ReceiptData['lines'][number]): string {
  const pct = formatPercentTenths(l.pctTenths);
  const owing = l.balanceAfterFen !== undefined ? l.balanceAfterFen > 0 : l.pctTenths < 1000;
  if (owing) return `部分缴费 占本季应收${pct}`;
  return l.pctTenths < 1000 ? `结清 本次占本季应收${pct}` : '结清';
}

export function fillReceipt(d: ReceiptData): TemplateScope {
  const reprint = d.reprintNo > 0 || d.replacesUnknown;
  return {
    ...common(d),
    title: d.title,
    copyLabel: RECEIPT_PART_LABEL[d.copy],
    /** 请妥善保管，此为缴费凭证: said to the customer, on their copy only. */
    customerCopy: d.copy === 'customer',
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
      note: seasonNote(l),
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
 * The holders of the written statement (一式四份): the seed's 除自留一份外，报财务部、供热台账、
 * 供热组长各一份备查.
 */
export const STATEMENT_COPY_LABEL: Record<StatementCopy, string> = {
  clerk: '第一份 收费员自留',
  finance: '第二份 报财务部',
  ledger: '第三份 报供热台账',
  leader: '第四份 报供热组长',
};

export function fillVoidStatement(d: VoidStatementData): TemplateScope {
  const time = (iso: string | null) => (iso ? localDateTime(iso, d.timeZone) : '—');
  const isVoid = d.kind === 'void';
  const rows: [string, string][] = [
    ['收据号', d.receiptLabel],
    ['情况', isVoid ? '已开具收据作废' : '空白票据损坏（废票），未开具'],
    ['户号', d.accountNo ?? '—'],
    ['户名', d.name ?? '—'],
    ['金额', d.totalFen === null ? '—' : money(d.totalFen)],
    ['大写', d.totalFen === null ? '—' : toChineseUppercase(d.totalFen)],
    ['开具时间', time(d.issuedAt)],
    [isVoid ? '作废时间' : '登记时间', time(d.at)],
    ['原因', d.reason],
    ['收费员', `${d.clerkName}（${d.clerkCode}）`],
    ['审批主管', d.approverName ?? '（未经主管审批，请签字）'],
    ['终端', d.terminalName],
    ['校验码', verificationCode(d.eventHash)],
  ];
  return {
    ...common(d),
    title: isVoid ? '收据作废书面说明' : '废票书面说明',
    copyLabel: STATEMENT_COPY_LABEL[d.copy],
    reprint: d.reprint,
    rows: rows.map(([label, value]) => ({ label, value })),
    statement: isVoid
      ? `收据${d.receiptLabel}因上述原因作废，金额不计入收费，原收据各联已收回，附本说明存档。`
      : `空白收据${d.receiptLabel}因上述原因损坏作废，未开具、未收款，残票附本说明存档。`,
  };
}

const BOOK_STATE: Record<BookReturnData['entries'][number]['state'], string> = {
  issued: '开出',
  voided: '作废',
  spoiled: '废票',
  unused: '未用交回',
};

/**
 * The list a returned receipt book prints: every number and its state, a run of unused numbers on
 * one line; an issued receipt whose shift is still open (no hand-in slip yet) is marked 未交款.
 */
export function fillBookReturn(d: BookReturnData): TemplateScope {
  const count = (state: string) => d.entries.filter((e) => e.state === state);
  const numbers = (es: BookReturnData['entries']) =>
    es.reduce((n, e) => n + (e.toLabel ? labelNo(e.toLabel) - labelNo(e.fromLabel) + 1 : 1), 0);
  const fenOf = (es: BookReturnData['entries']) => es.reduce((n, e) => n + (e.amountFen ?? 0), 0);
  const issued = count('issued');
  const notHandedIn = issued.filter((e) => e.handedIn === false);
  return {
    ...common(d),
    copyLabel: d.copy === 'finance' ? '财务部留存' : '收费员留存',
    reprint: d.reprint,
    series: d.series,
    range: `${d.firstLabel}—${d.lastLabel}`,
    clerk: `${d.clerkName}（${d.clerkCode}）`,
    returnedAt: localDateTime(d.returnedAt, d.timeZone),
    approverName: d.approverName,
    entries: d.entries.map((e) => ({
      number: e.toLabel ? `${e.fromLabel}—${e.toLabel}` : e.fromLabel,
      state: e.state === 'issued' && e.handedIn === false ? '开出未交款' : BOOK_STATE[e.state],
      amount:
        e.amountFen !== null
          ? money(e.amountFen)
          : e.toLabel
            ? `${labelNo(e.toLabel) - labelNo(e.fromLabel) + 1}张`
            : '',
    })),
    issuedCount: `${issued.length}张`,
    issuedAmount: money(fenOf(issued)),
    voidedCount: `${count('voided').length}张`,
    voidedAmount: money(fenOf(count('voided'))),
    spoiledCount: `${count('spoiled').length}张`,
    unusedCount: `${numbers(count('unused'))}张`,
    notHandedInCount: `${notHandedIn.length}张`,
    notHandedInAmount: money(fenOf(notHandedIn)),
    verification: verificationCode(d.eventHash),
  };
}

/** The number inside a receipt label ('A000123' → 123). */
function labelNo(label: string): number {
  return Number(/(\d+)$/.exec(label)?.[1] ?? 0);
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
  'void-statement': fillVoidStatement,
  'book-return': fillBookReturn,
  'hand-in-slip': fillHandInSlip,
  'x-report': fillXReport,
  'z-report': fillZReport,
  'dunning-notice': fillDunningNotice,
  'test-page': fillTestPage,
};
