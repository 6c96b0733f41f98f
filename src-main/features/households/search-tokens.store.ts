import { pinyin } from 'pinyin-pro';

const CJK = /\p{Script=Han}/u;

export interface HouseholdSearchFields {
  accountNo: string;
  name: string;
  community: string;
  building: string;
  unit: string;
  room: string;
  phone: string;
}

export interface SearchRow {
  acct: string;
  name: string;
  py: string;
  addr: string;
  phone4: string;
}

/** Han characters become one token each so that any substring is a phrase query. */
function spacedChars(text: string): string {
  return [...text].filter((c) => CJK.test(c) || /[\p{L}\p{N}]/u.test(c)).join(' ');
}

export function addressKey(building: string, unit: string, room: string): string {
  return `${building}-${unit}-${room}`;
}

/** The FTS row of a household: what every query kind matches against. */
export function searchRow(h: HouseholdSearchFields): SearchRow {
  const syllables = pinyin(h.name, { surname: 'head', toneType: 'none', type: 'array' }).filter(
    (s) => /^[a-z]+$/.test(s),
  );
  const initials = syllables.map((s) => s[0]).join('');
  const digits = h.phone.replace(/\D/g, '');
  return {
    acct: h.accountNo,
    name: spacedChars(h.name),
    py: [syllables.join(''), syllables.slice(1).join(''), ...syllables, initials]
      .filter(Boolean)
      .join(' '),
    addr: `${spacedChars(h.community)} ${addressKey(h.building, h.unit, h.room)}`,
    phone4: digits.slice(-4),
  };
}

export type QueryTermKind = 'digits' | 'address' | 'pinyin' | 'han';

export interface QueryTerm {
  kind: QueryTermKind;
  text: string;
}

/** Splits what the clerk typed into classified terms; anything else is dropped, never passed to FTS. */
export function parseQuery(raw: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const normalised = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[－—–_/]/g, '-');
  for (const piece of normalised.split(/[\s,，、]+/)) {
    for (const m of piece.matchAll(/(\d+(?:-\d+)+-?)|(\d+)|([a-z]+)|(\p{Script=Han}+)/gu)) {
      if (m[1]) terms.push({ kind: 'address', text: m[1].replace(/-$/, '') });
      else if (m[2]) terms.push({ kind: 'digits', text: m[2] });
      else if (m[3]) terms.push({ kind: 'pinyin', text: m[3] });
      else if (m[4]) terms.push({ kind: 'han', text: m[4] });
    }
  }
  return terms.slice(0, 6);
}

/** FTS5 MATCH expression for the terms (every term must match). Terms hold only [0-9a-z-] or Han. */
export function ftsExpression(terms: readonly QueryTerm[]): string {
  return terms
    .map((t) => {
      switch (t.kind) {
        case 'digits':
          return t.text.length === 4
            ? `(acct:"${t.text}"* OR phone4:"${t.text}")`
            : `acct:"${t.text}"*`;
        case 'address':
          return `addr:"${t.text}"*`;
        case 'pinyin':
          return `py:"${t.text}"*`;
        case 'han':
          return `{name addr}:"${[...t.text].join(' ')}"`;
      }
    })
    .join(' AND ');
}
