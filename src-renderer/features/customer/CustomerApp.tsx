// The customer display: the web host's `/customer` page (paired by the code on the clerk's screen)
// and the Electron customer window on the second monitor (bound by the shell, no code). It shows
// only the `customer.view` main composes (masked household, owed per season, this payment's
// allocation, tendered and change, the receipt) and lets the customer rate 1–5 by touch or mouse.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerView } from '@heating-cashier/core/contract/customer-view';
import { formatFen } from '@heating-cashier/core/money';
import { formatPercentTenths } from '@heating-cashier/core/fees';
import type { ApiClient, ClientError } from '../../api/client';
import { currentLanguage } from '../../i18n';
import './customer.css';

/** An unrated receipt goes back to the welcome screen after this (main does the same, later). */
export const RATING_TIMEOUT_MS = 60_000;
/** How long "thank you for your rating" stays before the welcome screen. */
export const THANKS_MS = 4_000;
const SCORES = [5, 4, 3, 2, 1] as const;

/** Whether this page is the customer display (not the clerk's window): path or hash. */
export function isCustomerPage(loc: Pick<Location, 'pathname' | 'hash'>): boolean {
  return /^\/customer\/?$/.test(loc.pathname) || loc.hash === '#customer';
}

export function CustomerApp({ client, bound }: { client: ApiClient; bound: boolean }) {
  const { t, i18n } = useTranslation();
  const connection = useSyncExternalStore(client.onStateChange, client.state);
  const [paired, setPaired] = useState(bound);
  const [lost, setLost] = useState(false);
  const [view, setView] = useState<CustomerView | null>(null);
  const version = useRef(-1);

  const accept = useCallback((next: CustomerView, fresh = false) => {
    // Views arrive in order, but an older one (a late reply) must never replace a newer one.
    if (!fresh && next.version <= version.current) return;
    version.current = next.version;
    setView(next);
  }, []);

  useEffect(() => client.on('customer.view', (v) => accept(v)), [client, accept]);
  // The Electron window is bound by the shell: read the view shown now.
  useEffect(() => {
    if (!bound) return;
    void client.invoke('customer.current', {}).then((r) => {
      if (r.ok) accept(r.value.view, true);
    });
  }, [client, bound, accept]);
  // A dropped WebSocket is a new connection afterwards: the pairing is gone, and so is the view.
  useEffect(() => {
    if (bound || !paired || connection !== 'closed') return;
    setPaired(false);
    setLost(true);
    setView(null);
    version.current = -1;
  }, [bound, paired, connection]);

  const toggleLanguage = () =>
    void i18n.changeLanguage(currentLanguage(i18n) === 'en' ? 'zh-CN' : 'en');

  return (
    <div
      className="cd"
      data-testid="customer-display"
      data-phase={paired ? (view?.phase ?? 'idle') : 'pairing'}
    >
      <header className="cd-head">
        <div className="cd-company data" data-testid="cd-company">
          {view?.companyName ?? t('customer.title')}
        </div>
        <button
          type="button"
          className="cd-lang"
          onClick={toggleLanguage}
          data-testid="cd-language"
        >
          {t('app.switchTo')}
        </button>
      </header>
      {paired ? (
        <Showing client={client} view={view} />
      ) : (
        <Pairing
          client={client}
          lost={lost}
          onPaired={(v) => {
            setPaired(true);
            setLost(false);
            accept(v, true);
          }}
        />
      )}
    </div>
  );
}

function errorText(error: ClientError, lang: string): string {
  return lang === 'en' ? error.message.en : error.message['zh-CN'];
}

function Pairing({
  client,
  lost,
  onPaired,
}: {
  client: ApiClient;
  lost: boolean;
  onPaired(view: CustomerView): void;
}) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);

  async function submit(value: string) {
    if (busy || !/^\d{6}$/.test(value)) return;
    setBusy(true);
    const r = await client.invoke('customer.pair', { code: value });
    setBusy(false);
    if (r.ok) onPaired(r.value.view);
    else {
      setError(r.error);
      setCode('');
      input.current?.focus();
    }
  }
  function change(next: string) {
    const digits = next.replace(/\D/g, '').slice(0, 6);
    setCode(digits);
    if (digits.length === 6) void submit(digits);
  }

  return (
    <main className="cd-pair">
      <h1>{t('customer.pairHeading')}</h1>
      <p className="cd-hint">{t('customer.pairHint')}</p>
      {lost && <p className="cd-warn">{t('customer.reconnect')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit(code);
        }}
      >
        <input
          ref={input}
          className="cd-code"
          name="pairing-code"
          aria-label={t('customer.codeLabel')}
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          value={code}
          disabled={busy}
          onChange={(e) => change(e.target.value)}
        />
        <div className="cd-keypad">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
            <button
              key={d}
              type="button"
              aria-label={t('customer.digit', { digit: d })}
              onClick={() => change(code + d)}
              disabled={busy}
            >
              {d}
            </button>
          ))}
          <button type="button" onClick={() => setCode('')} disabled={busy}>
            {t('customer.clear')}
          </button>
          <button
            type="button"
            aria-label={t('customer.digit', { digit: '0' })}
            onClick={() => change(code + '0')}
            disabled={busy}
          >
            0
          </button>
          <button type="button" onClick={() => setCode(code.slice(0, -1))} disabled={busy}>
            {t('customer.delete')}
          </button>
        </div>
        <button type="submit" className="cd-pair-button" disabled={busy || code.length !== 6}>
          {busy ? t('customer.pairing') : t('customer.pair')}
        </button>
      </form>
      {error && (
        <p className="cd-error" role="alert" data-testid="cd-pair-error">
          {errorText(error, lang)}
        </p>
      )}
    </main>
  );
}

function Welcome() {
  const { t } = useTranslation();
  return (
    <main className="cd-welcome" data-testid="cd-welcome">
      <h1>{t('customer.welcome')}</h1>
      <p>{t('customer.welcomeSub')}</p>
    </main>
  );
}

function Showing({ client, view }: { client: ApiClient; view: CustomerView | null }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [thanksFor, setThanksFor] = useState<number | null>(null);
  const [expired, setExpired] = useState<number | null>(null);
  const [rateError, setRateError] = useState<ClientError | null>(null);
  const [rating, setRating] = useState(false);
  const v = view;
  const versionNow = v?.version ?? -1;
  const rateable = v?.phase === 'paid' && v.ratingReceiptId !== null;

  // An unrated receipt goes back to the welcome screen by itself.
  useEffect(() => {
    if (!rateable) return;
    const timer = setTimeout(() => setExpired(versionNow), RATING_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [rateable, versionNow]);
  useEffect(() => {
    if (thanksFor === null) return;
    const timer = setTimeout(() => setThanksFor(null), THANKS_MS);
    return () => clearTimeout(timer);
  }, [thanksFor]);
  useEffect(() => setRateError(null), [versionNow]);

  async function rate(score: number) {
    if (rating) return;
    setRating(true);
    const r = await client.invoke('customer.rate', { score });
    setRating(false);
    if (r.ok) setThanksFor(versionNow);
    else setRateError(r.error);
  }

  // "Thank you" only while nothing newer than the rated receipt (its idle) is on the counter.
  if (thanksFor !== null && v && (v.version === thanksFor || v.phase === 'idle')) {
    return (
      <main className="cd-welcome" data-testid="cd-thanks">
        <h1>{t('customer.rated')}</h1>
      </main>
    );
  }
  if (!v || v.phase === 'idle' || expired === v.version) return <Welcome />;

  const money = (fen: number | null) => (fen === null ? '—' : formatFen(fen));
  const showSeasons = v.phase !== 'paid' || v.lines.length === 0;
  return (
    <main className="cd-main">
      <section className="cd-left">
        <div className="cd-who">
          <span className="cd-name data" data-testid="cd-name">
            {v.householdNameMasked}
          </span>
          <span className="cd-addr data" data-testid="cd-address">
            {v.addressMasked}
          </span>
        </div>
        {showSeasons && (
          <table className="cd-table" data-testid="cd-seasons">
            <thead>
              <tr>
                <th>{t('customer.season')}</th>
                <th className="num">{t('customer.charge')}</th>
                <th className="num">{t('customer.owed')}</th>
              </tr>
            </thead>
            <tbody>
              {v.seasons.map((s) => (
                <tr key={s.seasonCode}>
                  <td className="data">{s.seasonCode}</td>
                  <td className="num">{formatFen(s.chargeFen)}</td>
                  <td className="num">{formatFen(s.owedFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={2}>{t('customer.owedTotal')}</td>
                <td className="num" data-testid="cd-owed">
                  {formatFen(v.owedFen)}
                </td>
              </tr>
            </tfoot>
          </table>
        )}
        {v.lines.length > 0 && (
          <>
            <h2>{t('customer.allocation')}</h2>
            <table className="cd-table" data-testid="cd-lines">
              <tbody>
                {v.lines.map((l) => (
                  <tr key={l.seasonCode}>
                    <td className="data">{l.seasonCode}</td>
                    <td className="num">{formatFen(l.amountFen)}</td>
                    <td className={l.partial ? 'cd-partial' : 'cd-settled'}>
                      {l.partial
                        ? t('customer.partial', { pct: formatPercentTenths(l.pctTenths) })
                        : t('customer.settled')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="cd-right">
        {v.phase === 'account' ? (
          <div className="cd-big">
            <label>{t('customer.owedTotal')}</label>
            <span data-testid="cd-owed-big">{formatFen(v.owedFen)}</span>
          </div>
        ) : (
          <>
            <div className="cd-big">
              <label>{t('customer.thisPayment')}</label>
              <span data-testid="cd-amount">{money(v.amountFen)}</span>
            </div>
            <div className="cd-big">
              <label>{t('customer.tendered')}</label>
              <span data-testid="cd-tendered">{money(v.tenderedFen)}</span>
            </div>
            <div className="cd-big cd-change">
              <label>{t('customer.change')}</label>
              <span data-testid="cd-change">{money(v.changeFen)}</span>
            </div>
          </>
        )}
        {v.receiptLabel && (
          <div className="cd-receipt">
            {t('customer.receipt')}{' '}
            <span className="data" data-testid="cd-receipt">
              {v.receiptLabel}
            </span>
          </div>
        )}
        {v.phase === 'paid' && v.owedFen > 0 && (
          <div className="cd-receipt" data-testid="cd-still-owed">
            {t('customer.stillOwed', { amount: formatFen(v.owedFen) })}
          </div>
        )}
      </section>
      {v.phase === 'paid' && (
        <footer className="cd-rate" data-testid="cd-rate">
          <p>
            {t('customer.paidThanks')}
            {rateable && ` ${t('customer.rateAsk')}`}
          </p>
          {rateable && (
            <div className="cd-scores">
              {SCORES.map((score) => (
                <button
                  key={score}
                  type="button"
                  data-score={score}
                  disabled={rating}
                  onClick={() => void rate(score)}
                >
                  <span className="cd-stars" aria-hidden="true">
                    {'★'.repeat(score)}
                  </span>
                  {t(`customer.scores.${score}`)}
                </button>
              ))}
            </div>
          )}
          {rateError && (
            <p className="cd-error" role="alert">
              {t('customer.rateFailed', { message: errorText(rateError, lang) })}
            </p>
          )}
        </footer>
      )}
    </main>
  );
}
