import { Alert, Button, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientError } from '../../api/client';
import { AMOUNT, TextField } from '../../app/fields';
import { FormMessages } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { ScreenProps } from '../../app/types';
import { parseYuanToFen } from '@heating-cashier/core/money';

/** No shift open on this counter: the clerk enters the opening float. */
export function OpenShiftPage({
  client,
  session,
  go,
  refresh,
  sessionLost,
  logout,
}: ScreenProps & { logout(): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const ref = useRef<InputRef>(null);
  const other = session.shift && session.shift.clerkId !== session.clerk.id ? session.shift : null;

  useScreenKeys([
    { key: 'Enter', label: t('shift.submit'), disabled: other !== null },
    { key: 'Escape', label: t('keys.logout'), run: logout },
  ]);
  useEffect(() => ref.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || other) return;
    const fen = parseYuanToFen(text);
    if (fen === null) {
      setProblem('payment.errors.amountFormat');
      return;
    }
    setProblem(null);
    setBusy(true);
    const result = await client.invoke('shift.open', {
      session: session.token,
      openingFloatFen: fen,
    });
    setBusy(false);
    if (result.ok) {
      // the shift is in the session before the search screen shows (F2 there is Search, not 开班)
      await refresh();
      go({ name: 'search' });
    } else if (result.error.code === 'NOT_LOGGED_IN') {
      sessionLost();
    } else {
      setError(result.error);
      refresh();
    }
  }

  return (
    <section className="panel shift-panel" aria-labelledby="shift-heading">
      <h2 id="shift-heading">{t('shift.heading')}</h2>
      {other ? (
        <Alert
          type="warning"
          showIcon
          title={t('shift.otherClerk', { name: other.clerkName, date: other.businessDate })}
        />
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p>{t('shift.intro')}</p>
          <TextField
            ref={ref}
            label={t('shift.float')}
            name="openingFloat"
            size="large"
            {...AMOUNT}
            status={problem ? 'error' : undefined}
            value={text}
            onValue={setText}
          />
          <Button type="primary" size="large" htmlType="submit" loading={busy}>
            {t('shift.submit')} (Enter)
          </Button>
          <FormMessages problem={problem && t(problem)} error={error} />
        </form>
      )}
    </section>
  );
}
