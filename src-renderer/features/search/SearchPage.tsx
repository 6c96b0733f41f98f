import { Input, Tag, type InputRef } from 'antd';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientError } from '../../api/client';
import { DataTable, type Column } from '../../app/DataTable';
import { ErrorBox } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { HouseholdResult, ScreenProps, SearchState } from '../../app/types';
import { formatArea, formatFen } from '@heating-cashier/core/money';
import { OverdueComplaints } from '../service/OverdueComplaints';

export function FlagTags({ flags }: { flags: HouseholdResult['flags'] }) {
  const { t } = useTranslation();
  return (
    <span className="flags">
      {flags.blacklisted && (
        <Tag color="#a8071a" className="flag-strong">
          {t('flags.blacklisted')}
        </Tag>
      )}
      {flags.legalAction && (
        <Tag color="#ad4e00" className="flag-strong">
          {t('flags.legalAction')}
        </Tag>
      )}
      {flags.noHeat && <Tag color="blue">{t('flags.noHeat')}</Tag>}
      {flags.subsidised && <Tag color="green">{t('flags.subsidised')}</Tag>}
    </span>
  );
}

/** The red / orange banners of a blacklisted household or one under legal action. */
export function FlagBanners({ flags }: { flags: HouseholdResult['flags'] }) {
  const { t } = useTranslation();
  return (
    <>
      {flags.blacklisted && (
        <div className="banner banner-danger" role="alert" data-testid="blacklist-banner">
          {t('flags.blacklistBanner')}
        </div>
      )}
      {flags.legalAction && (
        <div className="banner banner-warn" role="alert" data-testid="legal-banner">
          {t('flags.legalBanner')}
        </div>
      )}
    </>
  );
}

/**
 * Search as you type. Every keystroke sends `household.search`; only the answer to the latest query
 * is shown. Enter opens the highlighted row — or, for a scanned/typed account number, that household,
 * even when Enter arrives before the results (a barcode wedge types faster than we render).
 */
export function SearchPage({
  client,
  session,
  go,
  sessionLost,
  state,
  setState,
  typed,
}: ScreenProps & {
  state: SearchState;
  setState(update: (s: SearchState) => SearchState): void;
  /** Typed or scanned on the screen before (the payment's success): the new query's start. */
  typed?: string;
}) {
  const { t } = useTranslation();
  const inputRef = useRef<InputRef>(null);
  const latest = useRef(0);
  const [error, setError] = useState<ClientError | null>(null);
  const rowsRef = useRef<HTMLTableSectionElement>(null);

  useScreenKeys([
    { key: 'ArrowUpDown', label: t('keys.arrows') },
    { key: 'Enter', label: t('keys.open') },
    {
      key: 'Escape',
      label: t('keys.clear'),
      run: () => {
        onChange('');
        inputRef.current?.focus();
      },
      disabled: state.query === '',
    },
  ]);

  // Focus in the same commit as the screen appears, so no keystroke of a scanner falls in between;
  // what was typed on the screen before starts the query (the cursor after it).
  useLayoutEffect(() => {
    if (typed) onChange(typed);
    inputRef.current?.focus({ cursor: typed ? 'end' : 'all' });
  }, []);

  useEffect(() => {
    rowsRef.current?.querySelector('.selected')?.scrollIntoView({ block: 'nearest' });
  }, [state.selected, state.shownFor]);

  async function run(query: string) {
    const seq = ++latest.current;
    const q = query.trim();
    if (q === '') {
      setState((s) => ({ ...s, shownFor: query, results: [], selected: 0 }));
      return { query, results: [] as HouseholdResult[] };
    }
    const result = await client.invoke('household.search', { session: session.token, query: q });
    if (!result.ok) {
      if (result.error.code === 'NOT_LOGGED_IN') sessionLost();
      else if (seq === latest.current) setError(result.error);
      return null;
    }
    if (seq === latest.current) {
      setError(null);
      setState((s) => ({ ...s, shownFor: query, results: result.value.results, selected: 0 }));
    }
    return { query, results: result.value.results };
  }

  function onChange(query: string) {
    setState((s) => ({ ...s, query }));
    void run(query);
  }

  async function open() {
    const query = state.query;
    let results = state.shownFor === query ? state.results : null;
    let selected = state.selected;
    if (results === null) {
      const fresh = await run(query);
      if (!fresh) return;
      results = fresh.results;
      selected = 0;
    }
    const exact = results.find((h) => h.accountNo === query.trim());
    const pick = exact ?? results[selected];
    if (pick) go({ name: 'account', householdId: pick.id });
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const n = state.results.length;
    if (e.key === 'ArrowDown' && n > 0) {
      e.preventDefault();
      setState((s) => ({ ...s, selected: (s.selected + 1) % n }));
    } else if (e.key === 'ArrowUp' && n > 0) {
      e.preventDefault();
      setState((s) => ({ ...s, selected: (s.selected - 1 + n) % n }));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void open();
    }
  }

  const columns: Column<HouseholdResult>[] = [
    { title: t('search.col.accountNo'), className: 'mono', cell: (h) => h.accountNo },
    { title: t('search.col.name'), className: 'data', cell: (h) => h.name },
    { title: t('search.col.address'), className: 'data', cell: (h) => h.address },
    { title: t('search.col.phone'), className: 'mono', cell: (h) => h.phoneLast4 },
    { title: t('search.col.area'), num: true, cell: (h) => formatArea(h.areaHundredths) },
    {
      title: t('search.col.owed'),
      num: true,
      className: (h) => (h.owedFen > 0 ? 'owed' : undefined),
      cell: (h) => formatFen(h.owedFen),
    },
    { title: t('search.col.flags'), cell: (h) => <FlagTags flags={h.flags} /> },
  ];
  return (
    <section className="panel search-panel" aria-labelledby="search-heading">
      <h2 id="search-heading">{t('search.heading')}</h2>
      <Input
        ref={inputRef}
        name="search"
        size="large"
        className="search-input"
        value={state.query}
        placeholder={t('search.placeholder')}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        autoComplete="off"
        spellCheck={false}
        aria-controls="search-results"
        aria-activedescendant={
          state.results[state.selected] ? `hh-${state.results[state.selected]!.id}` : undefined
        }
      />
      <p className="hint">{t('search.hint')}</p>
      <OverdueComplaints
        client={client}
        session={session.token}
        hidden={state.query !== ''}
        onOpen={(householdId) => go({ name: 'account', householdId })}
      />
      {error && <ErrorBox error={error} />}
      <div className="table-wrap">
        <DataTable
          id="search-results"
          className="grid search-results"
          data-testid="search-results"
          data-query={state.shownFor ?? ''}
          role="listbox"
          columns={columns}
          rows={state.results}
          bodyRef={rowsRef}
          rowProps={(h, i) => ({
            id: `hh-${h.id}`,
            role: 'option',
            'aria-selected': i === state.selected,
            className: i === state.selected ? 'selected' : undefined,
            onMouseDown: (e) => e.preventDefault(),
            onClick: () => go({ name: 'account', householdId: h.id }),
          })}
        />
        {state.query.trim() !== '' &&
          state.shownFor === state.query &&
          state.results.length === 0 && (
            <p className="empty" data-testid="no-results">
              {t('search.noResults')}
            </p>
          )}
      </div>
      {state.results.length > 0 && (
        <p className="count">{t('search.count', { count: state.results.length })}</p>
      )}
    </section>
  );
}
