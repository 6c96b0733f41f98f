import {
  bookRecord,
  chargeRecord,
  clerkRecord,
  householdRecord,
  paymentRecord,
  rateRecord,
  seasonRecord,
} from '@heating-cashier/core/contract/sync-wire';
import type { z } from 'zod';
import { appendChanges, type PendingChange } from './store';
import type { Queryable } from './db';

export const masterSchemas = {
  household: householdRecord,
  season: seasonRecord,
  rate: rateRecord,
  charge: chargeRecord,
  payment: paymentRecord,
  clerk: clerkRecord,
  book: bookRecord,
} as const;

/** Kinds an operator posts or imports as records (cheque decisions have their own endpoint). */
export type MasterRecordKind = keyof typeof masterSchemas;
export type MasterRecord<K extends MasterRecordKind> = z.infer<(typeof masterSchemas)[K]>;
export type MasterItem = {
  [K in MasterRecordKind]: { kind: K; data: MasterRecord<K> };
}[MasterRecordKind];

/**
 * A record kept whole as JSON (`data`) under its id, with the one column it is looked up by
 * (`keyColumn`); table and column are this module's constants, never input.
 */
async function upsertDocument(
  q: Queryable,
  table: string,
  keyColumn: string,
  key: string,
  record: { id: string },
): Promise<void> {
  await q.query(
    `INSERT INTO ${table} (id, ${keyColumn}, data) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET ${keyColumn} = excluded.${keyColumn}, data = excluded.data`,
    [record.id, key, JSON.stringify(record)],
  );
}

/**
 * Writes validated master records to the head-office tables and the pulled change log, inside the
 * caller's transaction. Throws on a constraint violation, so the caller's import is all-or-nothing.
 */
export async function upsertMaster(q: Queryable, items: MasterItem[]): Promise<void> {
  const changes: PendingChange[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'household':
        await upsertDocument(q, 'ho_households', 'account_no', item.data.accountNo, item.data);
        break;
      case 'season':
        await upsertDocument(q, 'ho_seasons', 'code', item.data.code, item.data);
        break;
      case 'rate': {
        const r = item.data;
        await q.query(
          `INSERT INTO ho_rates (season_id, category, rate_fen_per_m2) VALUES ($1, $2, $3)
           ON CONFLICT (season_id, category) DO UPDATE SET rate_fen_per_m2 = excluded.rate_fen_per_m2`,
          [r.seasonId, r.category, r.rateFenPerM2],
        );
        break;
      }
      case 'charge': {
        const c = item.data;
        await q.query(
          `INSERT INTO ho_charges (household_id, season_id, charge_fen, paid_before_fen) VALUES ($1, $2, $3, $4)
           ON CONFLICT (household_id, season_id) DO UPDATE
             SET charge_fen = excluded.charge_fen, paid_before_fen = excluded.paid_before_fen`,
          [c.householdId, c.seasonId, c.chargeFen, c.paidBeforeFen],
        );
        break;
      }
      case 'clerk':
        await upsertDocument(q, 'ho_clerks', 'code', item.data.code, item.data);
        break;
      case 'book': {
        const b = item.data;
        const overlap = await q.query<{ id: string }>(
          `SELECT id FROM ho_books WHERE series = $1 AND id <> $2 AND first_no <= $4 AND last_no >= $3`,
          [b.series, b.id, b.firstNo, b.lastNo],
        );
        if (overlap.length > 0)
          throw new Error(
            `book ${b.series} ${b.firstNo}-${b.lastNo} overlaps book ${overlap[0]!.id}`,
          );
        await q.query(
          `INSERT INTO ho_books (id, terminal_id, series, first_no, last_no, data) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO NOTHING`,
          [b.id, b.terminalId, b.series, b.firstNo, b.lastNo, JSON.stringify(b)],
        );
        break;
      }
      case 'payment':
        break; // ho_payments is written by appendChanges
    }
    changes.push({
      kind: item.kind,
      data: item.data as Record<string, unknown>,
      origin: item.kind === 'payment' ? item.data.originTerminalId : null,
      target: item.kind === 'book' ? item.data.terminalId : null,
    });
  }
  await appendChanges(q, changes);
}
