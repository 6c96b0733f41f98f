import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

/**
 * The master fields of a household that an edit at this counter protects from the next households
 * file (migration 0013): the last edit of each stands until a file carries the same value, or an
 * import is told to overwrite it.
 */
export const COUNTER_EDIT_FIELDS = [
  'name',
  'phone',
  'areaHundredths',
  'category',
  'subsidised',
] as const;
export type CounterEditField = (typeof COUNTER_EDIT_FIELDS)[number];

export interface CounterEdit {
  field: CounterEditField;
  value: string | number | boolean;
  editedAt: string;
}

export function isCounterEditField(field: string): field is CounterEditField {
  return (COUNTER_EDIT_FIELDS as readonly string[]).includes(field);
}

/** Every standing counter edit, by household. */
export function counterEditsByHousehold(db: Db): Map<string, CounterEdit[]> {
  const rows = stmt(
    db,
    'SELECT household_id, field, value, edited_at FROM household_counter_edits ORDER BY household_id, field',
  ).all() as { household_id: string; field: CounterEditField; value: string; edited_at: string }[];
  const byHousehold = new Map<string, CounterEdit[]>();
  for (const r of rows) {
    const edits = byHousehold.get(r.household_id) ?? [];
    edits.push({
      field: r.field,
      value: JSON.parse(r.value) as CounterEdit['value'],
      editedAt: r.edited_at,
    });
    byHousehold.set(r.household_id, edits);
  }
  return byHousehold;
}

export function recordCounterEdit(
  db: Db,
  householdId: string,
  field: CounterEditField,
  value: CounterEdit['value'],
  seq: number,
  at: string,
): void {
  stmt(
    db,
    `INSERT INTO household_counter_edits (household_id, field, value, edited_seq, edited_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (household_id, field) DO UPDATE
       SET value = excluded.value, edited_seq = excluded.edited_seq, edited_at = excluded.edited_at`,
  ).run(householdId, field, JSON.stringify(value), seq, at);
}

/** The file rules these fields again (it carried the counter's value, or overwrote it). */
export function settleCounterEdits(
  db: Db,
  settled: readonly { householdId: string; field: string }[],
): void {
  const remove = stmt(
    db,
    'DELETE FROM household_counter_edits WHERE household_id = ? AND field = ?',
  );
  for (const s of settled) remove.run(s.householdId, s.field);
}

/** A households import from before migration 0013 overwrote every edit. */
export function clearCounterEdits(db: Db): void {
  stmt(db, 'DELETE FROM household_counter_edits').run();
}
