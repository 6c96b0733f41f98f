import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient, ClientError } from '../api/client';
import { currentLanguage } from '../i18n';
import { setDisplayTimeZone } from '../format/time';
import { AccountPage } from '../features/account/AccountPage';
import { LoginPage } from '../features/login/LoginPage';
import { ChangePinPage } from '../features/login/ChangePinPage';
import { PaymentPage } from '../features/payment/PaymentPage';
import { SuccessPage } from '../features/payment/SuccessPage';
import { ReceiptPage } from '../features/receipts/ReceiptPage';
import { MenuPage } from '../features/menu/MenuPage';
import { menuEntries } from '../features/menu/entries';
import { CLOSE_SHIFT_ID } from '../features/cash/entries';
import { SearchPage } from '../features/search/SearchPage';
import { CardRecovery } from '../features/card/CardRecovery';
import { QrRecovery } from '../features/qr/QrRecovery';
import {
  CustomerPublisherContext,
  createCustomerPublisher,
  IDLE,
} from '../features/customer/publisher';
import { OpenShiftPage } from '../features/shift/OpenShiftPage';
import { SetupPage, type SetupView } from '../features/setup/SetupPage';
import { KeyBar, KeysProvider, useGlobalKeys } from './keys';
import { ErrorBox } from './messages';
import { ClockWarning, LedgerAlarm, StatusBar } from './StatusBar';
import type {
  Screen,
  ScreenProps,
  SearchState,
  Session,
  TerminalInfo,
  TerminalStatus,
} from './types';

const STATUS_POLL_MS = 10_000;

const THEME = {
  token: {
    fontSize: 18,
    fontSizeLG: 20,
    controlHeight: 40,
    controlHeightLG: 48,
    colorPrimary: '#1a5fb4',
    colorError: '#b3261e',
    borderRadius: 6,
    fontFamily:
      "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif",
  },
};

const EMPTY_SEARCH: SearchState = { query: '', shownFor: null, results: [], selected: 0 };

/** The clerk's window: header, the current screen, the key map and the status bar. */
export function App({ client }: { client: ApiClient }) {
  const { i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [busy, setBusy] = useState(false);
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={THEME}>
      <KeysProvider blocked={busy}>
        <Shell client={client} setBusy={setBusy} />
      </KeysProvider>
    </ConfigProvider>
  );
}

function Shell({ client, setBusy }: { client: ApiClient; setBusy(busy: boolean): void }) {
  const { t, i18n } = useTranslation();
  const connection = useSyncExternalStore(client.onStateChange, client.state);
  const [info, setInfo] = useState<TerminalInfo | null>(null);
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [infoError, setInfoError] = useState<ClientError | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [screen, setScreen] = useState<Screen>({ name: 'login' });
  const [search, setSearch] = useState<SearchState>(EMPTY_SEARCH);
  // First run: asked first; while the ledger is to be set up, the setup screen is all there is.
  const [setup, setSetup] = useState<SetupView | null>(null);
  // Head office issued this clerk's PIN: a new one first, nothing else meanwhile.
  const [mustChangePin, setMustChangePin] = useState(false);
  const [cardRecoveryOpen, setCardRecoveryOpen] = useState(false);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  // The customer display follows this screen (features/customer/publisher.ts).
  const publisher = useMemo(() => createCustomerPublisher(client), [client]);
  useEffect(() => () => publisher.dispose(), [publisher]);
  const token = session?.token;
  useEffect(() => {
    if (!token) return;
    if (screen.name === 'payment') return; // the payment form states its amounts itself
    if (screen.name === 'account')
      publisher.show(token, { phase: 'account', householdId: screen.householdId });
    else if (screen.name === 'success')
      publisher.show(token, {
        phase: 'paid',
        householdId: screen.receipt.household.id,
        receiptId: screen.receipt.id,
      });
    else publisher.show(token, IDLE);
  }, [publisher, screen, token]);

  const loadInfo = useCallback(async () => {
    const [i, s] = await Promise.all([
      client.invoke('terminal.info', {}),
      client.invoke('terminal.status', {}),
    ]);
    if (i.ok) {
      setDisplayTimeZone(i.value.timeZone);
      setInfo(i.value);
    }
    if (s.ok) setStatus(s.value);
    setInfoError(!i.ok ? i.error : !s.ok ? s.error : null);
  }, [client]);

  useEffect(() => {
    if (connection !== 'open') return;
    void client.invoke('setup.status', {}).then((r) => {
      if (r.ok) setSetup(r.value);
      else setInfoError(r.error);
    });
  }, [client, connection]);

  const setUp = setup !== null && !setup.required;
  useEffect(() => {
    if (connection !== 'open' || !setUp) return;
    void loadInfo();
    const timer = setInterval(() => void loadInfo(), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [connection, loadInfo, setUp]);
  // The card terminal's state changes with its texts (busy, connected, line dropped): show it now.
  useEffect(() => client.on('card.text', () => void loadInfo()), [client, loadInfo]);

  const sessionLost = useCallback(() => {
    setMustChangePin(false);
    setSession(null);
    setSearch(EMPTY_SEARCH);
    setScreen({ name: 'login' });
  }, []);

  const refresh = useCallback(() => {
    void loadInfo();
    const s = sessionRef.current;
    if (!s) return Promise.resolve();
    return client.invoke('shift.current', { session: s.token }).then((r) => {
      if (r.ok)
        setSession((cur) =>
          cur && cur.token === s.token ? { ...cur, shift: r.value.shift, book: r.value.book } : cur,
        );
      else if (r.error.code === 'NOT_LOGGED_IN') sessionLost();
    });
  }, [client, loadInfo, sessionLost]);

  const logout = useCallback(async () => {
    const s = sessionRef.current;
    if (s) {
      publisher.show(s.token, IDLE);
      publisher.flush();
      await client.invoke('session.logout', { session: s.token });
    }
    sessionLost();
    void loadInfo();
  }, [client, loadInfo, sessionLost, publisher]);

  const ownShift = session?.shift && session.shift.clerkId === session.clerk.id;
  const go = useCallback((next: Screen) => setScreen(next), []);
  const toggleLanguage = () =>
    void i18n.changeLanguage(currentLanguage(i18n) === 'en' ? 'zh-CN' : 'en');

  useGlobalKeys([
    ...(session && ownShift && !mustChangePin
      ? [
          { key: 'F2' as const, label: t('keys.search'), run: () => go({ name: 'search' }) },
          {
            key: 'F4' as const,
            label: t('keys.receipts'),
            run: () => go({ name: 'receipt', back: screen }),
          },
          {
            key: 'F8' as const,
            label: t('keys.closeShift'),
            run: () => go({ name: 'tool', id: CLOSE_SHIFT_ID }),
          },
        ]
      : []),
    // No shift open at this counter (e.g. after closing it, or "请先开班" on a work screen): F2 opens
    // one. Another clerk's open shift must be closed first, so F2 stays Search then.
    ...(session && !session.shift && screen.name !== 'openShift' && !mustChangePin
      ? [
          {
            key: 'F2' as const,
            label: t('keys.openShift'),
            run: () => go({ name: 'openShift' }),
          },
        ]
      : []),
    ...(session && !mustChangePin
      ? [{ key: 'F9' as const, label: t('keys.menu'), run: () => go({ name: 'menu' }) }]
      : []),
    { key: 'F10', label: t('keys.language'), run: toggleLanguage },
    ...(session
      ? [{ key: 'F12' as const, label: t('keys.logout'), run: () => void logout() }]
      : []),
  ]);

  function onLogin(login: import('./types').Login) {
    const s: Session = {
      token: login.session,
      clerk: login.clerk,
      shift: login.openShift,
      book: login.book,
    };
    setSession(s);
    setMustChangePin(login.mustChangePin);
    setSearch(EMPTY_SEARCH);
    setScreen(
      login.openShift && login.openShift.clerkId === login.clerk.id
        ? { name: 'search' }
        : { name: 'openShift' },
    );
    void loadInfo();
  }

  let body;
  if (setup?.required) {
    body = (
      <SetupPage
        client={client}
        view={setup}
        onDone={() => setSetup({ ...setup, required: false })}
      />
    );
  } else if (!setup) {
    body = null;
  } else if (session && mustChangePin) {
    body = (
      <ChangePinPage client={client} session={session} onDone={() => setMustChangePin(false)} />
    );
  } else if (!session || screen.name === 'login') {
    body = <LoginPage client={client} info={info} onLogin={onLogin} />;
  } else {
    const props: ScreenProps = { client, session, status, go, refresh, sessionLost };
    switch (screen.name) {
      case 'openShift':
        body = <OpenShiftPage {...props} logout={() => void logout()} />;
        break;
      case 'search':
        body = <SearchPage {...props} state={search} setState={setSearch} typed={screen.typed} />;
        break;
      case 'account':
        body = <AccountPage key={screen.householdId} {...props} householdId={screen.householdId} />;
        break;
      case 'payment':
        body = (
          <PaymentPage
            key={screen.account.household.id}
            {...props}
            account={screen.account}
            setBusy={setBusy}
          />
        );
        break;
      case 'success':
        body = <SuccessPage {...props} receipt={screen.receipt} changeFen={screen.changeFen} />;
        break;
      case 'receipt':
        body = (
          <ReceiptPage
            key={screen.receiptId ?? 'lookup'}
            {...props}
            receiptId={screen.receiptId}
            back={screen.back}
            setBusy={setBusy}
          />
        );
        break;
      case 'menu':
        body = <MenuPage {...props} />;
        break;
      case 'tool': {
        const entry = menuEntries.find((e) => e.id === screen.id);
        body = entry ? <entry.Screen {...props} /> : <MenuPage {...props} />;
        break;
      }
    }
  }

  const book = session?.book;
  return (
    <div
      className="shell"
      data-screen={
        setup?.required
          ? 'setup'
          : session && mustChangePin
            ? 'changePin'
            : session
              ? screen.name
              : 'login'
      }
    >
      <header className="topbar">
        <div className="title">
          <h1 className="data" data-testid="terminal-name">
            {info?.name ?? t('app.title')}
          </h1>
          {info?.isDemo && (
            <span className="demo-badge" data-testid="demo-badge">
              {t('app.demo')}
            </span>
          )}
        </div>
        <div className="topbar-right">
          {session && (
            <span
              className={`book ${book && book.remaining > 20 ? '' : 'book-warn'}`}
              data-testid="book"
            >
              {book
                ? t('book.current', {
                    series: book.series,
                    next: book.nextNo,
                    remaining: book.remaining,
                  })
                : t('book.none')}
            </span>
          )}
          <span
            className={`connection connection-${connection}`}
            data-testid="connection"
            role="status"
          >
            {t(`connection.${connection}`)}
          </span>
          <button
            type="button"
            className="lang-button"
            tabIndex={-1}
            onClick={toggleLanguage}
            data-testid="language"
          >
            F10 {t('app.switchTo')}
          </button>
        </div>
      </header>
      <ClockWarning status={status} />
      <LedgerAlarm status={status} />
      {infoError && <ErrorBox error={infoError} />}
      <main className="screen">
        <CustomerPublisherContext.Provider value={publisher}>
          {body}
        </CustomerPublisherContext.Provider>
      </main>
      {session && (
        <CardRecovery
          key={session.token}
          onOpenChange={setCardRecoveryOpen}
          client={client}
          session={session}
          connection={connection}
          setBusy={setBusy}
          refresh={refresh}
          sessionLost={sessionLost}
        />
      )}
      {session && (
        <QrRecovery
          key={`qr:${session.token}`}
          waiting={cardRecoveryOpen}
          client={client}
          session={session}
          connection={connection}
          setBusy={setBusy}
          refresh={refresh}
          sessionLost={sessionLost}
          // A sale of the household on the payment screen turned out paid: its success screen,
          // not the stale payment form (the balance it shows is gone).
          onReceipt={(receipt) =>
            setScreen((s) =>
              s.name === 'payment' && s.account.household.id === receipt.household.id
                ? { name: 'success', receipt, changeFen: 0 }
                : s,
            )
          }
        />
      )}
      <KeyBar title={t('keys.title')} />
      <StatusBar session={session} businessDate={info?.businessDate ?? null} status={status} />
    </div>
  );
}
