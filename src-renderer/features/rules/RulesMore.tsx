import { Button, Input, type InputRef } from 'antd';
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ApiClient, ClientError } from '../../api/client';
import { ErrorBox, ProblemText } from '../../app/messages';
import { SupervisorFields } from '../../app/SupervisorFields';
import type { Account, Session } from '../../app/types';
import { formatArea, formatFen, parseYuanToFen } from '../../format/money';
import { AccountRules } from './AccountRules';
import { field, lookupAccount } from './shared';

export type MoreSection = 'inspection' | 'subsidy' | 'advance';
type HouseholdRules = CommandOutput<'household.rules'>;
type SubsidyReport = CommandOutput<'report.subsidy'>;
const CODE = /^[A-Za-z0-9]{1,20}$/;
const PIN = /^\d{4,12}$/;

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
  const [accountNo, setAccountNo] = useState('');
  const [account, setAccount] = useState<Account | null>(null);
  const [rules, setRules] = useState<HouseholdRules | null>(null);
  const [seasonId, setSeasonId] = useState('');
  const [finding, setFinding] = useState('');
  const [drawingHeat, setDrawingHeat] = useState(true);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const [subsidyMode, setSubsidyMode] = useState<'assign' | 'receive'>('assign');
  const [advanceMode, setAdvanceMode] = useState<'assess' | 'credit'>('assess');
  const [sup, setSup] = useState({ code: '', pin: '' });
  const [report, setReport] = useState<SubsidyReport | null>(null);
  const [outstandingOnly, setOutstandingOnly] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const [version, setVersion] = useState(0);
  const accountRef = useRef<InputRef>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const fail = useCallback(
    (e: ClientError) => (e.code === 'NOT_LOGGED_IN' ? sessionLost() : setError(e)),
    [sessionLost],
  );

  useEffect(() => {
    setProblem(null);
    setError(null);
    setDone(null);
    setAmount('');
    setSup({ code: '', pin: '' });
    accountRef.current?.focus();
  }, [section]);

  const loadReport = useCallback(async () => {
    const r = await client.invoke('report.subsidy', { session: session.token, outstandingOnly });
    if (r.ok) setReport(r.value);
    else fail(r.error);
  }, [client, session.token, outstandingOnly, fail]);
  useEffect(() => {
    if (section === 'subsidy') void loadReport();
  }, [section, loadReport, version]);

  const loadRules = useCallback(
    async (householdId: string) => {
      const r = await client.invoke('household.rules', { session: session.token, householdId });
      if (r.ok) setRules(r.value);
    },
    [client, session.token],
  );

  const loadedId = account?.household.id;
  useEffect(() => {
    if (!loadedId) return;
    void loadRules(loadedId);
    document.querySelector<HTMLElement>(`[name="${FIRST[section]}"]`)?.focus();
    // not on a section switch: then the cursor goes back to the account number
  }, [loadedId, version, loadRules]);

  async function findHousehold(): Promise<Account | null> {
    const no = accountNo.trim();
    if (!no) return null;
    if (account && account.household.accountNo === no) return account;
    const found = await lookupAccount(client, session.token, no);
    if ('error' in found) {
      fail(found.error);
      return null;
    }
    if ('notFound' in found) {
      setProblem(t('rules.problems.notFound'));
      return null;
    }
    const value = found.account;
    setAccount(value);
    setSeasonId(value.seasons[value.seasons.length - 1]?.seasonId ?? '');
    return value;
  }

  const supervisor = () =>
    CODE.test(sup.code.trim()) && PIN.test(sup.pin)
      ? { supervisorCode: sup.code.trim(), supervisorPin: sup.pin }
      : null;

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (working) return;
    setError(null);
    setDone(null);
    setProblem(null);
    const wasLoaded = account?.household.accountNo === accountNo.trim();
    const a = await findHousehold();
    if (!a) return setProblem((p) => p ?? t('rules.problems.needAccount'));
    if (!wasLoaded) return; // first Enter finds the household; the next one submits
    const base = { session: session.token, householdId: a.household.id };
    setWorking(true);
    try {
      if (section === 'inspection') {
        if (!finding.trim()) return setProblem(t('rules.more.problems.needFinding'));
        const fen = amount.trim() ? parseYuanToFen(amount) : 0;
        if (fen === null || fen < 0) return setProblem(t('rules.problems.needAmount'));
        const s = supervisor();
        if (fen > 0 && !s) return setProblem(t('rules.problems.needSupervisors', { n: 1 }));
        const r = await client.invoke('inspection.record', {
          ...base,
          ...(seasonId ? { seasonId } : {}),
          finding: finding.trim(),
          drawingHeat,
          ...(fen > 0 ? { backChargeFen: fen, ...s! } : {}),
        });
        if (!r.ok) return fail(r.error);
        setDone(
          r.value.backChargeFen > 0
            ? t('rules.more.done.backCharge', {
                amount: formatFen(r.value.backChargeFen),
                balance: formatFen(r.value.balanceFen),
              })
            : t('rules.more.done.inspection'),
        );
        setFinding('');
        setAmount('');
      } else if (section === 'subsidy') {
        const fen = parseYuanToFen(amount);
        if (fen === null || fen < 0 || (subsidyMode === 'receive' && fen === 0))
          return setProblem(t('rules.problems.needAmount'));
        if (subsidyMode === 'assign') {
          if (!reason.trim()) return setProblem(t('rules.problems.needReason'));
          const s = supervisor();
          if (!s) return setProblem(t('rules.problems.needSupervisors', { n: 1 }));
          const r = await client.invoke('subsidy.assign', {
            ...base,
            seasonId,
            shareFen: fen,
            reason: reason.trim(),
            ...s,
          });
          if (!r.ok) return fail(r.error);
          setDone(
            t('rules.more.done.assigned', {
              share: formatFen(r.value.shareFen),
              balance: formatFen(r.value.householdBalanceFen),
            }),
          );
          setReason('');
        } else {
          if (!reference.trim()) return setProblem(t('rules.more.problems.needReference'));
          const r = await client.invoke('subsidy.receive', {
            ...base,
            seasonId,
            amountFen: fen,
            reference: reference.trim(),
          });
          if (!r.ok) return fail(r.error);
          setDone(
            t('rules.more.done.received', {
              amount: formatFen(fen),
              outstanding: formatFen(r.value.outstandingFen),
            }),
          );
          setReference('');
        }
        setAmount('');
      } else if (advanceMode === 'assess') {
        const r = await client.invoke('charge.assessAdvance', base);
        if (!r.ok) return fail(r.error);
        setDone(
          t('rules.more.done.advance', {
            season: r.value.seasonCode,
            charge: formatFen(r.value.chargeFen),
          }),
        );
      } else {
        const r = await client.invoke('credit.apply', base);
        if (!r.ok) return fail(r.error);
        setDone(
          t('rules.more.done.credit', {
            moved: formatFen(r.value.transfers.reduce((s, x) => s + x.amountFen, 0)),
            credit: formatFen(r.value.creditFen),
            owed: formatFen(r.value.owedFen),
          }),
        );
      }
      const fresh = await client.invoke('household.account', {
        session: session.token,
        householdId: a.household.id,
      });
      if (fresh.ok) setAccount(fresh.value);
      setVersion((v) => v + 1);
    } finally {
      setWorking(false);
      setSup({ code: '', pin: '' });
    }
  }

  /** Enter on a select submits too (the form's own Enter only fires from inputs). */
  const enterSubmits = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void submit();
    }
  };

  const supFields = (
    <div className="sup-pair">
      <SupervisorFields
        code={sup.code}
        pin={sup.pin}
        onCode={(v) => setSup({ ...sup, code: v })}
        onPin={(v) => setSup({ ...sup, pin: v })}
      />
    </div>
  );
  const subsidyRow = rules?.subsidy.find((s) => s.seasonId === seasonId);
  const nextSeason = rules?.advance.seasonId ?? null;

  return (
    <div className="rules-body">
      <form
        ref={formRef}
        className="tools-form rules-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        data-testid="rules-more-form"
      >
        <label className="field">
          <span>{t('rules.accountNo')}</span>
          <Input
            ref={accountRef}
            name="accountNo"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('rules.accountHint')}
            value={accountNo}
            onFocus={(e) => e.target.select()}
            onChange={(e) => setAccountNo(e.target.value)}
          />
        </label>
        {account && (
          <p className="hint" data-testid="rules-household">
            <strong className="data">{account.household.name}</strong> {account.household.address} ·{' '}
            {formatArea(account.household.areaHundredths)} ·{' '}
            {t(`category.${account.household.category}`)}
          </p>
        )}
        {account && section !== 'advance' && (
          <label className="field">
            <span>{t('rules.season')}</span>
            <select
              name="season"
              className="native-select"
              value={seasonId}
              onKeyDown={enterSubmits}
              onChange={(e) => setSeasonId(e.target.value)}
            >
              {account.seasons.map((s) => (
                <option key={s.seasonId} value={s.seasonId}>
                  {s.seasonCode} · {formatFen(s.chargeFen)} · {formatFen(s.balanceFen)}
                </option>
              ))}
            </select>
          </label>
        )}
        {account && section === 'inspection' && (
          <>
            {field('finding', t('rules.more.finding'), finding, setFinding, { maxLength: 200 })}
            <label className="field check">
              <input
                type="checkbox"
                name="drawingHeat"
                checked={drawingHeat}
                onChange={(e) => setDrawingHeat(e.target.checked)}
              />
              <span>{t('rules.more.drawingHeat')}</span>
            </label>
            {field('amount', t('rules.more.backCharge'), amount, setAmount, {
              prefix: '¥',
              inputMode: 'decimal',
            })}
            <p className="hint">{t('rules.more.backChargeHint')}</p>
            {supFields}
          </>
        )}
        {account && section === 'subsidy' && (
          <>
            <label className="field">
              <span>{t('rules.action')}</span>
              <select
                name="subsidyMode"
                className="native-select"
                value={subsidyMode}
                onKeyDown={enterSubmits}
                onChange={(e) => setSubsidyMode(e.target.value as 'assign' | 'receive')}
              >
                <option value="assign">{t('rules.more.assign')}</option>
                <option value="receive">{t('rules.more.receive')}</option>
              </select>
            </label>
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
              'amount',
              subsidyMode === 'assign' ? t('rules.more.share') : t('rules.more.receivedAmount'),
              amount,
              setAmount,
              { prefix: '¥', inputMode: 'decimal' },
            )}
            {subsidyMode === 'assign' ? (
              <>
                {field('reason', t('rules.reason'), reason, setReason, { maxLength: 200 })}
                {supFields}
              </>
            ) : (
              field('reference', t('rules.more.reference'), reference, setReference, {
                maxLength: 64,
              })
            )}
          </>
        )}
        {account && section === 'advance' && (
          <>
            <label className="field">
              <span>{t('rules.action')}</span>
              <select
                name="advanceMode"
                className="native-select"
                value={advanceMode}
                onKeyDown={enterSubmits}
                onChange={(e) => setAdvanceMode(e.target.value as 'assess' | 'credit')}
              >
                <option value="assess">{t('rules.more.assess')}</option>
                <option value="credit">{t('rules.more.applyCredit')}</option>
              </select>
            </label>
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
        {problem && <ProblemText text={problem} />}
        {done && (
          <p className="done-note" role="status" data-testid="rules-done">
            {done}
          </p>
        )}
        {error && <ErrorBox error={error} />}
        {section === 'subsidy' && report && (
          <div data-testid="subsidy-report">
            <h3>{t('rules.more.reportTitle')}</h3>
            <label className="field check">
              <input
                type="checkbox"
                name="outstandingOnly"
                checked={outstandingOnly}
                onChange={(e) => setOutstandingOnly(e.target.checked)}
              />
              <span>{t('rules.more.outstandingOnly')}</span>
            </label>
            <table className="plain-table">
              <thead>
                <tr>
                  <th>{t('rules.accountNo')}</th>
                  <th>{t('rules.household')}</th>
                  <th>{t('rules.season')}</th>
                  <th className="num">{t('rules.more.share')}</th>
                  <th className="num">{t('rules.more.received')}</th>
                  <th className="num">{t('rules.more.outstanding')}</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r) => (
                  <tr
                    key={`${r.householdId}-${r.seasonId}`}
                    data-account={r.accountNo}
                    onClick={() => setAccountNo(r.accountNo)}
                  >
                    <td className="mono">{r.accountNo}</td>
                    <td className="data">{r.name}</td>
                    <td className="mono">{r.seasonCode}</td>
                    <td className="num mono">{formatFen(r.shareFen)}</td>
                    <td className="num mono">{formatFen(r.receivedFen)}</td>
                    <td className="num mono">{formatFen(r.outstandingFen)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="subsidy-totals">
                  <td colSpan={3}>{t('rules.more.totals')}</td>
                  <td className="num mono">{formatFen(report.totals.shareFen)}</td>
                  <td className="num mono">{formatFen(report.totals.receivedFen)}</td>
                  <td className="num mono">{formatFen(report.totals.outstandingFen)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
        {section === 'inspection' && rules && rules.inspections.length > 0 && (
          <table className="plain-table" data-testid="inspections">
            <thead>
              <tr>
                <th>{t('rules.more.inspectedOn')}</th>
                <th>{t('rules.more.finding')}</th>
                <th>{t('rules.more.drawingHeatShort')}</th>
                <th className="num">{t('rules.more.backChargeShort')}</th>
              </tr>
            </thead>
            <tbody>
              {rules.inspections.map((i) => (
                <tr key={i.id}>
                  <td className="mono">{i.inspectedOn}</td>
                  <td className="data">{i.finding}</td>
                  <td>{i.drawingHeat ? t('rules.more.yes') : t('rules.more.no')}</td>
                  <td className="num mono">{formatFen(i.backChargeFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {account && (
          <AccountRules
            key={`${account.household.id}-${version}`}
            client={client}
            session={session}
            householdId={account.household.id}
          />
        )}
      </aside>
    </div>
  );
}
