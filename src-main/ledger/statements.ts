import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

/** Prepared statements cached on the connection (`db.cache`): hot paths prepare each SQL text once. */
export function stmt(db: Db, sql: string): Statement {
  const cached = db.cache.statements.get(sql);
  if (cached) return cached;
  const s = db.prepare(sql);
  db.cache.statements.set(sql, s);
  return s;
}
