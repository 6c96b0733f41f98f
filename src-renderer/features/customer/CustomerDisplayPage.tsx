import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { useScreenKeys } from '../../app/keys';
import { ErrorBox } from '../../app/messages';
import type { ScreenProps } from '../../app/types';
import { formatTime } from '../../format/time';
import './customer.css';

type Pairing = CommandOutput<'customer.pairingCode'>;
/** The code and the number of paired displays are read again this often while the screen is open. */
const REFRESH_MS = 5_000;

/**
 * F9 → 客户显示屏: the 6-digit code a `/customer` page enters to become this counter's customer
 * display, its expiry and how many displays are paired. F5 a new code, Esc back to the menu.
 */
export function CustomerDisplayPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const { error, take } = useCommand(sessionLost);
  const load = useCallback(
    async (renew = false) => {
      const r = await client.invoke('customer.pairingCode', { session: session.token, renew });
      take(r, setPairing);
    },
    [client, session.token, take],
  );
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useScreenKeys([
    { key: 'F5', label: t('customer.renew'), run: () => void load(true) },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);
  const url = `${location.origin}/customer`;
  return (
    <section className="customer-pairing" data-testid="customer-pairing">
      <h2>{t('customer.heading')}</h2>
      <p>{t('customer.howTo', { url })}</p>
      {pairing && (
        <>
          <div className="pairing-code" aria-label={t('customer.codeLabel')}>
            <span className="data" data-testid="pairing-code">
              {pairing.code}
            </span>
          </div>
          <p>{t('customer.expires', { time: formatTime(pairing.expiresAt) })}</p>
          <p data-testid="pairing-displays">
            {t('customer.displays', { count: pairing.displays })}
          </p>
        </>
      )}
      {error && <ErrorBox error={error} />}
    </section>
  );
}
