// The rating keypad path (issue 22): on the payment's success screen F7 opens "请顾客评价 1–5", the
// digits 1–5 rate the receipt just issued (`service.rate`, source keypad), Esc skips. Optional:
// closed, the success screen behaves as before (a typed account number starts the next search).
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../../api/client';
import type { KeyDef } from '../../app/keys';
import { useCommand } from '../../app/command';
import { ErrorBox } from '../../app/messages';
import './service.css';

export const RATE_KEY = 'F7' as const;
const SCORES = ['5', '4', '3', '2', '1'] as const;

export interface RatingPrompt {
  /** The prompt is open: the digits 1–5 rate, Esc skips. */
  open: boolean;
  /** True while the prompt takes the digits (the success screen's own typing must stand aside). */
  readonly openRef: { readonly current: boolean };
  /** The screen keys while the prompt is open (Esc skips), or F7 to open it when it can. */
  keys: KeyDef[];
  view: ReactNode;
}

export function useRatingPrompt({
  client,
  session,
  receiptId,
  receiptLabel,
  sessionLost,
}: {
  client: ApiClient;
  session: string;
  receiptId: string;
  receiptLabel: string;
  sessionLost: () => void;
}): RatingPrompt {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [rated, setRated] = useState<number | null>(null);
  const openRef = useRef(false);
  const { error, setError, run, busy } = useCommand(sessionLost);
  const show = (next: boolean) => {
    openRef.current = next;
    setOpen(next);
  };

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (e.key.length !== 1) return;
      e.preventDefault();
      e.stopPropagation();
      if (!/^[1-5]$/.test(e.key) || busy) return;
      const score = Number(e.key);
      void run(() =>
        client.invoke('service.rate', { session, receiptId, score, source: 'keypad' }),
      ).then((r) => {
        if (r) {
          setRated(r.score);
          setError(null);
        }
        show(false);
      });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open, busy, client, session, receiptId, run, setError]);

  const keys: KeyDef[] = open
    ? [{ key: 'Escape', label: t('kpi.skip'), run: () => show(false) }]
    : rated === null
      ? [{ key: RATE_KEY, label: t('kpi.rateKey'), run: () => show(true) }]
      : [];

  const view = (
    <div className="rating-prompt" data-testid="rating-prompt" data-open={open}>
      {open && (
        <div role="dialog" aria-label={t('kpi.ratePrompt')}>
          <strong>{t('kpi.ratePrompt')}</strong>
          <ol className="rating-scores">
            {SCORES.map((s) => (
              <li key={s}>
                <kbd>{s}</kbd> {t(`kpi.scores.${s}`)}
              </li>
            ))}
          </ol>
          <span className="hint">{t('kpi.rateHint')}</span>
        </div>
      )}
      {rated !== null && (
        <p className="rating-done" data-testid="rating-done">
          {t('kpi.rated', { score: rated, label: t(`kpi.scores.${String(rated)}`) })}
        </p>
      )}
      {error && <ErrorBox error={error} />}
      {!open && rated === null && (
        <span className="hint" data-testid="rating-offer">
          {RATE_KEY} {t('kpi.rateKey')} · {receiptLabel}
        </span>
      )}
    </div>
  );
  return { open, openRef, keys, view };
}
