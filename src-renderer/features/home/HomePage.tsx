import {
  useCallback,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type FormEvent,
} from 'react';
import type { CommandOutput } from '../../../src-main/contract';
import type { ApiClient, ClientError, ConnectionState } from '../../api/client';

type TerminalInfo = CommandOutput<'terminal.info'>;
type Login = CommandOutput<'session.login'>;

const CONNECTION_TEXT: Record<ConnectionState, { zh: string; en: string }> = {
  open: { zh: '已连接', en: 'Connected' },
  connecting: { zh: '正在连接…', en: 'Connecting…' },
  closed: { zh: '连接已断开，正在重连', en: 'Disconnected, retrying' },
};

const ROLE_TEXT = {
  clerk: { zh: '收费员', en: 'Clerk' },
  supervisor: { zh: '主管', en: 'Supervisor' },
} as const;

function ErrorMessage({ error }: { error: ClientError }) {
  return (
    <div className="error" role="alert">
      <div className="zh">{error.message['zh-CN']}</div>
      <div className="en">{error.message.en}</div>
    </div>
  );
}

function Field({ zh, en, value }: { zh: string; en: string; value: string | number }) {
  return (
    <div className="field">
      <dt>
        {zh} <span className="en">{en}</span>
      </dt>
      <dd>{value}</dd>
    </div>
  );
}

/** The start page: who this terminal is, whether it is connected, and clerk login. */
export function HomePage({ client }: { client: ApiClient }) {
  // The socket may open before the first render: read the state from the client, not a snapshot.
  const connection = useSyncExternalStore(client.onStateChange, client.state);
  const [info, setInfo] = useState<TerminalInfo | null>(null);
  const [infoError, setInfoError] = useState<ClientError | null>(null);
  const [clerkCode, setClerkCode] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [login, setLogin] = useState<Login | null>(null);
  const [loginError, setLoginError] = useState<ClientError | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const pinInput = useRef<HTMLInputElement>(null);

  const loadInfo = useCallback(async () => {
    const result = await client.invoke('terminal.info', {});
    if (result.ok) {
      setInfo(result.value);
      setInfoError(null);
    } else {
      setInfoError(result.error);
    }
  }, [client]);

  useEffect(() => {
    if (connection === 'open') void loadInfo();
  }, [connection, loadInfo]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setLoginError(null);
    const result = await client.invoke('session.login', { clerkCode: clerkCode.trim(), pin });
    setBusy(false);
    setPin('');
    if (result.ok) {
      setLogin(result.value);
      setClerkCode('');
      void loadInfo();
    } else {
      setLoginError(result.error);
      pinInput.current?.focus();
    }
  }

  async function logout() {
    if (!login) return;
    const result = await client.invoke('session.logout', { session: login.session });
    if (!result.ok && result.error.code !== 'NOT_LOGGED_IN') {
      setLoginError(result.error);
      return;
    }
    setLogin(null);
    setLoginError(null);
  }

  useEffect(() => {
    if (!login) codeInput.current?.focus();
  }, [login]);

  const conn = CONNECTION_TEXT[connection];

  return (
    <main className="home">
      <header className="terminal-header">
        <div className="title">
          <h1 data-testid="terminal-name">{info?.name ?? '供热收费终端'}</h1>
          {info?.isDemo && (
            <span className="demo-badge" data-testid="demo-badge" title="演示数据 Demo data">
              演示 DEMO
            </span>
          )}
        </div>
        <div
          className={`connection connection-${connection}`}
          data-testid="connection"
          role="status"
        >
          {conn.zh} <span className="en">{conn.en}</span>
        </div>
      </header>

      {infoError && <ErrorMessage error={infoError} />}

      {info && (
        <dl className="facts">
          <Field zh="营业日期" en="Business date" value={info.businessDate} />
          <Field zh="终端编号" en="Terminal id" value={info.terminalId} />
          <Field zh="数据库版本" en="Schema version" value={info.schemaVersion} />
          <Field zh="记账事件数" en="Events" value={info.eventCount} />
        </dl>
      )}

      {login ? (
        <section className="login done" aria-labelledby="clerk-heading">
          <h2 id="clerk-heading">
            已登录 <span className="en">Logged in</span>
          </h2>
          <p className="clerk" data-testid="clerk-name">
            {login.clerk.name}
            <span className="role">
              {ROLE_TEXT[login.clerk.role].zh} {ROLE_TEXT[login.clerk.role].en} · 工号{' '}
              {login.clerk.code}
            </span>
          </p>
          <p>
            {login.openShift
              ? `当前班次：${login.openShift.clerkName}（${login.openShift.businessDate}）`
              : '当前未开班 No shift open'}
          </p>
          <p>
            {login.book
              ? `票据本 ${login.book.series}：下一号 ${login.book.nextNo}，剩余 ${login.book.remaining} 张`
              : '未领用票据本 No receipt book'}
          </p>
          <button type="button" onClick={() => void logout()} autoFocus>
            退出登录 <span className="en">Log out</span>
          </button>
        </section>
      ) : (
        <form className="login" onSubmit={(e) => void submit(e)} aria-labelledby="login-heading">
          <h2 id="login-heading">
            收费员登录 <span className="en">Clerk login</span>
          </h2>
          <label>
            <span>
              工号 <span className="en">Clerk code</span>
            </span>
            <input
              ref={codeInput}
              name="clerkCode"
              value={clerkCode}
              onChange={(e) => setClerkCode(e.target.value)}
              autoComplete="username"
              inputMode="numeric"
              maxLength={20}
              required
              autoFocus
            />
          </label>
          <label>
            <span>
              密码 <span className="en">PIN</span>
            </span>
            <input
              ref={pinInput}
              name="pin"
              type="password"
              value={pin}
              onChange={(e) => setPin(e.target.value)}
              autoComplete="current-password"
              inputMode="numeric"
              maxLength={12}
              required
            />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? '正在登录…' : '登录'} <span className="en">Log in (Enter)</span>
          </button>
          {loginError && <ErrorMessage error={loginError} />}
        </form>
      )}
    </main>
  );
}
