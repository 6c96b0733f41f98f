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

function termScore(t: QueryTerm, h: HouseholdRow): number {
  switch (t.kind) {
    case 'digits':
      if (h.account_no === t.text) return 100;
      if (h.phone.endsWith(t.text) && t.text.length === 4) return 60;
      return 30;
    case 'address': {
      const key = addressKey(h.building, h.unit, h.room);
      return key === t.text ? 90 : 40;
    }
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

/** Ranked household search over the FTS5 index; returns at most `limit` rows. */
export function searchHouseholds(db: Db, query: string, limit: number): HouseholdRow[] {
  const terms = parseQuery(query);
  if (terms.length === 0) return [];
  const rows = stmt(
    db,
    `SELECT h.* FROM household_search s JOIN households h ON h.num = s.rowid
     WHERE household_search MATCH ? LIMIT ${SEARCH_CANDIDATES}`,
  ).all(ftsExpression(terms)) as HouseholdRow[];
  const scored = rows.map((h) => ({
    h,
    score: terms.reduce((sum, t) => sum + termScore(t, h), 0),
  }));
  scored.sort((a, b) => b.score - a.score || (a.h.account_no < b.h.account_no ? -1 : 1));
  return scored.slice(0, limit).map(({ h }) => h);
}
