import { Button, type InputRef } from 'antd';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { formatFen, parseYuanToFen } from '@heating-cashier/core/money';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientError } from '../../api/client';
import { useCommand } from '../../app/command';
import { DataTable, type Column } from '../../app/DataTable';
import { DunningField, DunningSelect, HistoryTable } from './layout';
import { useForm } from '../../app/form';
import { useScreenKeys } from '../../app/keys';
import {
  ErrorBox,
  FormMessages,
  ProblemText,
  SuccessAlert,
  useWords,
  type Translate,
} from '../../app/messages';
import { SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatTime } from '../../format/time';
import { openFile, saveFile, textBase64 } from '../cash/download';
import { FlagBanners, FlagTags } from '../search/SearchPage';
import './dunning.css';

type List = CommandOutput<'dunning.list'>;
type Row = List['rows'][number];
type History = CommandOutput<'dunning.history'>;
const LIMIT = 200;
const CHANNELS = ['phone', 'sms', 'visit'] as const;
const OUTCOMES = ['reached', 'no_answer', 'promised', 'refused', 'wrong_number', 'other'] as const;
const FILTERS = ['community', 'building', 'minOwed', 'seasons'] as const;
const FILTER_INPUT_MODE: Partial<Record<(typeof FILTERS)[number], 'decimal' | 'numeric'>> = {
  minOwed: 'decimal',
  seasons: 'numeric',
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The flags a supervisor sets here, with the name their button texts use (setBlacklist, …). */
const FLAGS = [
  ['blacklisted', 'Blacklist'],
  ['legalAction', 'Legal'],
] as const;
/** A success note as a translation key (+ values), so F10 re-renders it in the other language. */
type Note = [string, Record<string, string | number>?];

/** 催缴: arrears list with filters → one household's notices, contact log and flags. Keyboard first. */
export function DunningPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const filterForm = useForm({ community: '', building: '', minOwed: '', seasons: '1' });
  const { community, building, minOwed, seasons } = filterForm.values;
  const [list, setList] = useState<List | null>(null);
  const [selected, setSelected] = useState(0);
  const [open, setOpen] = useState<History | null>(null);
  const { error, setError, fail, take } = useCommand(sessionLost);
  const [problem, setProblem] = useWords();
  const [note, setNote] = useState<Note | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRef = useRef<InputRef>(null);

  const filters = useCallback(() => {
    const min = minOwed.trim() === '' ? 1 : parseYuanToFen(minOwed);
    if (min === null) return { problem: (t: Translate) => t('dunning.list.badAmount') };
    const s = seasons.trim() === '' ? 0 : Number(seasons);
    if (!Number.isInteger(s) || s < 0 || s > 50)
      return { problem: (t: Translate) => t('dunning.list.badSeasons') };
    return {
      input: {
        session: session.token,
        ...(community.trim() ? { community: community.trim() } : {}),
        ...(building.trim() ? { building: building.trim() } : {}),
        minOwedFen: Math.max(1, min),
        minSeasonsOverdue: s,
      },
    };
  }, [minOwed, seasons, community, building, session.token, t]);

  const search = useCallback(async () => {
    const f = filters();
    if (!f.input) return setProblem(f.problem);
    setProblem(null);
    setBusy(true);
    const r = await client.invoke('dunning.list', { ...f.input, limit: LIMIT });
    setBusy(false);
    if (!r.ok) return fail(r.error);
    setError(null);
    setList(r.value);
    setSelected(0);
  }, [client, filters, fail]);

  const exportExcel = useCallback(async () => {
    const f = filters();
    if (!f.input) return setProblem(f.problem);
    setBusy(true);
    const r = await client.invoke('dunning.export', f.input);
    setBusy(false);
    if (!r.ok) return fail(r.error);
    saveFile({ fileName: r.value.fileName, mime: r.value.mimeType, base64: r.value.contentBase64 });
    setNote(['dunning.list.exported', { file: r.value.fileName, rows: r.value.rows }]);
  }, [client, filters, fail, t]);

  const current: Row | undefined = list?.rows[selected];

  const openHousehold = useCallback(
    async (householdId: string) =>
      take(
        await client.invoke('dunning.history', { session: session.token, householdId }),
        setOpen,
      ),
    [client, session.token, take],
  );

  const notice = useCallback(
    async (format: 'thermal' | 'a4') => {
      const householdId = open?.household.id ?? current?.household.id;
      if (!householdId) return;
      setBusy(true);
      const r = await client.invoke('dunning.notice', {
        session: session.token,
        householdId,
        format,
      });
      setBusy(false);
      if (!r.ok) return fail(r.error);
      setError(null);
      const { noticeNo, pdfBase64, html } = r.value;
      if (format === 'thermal') setNote(['dunning.detail.noticeThermal', { no: noticeNo }]);
      else if (pdfBase64) {
        openFile({ fileName: `${noticeNo}.pdf`, mime: 'application/pdf', base64: pdfBase64 });
        setNote(['dunning.detail.noticeA4', { no: noticeNo }]);
      } else if (html) {
        openFile({ fileName: `${noticeNo}.html`, mime: 'text/html', base64: textBase64(html) });
        setNote(['dunning.detail.noticeNoPdf']);
      }
      if (open) void openHousehold(open.household.id);
    },
    [client, session.token, open, current, fail, t, openHousehold],
  );

  useScreenKeys(
    open
      ? [
          {
            key: 'F6',
            label: t('dunning.keys.thermal'),
            run: () => void notice('thermal'),
            disabled: busy,
          },
          { key: 'F7', label: t('dunning.keys.a4'), run: () => void notice('a4'), disabled: busy },
          {
            key: 'Escape',
            label: t('keys.esc'),
            run: () => {
              setOpen(null);
              setNote(null);
              void search();
            },
          },
        ]
      : [
          { key: 'Enter', label: t('dunning.keys.search') },
          { key: 'ArrowUpDown', label: t('keys.arrows') },
          {
            key: 'F5',
            label: t('dunning.keys.open'),
            run: () => current && void openHousehold(current.household.id),
            disabled: !current,
          },
          {
            key: 'F6',
            label: t('dunning.keys.thermal'),
            run: () => void notice('thermal'),
            disabled: !current || busy,
          },
          {
            key: 'F7',
            label: t('dunning.keys.a4'),
            run: () => void notice('a4'),
            disabled: !current || busy,
          },
          {
            key: 'F8',
            label: t('dunning.keys.excel'),
            run: () => void exportExcel(),
            disabled: busy,
          },
          { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
        ],
  );

  useEffect(() => {
    firstRef.current?.focus();
  }, []);

  useEffect(() => {
    if (open || !list) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowDown') setSelected((s) => Math.min(s + 1, list.rows.length - 1));
      else if (e.key === 'ArrowUp') setSelected((s) => Math.max(s - 1, 0));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, list]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void search();
  };

  if (open) {
    return (
      <HouseholdDunning
        key={open.household.id}
        {...{ client, session, history: open, fail, note, setNote, error }}
        reload={() => void openHousehold(open.household.id)}
      />
    );
  }

  const lastContact = (r: Row) =>
    r.lastContactAt
      ? `${formatTime(r.lastContactAt).slice(0, 10)} ${r.lastContactOutcome ? t(`dunning.outcomes.${r.lastContactOutcome}`) : ''}`
      : '';
  const columns: Column<Row>[] = [
    { title: t('dunning.list.account'), className: 'data', cell: (r) => r.household.accountNo },
    { title: t('dunning.list.name'), className: 'data', cell: (r) => r.household.name },
    { title: t('dunning.list.address'), className: 'data', cell: (r) => r.household.address },
    { title: t('dunning.list.owed'), num: true, cell: (r) => formatFen(r.household.owedFen) },
    { title: t('dunning.list.arrears'), num: true, cell: (r) => formatFen(r.arrearsFen) },
    { title: t('dunning.list.overdue'), num: true, cell: (r) => r.seasonsOverdue },
    { title: t('dunning.list.lastContact'), cell: lastContact },
    { title: t('dunning.list.notices'), num: true, cell: (r) => r.notices },
    { title: t('dunning.list.flags'), cell: (r) => <FlagTags flags={r.household.flags} /> },
  ];
  return (
    <section className="dunning-page" data-testid="dunning">
      <h2>{t('dunning.list.heading')}</h2>
      <form className="dunning-filters" onSubmit={submit}>
        {FILTERS.map((name, i) => (
          <DunningField
            key={name}
            ref={i === 0 ? firstRef : undefined}
            label={t(`dunning.list.${name}`)}
            inputMode={FILTER_INPUT_MODE[name]}
            {...filterForm.bind(name)}
          />
        ))}
        <Button htmlType="submit" type="primary" disabled={busy} data-testid="dunning-search">
          {t('dunning.list.search')}
        </Button>
      </form>
      <FormMessages problem={problem} error={error} />
      {note && <NoteAlert note={note} />}
      {list && (
        <>
          <p className="dunning-total" data-testid="dunning-total">
            {t('dunning.list.total', {
              count: list.total.count,
              owed: formatFen(list.total.owedFen),
              ms: list.elapsedMs,
            })}
            {list.total.count > list.rows.length &&
              ` ${t('dunning.list.more', { n: list.rows.length })}`}
          </p>
          {list.rows.length === 0 ? (
            <p>{t('dunning.list.empty')}</p>
          ) : (
            <div className="dunning-table-wrap">
              <DataTable
                className="dunning-table"
                data-testid="dunning-rows"
                columns={columns}
                rows={list.rows}
                rowKey={(r) => r.household.id}
                rowProps={(r, i) => ({
                  className: i === selected ? 'selected' : undefined,
                  'data-account': r.household.accountNo,
                  onClick: () => setSelected(i),
                  onDoubleClick: () => void openHousehold(r.household.id),
                })}
              />
            </div>
          )}
        </>
      )}
    </section>
  );
}

function NoteAlert({ note }: { note: Note }) {
  const { t } = useTranslation();
  return <SuccessAlert title={t(note[0], note[1])} testId="dunning-note" />;
}

function HouseholdDunning({
  client,
  session,
  history,
  fail,
  note,
  setNote,
  error,
  reload,
}: Pick<ScreenProps, 'client' | 'session'> & {
  history: History;
  fail(e: ClientError): void;
  note: Note | null;
  setNote(n: Note | null): void;
  error: ClientError | null;
  reload(): void;
}) {
  const { t } = useTranslation();
  const h = history.household;
  const form = useForm({
    channel: 'phone' as (typeof CHANNELS)[number],
    outcome: 'reached' as (typeof OUTCOMES)[number],
    promisedOn: '',
    note: '',
    flagReason: '',
  });
  const { channel, outcome, promisedOn, flagReason } = form.values;
  const sup = useSupervisor();
  const [problem, setProblem] = useWords();
  const channelRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    channelRef.current?.focus();
  }, []);

  const saveContact = async (e: FormEvent) => {
    e.preventDefault();
    const promised = promisedOn.trim();
    if (promised !== '' && !DATE.test(promised))
      return setProblem((t) => t('dunning.detail.badDate'));
    setProblem(null);
    const r = await client.invoke('dunning.contact', {
      session: session.token,
      householdId: h.id,
      channel,
      outcome,
      ...(promised ? { promisedOn: promised } : {}),
      note: form.values.note,
    });
    if (!r.ok) return fail(r.error);
    form.reset('note', 'promisedOn');
    setNote(['dunning.detail.saved']);
    reload();
  };

  const setFlag = async (flag: 'blacklisted' | 'legalAction', value: boolean) => {
    if (flagReason.trim() === '') return setProblem((t) => t('dunning.detail.needReason'));
    const approval = sup.credentials();
    if (!approval) return setProblem((t) => t('dunning.detail.needSupervisor'));
    setProblem(null);
    const r = await client.invoke('dunning.flag', {
      session: session.token,
      householdId: h.id,
      flag,
      value,
      reason: flagReason.trim(),
      ...approval,
    });
    sup.setPin('');
    if (!r.ok) return fail(r.error);
    form.reset('flagReason');
    setNote(['dunning.detail.flagSaved']);
    reload();
  };

  type Contact = History['contacts'][number];
  const contactColumns: Column<Contact>[] = [
    { cell: (c) => formatTime(c.occurredAt) },
    { cell: (c) => t(`dunning.channels.${c.channel}`) },
    { cell: (c) => t(`dunning.outcomes.${c.outcome}`) },
    { cell: (c) => c.promisedOn ?? '' },
    { className: 'data', cell: (c) => c.note },
    { className: 'data', cell: (c) => c.clerkName ?? '' },
  ];
  const noticeColumns: Column<History['notices'][number]>[] = [
    { className: 'data', cell: (n) => n.noticeNo },
    { cell: (n) => (n.format === 'a4' ? 'A4' : t('dunning.keys.thermal')) },
    { num: true, cell: (n) => formatFen(n.totalFen) },
    { cell: (n) => n.dueDate },
    { cell: (n) => formatTime(n.issuedAt) },
  ];
  const flagColumns: Column<History['flagChanges'][number]>[] = [
    { cell: (f) => formatTime(f.changedAt) },
    { cell: (f) => `${t(`dunning.flags.${f.flag}`)} ${f.value ? '✓' : '✗'}` },
    { className: 'data', cell: (f) => f.reason },
    { className: 'data', cell: (f) => f.approvedBy ?? '' },
  ];

  return (
    <section className="dunning-page" data-testid="dunning-household">
      <h2>{t('dunning.detail.heading', { name: h.name, account: h.accountNo })}</h2>
      <FlagBanners flags={h.flags} />
      <p className="data">
        {h.address} · {t('dunning.list.owed')} <strong>{formatFen(h.owedFen)}</strong>{' '}
        <FlagTags flags={h.flags} />
      </p>
      {error && <ErrorBox error={error} />}
      {problem && <ProblemText text={problem} />}
      {note && <NoteAlert note={note} />}
      <div className="dunning-columns">
        <div>
          <h3>{t('dunning.detail.contacts')}</h3>
          <form className="dunning-contact" onSubmit={(e) => void saveContact(e)}>
            <DunningSelect
              ref={channelRef}
              label={t('dunning.detail.channel')}
              {...form.bind('channel')}
              options={CHANNELS}
              optionText={(c) => t(`dunning.channels.${c}`)}
            />
            <DunningSelect
              label={t('dunning.detail.outcome')}
              {...form.bind('outcome')}
              options={OUTCOMES}
              optionText={(o) => t(`dunning.outcomes.${o}`)}
            />
            <DunningField
              label={t('dunning.detail.promisedOn')}
              placeholder="2026-12-31"
              {...form.bind('promisedOn')}
            />
            <DunningField label={t('dunning.detail.note')} maxLength={500} {...form.bind('note')} />
            <Button htmlType="submit" type="primary" data-testid="contact-save">
              {t('dunning.detail.save')}
            </Button>
          </form>
          <HistoryTable
            whenEmpty={<p>{t('dunning.detail.noContacts')}</p>}
            data-testid="contact-rows"
            columns={contactColumns}
            rows={history.contacts}
          />
        </div>
        <div>
          <h3>{t('dunning.detail.notices')}</h3>
          <HistoryTable
            data-testid="notice-rows"
            columns={noticeColumns}
            rows={history.notices}
            rowKey={(n) => n.noticeNo}
          />
          <h3>{t('dunning.detail.flagHeading')}</h3>
          {/* Enter (in the reason or the PIN) submits the first action, the blacklist; Tab reaches
              the legal-action button. */}
          <form
            className="dunning-contact"
            data-testid="flag-form"
            onSubmit={(e) => {
              e.preventDefault();
              void setFlag('blacklisted', !h.flags.blacklisted);
            }}
          >
            <DunningField
              label={t('dunning.detail.reason')}
              maxLength={200}
              {...form.bind('flagReason')}
            />
            <SupervisorFields {...sup.fields} fieldClass="" />
            <div className="dunning-buttons">
              {FLAGS.map(([flag, name]) => (
                <Button
                  key={flag}
                  danger={flag === 'blacklisted'}
                  htmlType={flag === 'blacklisted' ? 'submit' : 'button'}
                  onClick={
                    flag === 'blacklisted' ? undefined : () => void setFlag(flag, !h.flags[flag])
                  }
                  data-testid={`flag-${name.toLowerCase()}`}
                >
                  {t(`dunning.detail.${h.flags[flag] ? 'clear' : 'set'}${name}`)}
                  {flag === 'blacklisted' && ' (Enter)'}
                </Button>
              ))}
            </div>
          </form>
          {history.flagChanges.length > 0 && (
            <>
              <h3>{t('dunning.detail.flagHistory')}</h3>
              <HistoryTable
                columns={flagColumns}
                rows={history.flagChanges}
                rowKey={(f) => `${f.changedAt}-${f.flag}`}
              />
            </>
          )}
        </div>
      </div>
    </section>
  );
}
