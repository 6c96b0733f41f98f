import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import {
  NewerSchemaError,
  parseMigrations,
  planMigrations,
  type Migration,
} from '@heating-cashier/core/migrations';

export type { Migration };
/** A ledger from a newer terminal build (the shared core's error, under the ledger's name). */
export { NewerSchemaError as LedgerVersionError };

const TERMINAL = { zh: '收费终端程序', en: 'terminal' };

export function loadMigrations(dir: string): Migration[] {
  return parseMigrations(
    readdirSync(dir)
      .filter((file) => file.endsWith('.sql'))
      .map((file) => ({ file, sql: readFileSync(join(dir, file), 'utf8') })),
  );
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration in ONE transaction; refuses a database from a newer build. */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
): { from: number; to: number } {
  const { from, to, pending } = planMigrations(migrations, schemaVersion(db), TERMINAL);
  if (pending.length === 0) return { from, to };
  // Table rebuilds (create, copy, drop, rename) need foreign-key enforcement off: dropping a parent
  // table would otherwise fail or cascade. The pragma is a no-op inside a transaction, so it is
  // switched around it, and every reference is checked before the migration commits.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  if (enforced) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) db.exec(m.sql);
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length > 0) {
        const first = broken[0]!;
        throw new Error(
          `migration left ${broken.length} broken reference(s), first: ${first.table} -> ${first.parent}`,
        );
      }
      db.pragma(`user_version = ${to}`);
    }).immediate();
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
  return { from, to };
}
