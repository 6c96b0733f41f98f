// Report data → Doc (A4 PDF / Excel). Pure functions of the report objects the commands return.
import { handInFen } from '@heating-cashier/core/cash-count';
import { formatPercentTenths } from '@heating-cashier/core/fees';
import { formatFen } from '@heating-cashier/core/money';
import {
  COLLECTED_KINDS,
  collectedFen,
  isPending,
  isTenderKind,
  pendingFen,
  PENDING_KINDS,
  printLabels,
  REPORT_ORDER,
  TENDERS,
} from '@heating-cashier/core/tenders';
import type { ShiftReport } from '../../cash/shift-report';
import type { dailyReport, monthlyReport } from '../../cash/cash-control';
import type { CardSplit, QrSplit } from '../../cash/cash.store';
import type { Cell, Doc, DocTable } from './model';
import { localDateTime } from '../../../devices/printer/fillers';
import { serviceKpiSections } from '../../service/kpi-doc';

/** 银行卡 split into terminal (online) and manual entries, so finance can check the manual ones against the bank. */
function cardSplitTable(s: CardSplit): DocTable {
  return {
    kind: 'table',
    title: '银行卡：刷卡机联机 / 手工录入（手工录入请与银行流水核对）',
    columns: [{ label: '方式' }, { label: '笔数' }, { label: '金额' }],
    rows: [
      ['刷卡机联机', { int: s.terminalCount }, { fen: s.terminalFen }],
      ['手工录入', { int: s.manualCount }, { fen: s.manualFen }],
    ],
    foot: [
      '银行卡合计',
      { int: s.terminalCount + s.manualCount },
      { fen: s.terminalFen + s.manualFen },
    ],
  };
}

/**
 * 扫码/转账 split into confirmed (settled through head office, qr.sale) and typed by the clerk
 * (未确认), so finance reconciles the typed ones against the provider's and the bank's statements.
 */
function qrSplitTable(s: QrSplit): DocTable {
  return {
    kind: 'table',
    title: '扫码/转账：总部已确认 / 手工登记未确认（未确认请与支付渠道、银行流水核对）',
    columns: [{ label: '方式' }, { label: '笔数' }, { label: '金额' }],
    rows: [
      ['扫码已确认', { int: s.confirmedCount }, { fen: s.confirmedFen }],
      ['手工登记未确认', { int: s.unconfirmedCount }, { fen: s.unconfirmedFen }],
    ],
    foot: [
      '扫码/转账合计',
      { int: s.confirmedCount + s.unconfirmedCount },
      { fen: s.confirmedFen + s.unconfirmedFen },
    ],
  };
}

/** 收款合计's rule as printed: 现金 + 银行卡 + 扫码/转账 (the pending kinds count once cleared). */
const COLLECTED_RULE = printLabels(COLLECTED_KINDS);
const PENDING = printLabels(PENDING_KINDS, '/');
const MOVE_ZH: Record<string, string> = {
  cash_in: '备用金补充',
  cash_out: '现金支出',
  safe_drop: '存入保险柜',
};
const APPROVAL_ZH: Record<string, string> = {
  'shift.variance': '长短款',
  'cash.out': '现金支出',
  'book.return': '交回票据本',
  'receipt.void': '作废',
  'day.close': '日结',
};

/** `2026-11-20T01:02:03Z` → `2026-11-20 09:02` in the counter's time zone. */
export function localTime(iso: string | null, timeZone: string): string {
  return iso ? localDateTime(iso, timeZone).slice(0, 16) : '—';
}

export interface DocContext {
  company: string;
  terminalName: string;
  timeZone: string;
  isDemo: boolean;
  /** When the document was made (ISO). */
  now: string;
}

export function slipNoOf(shift: { businessDate: string; shiftId: string }): string {
  return `${shift.businessDate.replaceAll('-', '')}-${shift.shiftId.slice(-6).toUpperCase()}`;
}

/** The A4 hand-in slip (交款单): every receipt listed, totals, count, variance, signature lines. */
export function handInSlipDoc(
  r: ShiftReport,
  c: DocContext,
  copy: 'finance' | 'clerk' | null,
): Doc {
  const slipNo = slipNoOf(r);
  const closed = r.closedAt !== null;
  const counted = r.cash.countedFen;
  const tenderRows: Cell[][] = REPORT_ORDER.map((k) => [
    TENDERS[k].printLabel,
    isPending(k) ? '待到账，不计入收款' : '',
    { fen: r.byTender[k] },
  ]);
  const denomRows: Cell[][] = Object.entries(r.cash.denominations ?? {})
    .map(([face, n]) => [Number(face), n] as const)
    .sort((a, b) => b[0] - a[0])
    .map(([face, n]) => [formatFen(face), { int: n }, { fen: face * n }]);
  return {
    fileBase: `hand-in-slip-${slipNo}${copy ? `-${copy}` : ''}`,
    company: c.company,
    title: closed ? '交款单' : '交款单（X 报表，未结班）',
    ...(copy ? { copyLabel: copy === 'finance' ? '财务联' : '收费员联' } : {}),
    demo: c.isDemo,
    meta: [
      ['单号', slipNo],
      ['营业日', r.businessDate],
      ['收费员', r.clerk.name],
      ['开班', localTime(r.openedAt, c.timeZone)],
      ['结班', closed ? localTime(r.closedAt, c.timeZone) : '未结班'],
      ['终端', c.terminalName],
    ],
    sections: [
      {
        kind: 'facts',
        title: '汇总',
        items: [
          ['收据张数', { int: r.receiptCount }],
          ['作废张数', { int: r.voidCount }],
          ['损坏（废票）张数', { int: r.spoiledCount }],
          ['收款合计（不含支票）', { fen: r.collectedFen, strong: true }],
          ['备用金', { fen: r.cash.openingFloatFen }],
          ['未上传总部的记录', { int: r.unsyncedEvents }],
        ],
      },
      {
        kind: 'table',
        title: '收款方式',
        columns: [{ label: '方式' }, { label: '说明', width: 2 }, { label: '金额' }],
        rows: tenderRows,
        foot: ['收款合计', COLLECTED_RULE, { fen: r.collectedFen }],
      },
      cardSplitTable(r.cardSplit),
      {
        kind: 'table',
        title: '票据使用',
        columns: [
          { label: '票据本' },
          { label: '号段', width: 2 },
          { label: '开出' },
          { label: '作废' },
          { label: '损坏' },
          { label: '断号' },
        ],
        rows: r.books.map((b) => [
          b.series,
          b.ranges.map(([a, z]) => (a === z ? `${a}` : `${a}–${z}`)).join('，'),
          { int: b.issued },
          { int: b.voided },
          { int: b.spoiled },
          b.gaps.length === 0 ? '无' : b.gaps.map(([a, z]) => `${a}–${z}`).join('，'),
        ]),
        empty: '本班未使用票据',
      },
      {
        kind: 'table',
        title: `收据明细（${r.receipts.length} 张）`,
        columns: [
          // widths: the amount column takes a voided "(¥12,345.67)" on one line
          { label: '票号', width: 1.1 },
          { label: '户号', width: 1.1 },
          { label: '缴费人', width: 0.9 },
          { label: '地址', width: 1.6 },
          { label: '面积 m²', width: 0.8 },
          { label: '单价/m²', width: 0.9 },
          { label: '供暖季 · 比例', width: 1.9 },
          { label: '金额', width: 1.4 },
          { label: '方式', width: 1 },
        ],
        rows: r.receipts.map((x) => [
          x.voided ? { text: `${x.receiptLabel} 作废`, strong: true } : x.receiptLabel,
          x.accountNo,
          x.payer,
          x.address,
          formatFen(x.areaHundredths, ''),
          [...new Set(x.lines.map((l) => formatFen(l.rateFenPerM2)))].join('/'),
          x.lines
            .map(
              (l) =>
                `${l.seasonCode} ${formatFen(l.amountFen)}${l.partial ? ` (${formatPercentTenths(l.pctTenths)})` : ''}`,
            )
            .join('；'),
          x.voided ? { text: `(${formatFen(x.totalFen)})` } : { fen: x.totalFen },
          x.tenders.map((k) => (isTenderKind(k) ? TENDERS[k].printLabel : k)).join('+'),
        ]),
        foot: [
          '有效合计',
          '',
          '',
          '',
          '',
          '',
          '',
          { fen: r.receipts.filter((x) => !x.voided).reduce((s, x) => s + x.totalFen, 0) },
          '',
        ],
        empty: '本班没有收据',
      },
      {
        kind: 'table',
        title: '作废收据',
        columns: [{ label: '票号' }, { label: '原因', width: 4 }],
        rows: r.voids.map((v) => [v.receiptLabel, v.reason]),
        empty: '无',
      },
      {
        kind: 'table',
        title: '损坏票据（废票）',
        columns: [{ label: '票号' }, { label: '原因', width: 4 }],
        rows: r.spoiled.map((v) => [v.receiptLabel, v.reason]),
        empty: '无',
      },
      {
        kind: 'table',
        title: '待到账支票（不计入收款）',
        columns: [
          { label: '票号' },
          { label: '支票号' },
          { label: '银行', width: 2 },
          { label: '金额' },
        ],
        rows: r.chequesPending.map((q) => [
          q.receiptLabel,
          q.chequeNo,
          q.bank,
          { fen: q.amountFen },
        ]),
        foot: ['合计', '', '', { fen: r.chequesPending.reduce((s, q) => s + q.amountFen, 0) }],
        empty: '无',
      },
      {
        kind: 'table',
        title: '现金收支',
        columns: [{ label: '类别' }, { label: '原因', width: 3 }, { label: '金额' }],
        rows: r.cashMovements.map((m) => [
          MOVE_ZH[m.kind] ?? m.kind,
          m.reason,
          { fen: m.amountFen },
        ]),
        empty: '无',
      },
      {
        kind: 'table',
        title: '现金清点',
        columns: [{ label: '面额' }, { label: '张/枚' }, { label: '金额' }],
        rows: denomRows,
        foot: ['实点现金', '', counted === null ? '未清点' : { fen: counted }],
        empty: '未清点',
      },
      {
        kind: 'facts',
        title: '应有现金与长短款',
        items: [
          ['备用金', { fen: r.cash.openingFloatFen }],
          ['现金收款（已扣找零）', { fen: r.cash.cashReceiptsFen }],
          ['补充备用金', { fen: r.cash.cashInFen }],
          ['现金支出', { fen: r.cash.cashOutFen }],
          ['存入保险柜', { fen: r.cash.safeDropFen }],
          ['应有现金', { fen: r.cash.expectedFen, strong: true }],
          ['实点现金', counted === null ? '未清点' : { fen: counted }],
          ['长短款', r.cash.varianceFen === null ? '—' : { fen: r.cash.varianceFen, strong: true }],
          ['长短款原因', r.cash.varianceReason ?? '—'],
          [
            '交款金额（实点 − 备用金）',
            counted === null ? '—' : { fen: handInFen(counted, r.cash.openingFloatFen) },
          ],
        ],
      },
      {
        kind: 'table',
        title: '授权记录',
        columns: [{ label: '事项' }, { label: '授权人' }, { label: '原因', width: 3 }],
        rows: r.approvals.map((a) => [APPROVAL_ZH[a.action] ?? a.action, a.approverName, a.reason]),
        empty: '无',
      },
    ],
    signatures: ['收费员', '财务'],
    footer: `打印时间 ${localTime(c.now, c.timeZone)} · 班次 ${r.shiftId}`,
  };
}

/** The head of a period report: file name, title, and the period, terminal and time made. */
function reportHead(
  c: DocContext,
  fileBase: string,
  title: string,
  period: [string, string],
): Pick<Doc, 'fileBase' | 'company' | 'title' | 'demo' | 'meta'> {
  return {
    fileBase,
    company: c.company,
    title,
    demo: c.isDemo,
    meta: [period, ['终端', c.terminalName], ['制表', localTime(c.now, c.timeZone)]],
  };
}

type Daily = ReturnType<typeof dailyReport>;
type Monthly = ReturnType<typeof monthlyReport>;

export function dailyReportDoc(d: Daily, c: DocContext): Doc {
  const row = (name: string, x: Daily['total']): Cell[] => [
    name,
    { int: x.receiptCount },
    { int: x.voidCount },
    ...REPORT_ORDER.map((k): Cell => ({ fen: x.byTender[k] })),
    // cleared cheques: what collected holds beyond cash + card + QR (counted on clearance)
    { fen: x.collectedFen - collectedFen(x.byTender) },
    { fen: x.collectedFen },
  ];
  return {
    ...reportHead(c, `daily-report-${d.businessDate}`, '收费日报', ['营业日', d.businessDate]),
    sections: [
      {
        kind: 'table',
        title: '按收费员',
        columns: [
          { label: '收费员', width: 1.3 },
          { label: '收据' },
          { label: '作废' },
          ...REPORT_ORDER.map((k) => ({
            label: isPending(k) ? `收到${TENDERS[k].printLabel}` : TENDERS[k].printLabel,
          })),
          { label: `${PENDING}到账` },
          { label: '收款合计' },
        ],
        rows: d.clerks.map((x) => row(x.clerkName, x)),
        foot: row('合计', d.total),
        empty: '当日无收费',
      },
      cardSplitTable(d.cardSplit),
      qrSplitTable(d.qrSplit),
      {
        kind: 'facts',
        title: '电子支付',
        items: [['电子支付占比（银行卡 + 已确认扫码）', { pctTenths: d.ePaymentShareTenths }]],
      },
      {
        kind: 'bars',
        title: '收款合计（按收费员）',
        items: d.clerks.map((x) => ({
          label: x.clerkName,
          value: x.collectedFen,
          display: { fen: x.collectedFen },
        })),
      },
      ...serviceKpiSections(d.serviceKpis, c.timeZone),
    ],
    footer: `收款合计 = ${COLLECTED_RULE}；${PENDING}到账后计入。`,
  };
}

export function monthlyReportDoc(m: Monthly, c: DocContext): Doc {
  const t = m.total;
  const collected = t.collectedFen;
  const share = (fen: number): Cell => ({
    pctTenths: collected === 0 ? 0 : Math.round((fen * 1000) / collected),
  });
  return {
    ...reportHead(c, `monthly-report-${m.month}`, '收费月报', ['月份', m.month]),
    sections: [
      {
        kind: 'facts',
        title: '汇总',
        items: [
          ['收款合计', { fen: collected, strong: true }],
          ['收据张数', { int: t.receiptCount }],
          ['作废张数', { int: t.voidCount }],
          ['电子支付占比（银行卡 + 已确认扫码）', { pctTenths: m.ePaymentShareTenths }],
          ['陈欠率（往季未收 ÷ 往季应收）', { pctTenths: m.arrearsRateTenths }],
          [`${PENDING}（待到账，不计入）`, { fen: pendingFen(t.byTender) }],
        ],
      },
      {
        kind: 'table',
        title: '按收款方式',
        columns: [{ label: '方式' }, { label: '金额' }, { label: '占收款' }],
        rows: COLLECTED_KINDS.map((k) => [
          TENDERS[k].printLabel,
          { fen: t.byTender[k] },
          share(t.byTender[k]),
        ]),
        foot: ['合计', { fen: collected }, { pctTenths: collected === 0 ? 0 : 1000 }],
      },
      {
        kind: 'table',
        title: '按供暖季：收缴率',
        columns: [
          { label: '供暖季' },
          { label: '应收' },
          { label: '实收' },
          { label: '收缴率' },
          { label: '未收' },
        ],
        rows: m.seasons.map((s) => [
          s.seasonCode,
          { fen: s.receivableFen },
          { fen: s.collectedFen },
          { pctTenths: s.collectionRateTenths },
          { fen: s.outstandingFen },
        ]),
        empty: '无供暖季',
      },
      {
        kind: 'bars',
        title: '收缴率',
        max: 1000,
        items: m.seasons.map((s) => ({
          label: s.seasonCode,
          value: s.collectionRateTenths,
          display: { pctTenths: s.collectionRateTenths },
        })),
      },
      {
        kind: 'table',
        title: '按小区',
        columns: [{ label: '小区', width: 2 }, { label: '收据' }, { label: '收款' }],
        rows: m.communities.map((x) => [
          x.community,
          { int: x.receiptCount },
          { fen: x.collectedFen },
        ]),
        foot: [
          '合计',
          { int: m.communities.reduce((s, x) => s + x.receiptCount, 0) },
          { fen: m.communities.reduce((s, x) => s + x.collectedFen, 0) },
        ],
        empty: '本月无收费',
      },
      ...serviceKpiSections(m.serviceKpis, c.timeZone),
    ],
    footer: `收款合计 = ${COLLECTED_RULE}；${PENDING}到账后计入。收缴率 = 实收 ÷ 应收（按供暖季，累计）。`,
  };
}
