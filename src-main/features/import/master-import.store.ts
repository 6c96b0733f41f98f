import type { Db } from '../../ledger/db';
import type { Household } from '../households/households.store';
import { searchRow } from '../households/search-tokens.store';
import { householdMasterRecord, terminalSignature, writeCharge } from '../sync/master-rows.store';

/** Existing households by account no. (the import updates them in place, keeping their id). */
export function householdIdsByAccount(db: Db): Map<string, { id: string; num: number }> {
  const rows = db.prepare('SELECT id, num, account_no FROM households').all() as {
    id: string;
    num: number;
    account_no: string;
  }[];
  return new Map(rows.map((r) => [r.account_no, { id: r.id, num: r.num }]));
}

export function seasonIdsByCode(db: Db): Map<string, string> {
  const rows = db.prepare('SELECT id, code FROM seasons').all() as { id: string; code: string }[];
  return new Map(rows.map((r) => [r.code, r.id]));
}

/**
 * A charge from an import: what was paid before this ledger plus what head office reported as
 * paid elsewhere (same rule as the sync pull), signed with the terminal key (the terminal made
 * this master row). Caller provides the transaction.
 */
export function upsertImportedCharge(
  db: Db,
  c: { householdId: string; seasonId: string; chargeFen: number; paidBeforeFen: number },
): void {
  const record = {
    householdId: c.householdId,
    seasonId: c.seasonId,
    chargeFen: c.chargeFen,
    paidBeforeFen: c.paidBeforeFen,
  };
  writeCharge(db, record, terminalSignature(db, 'charges', record));
}

/**
 * New households of an import, in bulk (caller provides the ONE transaction): the same rows as
 * `insertHousehold` (households + the FTS row), with positional statements prepared once and the
 * pinyin of each distinct name computed once (it is the costly part of the search row and depends
 * on the name alone).
 */
export function insertHouseholdsBulk(db: Db, households: readonly Household[]): void {
  const insert = db.prepare(
    `INSERT INTO households (id, account_no, name, phone, community, building, unit, room, area_hundredths,
                             category, subsidised, no_heat, blacklisted, legal_action, is_demo, sig, signed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'terminal')`,
  );
  const search = db.prepare(
    'INSERT INTO household_search (rowid, acct, name, py, addr, phone4) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byName = new Map<string, { name: string; py: string }>();
  for (const h of households) {
    const num = insert.run(
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
      terminalSignature(db, 'households', householdMasterRecord(h)).sig,
    ).lastInsertRowid;
    let named = byName.get(h.name);
    if (!named) {
      const s = searchRow(h);
      named = { name: s.name, py: s.py };
      byName.set(h.name, named);
    }
    const s = searchRow({ ...h, name: '' }); // account, address, phone: no pinyin
    search.run(num, s.acct, named.name, named.py, s.addr, s.phone4);
  }
}
