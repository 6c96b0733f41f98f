import type { Db } from '../../ledger/db';
import {
  addressKey,
  ftsExpression,
  parseQuery,
  searchRow,
  type QueryTerm,
} from './search-tokens.store';
import { stmt } from '../../ledger/statements';
import { householdSignatureIfKeyed } from '../sync/master-rows.store';

export type Category = 'residential' | 'commercial' | 'public';

/** Where a household is: the same four fields (and columns) everywhere. */
export interface Address {
  community: string;
  building: string;
  unit: string;
  room: string;
}

export interface Household extends Address {
  id: string;
  accountNo: string;
  name: string;
  phone: string;
  areaHundredths: number;
  category: Category;
  subsidised: boolean;
  noHeat: boolean;
  blacklisted: boolean;
  legalAction: boolean;
  isDemo: boolean;
}

export interface HouseholdRow extends Address {
  num: number;
  id: string;
  account_no: string;
  name: string;
  phone: string;
  area_hundredths: number;
  category: Category;
  subsidised: number;
  no_heat: number;
  blacklisted: number;
  legal_action: number;
  is_demo: number;
  owed_fen: number;
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

export function formatAddress(h: Address): string {
  return `${h.community} ${addressKey(h.building, h.unit, h.room)}`;
}

/**
 * The household's columns as named SQL parameters (shared by insert and update). Spelled out, not
 * `...h`: better-sqlite3 binds an object with unused keys about 2.5× slower (the 100k import).
 */
function householdParams(db: Db, h: Household) {
  return {
    id: h.id,
    account_no: h.accountNo,
    name: h.name,
    phone: h.phone,
    community: h.community,
    building: h.building,
    unit: h.unit,
    room: h.room,
    area_hundredths: h.areaHundredths,
    category: h.category,
    subsidised: Number(h.subsidised),
    no_heat: Number(h.noHeat),
    blacklisted: Number(h.blacklisted),
    legal_action: Number(h.legalAction),
    is_demo: Number(h.isDemo),
    ...signatureParams(db, h),
  };
}

/**
 * The terminal key's signature over the household's master fields (docs/trust.md "Master rows on
 * the terminal"); null columns on a connection without the key: an insert stays unsigned (refused
 * at payment), an update keeps the stored signature (reported if the fields changed).
 */
function signatureParams(db: Db, h: Household): { sig: string | null; signed_by: string | null } {
  const s = householdSignatureIfKeyed(db, h);
  return { sig: s?.sig ?? null, signed_by: s?.signedBy ?? null };
}

/** Inserts a household and its search row (master data; caller provides the transaction for bulk loads). */
export function insertHousehold(db: Db, h: Household): void {
  const info = stmt(
    db,
    `INSERT INTO households (id, account_no, name, phone, community, building, unit, room, area_hundredths,
                             category, subsidised, no_heat, blacklisted, legal_action, is_demo, sig, signed_by)
     VALUES (@id, @account_no, @name, @phone, @community, @building, @unit, @room, @area_hundredths,
             @category, @subsidised, @no_heat, @blacklisted, @legal_action, @is_demo, @sig, @signed_by)`,
  ).run(householdParams(db, h));
  writeSearchRow(db, Number(info.lastInsertRowid), h);
}

/** Inserts or updates a household and keeps its FTS row in step (contentless_delete: delete + insert). */
export function upsertHousehold(db: Db, h: Household): void {
  const existing = stmt(db, 'SELECT num FROM households WHERE id = ?').get(h.id) as
    { num: number } | undefined;
  if (!existing) return insertHousehold(db, h);
  stmt(
    db,
    `UPDATE households SET account_no = @account_no, name = @name, phone = @phone, community = @community,
       building = @building, unit = @unit, room = @room, area_hundredths = @area_hundredths, category = @category,
       subsidised = @subsidised, no_heat = @no_heat, blacklisted = @blacklisted, legal_action = @legal_action,
       sig = coalesce(@sig, sig), signed_by = coalesce(@signed_by, signed_by)
     WHERE id = @id`,
  ).run(householdParams(db, h));
  stmt(db, 'DELETE FROM household_search WHERE rowid = ?').run(existing.num);
  writeSearchRow(db, existing.num, h);
}

function writeSearchRow(db: Db, num: number, h: Household): void {
  const s = searchRow(h);
  stmt(
    db,
    'INSERT INTO household_search (rowid, acct, name, py, addr, phone4) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(num, s.acct, s.name, s.py, s.addr, s.phone4);
}

export function householdById(db: Db, id: string): Household | null {
  const row = stmt(db, 'SELECT * FROM households WHERE id = ?').get(id) as HouseholdRow | undefined;
  return row ? rowToHousehold(row) : null;
}

/** How many FTS candidates are ranked; the clerk refines the query when a term is this broad. */
export const SEARCH_CANDIDATES = 30;

/**
 * Score of one term for candidate row `h`, as SQL (ranking runs inside SQLite so only the rows
 * shown are turned into objects). Every candidate already matches every term; this orders them.
 */
function termScoreSql(t: QueryTerm): { sql: string; params: string[] } {
  switch (t.kind) {
    case 'digits':
      return {
        sql: `CASE WHEN h.account_no = ? THEN 100 WHEN length(?) = 4 AND substr(h.phone, -4) = ? THEN 60 ELSE 30 END`,
        params: [t.text, t.text, t.text],
      };
    case 'address':
      return {
        sql: `CASE WHEN h.building || '-' || h.unit || '-' || h.room = ? THEN 90 ELSE 40 END`,
        params: [t.text],
      };
    case 'pinyin':
      // typed initials covering the whole name (zsf for 张三丰) beat a prefix of something longer
      return { sql: 'CASE WHEN length(h.name) = length(?) THEN 70 ELSE 30 END', params: [t.text] };
    case 'han':
      return {
        sql: `CASE WHEN h.name = ? THEN 95 WHEN substr(h.name, 1, length(?)) = ? THEN 60
                   WHEN instr(h.name, ?) > 0 THEN 40 WHEN h.community = ? THEN 35 ELSE 20 END`,
        params: [t.text, t.text, t.text, t.text, t.text],
      };
  }
}

/** A search result: the household row, which carries the amount owed (kept by triggers, migration 0006). */
export type HouseholdHit = HouseholdRow;

/** Ranked household search over the FTS5 index; returns at most `limit` rows with the amount owed. */
export function searchHouseholds(db: Db, query: string, limit: number): HouseholdHit[] {
  const terms = parseQuery(query);
  if (terms.length === 0) return [];
  const scores = terms.map(termScoreSql);
  // A single name: exact matches join the candidates, so a common name is not lost among them.
  const exactName = terms.length === 1 && terms[0]!.kind === 'han' ? terms[0]!.text : null;
  const fts = `SELECT rowid AS num FROM household_search WHERE household_search MATCH ? LIMIT ${SEARCH_CANDIDATES}`;
  const candidates =
    exactName === null
      ? fts
      : `SELECT * FROM (${fts}) UNION SELECT * FROM (SELECT num FROM households WHERE name = ? LIMIT 20)`;
  // positional parameters in textual order: candidates (FROM), then the scores (ORDER BY), then LIMIT
  const params = [
    ftsExpression(terms),
    ...(exactName === null ? [] : [exactName]),
    ...scores.flatMap((s) => s.params),
    limit,
  ];
  return stmt(
    db,
    `SELECT h.* FROM (${candidates}) c JOIN households h ON h.num = c.num
     ORDER BY ${scores.map((s) => `(${s.sql})`).join(' + ')} DESC, h.account_no LIMIT ?`,
  ).all(...params) as HouseholdHit[];
}
