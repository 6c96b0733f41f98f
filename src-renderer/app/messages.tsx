import { Alert } from 'antd';
import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientError } from '../api/client';
import { currentLanguage, type Language } from '../i18n';
import { formatTime } from '../format/time';

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;

/** A command or transport error in the clerk's language; the catalog text already names the next step. */
export function ErrorBox({ error, extra }: { error: ClientError; extra?: ReactNode }) {
  const { t, i18n } = useTranslation();
  // The catalog puts instants in ISO form (e.g. CLERK_LOCKED "until"): show them like every other time.
  const text = error.message[currentLanguage(i18n)].replace(ISO_INSTANT, (iso) => formatTime(iso));
  return (
    <Alert
      className="error-box"
      type="error"
      showIcon
      role="alert"
      data-testid="error"
      data-code={error.code}
      title={text}
      // no shift open: the key that opens one (global F2 while the clerk has none)
      description={extra ?? (error.code === 'NO_OPEN_SHIFT' ? t('shift.openKey') : undefined)}
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

/** What a command just did, announced politely (role=status). */
export function DoneNote({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <p className="done-note" role="status" data-testid={testId}>
      {children}
    </p>
  );
}

/** A form's own problem (text) above the error its command returned, each when there is one. */
export function FormMessages({
  problem,
  error,
}: {
  problem: string | null;
  error: ClientError | null;
}) {
  return (
    <>
      {problem && <ProblemText text={problem} />}
      {error && <ErrorBox error={error} />}
    </>
  );
}

/** A command's success, said in an alert (green, with its icon). */
export function SuccessAlert({
  testId,
  title,
  description,
}: {
  testId?: string;
  title: ReactNode;
  description?: ReactNode;
}) {
  return (
    <Alert type="success" showIcon data-testid={testId} title={title} description={description} />
  );
}

/** The screen's `t`: what a message is worded with. */
export type Translate = ReturnType<typeof useTranslation>['t'];
/** A message for the clerk as the words to say, not as text: worded again in each language. */
export type Words = (t: Translate, language: Language) => string;

/**
 * A message a screen keeps (a result, a problem) as words, worded at every render in the language
 * of the moment: after F10 a message already shown reads in the new language. `say((t) => t(…))`
 * sets it, `say(null)` clears it; `text` is the message now, or null.
 */
export function useWords(): [text: string | null, say: (words: Words | null) => void] {
  const { t, i18n } = useTranslation();
  // Kept in an object: useState would call a bare function as an updater.
  const [words, setWords] = useState<{ words: Words } | null>(null);
  const say = useCallback((w: Words | null) => setWords(w ? { words: w } : null), []);
  return [words ? words.words(t, currentLanguage(i18n)) : null, say];
}
