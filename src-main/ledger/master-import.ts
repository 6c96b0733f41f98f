import type { Db } from './db';
import { stmt } from './statements';

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
 * paid elsewhere (same rule as the sync pull). Caller provides the transaction.
 */
export function upsertImportedCharge(
  db: Db,
  c: { householdId: string; seasonId: string; chargeFen: number; paidBeforeFen: number },
): void {
  const elsewhere = stmt(
    db,
    'SELECT coalesce(sum(amount_fen), 0) AS fen FROM payments_elsewhere WHERE household_id = ? AND season_id = ?',
  ).get(c.householdId, c.seasonId) as { fen: number };
  stmt(
    db,
    `INSERT INTO charges (household_id, season_id, charge_fen, paid_elsewhere_fen) VALUES (?, ?, ?, ?)
     ON CONFLICT (household_id, season_id) DO UPDATE
       SET charge_fen = excluded.charge_fen, paid_elsewhere_fen = excluded.paid_elsewhere_fen`,
  ).run(c.householdId, c.seasonId, c.chargeFen, c.paidBeforeFen + elsewhere.fen);
}
