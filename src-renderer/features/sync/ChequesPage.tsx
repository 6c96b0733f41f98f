import { Alert, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { DataTable, type Column } from '../../app/DataTable';
import { TextField } from '../../app/fields';
import { useScreenKeys } from '../../app/keys';
import { ErrorBox, ProblemText, SuccessAlert, useWords } from '../../app/messages';
import type { ScreenProps } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';
import { formatTime } from '../../format/time';

type Cheque = CommandOutput<'cheque.list'>['cheques'][number];
type Filter = 'pending' | 'bounced' | 'cleared' | 'all';
type Mode = 'list' | 'clear' | 'bounce';
const FILTERS: Filter[] = ['pending', 'bounced', 'cleared', 'all'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * F9 → 支票管理 (supervisor / finance): pending cheques of this counter's receipts, cleared or bounced
 * here with the keyboard. ↑↓ pick a cheque, Enter/F5 cleared, F6 bounced (reason required), F7 list.
 * Decisions made at head office arrive by sync and show with their source.
 */
export function ChequesPage({ client, session, status, go, sessionLost, refresh }: ScreenProps) {
  const { t } = useTranslation();
  const isSupervisor = session.clerk.role === 'supervisor';
  const [filter, setFilter] = useState<Filter>('pending');
  const [rows, setRows] = useState<Cheque[]>([]);
  const [total, setTotal] = useState(0);
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<Mode>('list');
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useWords();
  const { error, setError, fail, busy, run } = useCommand(sessionLost);
  const [notice, setNotice] = useWords();
  const firstField = useRef<InputRef>(null);
  const today = (status?.clock.now ? formatTime(status.clock.now) : '').slice(0, 10);
  const load = useCallback(async () => {
    const r = await client.invoke('cheque.list', { session: session.token, status: filter });
    if (!r.ok) return fail(r.error);
    setRows(r.value.cheques);
    setTotal(r.value.totalFen);
    setSelected((s) => Math.min(s, Math.max(r.value.cheques.length - 1, 0)));
  }, [client, session.token, filter, fail]);
  useEffect(() => void load(), [load]);

  const current = rows[selected];
  const canDecide = isSupervisor && current?.status === 'pending' && !current.receiptVoided;
  const open = (m: Mode) => {
    if (!canDecide || busy) return;
    setMode(m);
    setDate(today);
    setReason('');
    setProblem(null);
    setError(null);
    setNotice(null);
  };
  useEffect(() => {
    if (mode !== 'list') firstField.current?.focus();
  }, [mode]);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!current || busy) return;
    if (!DATE.test(date.trim())) return setProblem((t) => t('sync.cheques.dateInvalid'));
    if (mode === 'bounce' && reason.trim() === '')
      return setProblem((t) => t('sync.cheques.reasonMissing'));
    const target = {
      session: session.token,
      receiptId: current.receiptId,
      position: current.position,
    };
    const on = date.trim();
    const c = await run(() =>
      mode === 'clear'
        ? client.invoke('cheque.clear', { ...target, clearedOn: on })
        : client.invoke('cheque.bounce', { ...target, bouncedOn: on, reason: reason.trim() }),
    );
    if (!c) return;
    setNotice((t) =>
      c.status === 'cleared'
        ? t('sync.cheques.clearedDone', { receipt: c.receiptLabel, amount: formatFen(c.amountFen) })
        : t('sync.cheques.bouncedDone', {
            receipt: c.receiptLabel,
            household: `${c.accountNo} ${c.householdName}`,
            amount: formatFen(c.restored.reduce((s, x) => s + x.amountFen, 0)),
            seasons: c.restored.map((x) => `${x.seasonCode} ${formatFen(x.amountFen)}`).join('，'),
          }),
    );
    setMode('list');
    setProblem(null);
    await load();
    refresh();
  }

  const nextFilter = () => {
    setFilter((f) => FILTERS[(FILTERS.indexOf(f) + 1) % FILTERS.length]!);
    setSelected(0);
    setNotice(null);
  };
  useScreenKeys(
    mode === 'list'
      ? [
          { key: 'ArrowUpDown', label: t('keys.arrows') },
          {
            key: 'F5',
            label: t('sync.cheques.keys.clear'),
            run: () => open('clear'),
            disabled: !canDecide,
          },
          {
            key: 'F6',
            label: t('sync.cheques.keys.bounce'),
            run: () => open('bounce'),
            disabled: !canDecide,
          },
          { key: 'F7', label: t('sync.cheques.keys.filter'), run: nextFilter },
          { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
        ]
      : [
          { key: 'Enter', label: t('sync.cheques.keys.confirm') },
          {
            key: 'Escape',
            label: t('common.cancel'),
            run: () => {
              setMode('list');
              setProblem(null);
            },
          },
        ],
  );
  // ↑↓ and Enter in the list (the key registry handles F-keys and Esc).
  useEffect(() => {
    if (mode !== 'list') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowDown') setSelected((s) => Math.min(s + 1, Math.max(rows.length - 1, 0)));
      else if (e.key === 'ArrowUp') setSelected((s) => Math.max(s - 1, 0));
      else if (e.key === 'Enter') open('clear');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const filterName = t(`sync.cheques.filter.${filter}`);
  const decided = (c: Cheque) =>
    c.status === 'pending'
      ? ''
      : `${c.valueDate ?? ''} · ${t(`sync.cheques.source.${c.source ?? 'counter'}`)}${
          c.decidedByName ? ` ${c.decidedByName}` : ''
        }${c.reason ? ` · ${c.reason}` : ''}`;
  const columns: Column<Cheque>[] = [
    { title: t('sync.cheques.col.receipt'), className: 'mono', cell: (c) => c.receiptLabel },
    { title: t('sync.cheques.col.date'), cell: (c) => c.issuedDate },
    {
      title: t('sync.cheques.col.household'),
      className: 'data',
      cell: (c) => `${c.accountNo} ${c.householdName}`,
    },
    { title: t('sync.cheques.col.chequeNo'), className: 'mono', cell: (c) => c.chequeNo },
    { title: t('sync.cheques.col.bank'), cell: (c) => c.bank },
    { title: t('sync.cheques.col.amount'), num: true, cell: (c) => formatFen(c.amountFen) },
    { title: t('sync.cheques.col.status'), cell: (c) => t(`sync.cheques.state.${c.status}`) },
    { title: t('sync.cheques.col.decided'), cell: decided },
  ];
  return (
    <section
      className="panel cheques-page"
      data-testid="cheques-page"
      aria-labelledby="cheques-heading"
    >
      <h2 id="cheques-heading">
        {t('sync.cheques.heading')} · {filterName}
      </h2>
      {!isSupervisor && <Alert type="warning" showIcon title={t('sync.cheques.notSupervisor')} />}
      <p data-testid="cheques-summary">
        {t('sync.cheques.summary', {
          filter: filterName,
          count: rows.length,
          total: formatFen(total),
        })}
      </p>
      {notice && <SuccessAlert title={notice} testId="cheques-notice" />}
      {error && <ErrorBox error={error} />}
      {mode !== 'list' && current && (
        <form
          className="cheque-form"
          onSubmit={(e) => void submit(e)}
          noValidate
          data-testid="cheque-form"
        >
          <h3>
            {t(mode === 'clear' ? 'sync.cheques.clearHeading' : 'sync.cheques.bounceHeading', {
              receipt: current.receiptLabel,
              amount: formatFen(current.amountFen),
            })}
          </h3>
          {mode === 'bounce' && (
            <Alert
              type="warning"
              showIcon
              title={t('sync.cheques.bounceWarn', { amount: formatFen(current.amountFen) })}
            />
          )}
          {mode === 'bounce' && (
            <TextField
              ref={firstField}
              label={t('sync.cheques.reason')}
              name="reason"
              size="large"
              maxLength={200}
              value={reason}
              onValue={setReason}
            />
          )}
          <TextField
            ref={mode === 'clear' ? firstField : undefined}
            label={t(mode === 'clear' ? 'sync.cheques.clearedOn' : 'sync.cheques.bouncedOn')}
            name="valueDate"
            size="large"
            value={date}
            onValue={setDate}
          />
          {problem && <ProblemText text={problem} />}
          <button type="submit" hidden />
        </form>
      )}
      <DataTable
        whenEmpty={
          <p data-testid="cheques-empty">{t('sync.cheques.empty', { filter: filterName })}</p>
        }
        className="grid"
        data-testid="cheques"
        columns={columns}
        rows={rows}
        rowKey={(c) => `${c.receiptId}:${c.position}`}
        rowProps={(c, i) => ({
          className: `${i === selected ? 'selected' : ''} ${c.status === 'bounced' ? 'voided' : ''}`,
          'data-testid': `cheque-${c.receiptLabel}`,
          'data-status': c.status,
          onClick: () => setSelected(i),
        })}
      />
    </section>
  );
}
