import { Alert } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientError } from '../api/client';
import { currentLanguage } from '../i18n';

/** A command or transport error in the clerk's language; the catalog text already names the next step. */
export function ErrorBox({ error, extra }: { error: ClientError; extra?: ReactNode }) {
  const { i18n } = useTranslation();
  const text = error.message[currentLanguage(i18n)];
  return (
    <Alert
      className="error-box"
      type="error"
      showIcon
      role="alert"
      data-testid="error"
      data-code={error.code}
      title={text}
      description={extra}
    />
  );
}

/** A problem found in the form before anything was sent (translation key + params). */
export function ProblemText({ id, text }: { id?: string; text: string }) {
  return (
    <div className="problem" role="alert" id={id} data-testid="problem">
      {text}
    </div>
  );
}
