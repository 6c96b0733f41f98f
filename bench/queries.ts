import { pinyin } from 'pinyin-pro';
import { createRandom } from '../src-main/demo/random';
import type { Db } from '../src-main/ledger/db';
import { owedFen } from '../src-main/features/households/accounts.store';
import type { HouseholdRow } from '../src-main/features/households/households.store';

export const QUERY_KINDS = [
  'account_prefix',
  'name_substring',
  'pinyin_initials',
  'pinyin_full',
  'address',
  'community',
  'phone_last4',
] as const;

export type QueryKind = (typeof QUERY_KINDS)[number];

export interface BenchQuery {
  kind: QueryKind;
  text: string;
  /** The household the query was drawn from (a clerk looking for it). */
  householdId: string;
}

function syllablesOf(name: string): string[] {
  return pinyin(name, { surname: 'head', toneType: 'none', type: 'array' }).filter((s) =>
    /^[a-z]+$/.test(s),
  );
}

/** What a clerk would type for `kind` to find household `h`. */
function queryFor(kind: QueryKind, h: HouseholdRow, r: ReturnType<typeof createRandom>): string {
  switch (kind) {
    case 'account_prefix':
      return h.account_no.slice(0, r.int(4, 6));
    case 'name_substring': {
      const chars = [...h.name];
      if (chars.length <= 2) return h.name;
      const start = r.int(0, chars.length - 2);
      return chars.slice(start, start + 2).join('');
    }
    case 'pinyin_initials':
      return syllablesOf(h.name)
        .map((s) => s[0])
        .join('');
    case 'pinyin_full': {
      const syl = syllablesOf(h.name);
      const full = syl.join('');
      return full.slice(0, r.int(Math.min(full.length, (syl[0]?.length ?? 0) + 1), full.length));
    }
    case 'address':
      return `${h.building}-${h.unit}-${h.room}`;
    case 'community':
      return h.community;
    case 'phone_last4':
      return h.phone.slice(-4);
  }
}

/** `perKind` queries of every kind, each drawn from a random existing household; shuffled. */
export function drawQueries(db: Db, perKind: number, seed: number): BenchQuery[] {
  const r = createRandom(seed);
  const maxNum = (db.prepare('SELECT max(num) AS n FROM households').get() as { n: number }).n;
  const byNum = db.prepare('SELECT * FROM households WHERE num = ?');
  const out: BenchQuery[] = [];
  for (const kind of QUERY_KINDS) {
    for (let n = 0; n < perKind;) {
      const h = byNum.get(r.int(1, maxNum)) as HouseholdRow | undefined;
      if (!h) continue;
      out.push({ kind, text: queryFor(kind, h, r), householdId: h.id });
      n++;
    }
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `count` distinct households that owe something, drawn at random (seeded) by household number. */
export function payersOwing(db: Db, count: number, seed: number): { id: string; owed: number }[] {
  const r = createRandom(seed);
  const maxNum = (db.prepare('SELECT max(num) AS n FROM households').get() as { n: number }).n;
  const byNum = db.prepare('SELECT id FROM households WHERE num = ?');
  const seen = new Set<string>();
  const out: { id: string; owed: number }[] = [];
  while (out.length < count) {
    const row = byNum.get(r.int(1, maxNum)) as { id: string } | undefined;
    if (!row || seen.has(row.id)) continue;
    seen.add(row.id);
    const owed = owedFen(db, row.id);
    if (owed > 0) out.push({ id: row.id, owed });
  }
  return out;
}
