// Supervisor screen (F9 work menu): the card terminal (ZVT on a serial port). The port is picked
// from the ports the PC lists or typed (a virtual port), with its line settings and the ZVT options
// (ECR password, currency, idle check). F6 runs a test registration against the terminal and says
// what happened in the clerk's words; F3 saves: the terminal registers first, then replaces the one
// in use without a restart; a port that fails changes nothing. Same layout as the printer screen.
import { PortListing } from '../../app/PortListing';
import { Button, Input, Radio, Switch } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandInput, CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { ErrorBox, ProblemText, SuccessAlert } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { ScreenProps } from '../../app/types';
import { currentLanguage } from '../../i18n';
import '../printer/printer.css';
import './card-settings.css';

type View = CommandOutput<'card.settings.get'>;
type Port = CommandOutput<'card.ports'>['ports'][number];
type Settings = NonNullable<CommandInput<'card.settings.test'>['settings']>;

export const CARD_BAUDS = [9600, 19200, 38400, 57600, 115200] as const;
const PARITIES = ['none', 'even', 'odd'] as const;

/** The form's fields as typed. */
export interface CardForm {
  port: string;
  baudRate: number;
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  parity: 'none' | 'even' | 'odd';
  password: string;
  currency: string;
  heartbeatS: string;
}

export const DEFAULT_CARD_FORM: CardForm = {
  port: '',
  baudRate: 9600,
  dataBits: 8,
  stopBits: 2,
  parity: 'none',
  password: '000000',
  currency: '156',
  heartbeatS: '30',
};

const PORT = /^(\/[A-Za-z0-9/_.-]+|COM\d{1,3}|\\\\\.\\COM\d{1,3})$/;

/** The form → the settings the commands take, or the first field that is wrong. */
export function cardSettingsOf(
  form: CardForm,
): { settings: Settings } | { problem: 'port' | 'password' | 'currency' | 'heartbeat' } {
  const port = form.port.trim();
  if (!PORT.test(port)) return { problem: 'port' };
  if (!/^\d{6}$/.test(form.password)) return { problem: 'password' };
  const currency = Number(form.currency);
  if (!/^\d{1,3}$/.test(form.currency) || currency < 1) return { problem: 'currency' };
  const heartbeat = Number(form.heartbeatS);
  if (!/^\d{1,4}$/.test(form.heartbeatS) || heartbeat > 3600) return { problem: 'heartbeat' };
  return {
    settings: {
      path: port,
      baudRate: form.baudRate,
      dataBits: form.dataBits,
      stopBits: form.stopBits,
      parity: form.parity,
      password: form.password,
      currency,
      heartbeatMs: heartbeat * 1000,
    },
  };
}

function formOf(s: NonNullable<View['settings']>): CardForm {
  return {
    port: s.path,
    baudRate: s.baudRate,
    dataBits: s.dataBits,
    stopBits: s.stopBits,
    parity: s.parity,
    password: s.password,
    currency: String(s.currency),
    heartbeatS: String(Math.round(s.heartbeatMs / 1000)),
  };
}

function Label({ id, children }: { id: string; children: ReactNode }) {
  return (
    <label className="field-label" htmlFor={id}>
      {children}
    </label>
  );
}

/** Registration can wait for the terminal's answer (three transmissions of T3, then T4). */
const TRIAL_TIMEOUT_MS = 120_000;

export function CardSettingsPage({ client, session, go, refresh, sessionLost }: ScreenProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [view, setView] = useState<View | null>(null);
  const [ports, setPorts] = useState<Port[]>([]);
  const [enabled, setEnabled] = useState(true);
  const [form, setForm] = useState<CardForm>(DEFAULT_CARD_FORM);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<View['status']['detail']>(null);
  const { error, setError, fail, busy, run } = useCommand(sessionLost);
  const portRef = useRef<HTMLInputElement | null>(null);
  const switchRef = useRef<HTMLButtonElement | null>(null);
  const [loaded, setLoaded] = useState(false);
  const set = <K extends keyof CardForm>(k: K, v: CardForm[K]) =>
    setForm((f) => ({ ...f, [k]: v }));

  const show = useCallback((v: View) => {
    setView(v);
    if (v.settings) setForm(formOf(v.settings));
    setEnabled(v.settings !== null || v.source !== 'screen');
  }, []);

  const loadPorts = useCallback(async () => {
    const r = await client.invoke('card.ports', { session: session.token });
    if (r.ok) setPorts(r.value.ports);
  }, [client, session.token]);

  useEffect(() => {
    void (async () => {
      const r = await client.invoke('card.settings.get', { session: session.token });
      if (r.ok) show(r.value);
      else fail(r.error);
      setLoaded(true);
    })();
    void loadPorts();
  }, [client, session.token, show, fail, loadPorts]);

  // Once loaded, the cursor starts on the port (on the switch while the terminal is off).
  useEffect(() => {
    if (loaded) (portRef.current ?? switchRef.current)?.focus();
  }, [loaded]);

  /** Checks the form; the cursor goes to the field that is wrong. */
  function checked(): Settings | null {
    const r = cardSettingsOf(form);
    if ('problem' in r) {
      setProblem(r.problem);
      document.getElementsByName(`card-${r.problem}`)[0]?.focus();
      return null;
    }
    setProblem(null);
    return r.settings;
  }

  async function test() {
    if (busy) return;
    setNotice(null);
    setError(null);
    const settings = checked();
    if (!settings) return;
    const r = await run(() =>
      client.invoke(
        'card.settings.test',
        { session: session.token, settings },
        { timeoutMs: TRIAL_TIMEOUT_MS },
      ),
    );
    if (r) setNotice(r.message);
    const v = await client.invoke('card.settings.get', { session: session.token });
    if (v.ok) setView(v.value);
  }

  async function save(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    setNotice(null);
    setError(null);
    const settings = enabled ? checked() : null;
    if (enabled && !settings) return;
    if (!/^\d{4,12}$/.test(pin)) {
      setProblem('pin');
      document.getElementsByName('supervisorPin')[0]?.focus();
      return;
    }
    setProblem(null);
    const saved = await run(() =>
      client.invoke(
        'card.settings.set',
        {
          session: session.token,
          supervisorCode: session.clerk.code,
          supervisorPin: pin,
          enabled,
          ...(settings ? { settings } : {}),
        },
        { timeoutMs: TRIAL_TIMEOUT_MS },
      ),
    );
    setPin('');
    if (!saved) return;
    show(saved);
    setNotice(saved.message);
    refresh();
  }

  useScreenKeys([
    { key: 'F3', label: t('card.settings.keys.save'), run: () => void save() },
    {
      key: 'F6',
      label: t('card.settings.keys.test'),
      run: () => void test(),
      disabled: !enabled,
    },
    { key: 'F5', label: t('card.settings.keys.ports'), run: () => void loadPorts() },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  const state = view?.status.state ?? 'unavailable';
  const inUse = view?.settings;
  const radios = [
    {
      name: 'card-dataBits',
      label: t('card.settings.dataBits'),
      value: form.dataBits,
      options: [7, 8].map((v) => ({ value: v, label: String(v) })),
      set: (v: unknown) => set('dataBits', v as 7 | 8),
    },
    {
      name: 'card-stopBits',
      label: t('card.settings.stopBits'),
      value: form.stopBits,
      options: [1, 2].map((v) => ({ value: v, label: String(v) })),
      set: (v: unknown) => set('stopBits', v as 1 | 2),
    },
    {
      name: 'card-parity',
      label: t('card.settings.parity'),
      value: form.parity,
      options: PARITIES.map((v) => ({ value: v, label: t(`card.settings.parities.${v}`) })),
      set: (v: unknown) => set('parity', v as CardForm['parity']),
    },
  ];

  const zvtFields = [
    {
      name: 'card-password',
      field: 'password',
      label: t('card.settings.password'),
      hint: t('card.settings.passwordHint'),
      max: 6,
      unit: null,
    },
    {
      name: 'card-currency',
      field: 'currency',
      label: t('card.settings.currency'),
      hint: t('card.settings.currencyHint'),
      max: 3,
      unit: null,
    },
    {
      name: 'card-heartbeat',
      field: 'heartbeatS',
      label: t('card.settings.heartbeat'),
      hint: t('card.settings.heartbeatHint'),
      max: 4,
      unit: t('card.settings.seconds'),
    },
  ] as const;

  return (
    <section className="panel printer-page" data-testid="card-settings">
      <form className="printer-form" onSubmit={(e) => void save(e)} aria-labelledby="card-h">
        <h2 id="card-h">{t('card.settings.heading')}</h2>
        <p className="hint">{t('card.settings.intro')}</p>
        <div className="printer-grid">
          <Label id="card-enabled">{t('card.settings.enabled')}</Label>
          <div className="switch-row">
            <Switch
              id="card-enabled"
              ref={switchRef}
              checked={enabled}
              onChange={setEnabled}
              data-testid="card-enabled"
            />
            {!enabled && <span className="hint">{t('card.settings.offHint')}</span>}
          </div>
          {enabled && (
            <>
              <Label id="card-port">{t('card.settings.port')}</Label>
              <div>
                <Input
                  id="card-port"
                  name="card-port"
                  ref={(r) => {
                    portRef.current = r?.input ?? null;
                  }}
                  className="mono"
                  list="card-ports"
                  autoComplete="off"
                  spellCheck={false}
                  value={form.port}
                  placeholder={t('card.settings.portHint')}
                  onChange={(e) => set('port', e.target.value)}
                  data-testid="card-port"
                />
                <PortListing
                  id="card-ports"
                  ports={ports}
                  onPick={(path) => set('port', path)}
                  testId="card-ports-listed"
                />
              </div>
              <span className="field-label">{t('card.settings.baud')}</span>
              <Radio.Group
                name="card-baudRate"
                value={form.baudRate}
                onChange={(e) => set('baudRate', e.target.value as number)}
                options={CARD_BAUDS.map((b) => ({ value: b, label: String(b) }))}
              />
              <span className="field-label">{t('card.settings.format')}</span>
              <div className="card-inline">
                {radios.map((r) => (
                  <span key={r.name} className="card-inline-item">
                    <span className="card-inline-label">{r.label}</span>
                    <Radio.Group
                      name={r.name}
                      value={r.value}
                      onChange={(e) => r.set(e.target.value)}
                      options={r.options}
                    />
                  </span>
                ))}
              </div>
              <span className="field-label">{t('card.settings.zvt')}</span>
              <div className="card-inline">
                {zvtFields.map((f) => (
                  <span key={f.name} className="card-inline-item">
                    <label className="card-inline-label" htmlFor={f.name}>
                      {f.label}
                    </label>
                    <Input
                      id={f.name}
                      name={f.name}
                      className="mono card-small"
                      inputMode="numeric"
                      autoComplete="off"
                      maxLength={f.max}
                      title={f.hint}
                      value={form[f.field]}
                      onChange={(e) => set(f.field, e.target.value.trim())}
                    />
                    {f.unit && <span>{f.unit}</span>}
                  </span>
                ))}
              </div>
            </>
          )}
          <Label id="card-pin">
            {t('common.supervisorPin')} <span className="data">({session.clerk.name})</span>
          </Label>
          <Input.Password
            id="card-pin"
            name="supervisorPin"
            value={pin}
            inputMode="numeric"
            autoComplete="off"
            visibilityToggle={false}
            onChange={(e) => setPin(e.target.value)}
          />
        </div>
        {problem && (
          <ProblemText
            text={t(`card.settings.problems.${problem}` as 'card.settings.problems.pin')}
          />
        )}
        <div className="printer-actions">
          <Button type="primary" htmlType="submit" loading={busy} data-testid="card-save">
            F3 {t('card.settings.save')}
          </Button>
          <Button onClick={() => void test()} disabled={!enabled || busy} data-testid="card-test">
            F6 {t('card.settings.test')}
          </Button>
          <Button onClick={() => void loadPorts()}>F5 {t('card.settings.refreshPorts')}</Button>
        </div>
      </form>

      <div className="printer-side">
        <h2>{t('card.settings.statusHeading')}</h2>
        <div
          className={`printer-state state-${state}`}
          data-testid="card-state"
          data-state={state}
          role="status"
        >
          <strong>{t(`status.states.${state}`)}</strong>
          <span>{view?.status.detail?.[lang] ?? ''}</span>
        </div>
        {view && (
          <div className="printer-waiting" data-testid="card-in-use">
            <div>
              {inUse
                ? t('card.settings.inUse', {
                    port: inUse.path,
                    baud: inUse.baudRate,
                    bits: `${inUse.dataBits}${inUse.parity[0]!.toUpperCase()}${inUse.stopBits}`,
                  })
                : t('card.settings.noneInUse')}
            </div>
            <div data-testid="card-source">{t(`card.settings.sources.${view.source}`)}</div>
          </div>
        )}
        {busy && <div className="hint">{t('card.settings.testing')}</div>}
        {notice && <SuccessAlert testId="card-notice" title={notice[lang]} />}
        {error && <ErrorBox error={error} />}
      </div>
    </section>
  );
}
