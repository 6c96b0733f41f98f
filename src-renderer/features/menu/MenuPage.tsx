import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useScreenKeys } from '../../app/keys';
import type { ScreenProps } from '../../app/types';
import { entriesFor } from './entries';

/** F9: numbered list of the work screens this clerk's role may open (digits, arrows, Enter). */
export function MenuPage(props: ScreenProps) {
  const { t } = useTranslation();
  const { session, go } = props;
  const entries = entriesFor(session.clerk.role);
  const [selected, setSelected] = useState(0);
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
      if (e.key === 'ArrowDown') setSelected((s) => Math.min(s + 1, entries.length - 1));
      else if (e.key === 'ArrowUp') setSelected((s) => Math.max(s - 1, 0));
      else if (/^[1-9]$/.test(e.key)) open(Number(e.key) - 1);
      // Enter opens the selected entry (entries past 9 have no digit); a focused button clicks itself
      else if (e.key === 'Enter' && !(document.activeElement instanceof HTMLButtonElement))
        open(selected);
      else return;
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
    </section>
  );
}
