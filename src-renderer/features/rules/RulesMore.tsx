import { Button, type InputRef } from 'antd';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { formatFen, parseYuanToFen } from '@heating-cashier/core/money';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../../api/client';
import { useCommand } from '../../app/command';
import { useWords } from '../../app/messages';
import { Cells, DataTable, type Column } from '../../app/DataTable';
import { AMOUNT, CheckField, SelectField } from '../../app/fields';
import { useForm } from '../../app/form';
import { SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { Session } from '../../app/types';
import { field, HouseholdFields, HouseholdRules, RulesOutcome, useRulesHousehold } from './shared';

export type MoreSection = 'inspection' | 'subsidy' | 'advance';
type Rules = CommandOutput<'household.rules'>;
type SubsidyReport = CommandOutput<'report.subsidy'>;
type SubsidyRow = SubsidyReport['rows'][number];

/** What a subsidy or advance submit does: the choices of its 业务 select. */
const MODE_FIELD = { subsidy: 'subsidyMode', advance: 'advanceMode' } as const;
const MODES = { subsidy: ['assign', 'receive'], advance: ['assess', 'credit'] } as const;
const MODE_TEXT = {
  assign: 'rules.more.assign',
  receive: 'rules.more.receive',
  assess: 'rules.more.assess',
  credit: 'rules.more.applyCredit',
} as const;

/** Every field of the form: what a change of household puts back to its first value. */
const FORM_FIELDS = [
  'finding',
  'drawingHeat',
  'amount',
  'reason',
  'reference',
  'subsidyMode',
  'advanceMode',
] as const;

/** First field to type into once the household is found. */
const FIRST: Record<MoreSection, string> = {
  inspection: 'finding',
  subsidy: 'amount',
  advance: 'advanceMode',
};

/**
 * The F9 "供热业务" sections for inspections (稽查) with a back-charge on approval, subsidies
 * (财政补贴: assign the share, record it received, the receivable report) and advance payment (预交)
 * with applying a credit balance. Keyboard first: account no. + Enter finds the household, the
 * cursor moves to the first field, Enter submits.
 */
export function RulesMore({
  client,
  session,
  section,
  sessionLost,
}: {
  client: ApiClient;
  session: Session;
  section: MoreSection;
  sessionLost(): void;
}) {
  const { t } = useTranslation();
  const { error, setError, fail } = useCommand(sessionLost);
  const form = useForm({
    finding: '',
    drawingHeat: true,
    amount: '',
    reason: '',
    reference: '',
    subsidyMode: 'assign' as 'assign' | 'receive',
    advanceMode: 'assess' as 'assess' | 'credit',
  });
  const { finding, drawingHeat, amount, reason, reference, subsidyMode, advanceMode } = form.values;
  const sup = useSupervisor();
  const [rules, setRules] = useState<Rules | null>(null);
  // Another household found: what was typed for the previous one (finding, amount, reason,
  // reference, approval) and its rules are gone before the new household's form shows.
  const hh = useRulesHousehold(client, session.token, fail, () => {
    form.reset(...FORM_FIELDS);
    sup.clear();
    setRules(null);
  });
  const { account, seasonId } = hh;
  const [report, setReport] = useState<SubsidyReport | null>(null);
  const [outstandingOnly, setOutstandingOnly] = useState(true);
  const [problem, setProblem] = useWords();
  const [done, setDone] = useWords();
  const [working, setWorking] = useState(false);
  const accountRef = useRef<InputRef>(null);

  useEffect(() => {
    setProblem(null);
    setError(null);
    setDone(null);
    form.reset('amount');
    sup.clear();
    accountRef.current?.focus();
  }, [section]);

  const loadReport = useCallback(async () => {
    const r = await client.invoke('report.subsidy', { session: session.token, outstandingOnly });
    if (r.ok) setReport(r.value);
    else fail(r.error);
  }, [client, session.token, outstandingOnly, fail]);
  useEffect(() => {
    if (section === 'subsidy') void loadReport();
  }, [section, loadReport, hh.version]);

  const loadedId = account?.household.id;
  /** The household shown now: a late answer for the one before is dropped. */
  const shownId = useRef<string | undefined>(undefined);
  shownId.current = loadedId;
  const loadRules = useCallback(
    async (householdId: string) => {
      const r = await client.invoke('household.rules', { session: session.token, householdId });
      if (r.ok && shownId.current === householdId) setRules(r.value);
    },
    [client, session.token],
  );

  useEffect(() => {
    if (!loadedId) return;
    void loadRules(loadedId);
    document.querySelector<HTMLElement>(`[name="${FIRST[section]}"]`)?.focus();
    // not on a section switch: then the cursor goes back to the account number
  }, [loadedId, hh.version, loadRules]);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (working) return;
    setError(null);
    setDone(null);
    setProblem(null);
    const a = await hh.target((key) => setProblem((t) => t(key)));
    if (!a) return; // the first Enter finds the household; the next one submits
    const base = { session: session.token, householdId: a.household.id };
    setWorking(true);
    try {
      if (section === 'inspection') {
        if (!finding.trim()) return setProblem((t) => t('rules.more.problems.needFinding'));
        const fen = amount.trim() ? parseYuanToFen(amount) : 0;
        if (fen === null || fen < 0) return setProblem((t) => t('rules.problems.needAmount'));
        const s = sup.credentials();
        if (fen > 0 && !s) return setProblem((t) => t('rules.problems.needSupervisors', { n: 1 }));
        const r = await client.invoke('inspection.record', {
          ...base,
          ...(seasonId ? { seasonId } : {}),
          finding: finding.trim(),
          drawingHeat,
          ...(fen > 0 ? { backChargeFen: fen, ...s! } : {}),
        });
        if (!r.ok) return fail(r.error);
        const { backChargeFen, balanceFen } = r.value;
        setDone((t) =>
          backChargeFen > 0
            ? t('rules.more.done.backCharge', {
                amount: formatFen(backChargeFen),
                balance: formatFen(balanceFen),
              })
            : t('rules.more.done.inspection'),
        );
        form.reset('finding', 'amount');
      } else if (section === 'subsidy') {
        const fen = parseYuanToFen(amount);
        if (fen === null || fen < 0 || (subsidyMode === 'receive' && fen === 0))
          return setProblem((t) => t('rules.problems.needAmount'));
        if (subsidyMode === 'assign') {
          if (!reason.trim()) return setProblem((t) => t('rules.problems.needReason'));
          const s = sup.credentials();
          if (!s) return setProblem((t) => t('rules.problems.needSupervisors', { n: 1 }));
          const r = await client.invoke('subsidy.assign', {
            ...base,
            seasonId,
            shareFen: fen,
            reason: reason.trim(),
            ...s,
          });
          if (!r.ok) return fail(r.error);
          const { shareFen, householdBalanceFen } = r.value;
          const shown = { share: formatFen(shareFen), balance: formatFen(householdBalanceFen) };
          setDone((t) => t('rules.more.done.assigned', shown));
          form.reset('reason');
        } else {
          if (!reference.trim()) return setProblem((t) => t('rules.more.problems.needReference'));
          const r = await client.invoke('subsidy.receive', {
            ...base,
            seasonId,
            amountFen: fen,
            reference: reference.trim(),
          });
          if (!r.ok) return fail(r.error);
          const shown = { amount: formatFen(fen), outstanding: formatFen(r.value.outstandingFen) };
          setDone((t) => t('rules.more.done.received', shown));
          form.reset('reference');
        }
        form.reset('amount');
      } else if (advanceMode === 'assess') {
        const r = await client.invoke('charge.assessAdvance', base);
        if (!r.ok) return fail(r.error);
        const shown = { season: r.value.seasonCode, charge: formatFen(r.value.chargeFen) };
        setDone((t) => t('rules.more.done.advance', shown));
      } else {
        const r = await client.invoke('credit.apply', base);
        if (!r.ok) return fail(r.error);
        setDone((t) =>
          t('rules.more.done.credit', {
            moved: formatFen(r.value.transfers.reduce((s, x) => s + x.amountFen, 0)),
            credit: formatFen(r.value.creditFen),
            owed: formatFen(r.value.owedFen),
          }),
        );
      }
      await hh.reload(a);
    } finally {
      setWorking(false);
      sup.clear();
    }
  }

  /** Enter on a select submits too (the form's own Enter only fires from inputs). */
  const enterSubmits = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
      e.preventDefault();
      void submit();
    }
  };

  const supFields = (
    <div className="sup-pair">
      <SupervisorFields {...sup.fields} />
    </div>
  );
  const subsidyRow = rules?.subsidy.find((s) => s.seasonId === seasonId);
  const nextSeason = rules?.advance.seasonId ?? null;
  const amounts: Column<SubsidyReport['totals']>[] = [
    {
      title: t('rules.more.share'),
      num: true,
      className: 'mono',
      cell: (r) => formatFen(r.shareFen),
    },
    {
      title: t('rules.more.received'),
      num: true,
      className: 'mono',
      cell: (r) => formatFen(r.receivedFen),
    },
    {
      title: t('rules.more.outstanding'),
      num: true,
      className: 'mono',
      cell: (r) => formatFen(r.outstandingFen),
    },
  ];
  const subsidyColumns: Column<SubsidyRow>[] = [
    { title: t('rules.accountNo'), className: 'mono', cell: (r) => r.accountNo },
    { title: t('rules.household'), className: 'data', cell: (r) => r.name },
    { title: t('rules.season'), className: 'mono', cell: (r) => r.seasonCode },
    ...amounts,
  ];
  const inspectionColumns: Column<Rules['inspections'][number]>[] = [
    { title: t('rules.more.inspectedOn'), className: 'mono', cell: (i) => i.inspectedOn },
    { title: t('rules.more.finding'), className: 'data', cell: (i) => i.finding },
    {
      title: t('rules.more.drawingHeatShort'),
      cell: (i) => (i.drawingHeat ? t('rules.more.yes') : t('rules.more.no')),
    },
    {
      title: t('rules.more.backChargeShort'),
      num: true,
      className: 'mono',
      cell: (i) => formatFen(i.backChargeFen),
    },
  ];

  return (
    <div className="rules-body">
      <form
        className="tools-form rules-form"
        onSubmit={(e) => void submit(e)}
        onKeyDown={enterSubmits}
        noValidate
        data-testid="rules-more-form"
      >
        <HouseholdFields household={hh} inputRef={accountRef} season={section !== 'advance'} />
        {account && section === 'inspection' && (
          <>
            {field(t('rules.more.finding'), form.bind('finding'), { maxLength: 200 })}
            <CheckField label={t('rules.more.drawingHeat')} {...form.check('drawingHeat')} />
            {field(t('rules.more.backCharge'), form.bind('amount'), AMOUNT)}
            <p className="hint">{t('rules.more.backChargeHint')}</p>
            {supFields}
          </>
        )}
        {account && section !== 'inspection' && (
          <SelectField
            label={t('rules.action')}
            {...form.bind(MODE_FIELD[section])}
            options={MODES[section]}
            optionText={(m) => t(MODE_TEXT[m])}
          />
        )}
        {account && section === 'subsidy' && (
          <>
            {subsidyRow && (
              <p className="hint" data-testid="subsidy-status">
                {t('rules.account.subsidy', {
                  season: subsidyRow.seasonCode,
                  share: formatFen(subsidyRow.shareFen),
                  received: formatFen(subsidyRow.receivedFen),
                })}
              </p>
            )}
            {field(
              subsidyMode === 'assign' ? t('rules.more.share') : t('rules.more.receivedAmount'),
              form.bind('amount'),
              AMOUNT,
            )}
            {subsidyMode === 'assign' ? (
              <>
                {field(t('rules.reason'), form.bind('reason'), { maxLength: 200 })}
                {supFields}
              </>
            ) : (
              field(t('rules.more.reference'), form.bind('reference'), { maxLength: 64 })
            )}
          </>
        )}
        {account && section === 'advance' && (
          <>
            {rules && (
              <p className="hint" data-testid="advance-status">
                {!rules.advance.enabled
                  ? t('rules.more.advanceOff')
                  : nextSeason === null
                    ? t('rules.more.noNextSeason')
                    : rules.advance.assessed
                      ? t('rules.more.advanceAssessed')
                      : t('rules.more.advanceOpen')}{' '}
                {t('rules.more.creditNow', { credit: formatFen(rules.creditFen) })}
              </p>
            )}
          </>
        )}
        <Button type="primary" htmlType="submit" loading={working} data-testid="rules-submit">
          {t('rules.keys.submit')} (Enter)
        </Button>
      </form>
      <aside className="rules-side">
        <RulesOutcome problem={problem} done={done} error={error} />
        {section === 'subsidy' && report && (
          <div data-testid="subsidy-report">
            <h3>{t('rules.more.reportTitle')}</h3>
            <CheckField
              label={t('rules.more.outstandingOnly')}
              name="outstandingOnly"
              checked={outstandingOnly}
              onChecked={setOutstandingOnly}
            />
            <DataTable
              className="plain-table"
              columns={subsidyColumns}
              rows={report.rows}
              rowKey={(r) => `${r.householdId}-${r.seasonId}`}
              rowProps={(r) => ({
                'data-account': r.accountNo,
                onClick: () => hh.setAccountNo(r.accountNo),
              })}
              foot={
                <tr data-testid="subsidy-totals">
                  <td colSpan={3}>{t('rules.more.totals')}</td>
                  <Cells columns={amounts} row={report.totals} />
                </tr>
              }
            />
          </div>
        )}
        {section === 'inspection' && rules && rules.inspections.length > 0 && (
          <DataTable
            className="plain-table"
            data-testid="inspections"
            columns={inspectionColumns}
            rows={rules.inspections}
          />
        )}
        <HouseholdRules client={client} session={session} household={hh} />
      </aside>
    </div>
  );
}
