// F9 → 收费员与主管 (supervisor): add a clerk or another supervisor with a first PIN, approved by a
// supervisor's code and PIN (`clerk.add`). Keyboard first: the code field has focus, Tab moves on,
// Enter adds, Esc goes back to the menu. An enrolled terminal is told to add them at head office.
import { Button, Input, type InputRef } from 'antd';
import { useEffect, useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommand } from '../../app/command';
import { SelectField, TextField } from '../../app/fields';
import { useForm } from '../../app/form';
import { useScreenKeys } from '../../app/keys';
import { DoneNote, FormMessages, useWords } from '../../app/messages';
import { isClerkCode, isPin, SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import './clerks.css';

const ROLES = ['clerk', 'supervisor'] as const;

const focusField = (name: string) =>
  document.querySelector<HTMLInputElement>(`[data-testid="clerks-page"] [name="${name}"]`)?.focus();

export function ClerksPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const form = useForm({
    code: '',
    name: '',
    role: 'clerk' as (typeof ROLES)[number],
    pin: '',
    pinAgain: '',
  });
  const { code, name, role, pin, pinAgain } = form.values;
  const sup = useSupervisor();
  const [problem, setProblem] = useWords();
  const [done, setDone] = useWords();
  const { error, setError, busy, run } = useCommand(sessionLost);
  const codeRef = useRef<InputRef>(null);

  useEffect(() => codeRef.current?.focus(), []);
  useScreenKeys([
    { key: 'Enter', label: t('clerks.submit') },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setDone(null);
    const c = code.trim();
    const n = name.trim();
    // The first field that is not right (its input name, and the problem text's key).
    const check = (
      [
        ['code', !isClerkCode(c)],
        ['name', n === ''],
        ['pin', !isPin(pin)],
        ['pinAgain', pin !== pinAgain],
        ['supervisor', sup.credentials() === null],
      ] as const
    ).find(([, wrong]) => wrong)?.[0];
    if (check) {
      focusField(check === 'supervisor' ? 'supervisorCode' : check);
      return setProblem((t) => t(`clerks.problems.${check}`));
    }
    setProblem(null);
    const added = await run(() =>
      client.invoke('clerk.add', {
        session: session.token,
        code: c,
        name: n,
        role,
        pin,
        ...sup.credentials()!,
      }),
    );
    sup.setPin('');
    if (!added) return focusField('code');
    setDone((t) =>
      t('clerks.done', {
        role: t(`clerks.roles.${added.role}`),
        code: added.code,
        name: added.name,
      }),
    );
    form.reset('code', 'name', 'pin', 'pinAgain');
    sup.clear();
    codeRef.current?.focus();
  }

  return (
    <section className="panel" data-testid="clerks-page" aria-labelledby="clerks-heading">
      <h2 id="clerks-heading">{t('clerks.heading')}</h2>
      <p className="hint">{t('clerks.hint')}</p>
      {/* above the form: the form is taller than the screen, a message below it would be out of sight */}
      <FormMessages problem={problem} error={error} />
      {done && <DoneNote testId="clerks-done">{done}</DoneNote>}
      <form className="tools-form clerks-form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          ref={codeRef}
          label={t('clerks.code')}
          autoComplete="off"
          maxLength={20}
          {...form.bind('code')}
        />
        <TextField
          label={t('clerks.name')}
          autoComplete="off"
          maxLength={20}
          {...form.bind('name')}
        />
        <SelectField
          label={t('clerks.role')}
          {...form.bind('role')}
          options={ROLES}
          optionText={(r) => t(`clerks.roles.${r}`)}
        />
        {(['pin', 'pinAgain'] as const).map((k) => (
          <label className="field" key={k}>
            <span>{t(`clerks.${k}`)}</span>
            <Input.Password
              name={k}
              autoComplete="new-password"
              inputMode="numeric"
              visibilityToggle={false} // no eye button between the two PINs: Tab goes PIN → PIN
              value={form.values[k]}
              onChange={(e) => form.set({ [k]: e.target.value })}
            />
          </label>
        ))}
        <fieldset className="sup-pair">
          <legend>{t('clerks.approval')}</legend>
          <SupervisorFields {...sup.fields} />
        </fieldset>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="clerks-submit">
          {t('clerks.submit')} (Enter)
        </Button>
      </form>
    </section>
  );
}
