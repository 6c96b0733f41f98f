import type { Db } from './db';
import { rowToEvent, type EventRow } from './event-log';
import { applyEvent, PROJECTION_TABLES } from './projector';

const PAGE = 2000;

/** Replays the event log into emptied projections. Caller provides the transaction. */
export function replayProjections(db: Db): number {
  for (const { table } of [...PROJECTION_TABLES].reverse())
    db.prepare(`DELETE FROM ${table}`).run();
  const page = db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
  let replayed = 0;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = page.all(after, PAGE) as EventRow[];
    for (const row of rows) applyEvent(db, rowToEvent(row));
    replayed += rows.length;
    if (rows.length < PAGE) return replayed;
    after = rows[rows.length - 1]!.seq;
  }
}

/** Drops every projection and replays the whole event log, in one transaction. */
export function rebuildProjections(db: Db): number {
  return db.transaction(() => replayProjections(db)).immediate();
}
