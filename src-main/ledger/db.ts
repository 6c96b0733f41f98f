import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import type { Signer } from '@heating-cashier/core/signing';
import type { ChainHead } from './event-log';
import { loadMigrations, migrate } from './migrate';

/**
 * What this process keeps per open connection: created with the connection, gone with it, never
 * ledger truth (all of it is rebuilt from the file on demand).
 */
export interface ConnectionCache {
  /** Prepared statements by SQL text (ledger/statements.ts). */
  readonly statements: Map<string, Database.Statement>;
  /**
   * The chain head the running write transaction read, handed to its first append and consumed
   * there (ledger/event-log.ts `withHandedChainHead`); null outside that window.
   */
  handedHead: ChainHead | null;
  /** What this connection's TEMP overdue set was built from (dunning.store.ts); null = not built. */
  overdueSetKey: string | null;
  /**
   * The terminal key that signs every appended event (ledger/signing.ts); set by openTerminal once
   * the key is loaded. Null on connections that only read or verify.
   */
  signer: Signer | null;
  /**
   * Master rows whose signature this process already checked (features/sync/master-rows.store.ts):
   * the signer's key, the signature and the record's message, so a changed row is checked again.
   */
  readonly verifiedRows: Set<string>;
  /**
   * The keys master rows may be signed by, read from the trust events, and the terminal_keys
   * projection state they were read under (recomputed when that changes).
   */
  masterKeys: { stamp: string; headOffice: string | null; terminal: string[] } | null;
}

/** An open ledger connection with its per-connection cache. */
export type Db = Database.Database & { readonly cache: ConnectionCache };

/** Gives a connection opened elsewhere (backup checks, tests) its cache; `openDatabase` does this. */
export function withConnectionCache(raw: Database.Database): Db {
  const cache: ConnectionCache = {
    statements: new Map(),
    handedHead: null,
    overdueSetKey: null,
    signer: null,
    verifiedRows: new Set(),
    masterKeys: null,
  };
  return Object.assign(raw, { cache });
}

/**
 * The file's content was replaced under this connection (a restore through the backup API): what
 * the cache derived from the old content goes (prepared statements and the signer stay valid).
 */
export function forgetDerivedState(db: Db): void {
  db.cache.handedHead = null;
  db.cache.overdueSetKey = null;
  db.cache.verifiedRows.clear();
  db.cache.masterKeys = null;
}

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** WAL size (pages) at which a commit checkpoints by itself: ~32 MB, a few hundred payments. */
export const WAL_AUTOCHECKPOINT_PAGES = 8000;

export interface OpenOptions {
  migrationsDir?: string;
  readonly?: boolean;
}

/** Opens the ledger file with the durability the design demands (WAL, synchronous=FULL) and migrates it. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = withConnectionCache(new Database(file, { readonly: options.readonly ?? false }));
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
