// The seed's service KPIs (issue 22) as the daily, monthly and collector reports show them: the four
// figures against their targets, the same per clerk, and the complaint rate per area.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { formatPercentTenths } from '@heating-cashier/core/fees';
import {
  formatBasisPoints,
  formatMinSec,
  formatPerMilleTenths,
  formatPointsTenths,
} from '@heating-cashier/core/kpi-format';
import { DataTable, type Column } from '../../app/DataTable';
import { Facts } from '../../app/Facts';
import { formatTime } from '../../format/time';
import './service.css';

export type KpiReport = CommandOutput<'report.monthly'>['serviceKpis'];
type Clerk = KpiReport['byClerk'][number];
type Area = KpiReport['complaints']['areas'][number];
type Overdue = KpiReport['complaints']['overdueList'][number];

function Verdict({ met }: { met: boolean | null }) {
  const { t } = useTranslation();
  if (met === null) return null;
  return (
    <span className={met ? 'kpi-met' : 'kpi-missed warn'} data-met={met}>
      {' '}
      {met ? t('kpi.met') : t('kpi.notMet')}
    </span>
  );
}

export function satisfactionText(s: KpiReport['satisfaction'], t: TFunction) {
  return s.pointsTenths === null
    ? t('kpi.noRatings')
    : t('kpi.satisfactionValue', { points: formatPointsTenths(s.pointsTenths), count: s.ratings });
}

function serviceText(s: KpiReport['serviceTime'], t: TFunction) {
  return s.shareTenths === null || s.medianSeconds === null
    ? t('kpi.noServiceTime')
    : t('kpi.serviceTimeValue', {
        share: formatPercentTenths(s.shareTenths),
        within: s.withinLimit,
        count: s.measured,
        median: formatMinSec(s.medianSeconds),
      });
}

function errorText(e: KpiReport['errors'], t: TFunction) {
  return e.rateBp === null
    ? t('kpi.noReceipts')
    : t('kpi.errorValue', {
        rate: formatBasisPoints(e.rateBp),
        voids: e.voids,
        spoiled: e.spoiled,
        reprints: e.reprints,
        receipts: e.receipts,
      });
}

export function ServiceKpisView({ kpis, testId }: { kpis: KpiReport; testId: string }) {
  const { t } = useTranslation();
  const { satisfaction: sat, serviceTime: time, errors, complaints: c } = kpis;
  const clerkColumns: Column<Clerk>[] = [
    { title: t('kpi.clerk'), rowHeader: true, className: 'data', cell: (k) => k.clerkName },
    {
      title: t('kpi.satisfaction'),
      num: true,
      cell: (k) =>
        k.satisfaction.pointsTenths === null
          ? '—'
          : formatPointsTenths(k.satisfaction.pointsTenths),
    },
    { title: t('kpi.ratings'), num: true, cell: (k) => k.satisfaction.ratings },
    {
      title: t('kpi.serviceTime'),
      num: true,
      cell: (k) =>
        k.serviceTime.shareTenths === null ? '—' : formatPercentTenths(k.serviceTime.shareTenths),
    },
    {
      title: t('kpi.median'),
      num: true,
      cell: (k) =>
        k.serviceTime.medianSeconds === null ? '—' : formatMinSec(k.serviceTime.medianSeconds),
    },
    {
      title: t('kpi.errorRate'),
      num: true,
      cell: (k) => (k.errors.rateBp === null ? '—' : formatBasisPoints(k.errors.rateBp)),
    },
  ];
  const areaColumns: Column<Area>[] = [
    { title: t('kpi.area'), rowHeader: true, className: 'data', cell: (a) => a.community },
    { title: t('kpi.households'), num: true, cell: (a) => a.households },
    { title: t('kpi.complaintCount'), num: true, cell: (a) => a.complaints },
    {
      title: t('kpi.rate'),
      num: true,
      className: (a) => (a.meetsTarget === false ? 'warn' : undefined),
      cell: (a) =>
        a.ratePerMilleTenths === null ? '—' : formatPerMilleTenths(a.ratePerMilleTenths),
    },
  ];
  const overdueColumns: Column<Overdue>[] = [
    { title: t('kpi.account'), className: 'mono', cell: (o) => o.accountNo },
    { title: t('kpi.householdName'), className: 'data', cell: (o) => o.householdName },
    { title: t('kpi.area'), className: 'data', cell: (o) => o.community },
    {
      title: t('kpi.openedAt'),
      className: 'mono',
      cell: (o) => formatTime(o.openedAt).slice(0, 16),
    },
    { title: t('kpi.hoursOverdue'), num: true, className: 'warn', cell: (o) => o.hoursOverdue },
  ];
  return (
    <section className="service-kpis" data-testid={testId}>
      <h3>{t('kpi.heading')}</h3>
      <Facts
        className="facts-grid"
        items={[
          {
            label: `${t('kpi.satisfaction')}（${t('kpi.satisfactionTarget', { target: sat.targetPoints })}）`,
            value: (
              <>
                {satisfactionText(sat, t)}
                <Verdict met={sat.meetsTarget} />
              </>
            ),
            testId: `${testId}-satisfaction`,
          },
          {
            label: `${t('kpi.serviceTime')}（${t('kpi.serviceTimeTarget', { target: formatPercentTenths(time.targetShareTenths) })}）`,
            value: (
              <>
                {serviceText(time, t)}
                <Verdict met={time.meetsTarget} />
                {time.visitMedianSeconds !== null && (
                  <div className="hint">
                    {t('kpi.serviceTimeVisit', {
                      median: formatMinSec(time.visitMedianSeconds),
                      count: time.visits,
                    })}
                  </div>
                )}
              </>
            ),
            testId: `${testId}-time`,
          },
          {
            label: `${t('kpi.errorRate')}（${t('kpi.errorTarget', { target: formatBasisPoints(errors.targetBp) })}）`,
            value: (
              <>
                {errorText(errors, t)}
                <Verdict met={errors.meetsTarget} />
              </>
            ),
            testId: `${testId}-errors`,
          },
          {
            label: t('kpi.complaints'),
            value: t('kpi.complaintValue', {
              opened: c.opened,
              inTime: c.answeredInTime,
              late: c.answeredLate,
              overdue: c.overdue,
              waiting: c.waiting,
            }),
            testId: `${testId}-complaints`,
          },
          {
            label: `${t('kpi.complaintRate')}（${t('kpi.complaintTarget', { target: formatPerMilleTenths(c.targetPerMilleTenths) })}）`,
            value: (
              <>
                {c.ratePerMilleTenths === null
                  ? '—'
                  : t('kpi.complaintRateValue', {
                      rate: formatPerMilleTenths(c.ratePerMilleTenths),
                      households: c.households,
                    })}
                <Verdict met={c.meetsTarget} />
              </>
            ),
            testId: `${testId}-complaint-rate`,
          },
        ]}
      />
      <DataTable
        className="plain-table wide"
        columns={clerkColumns}
        rows={kpis.byClerk}
        rowKey={(k) => k.clerkId}
        data-testid={`${testId}-clerks`}
      />
      <h4>{t('kpi.areas')}</h4>
      <DataTable
        className="plain-table"
        columns={areaColumns}
        rows={c.areas}
        rowKey={(a) => a.community}
        emptyRow={t('kpi.noAreas')}
        data-testid={`${testId}-areas`}
      />
      {c.overdueList.length > 0 && (
        <>
          <h4>{t('kpi.overdueListHeading', { count: c.overdue })}</h4>
          <DataTable
            className="plain-table"
            columns={overdueColumns}
            rows={c.overdueList}
            rowKey={(o) => o.complaintId}
            data-testid={`${testId}-overdue`}
          />
        </>
      )}
    </section>
  );
}
