// Pieces both rules screens (HeatingRulesPage, RulesMore) use: the household they act on (account
// number + Enter finds it, the next Enter submits), its season, and what the last submit did.
import type { InputRef } from 'antd';
import { formatArea, formatFen } from '@heating-cashier/core/money';
import { useState, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient, ClientError } from '../../api/client';
import { SelectField, TextField, type InputExtras } from '../../app/fields';
import type { Bound } from '../../app/form';
import { DoneNote, ErrorBox, ProblemText } from '../../app/messages';
import type { Account, Session } from '../../app/types';
import { AccountRules } from './AccountRules';

/** One labelled text input of the rules forms (autocomplete off; `extra` adds props such as maxLength). */
export const field = (label: string, bound: Bound, extra: InputExtras = {}) => (
  <TextField key={bound.name} label={label} autoComplete="off" {...bound} {...extra} />
);

export type AccountLookup = { account: Account } | { notFound: true } | { error: ClientError };

/** Finds the household with exactly this account number and loads its account. */
export async function lookupAccount(
  client: ApiClient,
  token: string,
  accountNo: string,
): Promise<AccountLookup> {
  const s = await client.invoke('household.search', { session: token, query: accountNo, limit: 5 });
  if (!s.ok) return { error: s.error };
  const hit = s.value.results.find((r) => r.accountNo === accountNo);
  if (!hit) return { notFound: true };
  const a = await client.invoke('household.account', { session: token, householdId: hit.id });
  return a.ok ? { account: a.value } : { error: a.error };
}

/**
 * The household a rules form acts on. `target` is what Enter calls: the first Enter on an account
 * number finds the household (the form then shows its fields), the next one returns it to act on.
 */
export function useRulesHousehold(
  client: ApiClient,
  token: string,
  fail: (e: ClientError) => void,
  onFound?: (account: Account) => void,
) {
  const [accountNo, setAccountNo] = useState('');
  const [account, setAccount] = useState<Account | null>(null);
  const [seasonId, setSeasonId] = useState('');
  /** Counts the changes made to the household: what shows its rules reads them again. */
  const [version, setVersion] = useState(0);

  async function find(): Promise<Account | 'notFound' | null> {
    const no = accountNo.trim();
    if (!no) return null;
    if (account && account.household.accountNo === no) return account;
    const found = await lookupAccount(client, token, no);
    if ('error' in found) {
      fail(found.error);
      return null;
    }
    if ('notFound' in found) return 'notFound';
    const value = found.account;
    setAccount(value);
    setSeasonId(value.seasons[value.seasons.length - 1]?.seasonId ?? '');
    onFound?.(value);
    return value;
  }

  /** The household to submit for, or null (then `problem` got the translation key to show). */
  async function target(problem: (key: string) => void): Promise<Account | null> {
    const wasLoaded = account?.household.accountNo === accountNo.trim();
    const found = await find();
    if (found === 'notFound') problem('rules.problems.notFound');
    else if (!found) problem('rules.problems.needAccount');
    return wasLoaded && found !== 'notFound' ? found : null;
  }

  /** Reads the household's account again after a change. */
  async function reload(a: Account) {
    const r = await client.invoke('household.account', {
      session: token,
      householdId: a.household.id,
    });
    if (r.ok) setAccount(r.value);
    setVersion((v) => v + 1);
  }

  return { accountNo, setAccountNo, account, seasonId, setSeasonId, version, target, reload };
}

/**
 * The account number input and, once found, who the household is and (`season`) which of its
 * seasons the form acts on: code · charge · balance.
 */
export function HouseholdFields({
  household,
  inputRef,
  season,
}: {
  household: ReturnType<typeof useRulesHousehold>;
  inputRef: Ref<InputRef>;
  season: boolean;
}) {
  const { t } = useTranslation();
  const account = household.account;
  const h = account?.household;
  const seasonText = (id: string) => {
    const s = account!.seasons.find((x) => x.seasonId === id)!;
    return `${s.seasonCode} · ${formatFen(s.chargeFen)} · ${formatFen(s.balanceFen)}`;
  };
  return (
    <>
      <TextField
        ref={inputRef}
        label={t('rules.accountNo')}
        name="accountNo"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('rules.accountHint')}
        value={household.accountNo}
        onFocus={(e) => e.target.select()}
        onValue={household.setAccountNo}
      />
      {h && (
        <p className="hint" data-testid="rules-household">
          <strong className="data">{h.name}</strong> {h.address} · {formatArea(h.areaHundredths)} ·{' '}
          {t(`category.${h.category}`)}
        </p>
      )}
      {account && season && (
        <SelectField
          label={t('rules.season')}
          name="season"
          value={household.seasonId}
          options={account.seasons.map((s) => s.seasonId)}
          optionText={seasonText}
          onValue={household.setSeasonId}
        />
      )}
    </>
  );
}

/** The found household's rules (AccountRules), read again after every change. */
export function HouseholdRules({
  client,
  session,
  household,
}: {
  client: ApiClient;
  session: Session;
  household: ReturnType<typeof useRulesHousehold>;
}) {
  const id = household.account?.household.id;
  if (!id) return null;
  const key = `${id}-${household.version}`;
  return <AccountRules key={key} client={client} session={session} householdId={id} />;
}

/** What the last submit found wrong, did, or failed with. */
export function RulesOutcome({
  problem,
  done,
  error,
}: {
  problem: string | null;
  done: ReactNode;
  error: ClientError | null;
}) {
  return (
    <>
      {problem && <ProblemText text={problem} />}
      {done && <DoneNote testId="rules-done">{done}</DoneNote>}
      {error && <ErrorBox error={error} />}
    </>
  );
}
