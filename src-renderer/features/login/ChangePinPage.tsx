// The first log-in with a PIN head office issued (issue 19): the clerk sets a new PIN before anything
// else — the current one, then the new one twice. Keyboard only: Tab moves on, Enter saves, F12 logs
// out. An easy guess (000000, 123456, the clerk code…) is refused by the main side in plain words.
import { Button, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient, ClientError } from '../../api/client';
import { PIN, TextField } from '../../app/fields';
import { useScreenKeys } from '../../app/keys';
import { FormMessages, useWords } from '../../app/messages';
import { isPin } from '../../app/SupervisorFields';
import type { Session } from '../../app/types';

export function ChangePinPage({
  client,
  session,
  onDone,
}: {
  client: ApiClient;
  session: Session;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const [problem, setProblem] = useWords();
  const pinRef = useRef<InputRef>(null);
  const nextRef = useRef<InputRef>(null);
  const againRef = useRef<InputRef>(null);

  useScreenKeys([
    { key: 'Tab', label: t('keys.tab') },
    { key: 'Enter', label: t('pinChange.submit') },
  ]);
  useEffect(() => pinRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    if (!isPin(pin)) {
      setProblem((t) => t('pinChange.problems.current'));
      return pinRef.current?.focus();
    }
    if (!isPin(next)) {
      setProblem((t) => t('pinChange.problems.new'));
      return nextRef.current?.focus();
    }
    if (next !== again) {
      setProblem((t) => t('pinChange.problems.mismatch'));
      setAgain('');
      return againRef.current?.focus();
    }
    setProblem(null);
    setBusy(true);
    const r = await client.invoke('session.changePin', {
      session: session.token,
      pin,
      newPin: next,
      newPinAgain: again,
    });
    setBusy(false);
    if (r.ok) return onDone();
    setError(r.error);
    if (r.error.code === 'BAD_CREDENTIALS') {
      setPin('');
      pinRef.current?.focus();
    } else {
      setNext('');
      setAgain('');
      nextRef.current?.focus();
    }
  }

  return (
    <section className="panel login-panel" aria-labelledby="pin-heading" data-testid="pin-change">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="pin-heading">{t('pinChange.heading', { name: session.clerk.name })}</h2>
        <p>{t('pinChange.hint')}</p>
        <FormMessages problem={problem} error={error} />
        <TextField
          ref={pinRef}
          label={t('pinChange.current')}
          name="currentPin"
          {...PIN}
          autoComplete="current-password"
          value={pin}
          onValue={setPin}
        />
        <TextField
          ref={nextRef}
          label={t('pinChange.new')}
          name="newPin"
          {...PIN}
          autoComplete="new-password"
          value={next}
          onValue={setNext}
        />
        <TextField
          ref={againRef}
          label={t('pinChange.again')}
          name="newPinAgain"
          {...PIN}
          autoComplete="new-password"
          value={again}
          onValue={setAgain}
        />
        <Button type="primary" size="large" htmlType="submit" loading={busy}>
          {t('pinChange.submit')}
        </Button>
      </form>
    </section>
  );
}
