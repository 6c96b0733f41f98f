import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { loadMigrations, migrate } from './migrate';

export type Db = Database.Database;

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** WAL size (pages) at which a commit checkpoints by itself: ~32 MB, a few hundred payments. */
export const WAL_AUTOCHECKPOINT_PAGES = 8000;

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
      // Checkpoints normally run when the terminal is idle (ledger/checkpoint.ts); this is only the
      // backstop, so a payment rarely pays for copying the WAL back into the database file.
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
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
