import { PGlite } from '@electric-sql/pglite';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The head-office store: the same SQL runs on PostgreSQL (DATABASE_URL) and on embedded PGlite. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface HoDb extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction (READ COMMITTED); commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

// int8 as a JS number (fen totals stay far below 2^53); numeric is cast to bigint in the SQL.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export async function openPostgres(url: string, poolSize = 10): Promise<HoDb> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  pool.on('error', () => {}); // an idle client's connection dropped: the pool replaces it
  const db: HoDb = {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async tx<T>(fn: (q: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const q: Queryable = {
          query: async <R>(sql: string, params: unknown[] = []) =>
            (await client.query(sql, params)).rows as R[],
        };
        const result = await fn(q);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  await migrate(db);
  return db;
}

/** Embedded PostgreSQL in a directory (or `memory://`); fsync on every commit (relaxedDurability off). */
export async function openPglite(dataDir: string): Promise<HoDb> {
  const lite = await PGlite.create(dataDir, { relaxedDurability: false });
  const db: HoDb = {
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await lite.query(sql, params)).rows as T[];
    },
    tx<T>(fn: (q: Queryable) => Promise<T>) {
      return lite.transaction(async (t) =>
        fn({
          query: async <R>(sql: string, params: unknown[] = []) =>
            (await t.query(sql, params)).rows as R[],
        }),
      );
    },
    close: () => lite.close(),
  };
  await migrate(db);
  return db;
}

export async function openHoDb(options: { databaseUrl?: string; dataDir: string }): Promise<HoDb> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

/** Applies head-office/migrations/NNNN_*.sql not yet applied, each in one transaction. */
export async function migrate(db: HoDb): Promise<number> {
  await db.query(
    'CREATE TABLE IF NOT EXISTS ho_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  let applied = 0;
  for (const f of files) {
    const version = Number(f.slice(0, 4));
    await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(7007)');
      const done = await q.query('SELECT 1 FROM ho_schema WHERE version = $1', [version]);
      if (done.length > 0) return;
      for (const statement of splitSql(readFileSync(`${MIGRATIONS_DIR}/${f}`, 'utf8')))
        await q.query(statement);
      await q.query('INSERT INTO ho_schema (version) VALUES ($1)', [version]);
      applied++;
    });
  }
  return applied;
}

/** Splits a migration into statements on `;` at line ends, keeping `$$ ... $$` bodies whole. */
function splitSql(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of text.split('\n')) {
    if (line.trim().startsWith('--') && !inDollar) continue;
    current += line + '\n';
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) inDollar = !inDollar;
    if (!inDollar && line.trimEnd().endsWith(';')) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
