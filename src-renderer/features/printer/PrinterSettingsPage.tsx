// Supervisor screen (F9 work menu): printer settings (type, address, width, encoding, drawer kick,
// receipt parts 一式三联, company name), a test print, the live printer state and the print queue
// with the reason each job waits and 补打 for jobs whose outcome is unknown. Settings take effect
// on save.
import { Alert, Button, Input, Radio, Switch } from 'antd';
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { DataTable, type Column } from '../../app/DataTable';
import { ErrorBox, ProblemText, SuccessAlert } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { ScreenProps } from '../../app/types';
import { currentLanguage } from '../../i18n';
import { formatTime } from '../../format/time';
import './printer.css';

type Settings = CommandOutput<'printer.settings.get'>;
type QueueStatus = CommandOutput<'printer.status'>;
type Job = CommandOutput<'printer.jobs'>['jobs'][number];
export type PrinterType = 'none' | 'tcp' | 'serial' | 'device';

const POLL_MS = 2_000;
const DEFAULT_KICK = '1b 70 00 19 fa';

/** The settings' interface string → what the form shows. */
export function parseInterface(iface: string): {
  type: PrinterType;
  address: string;
  baud: string;
} {
  const tcp = /^tcp:\/\/(.+)$/.exec(iface);
  if (tcp) return { type: 'tcp', address: tcp[1]!, baud: '9600' };
  const serial = /^serial:([^?]+)(?:\?baud=(\d+))?$/.exec(iface);
  if (serial) return { type: 'serial', address: serial[1]!, baud: serial[2] ?? '9600' };
  if (/^COM\d+$/.test(iface)) return { type: 'serial', address: iface, baud: '9600' };
  if (iface.startsWith('/dev/')) return { type: 'device', address: iface, baud: '9600' };
  return { type: 'none', address: '', baud: '9600' };
}

/** The form → the interface string `printer.settings.set` takes, or null when not valid. */
export function composeInterface(type: PrinterType, address: string, baud: string): string | null {
  const a = address.trim();
  switch (type) {
    case 'none':
      return 'none';
    case 'tcp':
      if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(a)) return null;
      return `tcp://${a.includes(':') ? a : `${a}:9100`}`;
    case 'serial':
      if (!/^[A-Za-z0-9/_.:\\-]+$/.test(a)) return null;
      return `serial:${a}?baud=${baud}`;
    case 'device':
      return /^\/dev\/[A-Za-z0-9/_.-]+$/.test(a) ? a : null;
  }
}

function validBaud(b: string): boolean {
  const n = Number(b);
  return /^\d{3,6}$/.test(b) && n >= 1200 && n <= 230_400;
}

const NEEDS_REPRINT = new Set(['unknown', 'done']);

/** The label of a settings grid row (the control after it has the id). */
function GridLabel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <label className="field-label" htmlFor={id}>
      {children}
    </label>
  );
}

/** A labelled on/off switch of the settings grid, with what it turns on after it. */
function SwitchRow(props: {
  id: string;
  label: string;
  on: boolean;
  set(on: boolean): void;
  children?: ReactNode;
}) {
  return (
    <>
      <GridLabel id={props.id}>{props.label}</GridLabel>
      <div className="switch-row">
        <Switch checked={props.on} onChange={props.set} id={props.id} />
        {props.children}
      </div>
    </>
  );
}
const WIDTHS = [
  [32, 'printer.widths.w32'],
  [48, 'printer.widths.w48'],
] as const;
const ENCODINGS = [
  ['gb18030', 'printer.encodings.gb18030'],
  ['cp936', 'printer.encodings.cp936'],
] as const;
const QR_MODES = [
  ['native', 'printer.qrModes.native'],
  ['raster', 'printer.qrModes.raster'],
] as const;
/** Parts of the 一式三联 receipt printed, in order: 客户联, 存根联, 记账联. */
const PARTS = [
  [1, 'printer.partsOptions.p1'],
  [2, 'printer.partsOptions.p2'],
  [3, 'printer.partsOptions.p3'],
] as const;
type Parts = (typeof PARTS)[number][0];

export function PrinterSettingsPage({ client, session, go, refresh, sessionLost }: ScreenProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [type, setType] = useState<PrinterType>('none');
  const [address, setAddress] = useState('');
  const [baud, setBaud] = useState('9600');
  const [width, setWidth] = useState<32 | 48>(48);
  const [encoding, setEncoding] = useState<'gb18030' | 'cp936'>('gb18030');
  const [drawer, setDrawer] = useState(true);
  const [drawerBytes, setDrawerBytes] = useState(DEFAULT_KICK);
  const [parts, setParts] = useState<Parts>(3);
  const [qrMode, setQrMode] = useState<'native' | 'raster'>('native');
  const [company, setCompany] = useState('');
  const [pin, setPin] = useState('');
  const [queue, setQueue] = useState<QueueStatus | null>(null);
  const [jobs, setJobs] = useState<Job[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const { error, setError, fail, busy: working, run } = useCommand(sessionLost);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ key: string; params: Record<string, string> } | null>(
    null,
  );
  const typeRef = useRef<HTMLDivElement>(null);

  const showSettings = useCallback((s: Settings) => {
    setSettings(s);
    const parsed = parseInterface(s.interface);
    setType(parsed.type);
    setAddress(parsed.address);
    setBaud(parsed.baud);
    setWidth(s.width);
    setEncoding(s.encoding);
    setDrawer(s.drawerKick !== 'off');
    setDrawerBytes(s.drawerKick === 'off' ? DEFAULT_KICK : s.drawerKick);
    setParts(s.receiptParts);
    setQrMode(s.qrMode);
    setCompany(s.companyName);
  }, []);

  const poll = useCallback(async () => {
    const [status, list] = await Promise.all([
      client.invoke('printer.status', { session: session.token }),
      client.invoke('printer.jobs', { session: session.token, openOnly: false, limit: 12 }),
    ]);
    if (status.ok) setQueue(status.value);
    else if (status.error.code === 'NOT_LOGGED_IN') sessionLost();
    if (list.ok) setJobs(list.value.jobs);
  }, [client, session.token, sessionLost]);

  useEffect(() => {
    void (async () => {
      const r = await client.invoke('printer.settings.get', { session: session.token });
      if (r.ok) showSettings(r.value);
      else fail(r.error);
      typeRef.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
    })();
  }, [client, session.token, showSettings, fail]);

  useEffect(() => {
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  // Each type keeps its own address: a TCP address is no serial device.
  const addresses = useRef<Partial<Record<PrinterType, string>>>({});
  function changeType(next: PrinterType) {
    addresses.current[type] = address;
    setAddress(addresses.current[next] ?? '');
    setType(next);
  }

  const selectedJob =
    jobs.find((j) => j.id === selected) ??
    jobs.find((j) => j.state === 'unknown') ??
    jobs.find((j) => j.state === 'queued');

  async function save(e?: FormEvent) {
    e?.preventDefault();
    if (working) return;
    setNotice(null);
    setError(null);
    const iface = composeInterface(type, address, baud);
    let problemKey: string | null = null;
    if (iface === null) problemKey = 'address';
    else if (type === 'serial' && !validBaud(baud)) problemKey = 'baud';
    else if (company.trim() === '' || company.trim().length > 40) problemKey = 'company';
    else if (drawer && !/^([0-9a-fA-F]{2}[\s:]?){5}$/.test(drawerBytes.trim()))
      problemKey = 'drawerBytes';
    else if (!/^\d{4,12}$/.test(pin)) problemKey = 'pin';
    setProblem(problemKey);
    if (problemKey || iface === null) return;
    const saved = await run(() =>
      client.invoke('printer.settings.set', {
        session: session.token,
        supervisorCode: session.clerk.code,
        supervisorPin: pin,
        interface: iface,
        width,
        encoding,
        companyName: company.trim(),
        drawerKick: drawer ? drawerBytes.trim().toLowerCase() : 'off',
        receiptParts: parts,
        qrMode,
      }),
    );
    setPin('');
    if (!saved) return;
    showSettings(saved);
    setNotice({ key: 'printer.saved', params: { iface: saved.interface } });
    refresh();
    void poll();
  }

  async function testPrint() {
    setNotice(null);
    setError(null);
    const r = await client.invoke('printer.testPrint', { session: session.token });
    if (r.ok) setNotice({ key: 'printer.testQueued', params: {} });
    else fail(r.error);
    void poll();
  }

  async function retry() {
    setNotice(null);
    setError(null);
    const r = await client.invoke('printer.retry', { session: session.token });
    if (r.ok) {
      setQueue(r.value);
      setNotice({ key: 'printer.retried', params: {} });
      refresh();
    } else fail(r.error);
    void poll();
  }

  async function reprint(job: Job | undefined) {
    if (!job) return;
    setNotice(null);
    setError(null);
    const r = await client.invoke('printer.reprint', { session: session.token, jobId: job.id });
    if (r.ok) {
      setNotice(
        r.value.alreadyQueued
          ? { key: 'printer.alreadyQueued', params: {} }
          : { key: 'printer.reprinted', params: { label: r.value.job.label } },
      );
      setSelected(r.value.job.id);
      refresh();
    } else fail(r.error);
    void poll();
  }

  useScreenKeys([
    { key: 'F5', label: t('printer.keys.retry'), run: () => void retry() },
    { key: 'F6', label: t('printer.keys.test'), run: () => void testPrint() },
    {
      key: 'F7',
      label: t('printer.keys.reprint'),
      run: () => void reprint(selectedJob),
      disabled: !selectedJob,
    },
    { key: 'F3', label: t('printer.keys.save'), run: () => void save() },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  const state = queue?.status.state ?? 'unavailable';
  const reasonText = (r: string | null) =>
    r ? t(`printer.reasons.${r}` as 'printer.reasons.offline', { defaultValue: r }) : '';
  /** A row of radio buttons: name, label key, [value, text key] per option, value, setter. */
  function radio<V extends string | number>(
    name: string,
    labelKey: string,
    texts: readonly (readonly [V, string])[],
    value: V,
    set: (v: V) => void,
  ) {
    const options = texts.map(([v, key]) => ({ value: v, label: t(key) }));
    return { name, label: t(labelKey), value, options, set: (v: unknown) => set(v as V) };
  }
  const choices = [
    radio('printerWidth', 'printer.width', WIDTHS, width, setWidth),
    radio('printerEncoding', 'printer.encoding', ENCODINGS, encoding, setEncoding),
    radio('printerQr', 'printer.qr', QR_MODES, qrMode, setQrMode),
    radio('receiptParts', 'printer.parts', PARTS, parts, setParts),
  ];
  const jobAction = (j: Job) =>
    j.state === 'queued' || j.state === 'sending' ? (
      <Button size="small" onClick={() => void retry()}>
        {t('printer.keys.retry')}
      </Button>
    ) : NEEDS_REPRINT.has(j.state) ? (
      <Button
        size="small"
        danger={j.state === 'unknown'}
        data-testid="job-reprint"
        onClick={() => void reprint(j)}
      >
        {t('printer.keys.reprint')}
      </Button>
    ) : null;
  const jobColumns: Column<Job>[] = [
    { title: t('printer.columns.label'), className: 'data', cell: (j) => j.label },
    { title: t('printer.columns.state'), cell: (j) => t(`printer.jobStates.${j.state}`) },
    { title: t('printer.columns.reason'), cell: (j) => reasonText(j.reason) },
    {
      title: t('printer.columns.time'),
      className: 'mono',
      cell: (j) => formatTime(j.reasonAt ?? j.doneAt ?? j.createdAt),
    },
    { title: t('printer.columns.action'), cell: jobAction },
  ];

  return (
    <section className="panel printer-page" data-testid="printer-settings">
      <form className="printer-form" onSubmit={(e) => void save(e)} aria-labelledby="printer-h">
        <h2 id="printer-h">{t('printer.heading')}</h2>
        {settings?.source === 'env' && (
          <Alert
            type="info"
            showIcon
            data-testid="printer-env"
            title={t('printer.envOverride', { iface: settings.interface })}
          />
        )}
        <div className="printer-grid">
          <span className="field-label">{t('printer.type')}</span>
          <div ref={typeRef}>
            <Radio.Group
              name="printerType"
              value={type}
              onChange={(e) => changeType(e.target.value as PrinterType)}
              data-testid="printer-type"
              options={(['none', 'tcp', 'serial', 'device'] as const).map((v) => ({
                value: v,
                label: t(`printer.types.${v}`),
              }))}
            />
          </div>
          {type !== 'none' && (
            <>
              <GridLabel id="printer-address">{t(`printer.address.${type}`)}</GridLabel>
              <div className="printer-address">
                <Input
                  id="printer-address"
                  name="printerAddress"
                  className="mono"
                  value={address}
                  placeholder={t(`printer.addressHint.${type}`)}
                  onChange={(e) => setAddress(e.target.value)}
                  data-testid="printer-address"
                />
                {type === 'serial' && (
                  <>
                    <GridLabel id="printer-baud">{t('printer.baud')}</GridLabel>
                    <Input
                      id="printer-baud"
                      name="printerBaud"
                      className="mono baud"
                      value={baud}
                      inputMode="numeric"
                      onChange={(e) => setBaud(e.target.value.replace(/\D/g, ''))}
                    />
                  </>
                )}
              </div>
            </>
          )}
          {choices.map((c) => (
            <Fragment key={c.name}>
              <span className="field-label">{c.label}</span>
              <Radio.Group
                name={c.name}
                value={c.value}
                onChange={(e) => c.set(e.target.value)}
                options={c.options}
              />
            </Fragment>
          ))}
          <SwitchRow id="printer-drawer" label={t('printer.drawer')} on={drawer} set={setDrawer}>
            {drawer && (
              <Input
                name="drawerBytes"
                className="mono drawer-bytes"
                aria-label={t('printer.drawerBytes')}
                value={drawerBytes}
                onChange={(e) => setDrawerBytes(e.target.value)}
              />
            )}
          </SwitchRow>
          <GridLabel id="printer-company">{t('printer.company')}</GridLabel>
          <Input
            id="printer-company"
            name="companyName"
            value={company}
            maxLength={40}
            onChange={(e) => setCompany(e.target.value)}
          />
          <GridLabel id="printer-pin">
            {t('common.supervisorPin')} <span className="data">({session.clerk.name})</span>
          </GridLabel>
          <Input.Password
            id="printer-pin"
            name="supervisorPin"
            value={pin}
            inputMode="numeric"
            autoComplete="off"
            visibilityToggle={false}
            onChange={(e) => setPin(e.target.value)}
          />
        </div>
        {problem && (
          <ProblemText text={t(`printer.problems.${problem}` as 'printer.problems.pin')} />
        )}
        <div className="printer-actions">
          <Button type="primary" htmlType="submit" loading={working} data-testid="printer-save">
            F3 {t('printer.save')}
          </Button>
          <Button onClick={() => void testPrint()} data-testid="printer-test">
            F6 {t('printer.testPrint')}
          </Button>
        </div>
      </form>

      <div className="printer-side">
        <h2>{t('printer.statusHeading')}</h2>
        <div
          className={`printer-state state-${state}`}
          data-testid="printer-state"
          data-state={state}
          role="status"
        >
          <strong>{t(`status.states.${state}`)}</strong>
          <span>{queue?.status.detail?.[lang] ?? ''}</span>
        </div>
        {queue && (
          <div className="printer-waiting" data-testid="printer-waiting">
            {queue.configured
              ? t('printer.waiting', { queued: queue.queued, unknown: queue.unknown })
              : t('printer.notConfigured')}
          </div>
        )}
        {notice && (
          <SuccessAlert
            testId="printer-notice"
            title={t(notice.key as 'printer.testQueued', notice.params)}
          />
        )}
        {error && <ErrorBox error={error} />}
        <h2>{t('printer.queueHeading')}</h2>
        <div className="printer-actions">
          <Button onClick={() => void retry()} data-testid="printer-retry">
            F5 {t('printer.retry')}
          </Button>
          <Button
            onClick={() => void reprint(selectedJob)}
            disabled={!selectedJob}
            data-testid="printer-reprint"
          >
            F7 {t('printer.reprint')}
          </Button>
        </div>
        <DataTable
          whenEmpty={<p>{t('printer.noJobs')}</p>}
          className="print-jobs"
          data-testid="print-jobs"
          columns={jobColumns}
          rows={jobs}
          rowProps={(j) => ({
            className: `job-${j.state} ${j.id === selectedJob?.id ? 'selected' : ''}`,
            'data-testid': 'print-job',
            'data-state': j.state,
            'data-reason': j.reason ?? '',
            onClick: () => setSelected(j.id),
          })}
        />
      </div>
    </section>
  );
}
