import { Alert, Button, Input, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ClientError } from '../../api/client';
import { useScreenKeys } from '../../app/keys';
import { ErrorBox, ProblemText } from '../../app/messages';
import type { ScreenProps } from '../../app/types';
import { formatTime } from '../../format/time';
import { saveFile } from '../cash/download';
import { isSessionLost } from '../cash/shared';
import { FlagTags } from '../search/SearchPage';
import './dunning.css';

type Log = CommandOutput<'service.log'>;
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
  const [account, setAccount] = useState('');
  const [log, setLog] = useState<Log | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [room, setRoom] = useState('');
  const [temp, setTemp] = useState('');
  const [outdoor, setOutdoor] = useState('');
  const [category, setCategory] = useState<(typeof CATEGORIES)[number]>('not_warm');
  const [text, setText] = useState('');
  const [keyNo, setKeyNo] = useState('');
  const [operator, setOperator] = useState('');
  const [statusFor, setStatusFor] = useState<Record<string, { status: string; note: string }>>({});
  const accountRef = useRef<InputRef>(null);

  const fail = useCallback(
    (e: ClientError) => (isSessionLost(e) ? sessionLost() : setError(e)),
    [sessionLost],
  );

  const load = useCallback(
    async (householdId: string) => {
      const r = await client.invoke('service.log', { session: session.token, householdId });
      if (!r.ok) return fail(r.error);
      setError(null);
      setLog(r.value);
    },
    [client, session.token, fail],
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
    if (!hit) return setProblem(t('dunning.service.notFound'));
    setProblem(null);
    await load(hit.id);
  };

  const done = async (ok: boolean) => {
    if (ok && log) {
      setNote('dunning.service.saved');
      await load(log.household.id);
    }
  };

  const addTemp = async (e: FormEvent) => {
    e.preventDefault();
    if (!log) return;
    const v = parseTenthsC(temp);
    const o = outdoor.trim() === '' ? undefined : parseTenthsC(outdoor);
    if (v === null || o === null || room.trim() === '')
      return setProblem(t('dunning.service.badTemp'));
    setProblem(null);
    const r = await client.invoke('service.temperature', {
      session: session.token,
      householdId: log.household.id,
      room: room.trim(),
      tenthsC: v,
      ...(o === undefined ? {} : { outdoorTenthsC: o }),
    });
    if (!r.ok) return fail(r.error);
    setTemp('');
    setOutdoor('');
    await done(true);
  };

  const addComplaint = async (e: FormEvent) => {
    e.preventDefault();
    if (!log) return;
    if (text.trim() === '') return setProblem(t('dunning.service.needText'));
    setProblem(null);
    const r = await client.invoke('service.complaint', {
      session: session.token,
      householdId: log.household.id,
      category,
      text: text.trim(),
    });
    if (!r.ok) return fail(r.error);
    setText('');
    await done(true);
  };

  const setStatus = async (complaintId: string) => {
    const s = statusFor[complaintId];
    if (!s || s.note.trim() === '') return setProblem(t('dunning.service.needText'));
    setProblem(null);
    const r = await client.invoke('service.complaintStatus', {
      session: session.token,
      complaintId,
      status: s.status as (typeof STATUSES)[number],
      note: s.note.trim(),
    });
    if (!r.ok) return fail(r.error);
    await done(true);
  };

  const valve = async (action: 'lock' | 'unlock') => {
    if (!log) return;
    if (keyNo.trim() === '') return setProblem(t('dunning.service.needText'));
    setProblem(null);
    const r = await client.invoke('service.valve', {
      session: session.token,
      householdId: log.household.id,
      action,
      keyNo: keyNo.trim(),
      ...(operator.trim() ? { operator: operator.trim() } : {}),
    });
    if (!r.ok) return fail(r.error);
    await done(true);
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

  return (
    <section className="dunning-page" data-testid="service-log">
      <h2>{t('dunning.service.heading')}</h2>
      <form className="dunning-filters" onSubmit={(e) => void find(e)}>
        <label>
          {t('dunning.service.accountPrompt')}
          <Input
            ref={accountRef}
            name="account"
            value={account}
            onChange={(e) => setAccount(e.target.value)}
          />
        </label>
        <Button htmlType="submit" type="primary">
          {t('dunning.service.load')}
        </Button>
      </form>
      {problem && <ProblemText text={problem} />}
      {error && <ErrorBox error={error} />}
      {note && <Alert type="success" showIcon title={t(note)} />}
      {log && (
        <>
          <p className="data" data-testid="service-household">
            {log.household.accountNo} {log.household.name} · {log.household.address}{' '}
            <FlagTags flags={log.household.flags} />
          </p>
          <div className="dunning-columns">
            <div>
              <h3>{t('dunning.service.temperatures')}</h3>
              <form className="dunning-contact" onSubmit={(e) => void addTemp(e)}>
                <label>
                  {t('dunning.service.room')}
                  <Input name="room" value={room} onChange={(e) => setRoom(e.target.value)} />
                </label>
                <label>
                  {t('dunning.service.tempC')}
                  <Input
                    name="tempC"
                    inputMode="decimal"
                    value={temp}
                    onChange={(e) => setTemp(e.target.value)}
                  />
                </label>
                <label>
                  {t('dunning.service.outdoorC')}
                  <Input
                    name="outdoorC"
                    inputMode="decimal"
                    value={outdoor}
                    onChange={(e) => setOutdoor(e.target.value)}
                  />
                </label>
                <Button htmlType="submit">{t('dunning.service.addTemp')}</Button>
              </form>
              <table className="dunning-table" data-testid="temperature-rows">
                <tbody>
                  {log.temperatures.map((r) => (
                    <tr key={r.id}>
                      <td>{formatTime(r.measuredAt)}</td>
                      <td className="data">{r.room}</td>
                      <td className="num">{tenths(r.tenthsC)}</td>
                      <td className="num">{tenths(r.outdoorTenthsC)}</td>
                      <td className="data">{r.clerkName ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>
                {t('dunning.service.valves')} ·{' '}
                {t('dunning.service.valveState', {
                  state:
                    log.valveState === 'lock'
                      ? t('dunning.service.locked')
                      : log.valveState === 'unlock'
                        ? t('dunning.service.unlocked')
                        : t('dunning.service.valveNone'),
                })}
              </h3>
              <div className="dunning-contact">
                <label>
                  {t('dunning.service.keyNo')}
                  <Input name="keyNo" value={keyNo} onChange={(e) => setKeyNo(e.target.value)} />
                </label>
                <label>
                  {t('dunning.service.operator')}
                  <Input
                    name="operator"
                    value={operator}
                    onChange={(e) => setOperator(e.target.value)}
                  />
                </label>
                <div className="dunning-buttons">
                  <Button onClick={() => void valve('lock')} data-testid="valve-lock">
                    {t('dunning.service.lock')}
                  </Button>
                  <Button onClick={() => void valve('unlock')} data-testid="valve-unlock">
                    {t('dunning.service.unlock')}
                  </Button>
                </div>
              </div>
              <table className="dunning-table" data-testid="valve-rows">
                <tbody>
                  {log.valves.map((v) => (
                    <tr key={v.id}>
                      <td>{formatTime(v.occurredAt)}</td>
                      <td>
                        {v.action === 'lock'
                          ? t('dunning.service.lock')
                          : t('dunning.service.unlock')}
                      </td>
                      <td className="data">{v.keyNo}</td>
                      <td className="data">{v.operator}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div>
              <h3>{t('dunning.service.complaints')}</h3>
              <form className="dunning-contact" onSubmit={(e) => void addComplaint(e)}>
                <label>
                  {t('dunning.service.category')}
                  <select
                    name="category"
                    value={category}
                    onChange={(e) => setCategory(e.target.value as typeof category)}
                  >
                    {CATEGORIES.map((c) => (
                      <option key={c} value={c}>
                        {t(`dunning.categories.${c}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('dunning.service.text')}
                  <Input
                    name="complaint"
                    maxLength={500}
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                  />
                </label>
                <Button htmlType="submit">{t('dunning.service.addComplaint')}</Button>
              </form>
              <table className="dunning-table" data-testid="complaint-rows">
                <tbody>
                  {log.complaints.map((c) => {
                    const s = statusFor[c.id] ?? {
                      status: c.status === 'open' ? 'in_progress' : 'closed',
                      note: '',
                    };
                    return (
                      <tr key={c.id}>
                        <td>{formatTime(c.openedAt)}</td>
                        <td>{t(`dunning.categories.${c.category}`)}</td>
                        <td className="data">{c.text}</td>
                        <td>
                          <strong>{t(`dunning.statuses.${c.status}`)}</strong>
                          {c.updates.map((u, i) => (
                            <div key={i} className="data small">
                              {formatTime(u.at)} {t(`dunning.statuses.${u.status}`)} {u.note}
                            </div>
                          ))}
                        </td>
                        <td>
                          <select
                            aria-label={t('dunning.service.status')}
                            value={s.status}
                            onChange={(e) =>
                              setStatusFor({
                                ...statusFor,
                                [c.id]: { ...s, status: e.target.value },
                              })
                            }
                          >
                            {STATUSES.map((x) => (
                              <option key={x} value={x}>
                                {t(`dunning.statuses.${x}`)}
                              </option>
                            ))}
                          </select>
                          <Input
                            aria-label={t('dunning.service.statusNote')}
                            placeholder={t('dunning.service.statusNote')}
                            value={s.note}
                            onChange={(e) =>
                              setStatusFor({ ...statusFor, [c.id]: { ...s, note: e.target.value } })
                            }
                            onPressEnter={() => void setStatus(c.id)}
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
