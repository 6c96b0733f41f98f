import { Button, Input, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ClientError } from '../../api/client';
import { useScreenKeys } from '../../app/keys';
import { ErrorBox, ProblemText } from '../../app/messages';
import { SupervisorFields } from '../../app/SupervisorFields';
import type { Account, ScreenProps } from '../../app/types';
import { formatArea, formatFen, parseYuanToFen } from '../../format/money';
import { AccountRules } from './AccountRules';
import { RulesMore } from './RulesMore';
import { field, lookupAccount } from './shared';
import './rules.css';

type Section = 'noHeat' | 'relief' | 'household' | 'seasons' | 'inspection' | 'subsidy' | 'advance';
type Rules = CommandOutput<'rules.get'>;
type Season = Rules['seasons'][number];
type Category = 'residential' | 'commercial' | 'public';
const SECTIONS: Section[] = [
  'noHeat',
  'relief',
  'household',
  'seasons',
  'inspection',
  'subsidy',
  'advance',
];
/** F5–F8 as before; F1/F3/F11 are free on this screen (F2/F4/F9/F10/F12 are the shell's). */
const SECTION_KEY = {
  noHeat: 'F5',
  relief: 'F6',
  household: 'F7',
  seasons: 'F8',
  inspection: 'F1',
  subsidy: 'F3',
  advance: 'F11',
} as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Za-z0-9]{1,20}$/;
const PIN = /^\d{4,12}$/;
type Sup = { code: string; pin: string };
const noSup: Sup = { code: '', pin: '' };

/** F9 work screen: no-heat application/resume, reductions/write-offs, household record, seasons & rates. */
export function HeatingRulesPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const isSupervisor = session.clerk.role === 'supervisor';
  const [section, setSection] = useState<Section>('noHeat');
  const [rules, setRules] = useState<Rules | null>(null);
  const [accountNo, setAccountNo] = useState('');
  const [account, setAccount] = useState<Account | null>(null);
  const [seasonId, setSeasonId] = useState('');
  const [action, setAction] = useState<'apply' | 'resume'>('apply');
  const [kind, setKind] = useState<'reduction' | 'write_off'>('reduction');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [valveKey, setValveKey] = useState('');
  const [sups, setSups] = useState<Sup[]>([noSup, noSup]);
  const [hh, setHh] = useState({
    name: '',
    phone: '',
    area: '',
    category: 'residential' as Category,
  });
  const [form, setForm] = useState<Record<string, string>>({});
  const [settings, setSettings] = useState<Rules['settings'] | null>(null);
  const [problem, setProblem] = useState<{ key: string; n?: number } | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const [version, setVersion] = useState(0);
  const accountRef = useRef<InputRef>(null);

  const fail = useCallback(
    (e: ClientError) => (e.code === 'NOT_LOGGED_IN' ? sessionLost() : setError(e)),
    [sessionLost],
  );

  const loadRules = useCallback(async () => {
    const r = await client.invoke('rules.get', { session: session.token });
    if (r.ok) setRules(r.value);
    else fail(r.error);
  }, [client, session.token, fail]);
  useEffect(() => void loadRules(), [loadRules]);

  const pick = (s: Section) => {
    setSection(s);
    setProblem(null);
    setError(null);
    setDone(null);
    setSups([noSup, noSup]);
  };
  useEffect(() => {
    if (section === 'seasons')
      document.querySelector<HTMLInputElement>('input[name="seasonCode"]')?.focus();
    else accountRef.current?.focus();
  }, [section]);

  // Once the household is found, the cursor goes to the first thing the clerk still has to type.
  const loadedId = account?.household.id;
  useEffect(() => {
    if (!loadedId) return;
    const first = { noHeat: 'reason', relief: 'amount', household: 'phone' }[
      section as 'noHeat'
    ] as string | undefined;
    if (first) document.querySelector<HTMLInputElement>(`input[name="${first}"]`)?.focus();
  }, [loadedId]);

  useScreenKeys([
    { key: 'Enter', label: t('rules.keys.submit') },
    { key: 'F5', label: t('rules.keys.noHeat'), run: () => pick('noHeat') },
    { key: 'F6', label: t('rules.keys.relief'), run: () => pick('relief') },
    { key: 'F7', label: t('rules.keys.household'), run: () => pick('household') },
    { key: 'F8', label: t('rules.keys.seasons'), run: () => pick('seasons') },
    { key: 'F1', label: t('rules.keys.inspection'), run: () => pick('inspection') },
    { key: 'F3', label: t('rules.keys.subsidy'), run: () => pick('subsidy') },
    { key: 'F11', label: t('rules.keys.advance'), run: () => pick('advance') },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

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
      setProblem({ key: 'rules.problems.notFound' });
      return null;
    }
    const value = found.account;
    setAccount(value);
    const seasons = value.seasons;
    setSeasonId(seasons[seasons.length - 1]?.seasonId ?? '');
    const h = value.household;
    setHh({
      name: h.name,
      phone: h.phone,
      area: (h.areaHundredths / 100).toFixed(2),
      category: h.category,
    });
    return value;
  }

  async function refreshAccount(a: Account) {
    const r = await client.invoke('household.account', {
      session: session.token,
      householdId: a.household.id,
    });
    if (r.ok) setAccount(r.value);
    setVersion((v) => v + 1);
  }

  function supervisors(n: number): { supervisorCode: string; supervisorPin: string }[] | null {
    const given = sups
      .slice(0, n)
      .map((s) => ({ supervisorCode: s.code.trim(), supervisorPin: s.pin }));
    return given.every((s) => CODE.test(s.supervisorCode) && PIN.test(s.supervisorPin))
      ? given
      : null;
  }
  const optionalSup = () => {
    const s = sups[0]!;
    return s.code.trim() || s.pin ? { supervisorCode: s.code.trim(), supervisorPin: s.pin } : {};
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (working) return;
    setError(null);
    setDone(null);
    setProblem(null);
    if (section === 'seasons') return saveSeason();
    const wasLoaded = account?.household.accountNo === accountNo.trim();
    const a = await findHousehold();
    if (!a) return setProblem((p) => p ?? { key: 'rules.problems.needAccount' });
    if (!wasLoaded) return; // first Enter finds the household; the next one submits
    if (!reason.trim()) return setProblem({ key: 'rules.problems.needReason' });
    setWorking(true);
    const base = { session: session.token, householdId: a.household.id, reason: reason.trim() };
    const seasonCode = (id: string) => a.seasons.find((s) => s.seasonId === id)?.seasonCode ?? id;
    try {
      if (section === 'noHeat') {
        if (action === 'apply') {
          const r = await client.invoke('noheat.apply', {
            ...base,
            ...(seasonId ? { seasonId } : {}),
            ...(valveKey.trim() ? { valveKey: valveKey.trim() } : {}),
            ...optionalSup(),
          });
          if (!r.ok) return fail(r.error);
          const v = r.value;
          setDone(
            t('rules.done.noHeat', {
              season: v.seasonCode,
              from: formatFen(v.chargeFen),
              to: formatFen(v.noHeatChargeFen),
              pct: v.ratioPct,
              late: v.lateApprovedBy ? t('rules.done.late', { name: v.lateApprovedBy }) : '',
            }),
          );
        } else {
          const r = await client.invoke('noheat.resume', {
            ...base,
            ...(seasonId ? { seasonId } : {}),
            ...(valveKey.trim() ? { valveKey: valveKey.trim() } : {}),
          });
          if (!r.ok) return fail(r.error);
          setDone(
            t('rules.done.resume', {
              season: seasonCode(r.value.seasonId),
              charge: formatFen(r.value.chargeFen),
            }),
          );
        }
      } else if (section === 'relief') {
        const fen = parseYuanToFen(amount);
        if (fen === null || fen <= 0) return setProblem({ key: 'rules.problems.needAmount' });
        const n = rules?.settings.reliefApprovals ?? 2;
        const approvals = supervisors(n);
        if (!approvals) return setProblem({ key: 'rules.problems.needSupervisors', n });
        const r = await client.invoke('relief.grant', {
          ...base,
          seasonId,
          kind,
          amountFen: fen,
          approvals,
        });
        if (!r.ok) return fail(r.error);
        setDone(
          t('rules.done.relief', {
            kind: t(`rules.kinds.${kind}`),
            amount: formatFen(r.value.amountFen),
            names: r.value.approvers.map((x) => x.name).join('、'),
            balance: formatFen(r.value.balanceFen),
          }),
        );
        setAmount('');
      } else {
        const area = parseYuanToFen(hh.area);
        if (area === null || area <= 0) return setProblem({ key: 'rules.problems.badArea' });
        const h = a.household;
        const changes = {
          ...(hh.phone.trim() !== h.phone ? { phone: hh.phone.trim() } : {}),
          ...(hh.name.trim() !== h.name ? { name: hh.name.trim() } : {}),
          ...(area !== h.areaHundredths ? { areaHundredths: area } : {}),
          ...(hh.category !== h.category ? { category: hh.category } : {}),
        };
        const r = await client.invoke('household.update', {
          ...base,
          ...changes,
          ...optionalSup(),
        });
        if (!r.ok) return fail(r.error);
        setDone(
          `${t('rules.done.household', { fields: r.value.changed.join(', ') })} ${
            r.value.rerate.length ? t('rules.done.rerate', { n: r.value.rerate.length }) : ''
          }`,
        );
      }
      setReason('');
      await refreshAccount(a);
    } finally {
      setWorking(false);
      setSups([noSup, noSup]);
    }
  }

  async function saveSeason() {
    const f = form;
    const existing = rules?.seasons.find((x) => x.seasonId === f.seasonId);
    const rate = (k: Category) => parseYuanToFen(f[k] ?? '');
    if (
      ![f.startsOn, f.endsOn].every((d) => DATE.test(d ?? '')) ||
      (f.deadline && !DATE.test(f.deadline))
    )
      return setProblem({ key: 'rules.problems.badDate' });
    const ratio = Number(f.ratio);
    if (!/^\d{1,3}$/.test(f.ratio ?? '') || ratio > 100)
      return setProblem({ key: 'rules.problems.badPct' });
    const rates = {
      residential: rate('residential'),
      commercial: rate('commercial'),
      public: rate('public'),
    };
    if (Object.values(rates).some((r) => r === null))
      return setProblem({ key: 'rules.problems.badRate' });
    const approvals = supervisors(1);
    if (!approvals) return setProblem({ key: 'rules.problems.needSupervisors', n: 1 });
    setWorking(true);
    const r = await client.invoke('rules.season.set', {
      session: session.token,
      seasonId: f.seasonId ?? '',
      code: f.code ?? '',
      startsOn: f.startsOn ?? '',
      endsOn: f.endsOn ?? '',
      noHeatDeadline: f.deadline ? f.deadline : null,
      noHeatRatioPct: ratio,
      rates: rates as Record<Category, number>,
      // rules this screen does not edit are kept as they are
      ...(existing
        ? { lateFee: existing.rules.lateFee, earlyDiscount: existing.rules.earlyDiscount }
        : {}),
      ...approvals[0]!,
    });
    setWorking(false);
    setSups([noSup, noSup]);
    if (!r.ok) return fail(r.error);
    setDone(t('rules.done.season', { code: r.value.code }));
    void loadRules();
  }

  async function saveSettings() {
    if (!rules) return;
    setError(null);
    setDone(null);
    setProblem(null);
    const approvals = supervisors(1);
    if (!approvals) return setProblem({ key: 'rules.problems.needSupervisors', n: 1 });
    setWorking(true);
    const r = await client.invoke('rules.settings.set', {
      session: session.token,
      ...(settings ?? rules.settings),
      ...approvals[0]!,
    });
    setWorking(false);
    setSups([noSup, noSup]);
    if (!r.ok) return fail(r.error);
    setSettings(null);
    setDone(t('rules.done.settings'));
    void loadRules();
  }

  const editSeason = (s: Season) =>
    setForm({
      seasonId: s.seasonId,
      code: s.code,
      startsOn: s.startsOn,
      endsOn: s.endsOn,
      deadline: s.noHeatDeadline ?? '',
      ratio: String(s.noHeatRatioPct),
      residential: (s.rates.residential / 100).toFixed(2),
      commercial: (s.rates.commercial / 100).toFixed(2),
      public: (s.rates.public / 100).toFixed(2),
    });
  useEffect(() => {
    const last = rules?.seasons[rules.seasons.length - 1];
    if (last && !form.seasonId) editSeason(last);
  }, [rules]);

  const season = rules?.seasons.find((s) => s.seasonId === seasonId);
  const supCount = section === 'relief' ? (rules?.settings.reliefApprovals ?? 2) : 1;
  const readOnly = section === 'seasons' && (!isSupervisor || rules?.managedByHeadOffice === true);

  const head = (
    <header className="rules-head">
      <h2>{t('rules.title')}</h2>
      <div className="slip-tabs">
        {SECTIONS.map((s) => (
          <button
            key={s}
            type="button"
            className={s === section ? 'selected' : ''}
            onClick={() => pick(s)}
            data-testid={`rules-tab-${s}`}
          >
            {SECTION_KEY[s]} {t(`rules.sections.${s}`)}
          </button>
        ))}
      </div>
    </header>
  );
  // inspections, subsidies, advance payment and credit: their own forms (RulesMore.tsx)
  if (section === 'inspection' || section === 'subsidy' || section === 'advance')
    return (
      <section className="panel rules-panel" data-testid="rules" data-section={section}>
        {head}
        <RulesMore client={client} session={session} section={section} sessionLost={sessionLost} />
      </section>
    );
  return (
    <section className="panel rules-panel" data-testid="rules" data-section={section}>
      {head}
      <div className="rules-body">
        <form className="tools-form rules-form" onSubmit={(e) => void submit(e)} noValidate>
          {section !== 'seasons' && (
            <>
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
                  <strong className="data">{account.household.name}</strong>{' '}
                  {account.household.address} · {formatArea(account.household.areaHundredths)} ·{' '}
                  {t(`category.${account.household.category}`)}
                </p>
              )}
            </>
          )}
          {account && (section === 'noHeat' || section === 'relief') && (
            <label className="field">
              <span>{t('rules.season')}</span>
              <select
                name="season"
                className="native-select"
                value={seasonId}
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
          {section === 'noHeat' && account && (
            <>
              <p className="hint" data-testid="rules-deadline">
                {season?.noHeatDeadline
                  ? t('rules.deadline', { date: season.noHeatDeadline, pct: season.noHeatRatioPct })
                  : t('rules.noDeadline')}
              </p>
              <label className="field">
                <span>{t('rules.action')}</span>
                <select
                  name="action"
                  className="native-select"
                  value={action}
                  onChange={(e) => setAction(e.target.value as 'apply' | 'resume')}
                >
                  <option value="apply">{t('rules.apply')}</option>
                  <option value="resume">{t('rules.resume')}</option>
                </select>
              </label>
              {field('valveKey', t('rules.valveKey'), valveKey, setValveKey)}
            </>
          )}
          {section === 'relief' && account && (
            <>
              <label className="field">
                <span>{t('rules.kind')}</span>
                <select
                  name="kind"
                  className="native-select"
                  value={kind}
                  onChange={(e) => setKind(e.target.value as 'reduction' | 'write_off')}
                >
                  <option value="reduction">{t('rules.kinds.reduction')}</option>
                  <option value="write_off">{t('rules.kinds.write_off')}</option>
                </select>
              </label>
              {field('amount', t('rules.amount'), amount, setAmount, {
                prefix: '¥',
                inputMode: 'decimal',
              })}
              <p className="hint">{t('rules.approvalsNeeded', { n: supCount })}</p>
            </>
          )}
          {section === 'household' && account && (
            <>
              {field('phone', t('rules.phone'), hh.phone, (v) => setHh({ ...hh, phone: v }))}
              {field('name', t('rules.name'), hh.name, (v) => setHh({ ...hh, name: v }))}
              {field('area', t('rules.area'), hh.area, (v) => setHh({ ...hh, area: v }), {
                inputMode: 'decimal',
              })}
              <label className="field">
                <span>{t('rules.category')}</span>
                <select
                  name="category"
                  className="native-select"
                  value={hh.category}
                  onChange={(e) => setHh({ ...hh, category: e.target.value as Category })}
                >
                  {(['residential', 'commercial', 'public'] as const).map((c) => (
                    <option key={c} value={c}>
                      {t(`category.${c}`)}
                    </option>
                  ))}
                </select>
              </label>
              <p className="hint">{t('rules.needsSupervisor')}</p>
            </>
          )}
          {section === 'seasons' && (
            <>
              {readOnly && (
                <p className="hint" data-testid="rules-readonly">
                  {rules?.managedByHeadOffice
                    ? t('rules.managedByHeadOffice')
                    : t('rules.supervisorOnly')}
                </p>
              )}
              <fieldset disabled={readOnly} className="season-form">
                {field('seasonId', t('rules.seasonId'), form.seasonId ?? '', (v) =>
                  setForm({ ...form, seasonId: v }),
                )}
                {field('seasonCode', t('rules.code'), form.code ?? '', (v) =>
                  setForm({ ...form, code: v }),
                )}
                {field('startsOn', t('rules.startsOn'), form.startsOn ?? '', (v) =>
                  setForm({ ...form, startsOn: v }),
                )}
                {field('endsOn', t('rules.endsOn'), form.endsOn ?? '', (v) =>
                  setForm({ ...form, endsOn: v }),
                )}
                {field('deadline', t('rules.deadlineLabel'), form.deadline ?? '', (v) =>
                  setForm({ ...form, deadline: v }),
                )}
                {field('ratio', t('rules.ratio'), form.ratio ?? '', (v) =>
                  setForm({ ...form, ratio: v }),
                )}
                {(['residential', 'commercial', 'public'] as const).map((c) =>
                  field(
                    c,
                    `${t('rules.rates')} · ${t(`category.${c}`)}`,
                    form[c] ?? '',
                    (v) => setForm({ ...form, [c]: v }),
                    {
                      prefix: '¥',
                    },
                  ),
                )}
              </fieldset>
              {rules && (
                <fieldset disabled={readOnly} className="season-form settings-form">
                  <legend>{t('rules.settings')}</legend>
                  <label className="field">
                    <span>{t('rules.reliefApprovals')}</span>
                    <select
                      name="reliefApprovals"
                      className="native-select"
                      value={settings?.reliefApprovals ?? rules.settings.reliefApprovals}
                      onChange={(e) =>
                        setSettings({
                          ...(settings ?? rules.settings),
                          reliefApprovals: Number(e.target.value),
                        })
                      }
                    >
                      {[1, 2, 3, 4, 5].map((n) => (
                        <option key={n} value={n}>
                          {n}
                        </option>
                      ))}
                    </select>
                  </label>
                  {(['noHeatRequiresArrearsCleared', 'advancePayment'] as const).map((k) => (
                    <label className="field check" key={k}>
                      <input
                        type="checkbox"
                        name={k}
                        checked={(settings ?? rules.settings)[k]}
                        onChange={(e) =>
                          setSettings({ ...(settings ?? rules.settings), [k]: e.target.checked })
                        }
                      />
                      <span>
                        {t(k === 'advancePayment' ? 'rules.advancePayment' : 'rules.arrearsFirst')}
                      </span>
                    </label>
                  ))}
                  <Button
                    htmlType="button"
                    onClick={() => void saveSettings()}
                    data-testid="rules-settings-save"
                  >
                    {t('rules.saveSettings')}
                  </Button>
                </fieldset>
              )}
            </>
          )}
          {(section === 'seasons' ? !readOnly : account !== null) ? (
            <>
              {section !== 'seasons' &&
                field('reason', t('rules.reason'), reason, setReason, { maxLength: 200 })}
              {Array.from({ length: supCount }, (_, i) => (
                <div className="sup-pair" key={i}>
                  <SupervisorFields
                    code={sups[i]?.code ?? ''}
                    pin={sups[i]?.pin ?? ''}
                    onCode={(v) => setSups(sups.map((s, j) => (j === i ? { ...s, code: v } : s)))}
                    onPin={(v) => setSups(sups.map((s, j) => (j === i ? { ...s, pin: v } : s)))}
                    names={{
                      code: i === 0 ? 'supervisorCode' : `supervisorCode${i + 1}`,
                      pin: i === 0 ? 'supervisorPin' : `supervisorPin${i + 1}`,
                    }}
                    codeLabel={
                      supCount > 1
                        ? `${t('rules.supervisorN', { n: i + 1 })} · ${t('common.supervisorCode')}`
                        : undefined
                    }
                  />
                </div>
              ))}
              {section === 'noHeat' && <p className="hint">{t('rules.supervisorOptional')}</p>}
            </>
          ) : null}
          <Button
            type="primary"
            htmlType="submit"
            loading={working}
            disabled={readOnly}
            data-testid="rules-submit"
          >
            {t('rules.keys.submit')} (Enter)
          </Button>
        </form>
        <aside className="rules-side">
          {problem && <ProblemText text={t(problem.key, { n: problem.n ?? 0 })} />}
          {done && (
            <p className="done-note" role="status" data-testid="rules-done">
              {done}
            </p>
          )}
          {error && <ErrorBox error={error} />}
          {section === 'seasons' ? (
            <table className="plain-table" data-testid="seasons-table">
              <thead>
                <tr>
                  <th>{t('rules.code')}</th>
                  <th>{t('rules.rates')}</th>
                  <th>{t('rules.ratio')}</th>
                  <th>{t('rules.lateFee')}</th>
                </tr>
              </thead>
              <tbody>
                {rules?.seasons.map((s) => (
                  <tr key={s.seasonId} onClick={() => editSeason(s)}>
                    <td className="mono">
                      {s.code}
                      <br />
                      {s.noHeatDeadline ?? '—'}
                    </td>
                    <td>
                      {(['residential', 'commercial', 'public'] as const)
                        .map((c) => `${t(`category.${c}`)} ${formatFen(s.rates[c])}`)
                        .join(' / ')}
                    </td>
                    <td>{s.noHeatRatioPct}%</td>
                    <td>
                      {s.rules.lateFee
                        ? t('rules.lateFeeRule', {
                            after: s.rules.lateFee.startsAfter,
                            permyriad: s.rules.lateFee.dailyPermyriad,
                            cap: s.rules.lateFee.capPct,
                          })
                        : t('rules.lateFeeOff')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            account && (
              <AccountRules
                key={`${account.household.id}-${version}`}
                client={client}
                session={session}
                householdId={account.household.id}
              />
            )
          )}
        </aside>
      </div>
    </section>
  );
}
