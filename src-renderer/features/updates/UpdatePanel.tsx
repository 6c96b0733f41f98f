// The supervisor's update panel (README "Updates / 更新"), on the head-office screen (F9 总部同步 /
// 入网): this version, the update downloaded and what it waits for, the last refusal with what to do,
// and "check for updates" with the supervisor's code and PIN (Tab to the fields, Enter checks).
import { Alert, Button } from 'antd';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { Facts } from '../../app/Facts';
import { FormMessages, useWords } from '../../app/messages';
import { SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatTime } from '../../format/time';

type View = CommandOutput<'update.status'>;

export function UpdatePanel({
  client,
  session,
  sessionLost,
  refresh,
}: Pick<ScreenProps, 'client' | 'session' | 'sessionLost' | 'refresh'>) {
  const { t } = useTranslation();
  const [view, setView] = useState<View | null>(null);
  const [problem, setProblem] = useWords();
  const { error, setError, fail, busy, run } = useCommand(sessionLost);
  const sup = useSupervisor();

  const load = useCallback(async () => {
    const r = await client.invoke('update.status', { session: session.token });
    if (!r.ok) return fail(r.error);
    setView(r.value);
  }, [client, session.token, fail]);
  useEffect(() => {
    void load();
  }, [load]);

  async function check(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    setError(null);
    setProblem(null);
    const approval = sup.credentials();
    if (!approval) return setProblem((t) => t('sync.settings.problems.supervisor'));
    const r = await run(() =>
      client.invoke('update.check', { session: session.token, ...approval }),
    );
    if (!r) return;
    setView(r);
    sup.clear();
    refresh();
  }

  return (
    <section className="update-panel" data-testid="update-panel" aria-labelledby="update-heading">
      <h3 id="update-heading">{t('updates.heading')}</h3>
      <p className="hint">{t('updates.hint')}</p>
      {view && (
        <Facts
          className="facts"
          testId="update-summary"
          items={[
            {
              label: t('updates.phase'),
              value: t(`updates.phases.${view.phase}`),
              testId: 'update-phase',
            },
            { label: t('updates.current'), value: view.currentVersion ?? '—' },
            view.version !== null && { label: t('updates.offered'), value: view.version },
            {
              label: t('updates.schema'),
              value:
                view.releaseSchema === null
                  ? String(view.ledgerSchema)
                  : t('updates.schemaValue', {
                      ledger: view.ledgerSchema,
                      release: view.releaseSchema,
                    }),
            },
            view.waitingFor.length > 0 && {
              label: t('updates.waitsFor'),
              value: view.waitingFor.map((w) => t(`updates.busy.${w}`)).join(t('updates.and')),
            },
            {
              label: t('updates.lastCheck'),
              value: view.lastCheckAt ? formatTime(view.lastCheckAt) : t('updates.never'),
            },
            view.error !== null && {
              label: t('updates.error'),
              value: view.error,
              className: 'warn',
            },
          ]}
        />
      )}
      {view?.refused && (
        <Alert
          type="error"
          showIcon
          data-testid="update-refused"
          data-refusal={view.refused.refusal}
          title={
            (view.refused.version === null
              ? ''
              : t('updates.refusedAt', {
                  version: view.refused.version,
                  time: formatTime(view.refused.at),
                })) + t(`updates.refusals.${view.refused.refusal}`)
          }
          description={t('updates.keepWorking')}
        />
      )}
      <FormMessages problem={problem} error={error} />
      <form className="tool-form" onSubmit={(e) => void check(e)} noValidate>
        <SupervisorFields
          {...sup.fields}
          size="large"
          names={{ code: 'updateSupervisorCode', pin: 'updateSupervisorPin' }}
        />
        <Button
          type="primary"
          size="large"
          htmlType="submit"
          loading={busy}
          disabled={view?.phase === 'unavailable'}
        >
          {t('updates.check')}
        </Button>
      </form>
    </section>
  );
}
