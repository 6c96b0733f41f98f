// First run (issue 19): an empty ledger in a production build shows this screen and nothing else until
// the counter is set up. Three choices, each a key: F1 enroll with head office (address + the one-time
// code head office issued), F2 restore a backup (a folder, then a file; verified before anything is
// replaced), F3 a DEMO ledger (asked for explicitly). Esc goes back to the choices; every refusal
// says what to do next, and nothing is half-written.
import { Alert, Button, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { normalizeEnrollmentCode } from '@heating-cashier/core/enrollment-code';
import type { ApiClient, ClientError } from '../../api/client';
import { TextField } from '../../app/fields';
import { useScreenKeys } from '../../app/keys';
import { FormMessages, useWords } from '../../app/messages';
import { formatTime } from '../../format/time';

export type SetupView = CommandOutput<'setup.status'>;
type Backups = CommandOutput<'setup.backups'>;
type Mode = 'choose' | 'enroll' | 'restore' | 'demo';
interface Done {
  how: 'enroll' | 'restore' | 'demo';
  clerks: number;
  households: number;
  seasons: number;
  books: number;
}

const URL_FORM = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;

export function SetupPage({
  client,
  view,
  onDone,
}: {
  client: ApiClient;
  view: SetupView;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>(view.enrolled ? 'enroll' : 'choose');
  const [url, setUrl] = useState(view.headOfficeUrl ?? '');
  const [code, setCode] = useState('');
  const [dir, setDir] = useState(view.backupDir ?? '');
  const [backups, setBackups] = useState<Backups | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const [problem, setProblem] = useWords();
  const [done, setDone] = useState<Done | null>(null);
  const [enrolled, setEnrolled] = useState(view.enrolled);
  const first = useRef<HTMLButtonElement>(null);
  const urlField = useRef<InputRef>(null);
  const codeField = useRef<InputRef>(null);
  const dirField = useRef<InputRef>(null);
  const demoButton = useRef<HTMLButtonElement>(null);
  const continueButton = useRef<HTMLButtonElement>(null);

  const open = (next: Mode) => {
    setError(null);
    setProblem(null);
    setMode(next);
  };
  useScreenKeys(
    done
      ? [{ key: 'Enter', label: t('setup.continue') }]
      : mode === 'choose'
        ? [
            { key: 'F1', label: t('setup.enroll.choice'), run: () => open('enroll') },
            { key: 'F2', label: t('setup.restore.choice'), run: () => open('restore') },
            { key: 'F3', label: t('setup.demo.choice'), run: () => open('demo') },
          ]
        : [
            { key: 'Enter', label: t(`setup.${mode}.submit`) },
            ...(enrolled && mode === 'enroll'
              ? []
              : [{ key: 'Escape' as const, label: t('setup.back'), run: () => open('choose') }]),
          ],
  );

  useEffect(() => {
    if (done) continueButton.current?.focus();
    else if (mode === 'choose') first.current?.focus();
    else if (mode === 'enroll') (url ? codeField : urlField).current?.focus();
    else if (mode === 'restore') dirField.current?.focus();
    else demoButton.current?.focus();
    // focus follows the step, not every keystroke (mode and done only)
  }, [mode, done]);

  async function send<T>(
    p: Promise<{ ok: true; value: T } | { ok: false; error: ClientError }>,
  ): Promise<T | null> {
    setBusy(true);
    setError(null);
    setProblem(null);
    const r = await p;
    setBusy(false);
    if (r.ok) return r.value;
    setError(r.error);
    if (r.error.code === 'SETUP_NO_CLERKS' || r.error.code === 'SETUP_DOWNLOAD_FAILED')
      setEnrolled(true);
    return null;
  }

  async function enroll(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const address = url.trim().replace(/\/+$/, '');
    if (!URL_FORM.test(address)) {
      setProblem((t) => t('setup.enroll.problems.url'));
      return urlField.current?.focus();
    }
    const normal = enrolled ? 'ABCD-EFGH-JKMN-PQRS' : normalizeEnrollmentCode(code);
    if (normal === null) {
      setProblem((t) => t('setup.enroll.problems.code'));
      return codeField.current?.focus();
    }
    const v = await send(client.invoke('setup.enroll', { url: address, code: normal }));
    if (v) setDone({ how: 'enroll', ...v });
    else if (!enrolled) codeField.current?.focus();
  }

  async function list(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const folder = dir.trim();
    if (!folder) {
      setProblem((t) => t('setup.restore.problems.dir'));
      return dirField.current?.focus();
    }
    setBackups(null);
    const v = await send(client.invoke('setup.backups', { dir: folder }));
    if (!v) return dirField.current?.focus();
    setBackups(v);
    if (v.files.length === 0) setProblem((t) => t('setup.restore.none'));
  }

  async function restore(file: string) {
    if (busy || !backups?.dir) return;
    const v = await send(client.invoke('setup.restore', { dir: backups.dir, file }));
    if (v) setDone({ how: 'restore', ...v });
  }

  async function demo() {
    if (busy) return;
    const v = await send(client.invoke('setup.demo', { confirm: 'DEMO' }));
    if (v) setDone({ how: 'demo', ...v });
  }

  let body;
  if (done) {
    body = (
      <div className="setup-done" data-testid="setup-done">
        <Alert
          type="success"
          showIcon
          title={t(`setup.done.${done.how}`)}
          description={t('setup.done.counts', {
            clerks: done.clerks,
            households: done.households,
            seasons: done.seasons,
            books: done.books,
          })}
        />
        <Button ref={continueButton} type="primary" size="large" onClick={onDone}>
          {t('setup.continue')}
        </Button>
      </div>
    );
  } else if (mode === 'choose') {
    body = (
      <ol className="setup-choices">
        {(['enroll', 'restore', 'demo'] as const).map((m, i) => (
          <li key={m}>
            <button
              ref={i === 0 ? first : undefined}
              type="button"
              className={`setup-choice${m === 'demo' ? ' setup-choice-demo' : ''}`}
              data-testid={`setup-${m}`}
              onClick={() => open(m)}
              onKeyDown={(e) => {
                const items = [
                  ...(e.currentTarget.closest('ol')?.querySelectorAll('button') ?? []),
                ];
                const at = items.indexOf(e.currentTarget);
                const to = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : -2;
                if (to === -2) return;
                e.preventDefault();
                items[(to + items.length) % items.length]?.focus();
              }}
            >
              <strong>
                F{i + 1} {t(`setup.${m}.choice`)}
              </strong>
              <span>{t(`setup.${m}.explain`)}</span>
            </button>
          </li>
        ))}
      </ol>
    );
  } else if (mode === 'enroll') {
    body = (
      <form onSubmit={(e) => void enroll(e)} noValidate>
        <h3>{t('setup.enroll.choice')}</h3>
        <p>{t(enrolled ? 'setup.enroll.retryHint' : 'setup.enroll.hint')}</p>
        <TextField
          ref={urlField}
          label={t('setup.enroll.url')}
          name="headOfficeUrl"
          size="large"
          value={url}
          onValue={setUrl}
          placeholder="https://ho.example:5480"
          disabled={enrolled}
          maxLength={200}
        />
        {!enrolled && (
          <TextField
            ref={codeField}
            label={t('setup.enroll.code')}
            name="enrollmentCode"
            size="large"
            value={code}
            onValue={setCode}
            placeholder="7K3D-9QXA-M2PF-8HZT"
            maxLength={24}
            autoComplete="off"
          />
        )}
        <Button type="primary" size="large" htmlType="submit" loading={busy}>
          {t(enrolled ? 'setup.enroll.retry' : 'setup.enroll.submit')}
        </Button>
      </form>
    );
  } else if (mode === 'restore') {
    body = (
      <>
        <form onSubmit={(e) => void list(e)} noValidate>
          <h3>{t('setup.restore.choice')}</h3>
          <p>{t('setup.restore.hint')}</p>
          <TextField
            ref={dirField}
            label={t('setup.restore.dir')}
            name="backupDir"
            size="large"
            value={dir}
            onValue={setDir}
            maxLength={400}
          />
          <Button size="large" htmlType="submit" loading={busy && !backups}>
            {t('setup.restore.list')}
          </Button>
        </form>
        {backups && backups.files.length > 0 && (
          <ol className="setup-backups" data-testid="setup-backups">
            {backups.files.map((f, i) => (
              <li key={f.name}>
                <button
                  type="button"
                  className="setup-backup"
                  data-file={f.name}
                  autoFocus={i === 0}
                  onClick={() => void restore(f.name)}
                >
                  <span className="data">{formatTime(f.takenAt)}</span> <span>{f.name}</span>{' '}
                  <span className="data">{Math.ceil(f.bytes / 1024)} KB</span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </>
    );
  } else {
    body = (
      <div>
        <h3>{t('setup.demo.choice')}</h3>
        <Alert type="warning" showIcon title={t('setup.demo.warning')} />
        <Button
          ref={demoButton}
          danger
          size="large"
          data-testid="setup-demo-confirm"
          loading={busy}
          onClick={() => void demo()}
        >
          {t('setup.demo.submit')}
        </Button>
      </div>
    );
  }

  return (
    <section className="panel setup-panel" aria-labelledby="setup-heading" data-mode={mode}>
      <h2 id="setup-heading">{t('setup.heading')}</h2>
      <p className="setup-terminal">
        {t('setup.terminal', { name: view.terminalName, id: view.terminalId })}
      </p>
      {/* above the form, so a refusal is seen at 1366×768 whatever the list's length */}
      <FormMessages problem={problem} error={error} />
      {body}
    </section>
  );
}
