import type { z } from 'zod';
import type { eventPayloads } from '@heating-cashier/core/contract/events';
import { householdRecord, type WireEvent } from '@heating-cashier/core/contract/sync-wire';
import type { Queryable } from './db';
import type { PendingChange } from './store';

type HouseholdWire = z.infer<typeof householdRecord>;
type Updated = z.infer<(typeof eventPayloads)['household.updated']>;
type Flagged = z.infer<(typeof eventPayloads)['household.flagged']>;

/** The terminal's `household.updated` change fields that are part of the wire household record. */
const UPDATABLE = {
  name: (h: HouseholdWire, v: unknown) => ({ ...h, name: String(v) }),
  phone: (h: HouseholdWire, v: unknown) => ({ ...h, phone: String(v) }),
  areaHundredths: (h: HouseholdWire, v: unknown) => ({ ...h, areaHundredths: Number(v) }),
  category: (h: HouseholdWire, v: unknown) => ({ ...h, category: String(v) }) as HouseholdWire,
  subsidised: (h: HouseholdWire, v: unknown) => ({ ...h, subsidised: v === true }),
} as const;

/**
 * Applies counter edits (`household.updated`: phone, owner change, area/category; `household.flagged`:
 * blacklist / legal action) to head office's master household records, in batch order, and returns
 * one `household` change per touched household for every terminal (the originating one included:
 * re-applying its own values there is a no-op). Personal fields stay on the terminal; an unknown
 * household, or an edit that would not validate as a wire record, leaves the master unchanged.
 */
export async function applyHouseholdEdits(
  q: Queryable,
  events: WireEvent[],
): Promise<PendingChange[]> {
  if (events.length === 0) return [];
  const ids = [...new Set(events.map((e) => (e.payload as { householdId: string }).householdId))];
  const rows = await q.query<{ id: string; data: string }>(
    'SELECT id, data FROM ho_households WHERE id = ANY($1::text[]) FOR UPDATE',
    [ids],
  );
  const current = new Map(rows.map((r) => [r.id, JSON.parse(r.data) as HouseholdWire]));
  const touched = new Set<string>();
  const edits = new Map<string, CounterEdit>(); // latest per household + field, in batch order
  for (const e of events) {
    const id = (e.payload as { householdId: string }).householdId;
    const h = current.get(id);
    if (!h) continue; // unknown household: the event is stored, the master is not touched
    let next = h;
    const fields: (keyof HouseholdWire)[] = [];
    if (e.type === 'household.flagged') {
      const p = e.payload as Flagged;
      next = { ...h, [p.flag]: p.value };
      fields.push(p.flag);
    } else {
      const p = e.payload as Updated;
      for (const [field, change] of Object.entries(p.changes)) {
        const set = UPDATABLE[field as keyof typeof UPDATABLE];
        if (!set) continue;
        next = set(next, change.to);
        fields.push(field as keyof HouseholdWire);
      }
    }
    const valid = householdRecord.safeParse(next);
    if (!valid.success) continue;
    current.set(id, valid.data);
    touched.add(id);
    for (const field of fields)
      edits.set(`${id}\u0000${field}`, {
        householdId: id,
        field,
        value: JSON.stringify(valid.data[field]),
        terminalId: e.terminalId,
        eventId: e.id,
        editedAt: e.occurredAt,
      });
  }
  const changed = [...touched].map((id) => current.get(id)!);
  if (changed.length === 0) return [];
  await q.query(
    `UPDATE ho_households h SET data = x.data
     FROM unnest($1::text[], $2::text[]) AS x(id, data) WHERE h.id = x.id`,
    [changed.map((h) => h.id), changed.map((h) => JSON.stringify(h))],
  );
  await rememberCounterEdits(q, [...edits.values()]);
  return changed.map((h) => ({ kind: 'household', data: h, origin: null, target: null }));
}

/** A household field as a counter last set it (table ho_household_counter_edits, migration 0004). */
export interface CounterEdit {
  householdId: string;
  field: string;
  /** JSON of the wire value. */
  value: string;
  terminalId: string;
  eventId: string;
  editedAt: string;
}

async function rememberCounterEdits(q: Queryable, edits: CounterEdit[]): Promise<void> {
  if (edits.length === 0) return;
  const col = <K extends keyof CounterEdit>(k: K) => edits.map((e) => e[k]);
  await q.query(
    `INSERT INTO ho_household_counter_edits (household_id, field, value, terminal_id, event_id, edited_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT (household_id, field) DO UPDATE SET value = excluded.value,
       terminal_id = excluded.terminal_id, event_id = excluded.event_id, edited_at = excluded.edited_at`,
    [
      col('householdId'),
      col('field'),
      col('value'),
      col('terminalId'),
      col('eventId'),
      col('editedAt'),
    ],
  );
}

/** The counter edits still standing for these households, by household id. */
export async function counterEditsOf(
  q: Queryable,
  householdIds: string[],
): Promise<Map<string, CounterEdit[]>> {
  const out = new Map<string, CounterEdit[]>();
  if (householdIds.length === 0) return out;
  const rows = await q.query<{
    household_id: string;
    field: string;
    value: string;
    terminal_id: string;
    event_id: string;
    edited_at: string;
  }>(
    `SELECT household_id, field, value, terminal_id, event_id, edited_at
     FROM ho_household_counter_edits WHERE household_id = ANY($1::text[]) ORDER BY household_id, field`,
    [householdIds],
  );
  for (const r of rows) {
    const list = out.get(r.household_id) ?? [];
    list.push({
      householdId: r.household_id,
      field: r.field,
      value: r.value,
      terminalId: r.terminal_id,
      eventId: r.event_id,
      editedAt: r.edited_at,
    });
    out.set(r.household_id, list);
  }
  return out;
}

/** Counter edits a file has caught up with, or that the operator chose to overwrite. */
export async function forgetCounterEdits(
  q: Queryable,
  edits: readonly { householdId: string; field: string }[],
): Promise<void> {
  if (edits.length === 0) return;
  await q.query(
    `DELETE FROM ho_household_counter_edits e USING unnest($1::text[], $2::text[]) AS x(household_id, field)
     WHERE e.household_id = x.household_id AND e.field = x.field`,
    [edits.map((e) => e.householdId), edits.map((e) => e.field)],
  );
}
