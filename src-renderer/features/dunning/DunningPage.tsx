import { Alert, Button, Input, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ClientError } from '../../api/client';
import { useScreenKeys } from '../../app/keys';
import { ErrorBox, ProblemText } from '../../app/messages';
import { SupervisorFields } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatFen, parseYuanToFen } from '../../format/money';
import { formatTime } from '../../format/time';
import { openFile, saveFile } from '../cash/download';
import { isSessionLost } from '../cash/shared';
import { FlagTags } from '../search/SearchPage';
import './dunning.css';

type List = CommandOutput<'dunning.list'>;
type Row = List['rows'][number];
type History = CommandOutput<'dunning.history'>;
const LIMIT = 200;
const CHANNELS = ['phone', 'sms', 'visit'] as const;
const OUTCOMES = ['reached', 'no_answer', 'promised', 'refused', 'wrong_number', 'other'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A success note as a translation key (+ values), so F10 re-renders it in the other language. */
type Note = [string, Record<string, string | number>?];

/** 催缴: arrears list with filters → one household's notices, contact log and flags. Keyboard first. */
export function DunningPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [community, setCommunity] = useState('');
  const [building, setBuilding] = useState('');
  const [minOwed, setMinOwed] = useState('');
  const [seasons, setSeasons] = useState('1');
  const [list, setList] = useState<List | null>(null);
  const [selected, setSelected] = useState(0);
  const [open, setOpen] = useState<History | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<Note | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRef = useRef<InputRef>(null);

  const fail = useCallback(
    (e: ClientError) => (isSessionLost(e) ? sessionLost() : setError(e)),
    [sessionLost],
  );

  const filters = useCallback(() => {
    const min = minOwed.trim() === '' ? 1 : parseYuanToFen(minOwed);
    if (min === null) return { problem: t('dunning.list.badAmount') };
    const s = seasons.trim() === '' ? 0 : Number(seasons);
    if (!Number.isInteger(s) || s < 0 || s > 50) return { problem: t('dunning.list.badSeasons') };
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
    async (householdId: string) => {
      const r = await client.invoke('dunning.history', { session: session.token, householdId });
      if (!r.ok) return fail(r.error);
      setError(null);
      setOpen(r.value);
    },
    [client, session.token, fail],
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
      if (format === 'thermal') setNote(['dunning.detail.noticeThermal', { no: r.value.noticeNo }]);
      else if (r.value.pdfBase64) {
        openFile({
          fileName: `${r.value.noticeNo}.pdf`,
          mime: 'application/pdf',
          base64: r.value.pdfBase64,
        });
        setNote(['dunning.detail.noticeA4', { no: r.value.noticeNo }]);
      } else if (r.value.html) {
        const bytes = new TextEncoder().encode(r.value.html);
        let bin = '';
        for (const b of bytes) bin += String.fromCharCode(b);
        openFile({ fileName: `${r.value.noticeNo}.html`, mime: 'text/html', base64: btoa(bin) });
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
        {...{ client, session, history: open, fail, note, setNote, error }}
        reload={() => void openHousehold(open.household.id)}
      />
    );
  }

  return (
    <section className="dunning-page" data-testid="dunning">
      <h2>{t('dunning.list.heading')}</h2>
      <form className="dunning-filters" onSubmit={submit}>
        <label>
          {t('dunning.list.community')}
          <Input
            ref={firstRef}
            name="community"
            value={community}
            onChange={(e) => setCommunity(e.target.value)}
          />
        </label>
        <label>
          {t('dunning.list.building')}
          <Input name="building" value={building} onChange={(e) => setBuilding(e.target.value)} />
        </label>
        <label>
          {t('dunning.list.minOwed')}
          <Input
            name="minOwed"
            inputMode="decimal"
            value={minOwed}
            onChange={(e) => setMinOwed(e.target.value)}
          />
        </label>
        <label>
          {t('dunning.list.seasons')}
          <Input
            name="seasons"
            inputMode="numeric"
            value={seasons}
            onChange={(e) => setSeasons(e.target.value)}
          />
        </label>
        <Button htmlType="submit" type="primary" disabled={busy} data-testid="dunning-search">
          {t('dunning.list.search')}
        </Button>
      </form>
      {problem && <ProblemText text={problem} />}
      {error && <ErrorBox error={error} />}
      {note && (
        <Alert type="success" showIcon title={t(note[0], note[1])} data-testid="dunning-note" />
      )}
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
              <table className="dunning-table" data-testid="dunning-rows">
                <thead>
                  <tr>
                    <th>{t('dunning.list.account')}</th>
                    <th>{t('dunning.list.name')}</th>
                    <th>{t('dunning.list.address')}</th>
                    <th className="num">{t('dunning.list.owed')}</th>
                    <th className="num">{t('dunning.list.arrears')}</th>
                    <th className="num">{t('dunning.list.overdue')}</th>
                    <th>{t('dunning.list.lastContact')}</th>
                    <th className="num">{t('dunning.list.notices')}</th>
                    <th>{t('dunning.list.flags')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.rows.map((r, i) => (
                    <tr
                      key={r.household.id}
                      className={i === selected ? 'selected' : undefined}
                      data-account={r.household.accountNo}
                      onClick={() => setSelected(i)}
                      onDoubleClick={() => void openHousehold(r.household.id)}
                    >
                      <td className="data">{r.household.accountNo}</td>
                      <td className="data">{r.household.name}</td>
                      <td className="data">{r.household.address}</td>
                      <td className="num">{formatFen(r.household.owedFen)}</td>
                      <td className="num">{formatFen(r.arrearsFen)}</td>
                      <td className="num">{r.seasonsOverdue}</td>
                      <td>
                        {r.lastContactAt
                          ? `${formatTime(r.lastContactAt).slice(0, 10)} ${r.lastContactOutcome ? t(`dunning.outcomes.${r.lastContactOutcome}`) : ''}`
                          : ''}
                      </td>
                      <td className="num">{r.notices}</td>
                      <td>
                        <FlagTags flags={r.household.flags} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

const CODE = /^[A-Za-z0-9]{1,20}$/;
const PIN = /^\d{4,12}$/;

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
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('phone');
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('reached');
  const [promised, setPromised] = useState('');
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [supCode, setSupCode] = useState('');
  const [supPin, setSupPin] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const channelRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    channelRef.current?.focus();
  }, []);

  const saveContact = async (e: FormEvent) => {
    e.preventDefault();
    if (promised.trim() !== '' && !DATE.test(promised.trim()))
      return setProblem(t('dunning.detail.badDate'));
    setProblem(null);
    const r = await client.invoke('dunning.contact', {
      session: session.token,
      householdId: h.id,
      channel,
      outcome,
      ...(promised.trim() ? { promisedOn: promised.trim() } : {}),
      note: text,
    });
    if (!r.ok) return fail(r.error);
    setText('');
    setPromised('');
    setNote(['dunning.detail.saved']);
    reload();
  };

  const setFlag = async (flag: 'blacklisted' | 'legalAction', value: boolean) => {
    if (reason.trim() === '') return setProblem(t('dunning.detail.needReason'));
    if (!CODE.test(supCode) || !PIN.test(supPin))
      return setProblem(t('dunning.detail.needSupervisor'));
    setProblem(null);
    const r = await client.invoke('dunning.flag', {
      session: session.token,
      householdId: h.id,
      flag,
      value,
      reason: reason.trim(),
      supervisorCode: supCode,
      supervisorPin: supPin,
    });
    setSupPin('');
    if (!r.ok) return fail(r.error);
    setReason('');
    setNote(['dunning.detail.flagSaved']);
    reload();
  };

  return (
    <section className="dunning-page" data-testid="dunning-household">
      <h2>{t('dunning.detail.heading', { name: h.name, account: h.accountNo })}</h2>
      {h.flags.blacklisted && (
        <div className="banner banner-danger" role="alert" data-testid="blacklist-banner">
          {t('flags.blacklistBanner')}
        </div>
      )}
      {h.flags.legalAction && (
        <div className="banner banner-warn" role="alert" data-testid="legal-banner">
          {t('flags.legalBanner')}
        </div>
      )}
      <p className="data">
        {h.address} · {t('dunning.list.owed')} <strong>{formatFen(h.owedFen)}</strong>{' '}
        <FlagTags flags={h.flags} />
      </p>
      {error && <ErrorBox error={error} />}
      {problem && <ProblemText text={problem} />}
      {note && (
        <Alert type="success" showIcon title={t(note[0], note[1])} data-testid="dunning-note" />
      )}
      <div className="dunning-columns">
        <div>
          <h3>{t('dunning.detail.contacts')}</h3>
          <form className="dunning-contact" onSubmit={(e) => void saveContact(e)}>
            <label>
              {t('dunning.detail.channel')}
              <select
                ref={channelRef}
                name="channel"
                value={channel}
                onChange={(e) => setChannel(e.target.value as typeof channel)}
              >
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`dunning.channels.${c}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('dunning.detail.outcome')}
              <select
                name="outcome"
                value={outcome}
                onChange={(e) => setOutcome(e.target.value as typeof outcome)}
              >
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`dunning.outcomes.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('dunning.detail.promisedOn')}
              <Input
                name="promisedOn"
                placeholder="2026-12-31"
                value={promised}
                onChange={(e) => setPromised(e.target.value)}
              />
            </label>
            <label>
              {t('dunning.detail.note')}
              <Input
                name="note"
                maxLength={500}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            </label>
            <Button htmlType="submit" type="primary" data-testid="contact-save">
              {t('dunning.detail.save')}
            </Button>
          </form>
          {history.contacts.length === 0 ? (
            <p>{t('dunning.detail.noContacts')}</p>
          ) : (
            <table className="dunning-table" data-testid="contact-rows">
              <tbody>
                {history.contacts.map((c) => (
                  <tr key={c.id}>
                    <td>{formatTime(c.occurredAt)}</td>
                    <td>{t(`dunning.channels.${c.channel}`)}</td>
                    <td>{t(`dunning.outcomes.${c.outcome}`)}</td>
                    <td>{c.promisedOn ?? ''}</td>
                    <td className="data">{c.note}</td>
                    <td className="data">{c.clerkName ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3>{t('dunning.detail.notices')}</h3>
          <table className="dunning-table" data-testid="notice-rows">
            <tbody>
              {history.notices.map((n) => (
                <tr key={n.noticeNo}>
                  <td className="data">{n.noticeNo}</td>
                  <td>{n.format === 'a4' ? 'A4' : t('dunning.keys.thermal')}</td>
                  <td className="num">{formatFen(n.totalFen)}</td>
                  <td>{n.dueDate}</td>
                  <td>{formatTime(n.issuedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('dunning.detail.flagHeading')}</h3>
          <div className="dunning-contact">
            <label>
              {t('dunning.detail.reason')}
              <Input
                name="flagReason"
                maxLength={200}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </label>
            <SupervisorFields
              code={supCode}
              pin={supPin}
              onCode={setSupCode}
              onPin={setSupPin}
              fieldClass=""
            />
            <div className="dunning-buttons">
              <Button
                danger
                onClick={() => void setFlag('blacklisted', !h.flags.blacklisted)}
                data-testid="flag-blacklist"
              >
                {h.flags.blacklisted
                  ? t('dunning.detail.clearBlacklist')
                  : t('dunning.detail.setBlacklist')}
              </Button>
              <Button
                onClick={() => void setFlag('legalAction', !h.flags.legalAction)}
                data-testid="flag-legal"
              >
                {h.flags.legalAction
                  ? t('dunning.detail.clearLegal')
                  : t('dunning.detail.setLegal')}
              </Button>
            </div>
          </div>
          {history.flagChanges.length > 0 && (
            <>
              <h3>{t('dunning.detail.flagHistory')}</h3>
              <table className="dunning-table">
                <tbody>
                  {history.flagChanges.map((f) => (
                    <tr key={`${f.changedAt}-${f.flag}`}>
                      <td>{formatTime(f.changedAt)}</td>
                      <td>
                        {t(`dunning.flags.${f.flag}`)} {f.value ? '✓' : '✗'}
                      </td>
                      <td className="data">{f.reason}</td>
                      <td className="data">{f.approvedBy ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
