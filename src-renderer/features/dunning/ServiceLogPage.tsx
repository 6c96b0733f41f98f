import { Button, Input, type InputRef } from 'antd';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientResult } from '../../api/client';
import { useCommand } from '../../app/command';
import type { Column } from '../../app/DataTable';
import { DunningField, DunningSelect, EntryForm, HistoryTable } from './layout';
import { Options } from '../../app/fields';
import { useForm } from '../../app/form';
import { useScreenKeys } from '../../app/keys';
import { FormMessages, SuccessAlert, useWords } from '../../app/messages';
import type { ScreenProps } from '../../app/types';
import { formatTime } from '../../format/time';
import { saveFile } from '../cash/download';
import { FlagTags } from '../search/SearchPage';
import './dunning.css';

type Log = CommandOutput<'service.log'>;
type Complaint = Log['complaints'][number];
const CATEGORIES = ['not_warm', 'leak', 'noise', 'billing', 'service', 'other'] as const;
const STATUSES = ['open', 'in_progress', 'closed'] as const;

/** "18.5" / "-3" → tenths of °C (integer), null when not a number with at most one decimal. */
export function parseTenthsC(text: string): number | null {
  const m = /^(-?)(\d{1,2})(?:[.,](\d))?$/.exec(text.trim());
  if (!m) return null;
  const v = (Number(m[2]) * 10 + Number(m[3] ?? '0')) * (m[1] ? -1 : 1);
  return v === 0 ? 0 : v;
}
const tenths = (v: number | null) => (v === null ? '' : `${(v / 10).toFixed(1)}℃`);

/** Service log of one household: 测温, 投诉 with status, 锁闭阀 (who / when / key). */
export function ServiceLogPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const form = useForm({
    account: '',
    room: '',
    tempC: '',
    outdoorC: '',
    category: 'not_warm' as (typeof CATEGORIES)[number],
    complaint: '',
    keyNo: '',
    operator: '',
  });
  const { account, room, tempC, outdoorC, category, complaint, keyNo, operator } = form.values;
  const [log, setLog] = useState<Log | null>(null);
  const { error, fail, take } = useCommand(sessionLost);
  const [problem, setProblem] = useWords();
  const [note, setNote] = useState<string | null>(null);
  const [statusFor, setStatusFor] = useState<Record<string, { status: string; note: string }>>({});
  const accountRef = useRef<InputRef>(null);

  const load = useCallback(
    async (householdId: string) =>
      take(await client.invoke('service.log', { session: session.token, householdId }), setLog),
    [client, session.token, take],
  );

  const find = async (e: FormEvent) => {
    e.preventDefault();
    const q = account.trim();
    if (!q) return;
    const r = await client.invoke('household.search', {
      session: session.token,
      query: q,
      limit: 5,
    });
    if (!r.ok) return fail(r.error);
    const hit = r.value.results.find((x) => x.accountNo === q) ?? r.value.results[0];
    if (!hit) return setProblem((t) => t('dunning.service.notFound'));
    setProblem(null);
    if (hit.id !== log?.household.id) {
      // Another household: nothing typed for the previous one may be recorded on this one.
      form.reset('room', 'tempC', 'outdoorC', 'category', 'complaint', 'keyNo', 'operator');
      setStatusFor({});
      setNote(null);
      setLog(null);
    }
    await load(hit.id);
  };

  /** Records one service entry, then shows the log again. */
  const record = async <T,>(send: () => Promise<ClientResult<T>>, sent?: () => void) => {
    setProblem(null);
    const r = await send();
    if (!r.ok) return fail(r.error);
    sent?.();
    if (!log) return;
    setNote('dunning.service.saved');
    await load(log.household.id);
  };

  const addTemp = async (e: FormEvent) => {
    e.preventDefault();
    if (!log) return;
    const v = parseTenthsC(tempC);
    const o = outdoorC.trim() === '' ? undefined : parseTenthsC(outdoorC);
    if (v === null || o === null || room.trim() === '')
      return setProblem((t) => t('dunning.service.badTemp'));
    await record(
      () =>
        client.invoke('service.temperature', {
          session: session.token,
          householdId: log.household.id,
          room: room.trim(),
          tenthsC: v,
          ...(o === undefined ? {} : { outdoorTenthsC: o }),
        }),
      () => form.reset('tempC', 'outdoorC'),
    );
  };

  const addComplaint = async (e: FormEvent) => {
    e.preventDefault();
    if (!log) return;
    if (complaint.trim() === '') return setProblem((t) => t('dunning.service.needText'));
    await record(
      () =>
        client.invoke('service.complaint', {
          session: session.token,
          householdId: log.household.id,
          category,
          text: complaint.trim(),
        }),
      () => form.reset('complaint'),
    );
  };

  const setStatus = async (complaintId: string) => {
    const s = statusFor[complaintId];
    if (!s || s.note.trim() === '') return setProblem((t) => t('dunning.service.needText'));
    await record(() =>
      client.invoke('service.complaintStatus', {
        session: session.token,
        complaintId,
        status: s.status as (typeof STATUSES)[number],
        note: s.note.trim(),
      }),
    );
  };

  const valve = async (action: 'lock' | 'unlock') => {
    if (!log) return;
    if (keyNo.trim() === '') return setProblem((t) => t('dunning.service.needText'));
    await record(() =>
      client.invoke('service.valve', {
        session: session.token,
        householdId: log.household.id,
        action,
        keyNo: keyNo.trim(),
        ...(operator.trim() ? { operator: operator.trim() } : {}),
      }),
    );
  };

  const exportExcel = async () => {
    if (!log) return;
    const r = await client.invoke('service.export', {
      session: session.token,
      householdId: log.household.id,
    });
    if (!r.ok) return fail(r.error);
    saveFile({ fileName: r.value.fileName, mime: r.value.mimeType, base64: r.value.contentBase64 });
  };

  useScreenKeys([
    { key: 'Enter', label: t('dunning.keys.search') },
    { key: 'F8', label: t('dunning.keys.excel'), run: () => void exportExcel(), disabled: !log },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  useEffect(() => {
    accountRef.current?.focus();
  }, []);

  const statusOf = (c: Complaint) =>
    statusFor[c.id] ?? { status: c.status === 'open' ? 'in_progress' : 'closed', note: '' };
  const setStatusOf = (c: Complaint, change: Partial<{ status: string; note: string }>) =>
    setStatusFor({ ...statusFor, [c.id]: { ...statusOf(c), ...change } });
  const complaintColumns: Column<Complaint>[] = [
    { cell: (c) => formatTime(c.openedAt) },
    { cell: (c) => t(`dunning.categories.${c.category}`) },
    { className: 'data', cell: (c) => c.text },
    {
      cell: (c) => (
        <>
          <strong>{t(`dunning.statuses.${c.status}`)}</strong>
          {c.updates.map((u, i) => (
            <div key={i} className="data small">
              {formatTime(u.at)} {t(`dunning.statuses.${u.status}`)} {u.note}
            </div>
          ))}
        </>
      ),
    },
    {
      cell: (c) => (
        <>
          <select
            aria-label={t('dunning.service.status')}
            value={statusOf(c).status}
            onChange={(e) => setStatusOf(c, { status: e.target.value })}
          >
            <Options values={STATUSES} text={(x) => t(`dunning.statuses.${x}`)} />
          </select>
          <Input
            aria-label={t('dunning.service.statusNote')}
            placeholder={t('dunning.service.statusNote')}
            value={statusOf(c).note}
            onChange={(e) => setStatusOf(c, { note: e.target.value })}
            onPressEnter={() => void setStatus(c.id)}
          />
        </>
      ),
    },
  ];
  const temperatureColumns: Column<Log['temperatures'][number]>[] = [
    { cell: (r) => formatTime(r.measuredAt) },
    { className: 'data', cell: (r) => r.room },
    { num: true, cell: (r) => tenths(r.tenthsC) },
    { num: true, cell: (r) => tenths(r.outdoorTenthsC) },
    { className: 'data', cell: (r) => r.clerkName ?? '' },
  ];
  const valveColumns: Column<Log['valves'][number]>[] = [
    { cell: (v) => formatTime(v.occurredAt) },
    { cell: (v) => t(v.action === 'lock' ? 'dunning.service.lock' : 'dunning.service.unlock') },
    { className: 'data', cell: (v) => v.keyNo },
    { className: 'data', cell: (v) => v.operator },
  ];
  const valveState =
    log?.valveState === 'lock' ? 'locked' : log?.valveState === 'unlock' ? 'unlocked' : 'valveNone';

  return (
    <section className="dunning-page" data-testid="service-log">
      <h2>{t('dunning.service.heading')}</h2>
      <form className="dunning-filters" onSubmit={(e) => void find(e)}>
        <DunningField
          ref={accountRef}
          label={t('dunning.service.accountPrompt')}
          {...form.bind('account')}
        />
        <Button htmlType="submit" type="primary">
          {t('dunning.service.load')}
        </Button>
      </form>
      <FormMessages problem={problem} error={error} />
      {note && <SuccessAlert title={t(note)} />}
      {log && (
        <>
          <p className="data" data-testid="service-household">
            {log.household.accountNo} {log.household.name} · {log.household.address}{' '}
            <FlagTags flags={log.household.flags} />
          </p>
          <div className="dunning-columns">
            <div>
              <h3>{t('dunning.service.temperatures')}</h3>
              <EntryForm onSubmit={addTemp} submitText={t('dunning.service.addTemp')}>
                <DunningField label={t('dunning.service.room')} {...form.bind('room')} />
                {(['tempC', 'outdoorC'] as const).map((name) => (
                  <DunningField
                    key={name}
                    label={t(`dunning.service.${name}`)}
                    inputMode="decimal"
                    {...form.bind(name)}
                  />
                ))}
              </EntryForm>
              <HistoryTable
                data-testid="temperature-rows"
                columns={temperatureColumns}
                rows={log.temperatures}
              />
              <h3>
                {t('dunning.service.valves')} ·{' '}
                {t('dunning.service.valveState', { state: t(`dunning.service.${valveState}`) })}
              </h3>
              <div className="dunning-contact">
                {(['keyNo', 'operator'] as const).map((name) => (
                  <DunningField
                    key={name}
                    label={t(`dunning.service.${name}`)}
                    {...form.bind(name)}
                  />
                ))}
                <div className="dunning-buttons">
                  <Button onClick={() => void valve('lock')} data-testid="valve-lock">
                    {t('dunning.service.lock')}
                  </Button>
                  <Button onClick={() => void valve('unlock')} data-testid="valve-unlock">
                    {t('dunning.service.unlock')}
                  </Button>
                </div>
              </div>
              <HistoryTable data-testid="valve-rows" columns={valveColumns} rows={log.valves} />
            </div>
            <div>
              <h3>{t('dunning.service.complaints')}</h3>
              <EntryForm onSubmit={addComplaint} submitText={t('dunning.service.addComplaint')}>
                <DunningSelect
                  label={t('dunning.service.category')}
                  {...form.bind('category')}
                  options={CATEGORIES}
                  optionText={(c) => t(`dunning.categories.${c}`)}
                />
                <DunningField
                  label={t('dunning.service.text')}
                  maxLength={500}
                  {...form.bind('complaint')}
                />
              </EntryForm>
              <HistoryTable
                data-testid="complaint-rows"
                columns={complaintColumns}
                rows={log.complaints}
              />
            </div>
          </div>
        </>
      )}
    </section>
  );
}
