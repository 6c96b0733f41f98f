import type { Db } from './db';
import { addressKey, ftsExpression, parseQuery, searchRow, type QueryTerm } from './search-tokens';
import { stmt } from './statements';

export type Category = 'residential' | 'commercial' | 'public';

export interface Household {
  id: string;
  accountNo: string;
  name: string;
  phone: string;
  community: string;
  building: string;
  unit: string;
  room: string;
  areaHundredths: number;
  category: Category;
  subsidised: boolean;
  noHeat: boolean;
  blacklisted: boolean;
  legalAction: boolean;
  isDemo: boolean;
}

export interface HouseholdRow {
  num: number;
  id: string;
  account_no: string;
  name: string;
  phone: string;
  community: string;
  building: string;
  unit: string;
  room: string;
  area_hundredths: number;
  category: Category;
  subsidised: number;
  no_heat: number;
  blacklisted: number;
  legal_action: number;
  is_demo: number;
}

export function rowToHousehold(r: HouseholdRow): Household {
  return {
    id: r.id,
    accountNo: r.account_no,
    name: r.name,
    phone: r.phone,
    community: r.community,
    building: r.building,
    unit: r.unit,
    room: r.room,
    areaHundredths: r.area_hundredths,
    category: r.category,
    subsidised: r.subsidised === 1,
    noHeat: r.no_heat === 1,
    blacklisted: r.blacklisted === 1,
    legalAction: r.legal_action === 1,
    isDemo: r.is_demo === 1,
  };
}

export function formatAddress(
  h: Pick<Household, 'community' | 'building' | 'unit' | 'room'>,
): string {
  return `${h.community} ${addressKey(h.building, h.unit, h.room)}`;
}

/** Inserts a household and its search row (master data; caller provides the transaction for bulk loads). */
export function insertHousehold(db: Db, h: Household): void {
  const info = stmt(
    db,
    `INSERT INTO households (id, account_no, name, phone, community, building, unit, room, area_hundredths,
                             category, subsidised, no_heat, blacklisted, legal_action, is_demo)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    h.id,
    h.accountNo,
    h.name,
    h.phone,
    h.community,
    h.building,
    h.unit,
    h.room,
    h.areaHundredths,
    h.category,
    Number(h.subsidised),
    Number(h.noHeat),
    Number(h.blacklisted),
    Number(h.legalAction),
    Number(h.isDemo),
  );
  const s = searchRow(h);
  stmt(
    db,
    'INSERT INTO household_search (rowid, acct, name, py, addr, phone4) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(info.lastInsertRowid, s.acct, s.name, s.py, s.addr, s.phone4);
}

export function householdById(db: Db, id: string): Household | null {
  const row = stmt(db, 'SELECT * FROM households WHERE id = ?').get(id) as HouseholdRow | undefined;
  return row ? rowToHousehold(row) : null;
}

/** How many FTS candidates are ranked; the clerk refines the query when a term is this broad. */
export const SEARCH_CANDIDATES = 100;

/** The columns ranking needs; candidates are fetched as raw arrays in this order. */
interface Candidate {
  num: number;
  account_no: string;
  name: string;
  phone: string;
  community: string;
  building: string;
  unit: string;
  room: string;
}
const CANDIDATE_COLUMNS =
  'h.num, h.account_no, h.name, h.phone, h.community, h.building, h.unit, h.room';

function termScore(t: QueryTerm, h: Candidate): number {
  switch (t.kind) {
    case 'digits':
      if (h.account_no === t.text) return 100;
      if (h.phone.endsWith(t.text) && t.text.length === 4) return 60;
      return 30;
    case 'address':
      return addressKey(h.building, h.unit, h.room) === t.text ? 90 : 40;
    case 'pinyin':
      // typed initials covering the whole name (zsf for 张三丰) beat a prefix of something longer
      return [...h.name].length === t.text.length ? 70 : 30;
    case 'han':
      if (h.name === t.text) return 95;
      if (h.name.startsWith(t.text)) return 60;
      if (h.name.includes(t.text)) return 40;
      return h.community === t.text ? 35 : 20;
  }
}

function candidates(db: Db, terms: readonly QueryTerm[]): Candidate[] {
  const byNum = new Map<number, Candidate>();
  const add = (rows: Candidate[]) => rows.forEach((c) => byNum.set(c.num, c));
  // A single name: exact matches first, so a common name is not lost among the FTS candidates.
  const only = terms.length === 1 ? terms[0]! : null;
  if (only?.kind === 'han') {
    add(
      stmt(db, `SELECT ${CANDIDATE_COLUMNS} FROM households h WHERE h.name = ? LIMIT 20`).all(
        only.text,
      ) as Candidate[],
    );
  }
  add(
    stmt(
      db,
      `SELECT ${CANDIDATE_COLUMNS} FROM household_search s JOIN households h ON h.num = s.rowid
       WHERE household_search MATCH ? LIMIT ${SEARCH_CANDIDATES}`,
    ).all(ftsExpression(terms)) as Candidate[],
  );
  return [...byNum.values()];
}

export interface HouseholdHit extends HouseholdRow {
  owed_fen: number;
}

const OWED_SQL = `(SELECT coalesce(sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))), 0)
   FROM charges c LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
   WHERE c.household_id = h.id)`;

/** Ranked household search over the FTS5 index; returns at most `limit` rows with the amount owed. */
export function searchHouseholds(db: Db, query: string, limit: number): HouseholdHit[] {
  const terms = parseQuery(query);
  if (terms.length === 0) return [];
  const ranked = candidates(db, terms)
    .map((c) => ({ c, score: terms.reduce((sum, t) => sum + termScore(t, c), 0) }))
    .sort((a, b) => b.score - a.score || (a.c.account_no < b.c.account_no ? -1 : 1))
    .slice(0, limit);
  if (ranked.length === 0) return [];
  const rows = stmt(
    db,
    `SELECT h.*, ${OWED_SQL} AS owed_fen FROM households h WHERE h.num IN (${ranked.map(() => '?').join(',')})`,
  ).all(...ranked.map((r) => r.c.num)) as HouseholdHit[];
  const byNum = new Map(rows.map((r) => [r.num, r]));
  return ranked.map((r) => byNum.get(r.c.num)!);
}
