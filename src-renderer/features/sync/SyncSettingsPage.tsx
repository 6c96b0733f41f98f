// F9 → "Head office / enrollment" (supervisor): the sync state with head office, and enrollment:
// the head-office address and the one-time enrollment code (入网码) head office issued, with the
// supervisor's code and PIN. Keyboard first: the address field has focus, Tab moves on, Enter
// enrolls, F5 reads the state again, Esc goes back to the menu.
import { Alert, Button, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { normalizeEnrollmentCode } from '@heating-cashier/core/enrollment-code';
import { useCommand } from '../../app/command';
import { Facts } from '../../app/Facts';
import { TextField } from '../../app/fields';
import { useScreenKeys } from '../../app/keys';
import { FormMessages, useWords } from '../../app/messages';
import { SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatTime } from '../../format/time';
import { currentLanguage } from '../../i18n';
import { UpdatePanel } from '../updates/UpdatePanel';

type View = CommandOutput<'sync.status'>;
type Enrolled = CommandOutput<'sync.enroll'>['enrollment'];
type Tested = CommandOutput<'sync.test'>;

const URL_FORM = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;

export function SyncSettingsPage({ client, session, go, sessionLost, refresh }: ScreenProps) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<View | null>(null);
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useWords();
  const [enrolled, setEnrolled] = useState<Enrolled | null>(null);
  const [tested, setTested] = useState<Tested | null>(null);
  const { error, setError, fail, busy, run } = useCommand(sessionLost);
  const sup = useSupervisor();
  const urlField = useRef<InputRef>(null);

  const load = useCallback(async () => {
    const r = await client.invoke('sync.status', { session: session.token });
    if (!r.ok) return fail(r.error);
    setView(r.value);
    setUrl((u) => u || r.value.headOfficeUrl || '');
  }, [client, session.token, fail]);

  useEffect(() => {
    void load();
    urlField.current?.focus();
  }, [load]);

  /** F6: a real request to the address typed, and whether head office accepts this terminal; nothing changes. */
  async function testConnection() {
    if (busy) return;
    setError(null);
    setProblem(null);
    setTested(null);
    const address = url.trim().replace(/\/+$/, '');
    if (!URL_FORM.test(address)) return setProblem((t) => t('sync.settings.problems.url'));
    const r = await run(() =>
      client.invoke('sync.test', { session: session.token, url: address }, { timeoutMs: 30_000 }),
    );
    if (r) setTested(r);
    await load();
  }

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    setError(null);
    setProblem(null);
    setEnrolled(null);
    setTested(null);
    const address = url.trim().replace(/\/+$/, '');
    if (!URL_FORM.test(address)) return setProblem((t) => t('sync.settings.problems.url'));
    const normal = normalizeEnrollmentCode(code);
    if (normal === null) return setProblem((t) => t('sync.settings.problems.code'));
    const approval = sup.credentials();
    if (!approval) return setProblem((t) => t('sync.settings.problems.supervisor'));
    const r = await run(() =>
      client.invoke('sync.enroll', {
        session: session.token,
        url: address,
        code: normal,
        ...approval,
      }),
    );
    if (!r) return;
    setEnrolled(r.enrollment);
    setView(r);
    setCode('');
    sup.clear();
    refresh();
  }

  useScreenKeys([
    { key: 'Enter', label: t('sync.settings.keys.enroll'), disabled: busy },
    {
      key: 'F6',
      label: t('sync.settings.keys.test'),
      run: () => void testConnection(),
      disabled: busy,
    },
    { key: 'F5', label: t('sync.settings.keys.refresh'), run: () => void load(), disabled: busy },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  const lang = currentLanguage(i18n);
  return (
    <section
      className="panel sync-settings"
      data-testid="sync-settings"
      aria-labelledby="sync-settings-heading"
    >
      <h2 id="sync-settings-heading">{t('sync.settings.heading')}</h2>
      {view && (
        <Facts
          className="facts"
          testId="sync-summary"
          items={[
            {
              label: t('sync.settings.state'),
              value: view.detail?.[lang] ?? view.state,
              testId: 'sync-state',
            },
            { label: t('sync.settings.url'), value: view.headOfficeUrl ?? t('sync.settings.none') },
            { label: t('sync.settings.pending'), value: view.pendingEvents },
            {
              label: t('sync.settings.lastSuccess'),
              value: view.lastSuccessAt ? formatTime(view.lastSuccessAt) : t('sync.settings.never'),
            },
            {
              label: t('sync.settings.lastPush'),
              value: view.lastPushAt ? formatTime(view.lastPushAt) : t('sync.settings.never'),
              testId: 'sync-last-push',
            },
            view.lastError !== null && {
              label: t('sync.settings.lastError'),
              value: view.lastError,
              className: 'warn',
            },
          ]}
        />
      )}

      {tested && (
        <Alert
          type={tested.token === 'accepted' ? 'success' : 'warning'}
          showIcon
          data-testid="sync-tested"
          data-token={tested.token}
          title={tested.message[lang]}
        />
      )}
      {enrolled && (
        <Alert
          type={enrolled.chainMatches ? 'success' : 'warning'}
          showIcon
          data-testid="sync-enrolled"
          title={t('sync.settings.enrolled', {
            terminal: enrolled.terminalId,
            key: enrolled.keyNo,
            seq: enrolled.fromSeq,
            hoKey: enrolled.headOfficeKey.slice(0, 12),
          })}
          {...(enrolled.chainMatches
            ? {}
            : {
                description: t('sync.settings.chainDiffers', { seq: enrolled.headOfficeSeq }),
              })}
        />
      )}
      <FormMessages problem={problem} error={error} />

      <form className="tool-form" onSubmit={(e) => void submit(e)} noValidate>
        <h3>{t('sync.settings.enrollHeading')}</h3>
        <p className="hint">{t('sync.settings.enrollHint')}</p>
        <TextField
          ref={urlField}
          label={t('sync.settings.url')}
          name="headOfficeUrl"
          size="large"
          placeholder="https://ho.example:5480"
          autoComplete="off"
          value={url}
          onValue={setUrl}
        />
        <TextField
          label={`${t('sync.settings.code')} (${t('sync.settings.codeHint')})`}
          name="enrollmentCode"
          size="large"
          className="mono"
          placeholder="XXXX-XXXX-XXXX-XXXX"
          autoComplete="off"
          spellCheck={false}
          maxLength={40}
          value={code}
          onValue={(v) => setCode(v.toUpperCase())}
        />
        <SupervisorFields {...sup.fields} size="large" />
        <div style={{ display: 'flex', gap: 12 }}>
          <Button type="primary" size="large" htmlType="submit" loading={busy}>
            {t('sync.settings.keys.enroll')} (Enter)
          </Button>
          <Button size="large" onClick={() => void testConnection()} data-testid="sync-test">
            F6 {t('sync.settings.keys.test')}
          </Button>
        </div>
      </form>
      <UpdatePanel client={client} session={session} sessionLost={sessionLost} refresh={refresh} />
    </section>
  );
}
