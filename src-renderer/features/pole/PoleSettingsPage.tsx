// Supervisor screen (F9 work menu): the pole display (客显) — on/off, the serial port (from the
// ports the PC lists, or typed for a virtual one), the baud rate, a test (总计 8888.88, then
// clear) and its live state with what it shows. A port that cannot be opened is refused by main
// and nothing changes; payments never depend on the display.
import { PortListing } from '../../app/PortListing';
import { Button, Input, Radio, Switch } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { ErrorBox, ProblemText, SuccessAlert } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { ScreenProps } from '../../app/types';
import { currentLanguage } from '../../i18n';
import '../printer/printer.css';

type PoleView = CommandOutput<'pole.settings.get'>;
type Baud = PoleView['baudRate'];

const POLL_MS = 2_000;
const BAUDS: readonly Baud[] = [2400, 4800, 9600];
const PORT = /^(\/dev\/[A-Za-z0-9/_.-]+|\/[A-Za-z0-9/_.-]+|COM\d{1,3})$/;

export function PoleSettingsPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [view, setView] = useState<PoleView | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [port, setPort] = useState('');
  const [baud, setBaud] = useState<Baud>(2400);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<'port' | 'pin' | null>(null);
  const [notice, setNotice] = useState<{ key: string; params: Record<string, string> } | null>(
    null,
  );
  const { error, setError, fail, busy, run } = useCommand(sessionLost);
  const switchRef = useRef<HTMLButtonElement>(null);

  const showForm = useCallback((v: PoleView) => {
    setView(v);
    setEnabled(v.enabled);
    setPort(v.path);
    setBaud(v.baudRate);
  }, []);

  useEffect(() => {
    void (async () => {
      const r = await client.invoke('pole.settings.get', { session: session.token });
      if (r.ok) showForm(r.value);
      else fail(r.error);
      switchRef.current?.focus();
    })();
  }, [client, session.token, showForm, fail]);

  // the state only (the form keeps what the supervisor is typing)
  useEffect(() => {
    const timer = setInterval(() => {
      void client.invoke('pole.settings.get', { session: session.token }).then((r) => {
        if (r.ok) setView(r.value);
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [client, session.token]);

  async function save(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    setNotice(null);
    setError(null);
    const path = port.trim();
    const wrong = enabled && !PORT.test(path) ? 'port' : !/^\d{4,12}$/.test(pin) ? 'pin' : null;
    setProblem(wrong);
    if (wrong) return;
    const saved = await run(() =>
      client.invoke('pole.settings.set', {
        session: session.token,
        supervisorCode: session.clerk.code,
        supervisorPin: pin,
        enabled,
        path: path === '' || PORT.test(path) ? path : '',
        baudRate: baud,
      }),
    );
    setPin('');
    if (!saved) return;
    showForm(saved);
    setNotice(
      saved.enabled
        ? { key: 'pole.saved', params: { port: saved.path } }
        : { key: 'pole.savedOff', params: {} },
    );
  }

  async function test() {
    if (busy) return;
    setNotice(null);
    setError(null);
    const r = await run(() => client.invoke('pole.test', { session: session.token }));
    if (!r) return;
    setView(r);
    if (r.state === 'off') setNotice({ key: 'pole.notEnabled', params: {} });
    else if (r.state === 'ready') setNotice({ key: 'pole.tested', params: {} });
  }

  useScreenKeys([
    { key: 'F3', label: t('pole.keys.save'), run: () => void save() },
    { key: 'F6', label: t('pole.keys.test'), run: () => void test() },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  const state = view?.state ?? 'off';
  const shown = view?.shown ?? null;
  const ports = view?.ports ?? [];

  return (
    <section className="panel printer-page" data-testid="pole-settings">
      <form className="printer-form" onSubmit={(e) => void save(e)} aria-labelledby="pole-h">
        <h2 id="pole-h">{t('pole.heading')}</h2>
        <p>{t('pole.intro')}</p>
        <div className="printer-grid">
          <label className="field-label" htmlFor="pole-enabled">
            {t('pole.enabled')}
          </label>
          <div className="switch-row">
            <Switch
              id="pole-enabled"
              ref={switchRef}
              checked={enabled}
              onChange={setEnabled}
              data-testid="pole-enabled"
            />
          </div>
          <label className="field-label" htmlFor="pole-port">
            {t('pole.port')}
          </label>
          <div>
            <Input
              id="pole-port"
              name="polePort"
              className="mono"
              list="pole-ports"
              value={port}
              placeholder={t('pole.portHint')}
              onChange={(e) => setPort(e.target.value)}
              data-testid="pole-port"
            />
            <PortListing
              id="pole-ports"
              ports={ports}
              onPick={setPort}
              testId="pole-ports-listed"
            />
          </div>
          <span className="field-label">{t('pole.baud')}</span>
          <div>
            <Radio.Group
              name="poleBaud"
              value={baud}
              onChange={(e) => setBaud(e.target.value as Baud)}
              options={BAUDS.map((b) => ({ value: b, label: String(b) }))}
            />
            <div className="hint">{t('pole.baudHint')}</div>
          </div>
          <label className="field-label" htmlFor="pole-pin">
            {t('common.supervisorPin')} <span className="data">({session.clerk.name})</span>
          </label>
          <Input.Password
            id="pole-pin"
            name="supervisorPin"
            value={pin}
            inputMode="numeric"
            autoComplete="off"
            visibilityToggle={false}
            onChange={(e) => setPin(e.target.value)}
          />
        </div>
        {problem && <ProblemText text={t(`pole.problems.${problem}`)} />}
        <div className="printer-actions">
          <Button type="primary" htmlType="submit" loading={busy} data-testid="pole-save">
            F3 {t('pole.save')}
          </Button>
          <Button onClick={() => void test()} data-testid="pole-test">
            F6 {t('pole.test')}
          </Button>
        </div>
      </form>

      <div className="printer-side">
        <h2>{t('pole.statusHeading')}</h2>
        <div
          className={`printer-state state-${state === 'off' ? 'unavailable' : state}`}
          data-testid="pole-state"
          data-state={view ? state : 'loading'}
          role="status"
        >
          <strong>{t(`pole.states.${state}`)}</strong>
          <span>{view?.detail?.[lang] ?? ''}</span>
        </div>
        {shown && (
          <div className="pole-shown" data-testid="pole-shown">
            {t('pole.shownNow')}：{t(`pole.lamps.${shown.lamp}`)}{' '}
            <span className="mono">{shown.text === '' ? t('pole.blank') : shown.text}</span>
          </div>
        )}
        {notice && (
          <SuccessAlert
            testId="pole-notice"
            title={t(notice.key as 'pole.tested', notice.params)}
          />
        )}
        {error && <ErrorBox error={error} />}
      </div>
    </section>
  );
}
