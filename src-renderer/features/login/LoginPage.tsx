import { Button, Input, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient, ClientError } from '../../api/client';
import { ErrorBox, ProblemText } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { Login, TerminalInfo } from '../../app/types';

const CODE = /^[A-Za-z0-9]{1,20}$/;
const PIN = /^\d{4,12}$/;

/** Clerk code + PIN. A wrong PIN keeps the code and puts the cursor back in the PIN field. */
export function LoginPage({
  client,
  info,
  onLogin,
}: {
  client: ApiClient;
  info: TerminalInfo | null;
  onLogin(login: Login): void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const codeRef = useRef<InputRef>(null);
  const pinRef = useRef<InputRef>(null);

  useScreenKeys([
    { key: 'Tab', label: t('keys.tab') },
    { key: 'Enter', label: t('login.submit') },
  ]);
  useEffect(() => codeRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!CODE.test(code.trim())) {
      setProblem('login.needCode');
      codeRef.current?.focus();
      return;
    }
    if (!PIN.test(pin)) {
      setProblem('login.needPin');
      pinRef.current?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    const result = await client.invoke('session.login', { clerkCode: code.trim(), pin });
    setBusy(false);
    setPin('');
    if (result.ok) {
      setError(null);
      onLogin(result.value);
    } else {
      setError(result.error);
      pinRef.current?.focus();
    }
  }

  return (
    <section className="panel login-panel" aria-labelledby="login-heading">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="login-heading">{t('login.heading')}</h2>
        <label className="field">
          <span>{t('login.clerkCode')}</span>
          <Input
            ref={codeRef}
            name="clerkCode"
            size="large"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="username"
            inputMode="numeric"
            maxLength={20}
          />
        </label>
        <label className="field">
          <span>{t('login.pin')}</span>
          <Input
            ref={pinRef}
            name="pin"
            type="password"
            size="large"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            autoComplete="current-password"
            inputMode="numeric"
            maxLength={12}
          />
        </label>
        <Button type="primary" size="large" htmlType="submit" loading={busy} block>
          {t('login.submit')} (Enter)
        </Button>
        {problem && <ProblemText text={t(problem)} />}
        {error && <ErrorBox error={error} />}
      </form>
      {info && (
        <dl className="facts">
          <div>
            <dt>{t('login.terminal')}</dt>
            <dd data-testid="terminal-id">{info.terminalId}</dd>
          </div>
          <div>
            <dt>{t('login.schema')}</dt>
            <dd>{info.schemaVersion}</dd>
          </div>
          <div>
            <dt>{t('login.events')}</dt>
            <dd data-testid="event-count">{info.eventCount}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
