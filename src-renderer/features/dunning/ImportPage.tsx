import { Alert, Button, Progress } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { DataTable, type Column } from '../../app/DataTable';
import { CheckField } from '../../app/fields';
import { useScreenKeys } from '../../app/keys';
import { FormMessages, SuccessAlert, useWords } from '../../app/messages';
import type { ScreenProps } from '../../app/types';
import { base64Of } from '../cash/download';
import { DunningSelect } from './layout';
import './dunning.css';

type Status = CommandOutput<'import.progress'>;
const CHUNK = 512 * 1024;
const MAX = 50 * 1024 * 1024;

/** Import at a standalone counter: file picker → chunked upload → progress → row-level report. */
export function ImportPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'households' | 'charges'>('households');
  const [fileName, setFileName] = useState<string | null>(null);
  const runningRef = useRef(false);
  const [uploaded, setUploaded] = useState<{ done: number; total: number } | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const { error, setError, fail } = useCommand(sessionLost);
  const [problem, setProblem] = useWords();
  const [running, setRunning] = useState(false);
  const [overwrite, setOverwrite] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const kindRef = useRef<HTMLSelectElement>(null);

  const start = async () => {
    if (runningRef.current) return;
    const file = fileRef.current?.files?.[0] ?? null;
    if (!file) return setProblem((t) => t('dunning.import.needFile'));
    const format = /\.xlsx$/i.test(file.name) ? 'xlsx' : /\.csv$/i.test(file.name) ? 'csv' : null;
    if (!format) return setProblem((t) => t('dunning.import.badType'));
    if (file.size > MAX) return setProblem((t) => t('dunning.import.tooLarge'));
    setProblem(null);
    setError(null);
    setStatus(null);
    setRunning(true);
    runningRef.current = true;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const importId = crypto.randomUUID();
      const total = Math.max(1, Math.ceil(bytes.length / CHUNK));
      for (let i = 0; i < total; i++) {
        setUploaded({ done: i, total });
        const r = await client.invoke('import.upload', {
          session: session.token,
          importId,
          chunkIndex: i,
          chunkCount: total,
          dataBase64: base64Of(bytes.subarray(i * CHUNK, (i + 1) * CHUNK)),
        });
        if (!r.ok) return fail(r.error);
      }
      setUploaded({ done: total, total });
      const started = await client.invoke('import.start', {
        session: session.token,
        importId,
        kind,
        format,
        fileName: file.name.slice(0, 200),
        ...(kind === 'households' && overwrite ? { overwriteCounterEdits: true } : {}),
      });
      if (!started.ok) return fail(started.error);
      let s = started.value;
      setStatus(s);
      while (['reading', 'validating', 'writing'].includes(s.state)) {
        await new Promise((r) => setTimeout(r, 250));
        const p = await client.invoke('import.progress', { session: session.token, importId });
        if (!p.ok) return fail(p.error);
        s = p.value;
        setStatus(s);
      }
    } finally {
      runningRef.current = false;
      setRunning(false);
    }
  };

  useScreenKeys([
    { key: 'Enter', label: t('dunning.keys.choose') },
    {
      key: 'F6',
      label: t('dunning.keys.import'),
      run: () => void start(),
      disabled: running || !fileName,
    },
    {
      key: 'Escape',
      label: t('keys.esc'),
      run: () => !running && go({ name: 'menu' }),
      disabled: running,
    },
  ]);

  useEffect(() => {
    kindRef.current?.focus();
  }, []);

  const percent = (() => {
    if (!status) return uploaded ? Math.round((uploaded.done / uploaded.total) * 30) : 0;
    if (status.state === 'reading') return 35;
    if (status.state === 'validating')
      return 40 + Math.round((status.rowsValidated / Math.max(1, status.rowsRead)) * 40);
    if (status.state === 'writing') return 90;
    return 100;
  })();

  const stateText = (() => {
    if (!status) return uploaded ? t('dunning.import.uploading', uploaded) : '';
    switch (status.state) {
      case 'reading':
        return t('dunning.import.reading', { rows: status.rowsRead });
      case 'validating':
        return t('dunning.import.validating', {
          done: status.rowsValidated,
          rows: status.rowsRead,
        });
      case 'writing':
        return t('dunning.import.writing', { rows: status.rowsRead });
      default:
        return '';
    }
  })();

  return (
    <section className="dunning-page" data-testid="import">
      <h2>{t('dunning.import.heading')}</h2>
      <p className="small">{t('dunning.import.intro')}</p>
      {session.clerk.role !== 'supervisor' && (
        <Alert type="warning" title={t('dunning.import.supervisorOnly')} />
      )}
      <div className="dunning-filters">
        <DunningSelect
          ref={kindRef}
          label={t('dunning.import.kind')}
          name="kind"
          value={kind}
          options={['households', 'charges']}
          optionText={(k) => t(`dunning.import.${k}`)}
          onValue={setKind}
        />
        <label>
          {t('dunning.import.file')}
          <input
            ref={fileRef}
            type="file"
            name="file"
            accept=".xlsx,.csv"
            data-testid="import-file"
            onChange={(e) => {
              setFileName(e.target.files?.[0]?.name ?? null);
              setStatus(null);
              setUploaded(null);
            }}
          />
        </label>
        {kind === 'households' && (
          <CheckField
            fieldClass="checkbox"
            label={t('dunning.import.overwrite')}
            name="overwrite"
            checked={overwrite}
            onChecked={setOverwrite}
            data-testid="import-overwrite"
          />
        )}
        <Button
          type="primary"
          onClick={() => void start()}
          disabled={running || !fileName}
          data-testid="import-start"
        >
          {t('dunning.import.start')}
        </Button>
      </div>
      <FormMessages problem={problem} error={error} />
      {(running || status) && (
        <div data-testid="import-progress" data-state={status?.state ?? 'uploading'}>
          <Progress
            percent={percent}
            status={
              status?.state === 'rejected' || status?.state === 'failed' ? 'exception' : undefined
            }
          />
          <div>{stateText}</div>
        </div>
      )}
      {status?.state === 'done' && (
        <SuccessAlert
          testId="import-done"
          title={t('dunning.import.done', {
            rows: status.rowsWritten,
            s: (status.elapsedMs / 1000).toFixed(1),
          })}
        />
      )}
      {status?.state === 'done' && status.noticeCount > 0 && (
        <div data-testid="import-notices">
          <Alert
            type="warning"
            showIcon
            title={t(
              status.overwriteCounterEdits
                ? 'dunning.import.noticesOverwritten'
                : 'dunning.import.noticesKept',
              { count: status.noticeCount },
            )}
          />
          <RowReport rows={status.notices} />
        </div>
      )}
      {(status?.state === 'rejected' || status?.state === 'failed') && (
        <div data-testid="import-errors">
          <Alert
            type="error"
            showIcon
            title={
              status.state === 'rejected'
                ? t('dunning.import.rejected', { count: status.errorCount })
                : t('dunning.import.failed')
            }
          />
          <RowReport rows={status.errors} />
        </div>
      )}
    </section>
  );
}

/** Row, column and reason of each line of an import report (errors or notices). */
function RowReport({ rows }: { rows: Status['errors'] }) {
  const { t } = useTranslation();
  const columns: Column<Status['errors'][number]>[] = [
    { title: t('dunning.import.row'), className: 'num', cell: (e) => e.row },
    { title: t('dunning.import.column'), className: 'data', cell: (e) => e.column ?? '' },
    { title: t('dunning.import.reason'), className: 'data', cell: (e) => e.message },
  ];
  return (
    <div className="dunning-table-wrap">
      <DataTable className="dunning-table" columns={columns} rows={rows} />
    </div>
  );
}
