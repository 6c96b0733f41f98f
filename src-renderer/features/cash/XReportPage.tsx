import { Button } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommand } from '../../app/command';
import { Facts } from '../../app/Facts';
import { useScreenKeys } from '../../app/keys';
import { DoneNote, ErrorBox } from '../../app/messages';
import type { ScreenProps } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';
import { formatTime } from '../../format/time';
import { REPORT_ORDER } from '@heating-cashier/core/tenders';
import type { XReport } from './shared';
import './cash.css';

/** The open shift's hand-in figures so far (X report): reads only, changes nothing. */
export function XReportPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [x, setX] = useState<XReport | null>(null);
  const { error, fail, take } = useCommand(sessionLost);
  const load = useCallback(
    async () => take(await client.invoke('shift.xReport', { session: session.token }), setX),
    [client, session.token, take],
  );
  useEffect(() => void load(), [load]);
  const [printed, setPrinted] = useState<string | null>(null);
  const print = async () => {
    const r = await client.invoke('shift.printX', { session: session.token });
    if (r.ok) setPrinted(r.value.label);
    else fail(r.error);
  };
  useScreenKeys([
    { key: 'F5', label: t('cash.keys.refresh'), run: () => void load() },
    { key: 'F7', label: t('cash.keys.printX'), run: () => void print() },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);
  return (
    <section className="panel cash-panel" data-testid="x-report">
      <header className="cash-head">
        <h2>{t('cash.x.heading')}</h2>
        <Button onClick={() => void load()}>F5 {t('cash.x.refresh')}</Button>
        <Button onClick={() => void print()} data-testid="x-print">
          F7 {t('cash.x.print')}
        </Button>
      </header>
      {printed && (
        <DoneNote testId="x-printed">
          {t('cash.x.printed')}
          <span className="data">{printed}</span>
        </DoneNote>
      )}
      {error && <ErrorBox error={error} />}
      {x && (
        <div className="cash-columns">
          <div>
            <p>
              {t('cash.x.shift', {
                date: x.businessDate,
                opened: formatTime(x.openedAt),
              })}
              <span className="data">{x.clerk.name}</span>
            </p>
            <Facts
              className="facts-grid"
              items={[
                { label: t('cash.x.receipts'), value: x.receiptCount, testId: 'x-receipts' },
                { label: t('cash.x.voids'), value: x.voidCount },
                { label: t('cash.x.spoiled'), value: x.spoiledCount },
                {
                  label: t('cash.x.collected'),
                  value: formatFen(x.collectedFen),
                  testId: 'x-collected',
                },
                { label: t('cash.x.float'), value: formatFen(x.cash.openingFloatFen) },
                {
                  label: t('cash.x.expectedCash'),
                  value: formatFen(x.cash.expectedFen),
                  testId: 'x-expected',
                },
              ]}
            />
            <table className="plain-table">
              <tbody>
                {REPORT_ORDER.map((k) => (
                  <tr key={k}>
                    <th>{t(`cash.tenders.${k}`)}</th>
                    <td className="num" data-testid={`x-tender-${k}`}>
                      {formatFen(x.byTender[k])}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="hint">{t('cash.x.unsynced', { count: x.unsyncedEvents })}</p>
          </div>
          <div>
            <h3>{t('cash.x.books')}</h3>
            <ul>
              {x.books.map((b) => (
                <li key={b.bookId} className="mono">
                  {t('cash.x.range', {
                    series: b.series,
                    ranges: b.ranges.map(([a, z]) => (a === z ? `${a}` : `${a}–${z}`)).join(', '),
                    issued: b.issued,
                    voided: b.voided,
                    spoiled: b.spoiled,
                  })}
                </li>
              ))}
              {x.books.length === 0 && <li>{t('cash.x.none')}</li>}
            </ul>
            <h3>{t('cash.x.movements')}</h3>
            <ul>
              {x.cashMovements.map((m, i) => (
                <li key={i}>
                  {t(`cash.moves.${m.kind}`)} {formatFen(m.amountFen)} ·{' '}
                  <span className="data">{m.reason}</span>
                </li>
              ))}
              {x.cashMovements.length === 0 && <li>{t('cash.x.none')}</li>}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
