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
 * Inserts a row, or updates its other columns where the `key` columns match one. Table and column
 * names are this module's constants, never input.
 */
async function upsertRow(
  q: Queryable,
  table: string,
  key: string[],
  row: Record<string, string | number | null>,
): Promise<void> {
  const columns = Object.keys(row);
  const set = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  await q.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}`,
    Object.values(row),
  );
}

/** A record kept whole as JSON under its id, with the one column it is looked up by. */
function upsertDocument(
  q: Queryable,
  table: string,
  keyColumn: string,
  key: string,
  record: { id: string },
) {
  return upsertRow(q, table, ['id'], {
    id: record.id,
    [keyColumn]: key,
    data: JSON.stringify(record),
  });
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
      case 'rate':
        await upsertRow(q, 'ho_rates', ['season_id', 'category'], {
          season_id: item.data.seasonId,
          category: item.data.category,
          rate_fen_per_m2: item.data.rateFenPerM2,
        });
        break;
      case 'charge':
        await upsertRow(q, 'ho_charges', ['household_id', 'season_id'], {
          household_id: item.data.householdId,
          season_id: item.data.seasonId,
          charge_fen: item.data.chargeFen,
          paid_before_fen: item.data.paidBeforeFen,
        });
        break;
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
