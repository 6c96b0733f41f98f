import { Button, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientResult } from '../../api/client';
import { useCommand } from '../../app/command';
import { AMOUNT, SelectField, TextField } from '../../app/fields';
import { useForm } from '../../app/form';
import { useScreenKeys } from '../../app/keys';
import { KeyTabs, tabKeys, type KeyTab } from '../../app/KeyTabs';
import { DoneNote, ErrorBox, ProblemText } from '../../app/messages';
import { SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatFen, parseYuanToFen } from '@heating-cashier/core/money';
import './cash.css';

type Section = 'move' | 'spoil' | 'book';
const SECTION_KEY = { move: 'F5', spoil: 'F6', book: 'F7' } as const;
const MOVE_KINDS = ['cash_in', 'cash_out', 'safe_drop'] as const;
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
  const form = useForm({
    moveKind: 'cash_in' as (typeof MOVE_KINDS)[number],
    amount: '',
    reason: '',
  });
  const { moveKind: kind, amount, reason } = form.values;
  const sup = useSupervisor();
  const [problem, setProblem] = useState<string | null>(null);
  const { error, setError, busy: working, run } = useCommand(sessionLost);
  const [done, setDone] = useState<Done | null>(null);
  const firstRef = useRef<HTMLSelectElement>(null);
  const reasonRef = useRef<InputRef>(null);
  const book = session.book;

  const pick = (s: Section) => {
    setSection(s);
    setProblem(null);
    setError(null);
    form.reset('reason');
    sup.setPin('');
  };
  useEffect(() => {
    if (section === 'move') firstRef.current?.focus();
    else if (section === 'spoil') reasonRef.current?.focus();
    else document.querySelector<HTMLInputElement>('input[name="supervisorCode"]')?.focus();
  }, [section]);

  const tabs: KeyTab<Section>[] = (Object.keys(SECTION_KEY) as Section[]).map((s) => ({
    id: s,
    key: SECTION_KEY[s],
    text: t(`cash.tools.sections.${s}`),
    keyLabel: t(`cash.keys.${s}`),
    testId: `tools-${s}`,
  }));
  useScreenKeys([
    { key: 'Enter', label: t('cash.tools.submit') },
    ...tabKeys(tabs, pick),
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  const needSup = section === 'book' || (section === 'move' && kind === 'cash_out');

  /** The command of the open section, its result said as what was done; null without a book. */
  function command(fen: number | null): (() => Promise<ClientResult<Done>>) | null {
    const approval = needSup ? sup.credentials()! : {};
    if (section === 'move') {
      const input = { session: session.token, kind, amountFen: fen!, reason: reason.trim() };
      return saying(
        () => client.invoke('cash.move', { ...input, ...approval }),
        (v) => ({
          key: 'cash.tools.moveDone',
          kindKey: `cash.moves.${kind}`,
          params: { amount: formatFen(v.amountFen), expected: formatFen(v.expectedCashFen) },
        }),
      );
    }
    if (section === 'spoil') {
      const input = { session: session.token, reason: reason.trim() };
      return saying(
        () => client.invoke('receipt.spoil', input),
        (v) => ({
          key: 'cash.tools.spoilDone',
          params: { label: v.receiptLabel },
        }),
      );
    }
    if (!book) return null;
    const input = { session: session.token, bookId: book.id, ...sup.credentials()! };
    return saying(
      () => client.invoke('book.return', input),
      (v) => ({
        key: 'cash.tools.bookDone',
        unusedFrom: v.unusedFrom,
        params: { series: v.series, usedUpTo: v.usedUpTo },
      }),
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (working) return;
    setDone(null);
    setError(null);
    const fen = parseYuanToFen(amount);
    if (section === 'move' && (fen === null || fen <= 0))
      return setProblem('cash.tools.needAmount');
    if (section !== 'book' && !reason.trim()) return setProblem('cash.tools.needReason');
    if (needSup && !sup.credentials()) return setProblem('cash.tools.needSupervisor');
    setProblem(null);
    const send = command(fen);
    if (!send) return setProblem('cash.tools.noBook');
    const outcome = await run(send);
    sup.setPin('');
    if (!outcome) return;
    setDone(outcome);
    form.reset('amount', 'reason');
    refresh();
  }

  return (
    <section className="panel cash-panel" data-testid="cash-tools" data-section={section}>
      <header className="cash-head">
        <h2>{t('cash.tools.heading')}</h2>
        <KeyTabs tabs={tabs} selected={section} onPick={pick} />
      </header>
      <form className="tools-form" onSubmit={(e) => void submit(e)} noValidate>
        {section === 'move' && (
          <>
            <SelectField
              ref={firstRef}
              label={t('cash.tools.kind')}
              {...form.bind('moveKind')}
              options={MOVE_KINDS}
              optionText={(k) => t(`cash.moves.${k}`)}
            />
            <TextField label={t('cash.tools.amount')} {...form.bind('amount')} {...AMOUNT} />
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
          <TextField
            ref={reasonRef}
            label={t('cash.tools.reason')}
            maxLength={200}
            {...form.bind('reason')}
          />
        )}
        {section === 'move' && <p className="hint">{t('cash.tools.moveHint')}</p>}
        {needSup && <SupervisorFields {...sup.fields} />}
        <Button type="primary" htmlType="submit" loading={working} data-testid="tools-submit">
          {section === 'book' ? t('cash.tools.returnBook') : t('cash.tools.submit')} (Enter)
        </Button>
        {problem && <ProblemText text={t(problem)} />}
        {done && (
          <DoneNote testId="tools-done">
            {t(done.key, {
              ...done.params,
              kind: done.kindKey ? t(done.kindKey) : '',
              unused:
                done.unusedFrom === undefined || done.unusedFrom === null
                  ? ''
                  : t('cash.tools.unusedFrom', { from: done.unusedFrom }),
            })}
          </DoneNote>
        )}
        {error && <ErrorBox error={error} />}
      </form>
    </section>
  );
}

/** A command whose result's value is turned into what the screen says about it. */
function saying<T>(send: () => Promise<ClientResult<T>>, say: (value: T) => Done) {
  return async (): Promise<ClientResult<Done>> => {
    const r = await send();
    return r.ok ? { ok: true, value: say(r.value) } : r;
  };
}
