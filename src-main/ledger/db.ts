import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { loadMigrations, migrate } from './migrate';

export type Db = Database.Database;

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface OpenOptions {
  migrationsDir?: string;
  readonly?: boolean;
}

/** Opens the ledger file with the durability the design demands (WAL, synchronous=FULL) and migrates it. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly)
      migrate(db, loadMigrations(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR));
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
