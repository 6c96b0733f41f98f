import { formatPercentTenths } from '@heating-cashier/core/fees';
import {
  formatBasisPoints,
  formatMinSec,
  formatPerMilleTenths,
  formatPointsTenths,
} from '@heating-cashier/core/kpi-format';
import type { Cell, DocSection } from '../reports/documents/model';
import type { ServiceKpiReport } from './kpis';
import { localDateTime } from '../../devices/printer/fillers';

const verdict = (met: boolean | null) => (met === null ? '' : met ? '（达标）' : '（未达标）');
const or = <T>(v: T | null, f: (x: T) => string) => (v === null ? '—' : f(v));

/** The service KPIs as sections of the printed / exported daily and monthly reports (issue 22). */
export function serviceKpiSections(k: ServiceKpiReport, timeZone: string): DocSection[] {
  const { satisfaction: s, serviceTime: time, errors: e, complaints: c } = k;
  const facts: [string, Cell][] = [
    [
      `满意度（百分制，目标 ≥ ${s.targetPoints} 分）`,
      {
        text:
          s.pointsTenths === null
            ? '无评价'
            : `${formatPointsTenths(s.pointsTenths)} 分，${s.ratings} 条评价${verdict(s.meetsTarget)}`,
      },
    ],
    [
      `10 分钟内办结（目标 ≥ ${formatPercentTenths(time.targetShareTenths)}）`,
      {
        text:
          time.shareTenths === null || time.medianSeconds === null
            ? '无计时记录'
            : `${formatPercentTenths(time.shareTenths)}（${time.withinLimit}/${time.measured} 笔），中位 ${formatMinSec(time.medianSeconds)}${verdict(time.meetsTarget)}`,
      },
    ],
    [
      '至评价（离开）中位用时',
      { text: or(time.visitMedianSeconds, (v) => `${formatMinSec(v)}（${time.visits} 笔）`) },
    ],
    [
      `差错率（作废+废票+补打 ÷ 收据，目标 < ${formatBasisPoints(e.targetBp)}）`,
      {
        text:
          e.rateBp === null
            ? '无收据'
            : `${formatBasisPoints(e.rateBp)}（作废 ${e.voids}，废票 ${e.spoiled}，补打 ${e.reprints} / ${e.receipts} 张）${verdict(e.meetsTarget)}`,
      },
    ],
    [
      '投诉（24 小时内答复）',
      {
        text: `受理 ${c.opened}，按时答复 ${c.answeredInTime}，超时答复 ${c.answeredLate}，超时未答复 ${c.overdue}，待答复 ${c.waiting}`,
      },
    ],
    [
      `投诉率（每千户，目标 ≤ ${formatPerMilleTenths(c.targetPerMilleTenths)}）`,
      {
        text: or(
          c.ratePerMilleTenths,
          (r) => `${formatPerMilleTenths(r)}（${c.households} 户）${verdict(c.meetsTarget)}`,
        ),
      },
    ],
  ];
  return [
    { kind: 'facts', title: '服务指标', items: facts },
    {
      kind: 'table',
      title: '服务指标（按收费员）',
      columns: [
        { label: '收费员', width: 1.3 },
        { label: '满意度' },
        { label: '评价数' },
        { label: '10 分钟内' },
        { label: '中位用时' },
        { label: '差错率' },
      ],
      rows: k.byClerk.map((x) => [
        x.clerkName,
        or(x.satisfaction.pointsTenths, formatPointsTenths),
        { int: x.satisfaction.ratings },
        or(x.serviceTime.shareTenths, formatPercentTenths),
        or(x.serviceTime.medianSeconds, formatMinSec),
        or(x.errors.rateBp, formatBasisPoints),
      ]),
      empty: '无',
    },
    {
      kind: 'table',
      title: '投诉率（按小区，每千户）',
      columns: [
        { label: '小区', width: 2 },
        { label: '户数' },
        { label: '投诉' },
        { label: '投诉率' },
      ],
      rows: c.areas.map((a) => [
        a.community,
        { int: a.households },
        { int: a.complaints },
        or(a.ratePerMilleTenths, formatPerMilleTenths),
      ]),
      empty: '本期无投诉',
    },
    {
      kind: 'table',
      title: `超过 24 小时未答复的投诉（${c.overdue}）`,
      columns: [
        { label: '户号' },
        { label: '户名' },
        { label: '小区', width: 1.5 },
        { label: '受理时间', width: 1.5 },
        { label: '已超时（小时）' },
      ],
      rows: c.overdueList.map((o) => [
        o.accountNo,
        o.householdName,
        o.community,
        localDateTime(o.openedAt, timeZone).slice(0, 16),
        { int: o.hoursOverdue },
      ]),
      empty: '无',
    },
  ];
}
