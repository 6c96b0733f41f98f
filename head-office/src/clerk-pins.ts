// A clerk's new PIN set at a counter (issue 19, `clerk.pin_changed`: the first log-in after head
// office issued an initial PIN). Head office takes the new hash over into the clerk's master record
// (the initial-PIN mark goes with the old hash) and sends the record to every terminal, signed like
// all master data: the next pull carries the new PIN, never the initial one again.
import { clerkRecord, type WireEvent } from '@heating-cashier/core/contract/sync-wire';
import type { Queryable } from './db';
import type { PendingChange } from './store';

export async function applyPinChanges(q: Queryable, events: WireEvent[]): Promise<PendingChange[]> {
  if (events.length === 0) return [];
  const latest = new Map<string, string>(); // clerk id -> newest hash in batch order
  for (const e of events) {
    const p = e.payload as { clerkId: string; pinHash: string };
    latest.set(p.clerkId, p.pinHash);
  }
  const rows = await q.query<{ id: string; data: string }>(
    'SELECT id, data FROM ho_clerks WHERE id = ANY($1::text[]) FOR UPDATE',
    [[...latest.keys()]],
  );
  const out: PendingChange[] = [];
  for (const row of rows) {
    const next = clerkRecord.safeParse({ ...JSON.parse(row.data), pinHash: latest.get(row.id) });
    if (!next.success) continue; // the event is stored; the master stays as it was
    await q.query('UPDATE ho_clerks SET data = $2 WHERE id = $1', [
      row.id,
      JSON.stringify(next.data),
    ]);
    out.push({ kind: 'clerk', data: next.data, origin: null, target: null });
  }
  return out;
}
