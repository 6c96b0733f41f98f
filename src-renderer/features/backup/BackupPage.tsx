// F9 → "Backups and logs" (supervisor): backup folder and schedule, back up now (F5), check a
// backup (Enter: the restore drill), restore (F8, supervisor PIN), settings (F6), recent errors and
// the diagnostic bundle (F7). Keyboard first: ↑↓ select a backup, Esc goes back.
import { Alert, Button, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { DataTable, type Column } from '../../app/DataTable';
import { CheckField, TextField } from '../../app/fields';
import { useScreenKeys } from '../../app/keys';
import { FormMessages, useWords, type Words } from '../../app/messages';
import { SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatTime } from '../../format/time';
import { currentLanguage } from '../../i18n';

type Status = CommandOutput<'backup.status'>;
type ErrorEntry = CommandOutput<'diagnostics.errors'>['entries'][number];
type Mode = 'main' | 'restore' | 'settings';

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function BackupPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<Status | null>(null);
  const [errors, setErrors] = useState<ErrorEntry[] | null>(null);
  const [diagnostics, setDiagnostics] = useState(true);
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<Mode>('main');
  const { error, setError, fail, busy, run } = useCommand(sessionLost);
  // Kept as words: F10 re-words a notice already shown.
  const [notice, setNotice] = useState<{ type: 'success' | 'warning'; text: Words } | null>(null);
  const [problem, setProblem] = useWords();
  // restore / settings forms
  const sup = useSupervisor();
  const [acceptLoss, setAcceptLoss] = useState(false);
  const [dir, setDir] = useState('');
  const [hours, setHours] = useState('24');
  const [enabled, setEnabled] = useState(true);
  const firstField = useRef<InputRef>(null);

  const files = status?.files ?? [];
  const current = files[selected] ?? null;

  const load = useCallback(async () => {
    const [s, e] = await Promise.all([
      client.invoke('backup.status', { session: session.token }),
      client.invoke('diagnostics.errors', { session: session.token, limit: 20 }),
    ]);
    if (s.ok) setStatus(s.value);
    else fail(s.error);
    if (e.ok) {
      setErrors(e.value.entries);
      setDiagnostics(true);
    } else if (e.error.code === 'DIAGNOSTICS_UNAVAILABLE') {
      setDiagnostics(false);
    } else {
      fail(e.error);
    }
  }, [client, session.token, fail]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (mode !== 'main') firstField.current?.focus();
  }, [mode]);

  /** Both typed (the host checks them): restore and settings ask no format of their own. */
  function typedSupervisor() {
    const supervisorCode = sup.code.trim();
    const supervisorPin = sup.pin.trim();
    return supervisorCode && supervisorPin ? { supervisorCode, supervisorPin } : null;
  }

  function reset() {
    setError(null);
    setProblem(null);
    setNotice(null);
  }

  async function backupNow() {
    reset();
    const r = await run(() => client.invoke('backup.now', { session: session.token }));
    if (!r) return;
    const text: Words = (t) =>
      [
        t('backup.done', { name: r.file.name, size: size(r.file.bytes) }),
        r.removed.length ? t('backup.rotated', { count: r.removed.length }) : '',
      ].join(' ');
    setNotice({ type: 'success', text });
    setSelected(0);
    await load();
  }

  async function verify() {
    reset();
    if (!current) return setProblem((t) => t('backup.problems.select'));
    const file = current.name;
    const r = await run(() => client.invoke('backup.verify', { session: session.token, file }));
    if (!r) return;
    const { problemText } = r;
    setNotice(
      r.ok
        ? { type: 'success', text: (t) => t('backup.verifyOk', { name: r.file, seq: r.headSeq }) }
        : {
            type: 'warning',
            text: (t, lang) =>
              t('backup.verifyBad', {
                name: r.file,
                problem: problemText?.[lang] ?? r.problem ?? '',
              }),
          },
    );
  }

  async function exportBundle() {
    reset();
    const r = await run(() => client.invoke('diagnostics.export', { session: session.token }));
    if (r) setNotice({ type: 'success', text: (t) => t('backup.exported', { file: r.file }) });
  }

  function openRestore() {
    reset();
    if (!current) return setProblem((t) => t('backup.problems.select'));
    sup.clear();
    setAcceptLoss(false);
    setMode('restore');
  }

  function openSettings() {
    reset();
    setDir(status?.settings.dir ?? '');
    setHours(String(status?.settings.intervalHours ?? 24));
    setEnabled(status?.settings.enabled ?? true);
    sup.clear();
    setMode('settings');
  }

  async function submitRestore(e?: FormEvent) {
    e?.preventDefault();
    if (busy || !current) return;
    reset();
    const approval = typedSupervisor();
    if (!approval) return setProblem((t) => t('backup.problems.supervisor'));
    const file = current.name;
    const r = await run(() =>
      client.invoke('backup.restore', { session: session.token, ...approval, file, acceptLoss }),
    );
    if (!r) return;
    setMode('main');
    setNotice({
      type: r.verified ? 'success' : 'warning',
      text: (t) =>
        t('backup.restored', {
          name: r.file,
          seq: r.headSeq,
          verified: r.verified ? t('backup.verifiedYes') : t('backup.verifiedNo'),
          safety: r.safetyCopy,
        }),
    });
    await load();
  }

  /** F6 in the settings: the folder checked as a backup would use it (a probe written and removed), nothing saved. */
  async function testDir() {
    if (busy) return;
    reset();
    if (!dir.trim()) return setProblem((t) => t('backup.problems.folder'));
    const r = await run(() =>
      client.invoke('backup.testDir', { session: session.token, dir: dir.trim() }),
    );
    if (!r) return;
    setNotice({
      type: r.sameDiskAsLedger ? 'warning' : 'success',
      text: (_t, language) => r.message[language],
    });
  }

  async function submitSettings(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    reset();
    const interval = Number(hours);
    if (!dir.trim()) return setProblem((t) => t('backup.problems.folder'));
    if (!/^\d+$/.test(hours.trim()) || interval < 1 || interval > 168) {
      return setProblem((t) => t('backup.problems.interval'));
    }
    const approval = typedSupervisor();
    if (!approval) return setProblem((t) => t('backup.problems.supervisor'));
    const settings = { dir: dir.trim(), intervalHours: interval, enabled };
    const r = await run(() =>
      client.invoke('backup.settings.set', { session: session.token, ...approval, ...settings }),
    );
    if (!r) return;
    setMode('main');
    setNotice({ type: 'success', text: (t) => t('backup.saved') });
    await load();
  }

  useScreenKeys(
    mode === 'main'
      ? [
          { key: 'ArrowUpDown', label: t('keys.arrows') },
          {
            key: 'Enter',
            label: t('backup.keys.verify'),
            run: () => void verify(),
            disabled: busy,
          },
          {
            key: 'F5',
            label: t('backup.keys.backupNow'),
            run: () => void backupNow(),
            disabled: busy,
          },
          { key: 'F6', label: t('backup.keys.settings'), run: openSettings, disabled: busy },
          {
            key: 'F7',
            label: t('backup.keys.export'),
            run: () => void exportBundle(),
            disabled: busy || !diagnostics,
          },
          { key: 'F8', label: t('backup.keys.restore'), run: openRestore, disabled: busy },
          { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
        ]
      : [
          {
            key: 'Enter',
            label: mode === 'restore' ? t('backup.confirmRestore') : t('backup.save'),
          },
          ...(mode === 'settings'
            ? [
                {
                  key: 'F6' as const,
                  label: t('backup.keys.testDir'),
                  run: () => void testDir(),
                  disabled: busy,
                },
              ]
            : []),
          {
            key: 'F7',
            label: mode === 'restore' ? t('backup.acceptLoss') : t('backup.toggleEnabled'),
            run: () => (mode === 'restore' ? setAcceptLoss((v) => !v) : setEnabled((v) => !v)),
          },
          {
            key: 'Escape',
            label: t('common.cancel'),
            run: () => {
              reset();
              setMode('main');
            },
          },
        ],
  );

  // ↑↓ and Enter in the list (the key registry handles F-keys and Esc).
  useEffect(() => {
    if (mode !== 'main') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowDown') setSelected((s) => Math.min(s + 1, Math.max(files.length - 1, 0)));
      else if (e.key === 'ArrowUp') setSelected((s) => Math.max(s - 1, 0));
      else if (e.key === 'Enter' && !busy) void verify();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const settings = status?.settings;
  const fileColumns: Column<Status['files'][number]>[] = [
    { title: t('backup.columns.time'), cell: (f) => formatTime(f.takenAt) },
    { title: t('backup.columns.kind'), cell: (f) => t(`backup.kinds.${f.kind}`) },
    { title: t('backup.columns.size'), cell: (f) => size(f.bytes) },
    {
      title: t('backup.columns.own'),
      cell: (f) => (f.ownTerminal ? '✓' : t('backup.otherTerminal')),
    },
  ];
  return (
    <section
      className="panel backup-page"
      data-testid="backup-page"
      aria-labelledby="backup-heading"
    >
      <h2 id="backup-heading">{t('backup.heading')}</h2>
      {status && settings && (
        <dl className="backup-summary" data-testid="backup-summary">
          <dt>{t('backup.folder')}</dt>
          <dd data-testid="backup-dir">
            {settings.dir ?? t('backup.folderNone')}
            {settings.source === 'default' ? ` ${t('backup.sourceDefault')}` : ''}
          </dd>
          <dt>{t('backup.enabled')}</dt>
          <dd>
            {settings.enabled ? t('backup.on') : t('backup.off')} · {t('backup.interval')}{' '}
            {t('backup.hours', { count: settings.intervalHours })}
          </dd>
          <dt>{t('backup.last')}</dt>
          <dd data-testid="backup-last">
            {status.last.at
              ? `${formatTime(status.last.at)} · ${status.last.file ?? ''}`
              : t('backup.never')}
          </dd>
          {status.last.error && (
            <>
              <dt>{t('backup.lastError')}</dt>
              <dd className="problem">
                {formatTime(status.last.errorAt)} · {status.last.error}
              </dd>
            </>
          )}
          {status.nextDueAt && (
            <>
              <dt>{t('backup.nextDue')}</dt>
              <dd>{formatTime(status.nextDueAt)}</dd>
            </>
          )}
        </dl>
      )}

      {notice && (
        <Alert
          type={notice.type}
          showIcon
          title={notice.text(t, currentLanguage(i18n))}
          data-testid="backup-notice"
        />
      )}
      <FormMessages problem={problem} error={error} />

      {mode === 'restore' && current && (
        <form className="backup-form" onSubmit={(e) => void submitRestore(e)} noValidate>
          <h3>{t('backup.restoreHeading')}</h3>
          <Alert type="warning" showIcon title={t('backup.restoreWarn')} />
          <p data-testid="restore-file">{current.name}</p>
          <SupervisorFields {...sup.fields} firstFieldRef={firstField} size="large" />
          <CheckField
            fieldClass="field checkbox"
            label={t('backup.acceptLoss')}
            checked={acceptLoss}
            onChecked={setAcceptLoss}
          />
          <Button type="primary" danger size="large" htmlType="submit" loading={busy}>
            {t('backup.confirmRestore')} (Enter)
          </Button>
        </form>
      )}

      {mode === 'settings' && (
        <form className="backup-form" onSubmit={(e) => void submitSettings(e)} noValidate>
          <h3>{t('backup.settingsHeading')}</h3>
          <TextField
            ref={firstField}
            label={t('backup.folder')}
            name="backupDir"
            size="large"
            placeholder={t('backup.folderHint')}
            value={dir}
            onValue={setDir}
          />
          <TextField
            label={`${t('backup.interval')} (${t('backup.intervalHint')})`}
            name="intervalHours"
            size="large"
            inputMode="numeric"
            value={hours}
            onValue={setHours}
          />
          <CheckField
            fieldClass="field checkbox"
            label={t('backup.toggleEnabled')}
            checked={enabled}
            onChecked={setEnabled}
          />
          <SupervisorFields {...sup.fields} size="large" />
          <div className="backup-actions" style={{ display: 'flex', gap: 12 }}>
            <Button type="primary" size="large" htmlType="submit" loading={busy}>
              {t('backup.save')} (Enter)
            </Button>
            <Button size="large" onClick={() => void testDir()} data-testid="backup-test-dir">
              F6 {t('backup.keys.testDir')}
            </Button>
          </div>
        </form>
      )}

      {mode === 'main' && (
        <>
          <h3>{t('backup.files')}</h3>
          <DataTable
            whenEmpty={<p>{t('backup.noFiles')}</p>}
            className="table backup-files"
            data-testid="backup-files"
            columns={fileColumns}
            rows={files.slice(0, 60)}
            rowKey={(f) => f.name}
            rowProps={(f, i) => ({
              className: i === selected ? 'selected' : undefined,
              'aria-selected': i === selected,
              title: f.name,
              onClick: () => setSelected(i),
            })}
          />
          <h3>{t('backup.errorsHeading')}</h3>
          {!diagnostics ? (
            <p>{t('backup.diagnosticsUnavailable')}</p>
          ) : errors && errors.length > 0 ? (
            <ul className="backup-errors" data-testid="backup-errors">
              {errors.map((e, i) => (
                <li key={`${e.t}-${i}`} className={e.level}>
                  {formatTime(e.t)} · {e.level} · {e.message}
                  {e.command ? ` · ${e.command}` : ''}
                  {e.ref ? ` · ${e.ref}` : ''}
                  {e.detail ? ` · ${e.detail}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('backup.noErrors')}</p>
          )}
        </>
      )}
    </section>
  );
}
