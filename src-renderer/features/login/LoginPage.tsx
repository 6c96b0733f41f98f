import { Button, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient, ClientError } from '../../api/client';
import { Facts } from '../../app/Facts';
import { PIN, TextField } from '../../app/fields';
import { FormMessages } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import { isClerkCode, isPin } from '../../app/SupervisorFields';
import type { Login, TerminalInfo } from '../../app/types';

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
    if (!isClerkCode(code.trim())) {
      setProblem('login.needCode');
      codeRef.current?.focus();
      return;
    }
    if (!isPin(pin)) {
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
        <TextField
          ref={codeRef}
          label={t('login.clerkCode')}
          name="clerkCode"
          size="large"
          value={code}
          onValue={setCode}
          autoComplete="username"
          inputMode="numeric"
          maxLength={20}
        />
        <TextField
          ref={pinRef}
          label={t('login.pin')}
          name="pin"
          {...PIN}
          autoComplete="current-password"
          value={pin}
          onValue={setPin}
        />
        <Button type="primary" size="large" htmlType="submit" loading={busy} block>
          {t('login.submit')} (Enter)
        </Button>
        <FormMessages problem={problem && t(problem)} error={error} />
      </form>
      {info && (
        <Facts
          className="facts"
          items={[
            { label: t('login.terminal'), value: info.terminalId, testId: 'terminal-id' },
            { label: t('login.schema'), value: info.schemaVersion },
            { label: t('login.events'), value: info.eventCount, testId: 'event-count' },
          ]}
        />
      )}
    </section>
  );
}
