import { Button, type InputRef } from 'antd';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { fenToInput, formatFen, parseYuanToFen } from '@heating-cashier/core/money';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommand } from '../../app/command';
import { useWords } from '../../app/messages';
import { DataTable, type Column } from '../../app/DataTable';
import { AMOUNT, CheckField, SelectField } from '../../app/fields';
import { useForm } from '../../app/form';
import { useScreenKeys } from '../../app/keys';
import { KeyTabs, tabKeys, type KeyTab } from '../../app/KeyTabs';
import {
  SupervisorFields,
  supervisorCredentials,
  type SupervisorCredentials,
} from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { RulesMore } from './RulesMore';
import { field, HouseholdFields, HouseholdRules, RulesOutcome, useRulesHousehold } from './shared';
import './rules.css';

type Section = 'noHeat' | 'relief' | 'household' | 'seasons' | 'inspection' | 'subsidy' | 'advance';
type Rules = CommandOutput<'rules.get'>;
type Season = Rules['seasons'][number];
type Category = 'residential' | 'commercial' | 'public';
const CATEGORIES: readonly Category[] = ['residential', 'commercial', 'public'];
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
const SECTIONS = Object.keys(SECTION_KEY) as Section[];
/** The season form's text fields: input name, label key. */
const SEASON_FIELDS = [
  ['seasonId', 'rules.seasonId'],
  ['seasonCode', 'rules.code'],
  ['startsOn', 'rules.startsOn'],
  ['endsOn', 'rules.endsOn'],
  ['deadline', 'rules.deadlineLabel'],
  ['ratio', 'rules.ratio'],
] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
type Sup = { code: string; pin: string };
const noSup: Sup = { code: '', pin: '' };

/** F9 work screen: no-heat application/resume, reductions/write-offs, household record, seasons & rates. */
export function HeatingRulesPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const isSupervisor = session.clerk.role === 'supervisor';
  const { error, setError, fail } = useCommand(sessionLost);
  const [section, setSection] = useState<Section>('noHeat');
  const [rules, setRules] = useState<Rules | null>(null);
  const form = useForm({
    action: 'apply' as 'apply' | 'resume',
    kind: 'reduction' as 'reduction' | 'write_off',
    amount: '',
    reason: '',
    valveKey: '',
    phone: '',
    name: '',
    area: '',
    category: 'residential' as Category,
  });
  const { action, kind, amount, reason, valveKey } = form.values;
  const [sups, setSups] = useState<Sup[]>([noSup, noSup]);
  // Another household found: nothing typed for the previous one may stay (reason, amount, valve
  // key, approvals), the household fields show the new household's record.
  const household = useRulesHousehold(client, session.token, fail, ({ household: h }) => {
    form.set({
      action: 'apply',
      kind: 'reduction',
      amount: '',
      reason: '',
      valveKey: '',
      name: h.name,
      phone: h.phone,
      area: fenToInput(h.areaHundredths),
      category: h.category,
    });
    setSups([noSup, noSup]);
  });
  const { account, seasonId } = household;
  const seasonForm = useForm({
    seasonId: '',
    seasonCode: '',
    startsOn: '',
    endsOn: '',
    deadline: '',
    ratio: '',
    residential: '',
    commercial: '',
    public: '',
  });
  const [settings, setSettings] = useState<Rules['settings'] | null>(null);
  const [problem, setProblem] = useState<{ key: string; n?: number } | null>(null);
  const [done, setDone] = useWords();
  const [working, setWorking] = useState(false);
  const accountRef = useRef<InputRef>(null);

  const loadRules = useCallback(async () => {
    const r = await client.invoke('rules.get', { session: session.token });
    if (r.ok) setRules(r.value);
    else fail(r.error);
  }, [client, session.token, fail]);
  useEffect(() => void loadRules(), [loadRules]);

  const pick = (s: Section) => {
    // The rule (how many supervisors a reduction needs, …) may have changed since: read it again.
    void loadRules();
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

  const tabs: KeyTab<Section>[] = SECTIONS.map((s) => ({
    id: s,
    key: SECTION_KEY[s],
    text: t(`rules.sections.${s}`),
    keyLabel: t(`rules.keys.${s}`),
    testId: `rules-tab-${s}`,
  }));
  useScreenKeys([
    { key: 'Enter', label: t('rules.keys.submit') },
    ...tabKeys(tabs, pick),
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  /** Changes the i-th supervisor pair (the rule may ask for more pairs than were typed so far). */
  const setSup = (i: number, patch: Partial<Sup>) =>
    setSups((all) =>
      Array.from({ length: Math.max(all.length, i + 1) }, (_, j) =>
        j === i ? { ...(all[j] ?? noSup), ...patch } : (all[j] ?? noSup),
      ),
    );

  function supervisors(n: number): SupervisorCredentials[] | null {
    const given = Array.from({ length: n }, (_, i) => sups[i] ?? noSup).map((s) =>
      supervisorCredentials(s.code, s.pin),
    );
    return given.every((s) => s !== null) ? given : null;
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
    // Enter after changing a rule setting saves the settings; the season when none differs from
    // what is stored (a setting changed and changed back saves the season).
    const settingsChanged =
      settings !== null &&
      rules !== null &&
      JSON.stringify(settings) !== JSON.stringify(rules.settings);
    if (section === 'seasons') return settingsChanged ? saveSettings() : saveSeason();
    const a = await household.target((key) => setProblem({ key }));
    if (!a) return; // the first Enter finds the household; the next one submits
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
          setDone((t) =>
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
          const { chargeFen } = r.value;
          const shown = { season: seasonCode(r.value.seasonId), charge: formatFen(chargeFen) };
          setDone((t) => t('rules.done.resume', shown));
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
        if (!r.ok) {
          // refused against a rule changed meanwhile: show the rule as it is now
          if (r.error.code === 'APPROVALS_REQUIRED') void loadRules();
          return fail(r.error);
        }
        setDone((t) =>
          t('rules.done.relief', {
            kind: t(`rules.kinds.${kind}`),
            amount: formatFen(r.value.amountFen),
            names: r.value.approvers.map((x) => x.name).join('、'),
            balance: formatFen(r.value.balanceFen),
          }),
        );
        form.reset('amount');
      } else {
        const hh = form.values;
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
          (t) =>
            `${t('rules.done.household', { fields: r.value.changed.join(', ') })} ${
              r.value.rerate.length ? t('rules.done.rerate', { n: r.value.rerate.length }) : ''
            }`,
        );
      }
      form.reset('reason');
      await household.reload(a);
    } finally {
      setWorking(false);
      setSups([noSup, noSup]);
    }
  }

  async function saveSeason() {
    const f = seasonForm.values;
    const existing = rules?.seasons.find((x) => x.seasonId === f.seasonId);
    const rate = (k: Category) => parseYuanToFen(f[k]);
    if (
      ![f.startsOn, f.endsOn].every((d) => DATE.test(d)) ||
      (f.deadline && !DATE.test(f.deadline))
    )
      return setProblem({ key: 'rules.problems.badDate' });
    const ratio = Number(f.ratio);
    if (!/^\d{1,3}$/.test(f.ratio) || ratio > 100)
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
      seasonId: f.seasonId,
      code: f.seasonCode,
      startsOn: f.startsOn,
      endsOn: f.endsOn,
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
    setDone((t) => t('rules.done.season', { code: r.value.code }));
    void loadRules();
  }

  async function saveSettings() {
    if (!rules || working) return;
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
    setDone((t) => t('rules.done.settings'));
    void loadRules();
  }

  const editSeason = (s: Season) =>
    seasonForm.set({
      seasonId: s.seasonId,
      seasonCode: s.code,
      startsOn: s.startsOn,
      endsOn: s.endsOn,
      deadline: s.noHeatDeadline ?? '',
      ratio: String(s.noHeatRatioPct),
      residential: fenToInput(s.rates.residential),
      commercial: fenToInput(s.rates.commercial),
      public: fenToInput(s.rates.public),
    });
  useEffect(() => {
    const last = rules?.seasons[rules.seasons.length - 1];
    if (last && !seasonForm.values.seasonId) editSeason(last);
  }, [rules]);

  const season = rules?.seasons.find((s) => s.seasonId === seasonId);
  const supCount = section === 'relief' ? (rules?.settings.reliefApprovals ?? 2) : 1;
  const readOnly = section === 'seasons' && (!isSupervisor || rules?.managedByHeadOffice === true);
  const shownSettings = rules ? (settings ?? rules.settings) : null;
  const seasonColumns: Column<Season>[] = [
    {
      title: t('rules.code'),
      className: 'mono',
      cell: (s) => (
        <>
          {s.code}
          <br />
          {s.noHeatDeadline ?? '—'}
        </>
      ),
    },
    {
      title: t('rules.rates'),
      cell: (s) =>
        CATEGORIES.map((c) => `${t(`category.${c}`)} ${formatFen(s.rates[c])}`).join(' / '),
    },
    { title: t('rules.ratio'), cell: (s) => `${s.noHeatRatioPct}%` },
    {
      title: t('rules.lateFee'),
      cell: ({ rules: { lateFee } }) =>
        lateFee
          ? t('rules.lateFeeRule', {
              after: lateFee.startsAfter,
              permyriad: lateFee.dailyPermyriad,
              cap: lateFee.capPct,
            })
          : t('rules.lateFeeOff'),
    },
  ];

  const head = (
    <header className="rules-head">
      <h2>{t('rules.title')}</h2>
      <KeyTabs tabs={tabs} selected={section} onPick={pick} />
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
            <HouseholdFields
              household={household}
              inputRef={accountRef}
              season={section === 'noHeat' || section === 'relief'}
            />
          )}
          {section === 'noHeat' && account && (
            <>
              <p className="hint" data-testid="rules-deadline">
                {season?.noHeatDeadline
                  ? t('rules.deadline', { date: season.noHeatDeadline, pct: season.noHeatRatioPct })
                  : t('rules.noDeadline')}
              </p>
              <SelectField
                label={t('rules.action')}
                {...form.bind('action')}
                options={['apply', 'resume']}
                optionText={(a) => t(`rules.${a}`)}
              />
              {field(t('rules.valveKey'), form.bind('valveKey'))}
            </>
          )}
          {section === 'relief' && account && (
            <>
              <SelectField
                label={t('rules.kind')}
                {...form.bind('kind')}
                options={['reduction', 'write_off']}
                optionText={(k) => t(`rules.kinds.${k}`)}
              />
              {field(t('rules.amount'), form.bind('amount'), AMOUNT)}
              <p className="hint" data-testid="relief-approvals">
                {t(
                  `rules.approvalsNeeded.${supCount === 1 ? 'one' : supCount === 2 ? 'two' : 'many'}`,
                  {
                    n: supCount,
                  },
                )}
              </p>
            </>
          )}
          {section === 'household' && account && (
            <>
              {field(t('rules.phone'), form.bind('phone'))}
              {field(t('rules.name'), form.bind('name'))}
              {field(t('rules.area'), form.bind('area'), { inputMode: 'decimal' })}
              <SelectField
                label={t('rules.category')}
                {...form.bind('category')}
                options={CATEGORIES}
                optionText={(c) => t(`category.${c}`)}
              />
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
                {SEASON_FIELDS.map(([name, label]) => field(t(label), seasonForm.bind(name)))}
                {CATEGORIES.map((c) =>
                  field(`${t('rules.rates')} · ${t(`category.${c}`)}`, seasonForm.bind(c), {
                    prefix: '¥',
                  }),
                )}
              </fieldset>
              {shownSettings && (
                <fieldset disabled={readOnly} className="season-form settings-form">
                  <legend>{t('rules.settings')}</legend>
                  <SelectField
                    label={t('rules.reliefApprovals')}
                    name="reliefApprovals"
                    value={String(shownSettings.reliefApprovals)}
                    options={['1', '2', '3', '4', '5']}
                    optionText={(n) => n}
                    onValue={(n) => setSettings({ ...shownSettings, reliefApprovals: Number(n) })}
                  />
                  {(['noHeatRequiresArrearsCleared', 'advancePayment'] as const).map((k) => (
                    <CheckField
                      key={k}
                      label={t(
                        k === 'advancePayment' ? 'rules.advancePayment' : 'rules.arrearsFirst',
                      )}
                      name={k}
                      checked={shownSettings[k]}
                      onChecked={(v) => setSettings({ ...shownSettings, [k]: v })}
                    />
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
                field(t('rules.reason'), form.bind('reason'), { maxLength: 200 })}
              {Array.from({ length: supCount }, (_, i) => (
                <div className="sup-pair" key={i}>
                  <SupervisorFields
                    code={sups[i]?.code ?? ''}
                    pin={sups[i]?.pin ?? ''}
                    onCode={(v) => setSup(i, { code: v })}
                    onPin={(v) => setSup(i, { pin: v })}
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
          <RulesOutcome
            problem={problem && t(problem.key, { n: problem.n ?? 0 })}
            done={done}
            error={error}
          />
          {section === 'seasons' ? (
            <DataTable
              className="plain-table"
              data-testid="seasons-table"
              columns={seasonColumns}
              rows={rules?.seasons ?? []}
              rowKey={(s) => s.seasonId}
              rowProps={(s) => ({ onClick: () => editSeason(s) })}
            />
          ) : (
            <HouseholdRules client={client} session={session} household={household} />
          )}
        </aside>
      </div>
    </section>
  );
}
