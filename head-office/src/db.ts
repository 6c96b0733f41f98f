import { PGlite } from '@electric-sql/pglite';
import { parseMigrations, planMigrations, type Migration } from '@heating-cashier/core/migrations';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { hoSigner, signUnsignedChanges } from './keys';

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
  await prepareKeys(db);
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
  await prepareKeys(db);
  return db;
}

export async function openHoDb(options: { databaseUrl?: string; dataDir: string }): Promise<HoDb> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

const HEAD_OFFICE = { zh: '总部服务程序', en: 'head-office' };

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return parseMigrations(
    readdirSync(dir)
      .filter((file) => file.endsWith('.sql'))
      .map((file) => ({ file, sql: readFileSync(join(dir, file), 'utf8') })),
  );
}

/**
 * Applies every pending head-office migration in ONE transaction, under an advisory lock (several
 * head-office processes may start at once); refuses a database from a newer build. Answers how
 * many were applied.
 */
export async function migrate(db: HoDb, migrations = loadMigrations()): Promise<number> {
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(7007)');
    await q.query(
      'CREATE TABLE IF NOT EXISTS ho_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const [row] = await q.query<{ v: number }>(
      'SELECT coalesce(max(version), 0)::int AS v FROM ho_schema',
    );
    const { pending } = planMigrations(migrations, row!.v, HEAD_OFFICE);
    for (const m of pending) {
      for (const statement of splitSql(m.sql)) await q.query(statement);
      await q.query('INSERT INTO ho_schema (version) VALUES ($1)', [m.version]);
    }
    return pending.length;
  });
}

/**
 * Head office's key is made at its first start; change-log rows written before it had one (an
 * upgraded database) are signed then, so every row terminals pull carries a signature.
 */
async function prepareKeys(db: HoDb): Promise<void> {
  await db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(7008)');
    await signUnsignedChanges(q, await hoSigner(q));
  });
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
