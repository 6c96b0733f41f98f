import { Button, Input, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientError } from '../../api/client';
import { useScreenKeys } from '../../app/keys';
import { ErrorBox, ProblemText } from '../../app/messages';
import { SupervisorFields } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatFen, parseYuanToFen } from '@heating-cashier/core/money';
import { isSessionLost } from './shared';
import './cash.css';

type Section = 'move' | 'spoil' | 'book';
type MoveKind = 'cash_in' | 'cash_out' | 'safe_drop';
const CODE = /^[A-Za-z0-9]{1,20}$/;
const PIN = /^\d{4,12}$/;
/** Kept as keys, not text: F10 re-renders it in the other language. */
type Done = {
  key: string;
  params: Record<string, string | number>;
  kindKey?: string;
  unusedFrom?: number | null;
};

/** Cash in / cash out / safe drop with a reason; spoiled receipt paper; returning the receipt book. */
export function CashToolsPage({ client, session, go, refresh, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>('move');
  const [kind, setKind] = useState<MoveKind>('cash_in');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [supCode, setSupCode] = useState('');
  const [supPin, setSupPin] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [working, setWorking] = useState(false);
  const firstRef = useRef<HTMLSelectElement>(null);
  const reasonRef = useRef<InputRef>(null);
  const book = session.book;

  const pick = (s: Section) => {
    setSection(s);
    setProblem(null);
    setError(null);
    setReason('');
    setSupPin('');
  };
  useEffect(() => {
    if (section === 'move') firstRef.current?.focus();
    else if (section === 'spoil') reasonRef.current?.focus();
    else document.querySelector<HTMLInputElement>('input[name="supervisorCode"]')?.focus();
  }, [section]);

  useScreenKeys([
    { key: 'Enter', label: t('cash.tools.submit') },
    { key: 'F5', label: t('cash.keys.move'), run: () => pick('move') },
    { key: 'F6', label: t('cash.keys.spoil'), run: () => pick('spoil') },
    { key: 'F7', label: t('cash.keys.book'), run: () => pick('book') },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  const needSup = section === 'book' || (section === 'move' && kind === 'cash_out');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (working) return;
    setDone(null);
    setError(null);
    const fen = parseYuanToFen(amount);
    if (section === 'move' && (fen === null || fen <= 0))
      return setProblem('cash.tools.needAmount');
    if (section !== 'book' && !reason.trim()) return setProblem('cash.tools.needReason');
    if (needSup && (!CODE.test(supCode.trim()) || !PIN.test(supPin)))
      return setProblem('cash.tools.needSupervisor');
    setProblem(null);
    setWorking(true);
    const sup = needSup ? { supervisorCode: supCode.trim(), supervisorPin: supPin } : {};
    let outcome: { ok: true; done: Done } | { ok: false; error: ClientError };
    if (section === 'move') {
      const r = await client.invoke('cash.move', {
        session: session.token,
        kind,
        amountFen: fen!,
        reason: reason.trim(),
        ...sup,
      });
      outcome = r.ok
        ? {
            ok: true,
            done: {
              key: 'cash.tools.moveDone',
              kindKey: `cash.moves.${kind}`,
              params: {
                amount: formatFen(r.value.amountFen),
                expected: formatFen(r.value.expectedCashFen),
              },
            },
          }
        : r;
    } else if (section === 'spoil') {
      const r = await client.invoke('receipt.spoil', {
        session: session.token,
        reason: reason.trim(),
      });
      outcome = r.ok
        ? {
            ok: true,
            done: { key: 'cash.tools.spoilDone', params: { label: r.value.receiptLabel } },
          }
        : r;
    } else {
      if (!book) {
        setWorking(false);
        return setProblem('cash.tools.noBook');
      }
      const r = await client.invoke('book.return', {
        session: session.token,
        bookId: book.id,
        supervisorCode: supCode.trim(),
        supervisorPin: supPin,
      });
      outcome = r.ok
        ? {
            ok: true,
            done: {
              key: 'cash.tools.bookDone',
              unusedFrom: r.value.unusedFrom,
              params: { series: r.value.series, usedUpTo: r.value.usedUpTo },
            },
          }
        : r;
    }
    setWorking(false);
    setSupPin('');
    if (outcome.ok) {
      setDone(outcome.done);
      setAmount('');
      setReason('');
      refresh();
    } else if (isSessionLost(outcome.error)) sessionLost();
    else setError(outcome.error);
  }

  return (
    <section className="panel cash-panel" data-testid="cash-tools" data-section={section}>
      <header className="cash-head">
        <h2>{t('cash.tools.heading')}</h2>
        <div className="slip-tabs">
          {(['move', 'spoil', 'book'] as const).map((s, i) => (
            <button
              key={s}
              type="button"
              className={s === section ? 'selected' : ''}
              onClick={() => pick(s)}
              data-testid={`tools-${s}`}
            >
              F{5 + i} {t(`cash.tools.sections.${s}`)}
            </button>
          ))}
        </div>
      </header>
      <form className="tools-form" onSubmit={(e) => void submit(e)} noValidate>
        {section === 'move' && (
          <>
            <label className="field">
              <span>{t('cash.tools.kind')}</span>
              <select
                ref={firstRef}
                name="moveKind"
                className="native-select"
                value={kind}
                onChange={(e) => setKind(e.target.value as MoveKind)}
              >
                {(['cash_in', 'cash_out', 'safe_drop'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`cash.moves.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('cash.tools.amount')}</span>
              <Input
                name="amount"
                prefix="¥"
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            </label>
          </>
        )}
        {section === 'spoil' && (
          <p className="hint">
            {t('cash.tools.spoilHint', {
              next: book ? `${book.series}${String(book.nextNo).padStart(6, '0')}` : '—',
            })}
          </p>
        )}
        {section === 'book' && (
          <p className="hint">
            {book
              ? t('cash.tools.bookHint', {
                  book: `${book.series} ${book.firstNo}–${book.lastNo} (${book.nextNo})`,
                })
              : t('cash.tools.noBook')}
          </p>
        )}
        {section !== 'book' && (
          <label className="field">
            <span>{t('cash.tools.reason')}</span>
            <Input
              ref={reasonRef}
              name="reason"
              maxLength={200}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
        )}
        {section === 'move' && <p className="hint">{t('cash.tools.moveHint')}</p>}
        {needSup && (
          <SupervisorFields code={supCode} pin={supPin} onCode={setSupCode} onPin={setSupPin} />
        )}
        <Button type="primary" htmlType="submit" loading={working} data-testid="tools-submit">
          {section === 'book' ? t('cash.tools.returnBook') : t('cash.tools.submit')} (Enter)
        </Button>
        {problem && <ProblemText text={t(problem)} />}
        {done && (
          <p className="done-note" role="status" data-testid="tools-done">
            {t(done.key, {
              ...done.params,
              kind: done.kindKey ? t(done.kindKey) : '',
              unused:
                done.unusedFrom === undefined || done.unusedFrom === null
                  ? ''
                  : t('cash.tools.unusedFrom', { from: done.unusedFrom }),
            })}
          </p>
        )}
        {error && <ErrorBox error={error} />}
      </form>
    </section>
  );
}
