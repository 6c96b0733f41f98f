import type { z } from 'zod';
import type { eventPayloads } from '../../src-main/contract/events';
import { householdRecord, type WireEvent } from '../../src-main/contract/sync-wire';
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
  for (const e of events) {
    const id = (e.payload as { householdId: string }).householdId;
    const h = current.get(id);
    if (!h) continue; // unknown household: the event is stored, the master is not touched
    let next = h;
    if (e.type === 'household.flagged') {
      const p = e.payload as Flagged;
      next = { ...h, [p.flag]: p.value };
    } else {
      const p = e.payload as Updated;
      for (const [field, change] of Object.entries(p.changes)) {
        const set = UPDATABLE[field as keyof typeof UPDATABLE];
        if (set) next = set(next, change.to);
      }
    }
    const valid = householdRecord.safeParse(next);
    if (!valid.success) continue;
    current.set(id, valid.data);
    touched.add(id);
  }
  const changed = [...touched].map((id) => current.get(id)!);
  if (changed.length === 0) return [];
  await q.query(
    `UPDATE ho_households h SET data = x.data
     FROM unnest($1::text[], $2::text[]) AS x(id, data) WHERE h.id = x.id`,
    [changed.map((h) => h.id), changed.map((h) => JSON.stringify(h))],
  );
  return changed.map((h) => ({ kind: 'household', data: h, origin: null, target: null }));
}
