import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useScreenKeys } from '../../app/keys';
import type { ScreenProps } from '../../app/types';
import { entriesFor } from './entries';

/**
 * What a digit typed in the menu does, after the digits typed before it: open an entry (no longer
 * number starts with these digits), wait for one more digit or Enter (with 12 entries, "1" may be
 * 1, 10, 11 or 12), or nothing. A number past the last entry starts again from the new digit.
 */
export function menuDigit(
  typed: string,
  digit: string,
  count: number,
): { open: number } | { wait: string } | null {
  for (const digits of [typed + digit, digit]) {
    const n = Number(digits);
    if (n >= 1 && n <= count) return n * 10 > count ? { open: n - 1 } : { wait: digits };
  }
  return null;
}

/** F9: numbered list of the work screens this clerk's role may open (digits, arrows, Enter). */
export function MenuPage(props: ScreenProps) {
  const { t } = useTranslation();
  const { session, go } = props;
  const entries = entriesFor(session.clerk.role);
  const [selected, setSelected] = useState(0);
  /** Digits typed so far that may still go on (e.g. "1" of "12"). */
  const [typed, setTypedState] = useState('');
  // also kept in a ref: a scanner-fast second digit may come before the re-render
  const typedRef = useRef('');
  const setTyped = (digits: string) => {
    typedRef.current = digits;
    setTypedState(digits);
  };
  const open = (i: number) => {
    const e = entries[i];
    if (e) go({ name: 'tool', id: e.id });
  };

  useScreenKeys([
    { key: 'ArrowUpDown', label: t('keys.arrows') },
    { key: 'Enter', label: t('keys.open'), run: () => open(selected), disabled: !entries.length },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'search' }) },
  ]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat && /^[0-9]$/.test(e.key)) return; // a held digit is one digit, not "11"
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        setTyped('');
        setSelected((s) =>
          e.key === 'ArrowDown' ? Math.min(s + 1, entries.length - 1) : Math.max(s - 1, 0),
        );
      } else if (/^[0-9]$/.test(e.key)) {
        const step = menuDigit(typedRef.current, e.key, entries.length);
        if (step && 'open' in step) open(step.open);
        else if (step) setSelected(Number(step.wait) - 1);
        setTyped(step && 'wait' in step ? step.wait : '');
      }
      // Enter opens the selected entry (also the one the digits typed so far name); a focused
      // button clicks itself
      else if (e.key === 'Enter' && !(document.activeElement instanceof HTMLButtonElement)) {
        open(typedRef.current ? Number(typedRef.current) - 1 : selected);
        setTyped('');
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="menu-page" data-testid="menu">
      <h2>{t('menu.title')}</h2>
      {entries.length === 0 ? (
        <p>{t('menu.empty')}</p>
      ) : (
        <ol className="menu-list">
          {entries.map((e, i) => (
            <li key={e.id}>
              <button
                type="button"
                className={i === selected ? 'menu-item selected' : 'menu-item'}
                data-testid={`menu-${e.id}`}
                onClick={() => open(i)}
              >
                <kbd>{i + 1}</kbd> {t(e.labelKey as 'menu.title')}
              </button>
            </li>
          ))}
        </ol>
      )}
      {typed && (
        <p className="hint" role="status" data-testid="menu-typed">
          {t('menu.typed', { typed })}
        </p>
      )}
    </section>
  );
}
