// Head office's migrations on embedded PostgreSQL (PGlite): the same plan as the ledger's (shared
// core), all pending files in one transaction, a database from a newer build refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NewerSchemaError, type Migration } from '@heating-cashier/core/migrations';
import { loadMigrations, migrate, openPglite, type HoDb } from '../../../head-office/src/db';

// One database for the file (opening PGlite takes seconds); each test leaves it migrated, at most
// one migration of its own ahead of the build.
let db: HoDb;
beforeAll(async () => {
  db = await openPglite('memory://');
});
afterAll(() => db.close());

const versions = async () =>
  (await db.query<{ version: number }>('SELECT version FROM ho_schema ORDER BY version')).map(
    (r) => r.version,
  );
const tableExists = async (name: string) =>
  (await db.query('SELECT 1 FROM pg_tables WHERE tablename = $1', [name])).length === 1;

describe('head-office migrations', () => {
  const all = loadMigrations();

  it('are numbered 0001.. without gaps; opening applies them all, once', async () => {
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    expect(await versions()).toEqual(all.map((m) => m.version));
    expect(await migrate(db)).toBe(0);
    expect(await versions()).toEqual(all.map((m) => m.version));
  });

  it('applies all pending migrations in one transaction: a failing later file leaves the database as it was', async () => {
    const n = all.length;
    const good: Migration = { version: n + 1, name: 'good', sql: 'CREATE TABLE ok_table (x int);' };
    const broken: Migration = { version: n + 2, name: 'broken', sql: 'THIS IS NOT SQL;' };
    await expect(migrate(db, [...all, good, broken])).rejects.toThrow();
    expect(await tableExists('ok_table')).toBe(false);
    expect(await versions()).toEqual(all.map((m) => m.version));
    expect(await migrate(db, [...all, good])).toBe(1);
    expect(await tableExists('ok_table')).toBe(true);
  });

  it('refuses a database written by a newer build and leaves it untouched', async () => {
    const before = await versions();
    const older = all.slice(0, -1);
    await expect(migrate(db, older)).rejects.toThrowError(NewerSchemaError);
    await expect(migrate(db, older)).rejects.toThrowError(
      /数据库版本 .* 高于本程序支持的版本.*install the newer head-office build/,
    );
    expect(await versions()).toEqual(before);
  });
});
