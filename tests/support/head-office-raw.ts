import pg from 'pg';
import type { HoDb, Queryable } from '../../head-office/src/db';

/**
 * A HoDb on PostgreSQL that is not migrated on open (openPostgres migrates to the newest): a
 * migration test brings it to the version before the one it tests, writes what an older build
 * wrote, then opens it with openPostgres.
 */
export function rawPostgres(url: string): HoDb {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const on = (c: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params: unknown[] = []) =>
      (await c.query(sql, params)).rows as T[],
  });
  return {
    kind: 'postgres',
    ...on(pool),
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn(on(c));
        await c.query('COMMIT');
        return out;
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}
