// Pieces both rules screens (HeatingRulesPage, RulesMore) use.
import { Input, type InputProps } from 'antd';
import type { ApiClient, ClientError } from '../../api/client';
import type { Account } from '../../app/types';

/** One labelled text input of the rules forms (autocomplete off; `extra` adds props such as maxLength). */
export const field = (
  name: string,
  label: string,
  value: string,
  set: (v: string) => void,
  extra: InputProps = {},
) => (
  <label className="field" key={name}>
    <span>{label}</span>
    <Input
      name={name}
      value={value}
      autoComplete="off"
      onChange={(e) => set(e.target.value)}
      {...extra}
    />
  </label>
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
