// The migration plan shared by the terminal's SQLite ledger and head office's PostgreSQL.
import { describe, expect, it } from 'vitest';
import {
  NewerSchemaError,
  parseMigrations,
  planMigrations,
} from '@heating-cashier/core/migrations';

const PROGRAM = { zh: '测试程序', en: 'test' };
const file = (name: string) => ({ file: name, sql: `-- ${name}` });

describe('parseMigrations', () => {
  it('orders NNNN_slug.sql files by number, whatever order the folder lists them in', () => {
    const m = parseMigrations([file('0002_b.sql'), file('0003_c_d.sql'), file('0001_a.sql')]);
    expect(m).toEqual([
      { version: 1, name: 'a', sql: '-- 0001_a.sql' },
      { version: 2, name: 'b', sql: '-- 0002_b.sql' },
      { version: 3, name: 'c_d', sql: '-- 0003_c_d.sql' },
    ]);
  });

  it('refuses gaps, duplicates and other names', () => {
    expect(() => parseMigrations([file('0001_a.sql'), file('0003_c.sql')])).toThrow(
      /without gaps; found 3 at position 2/,
    );
    expect(() => parseMigrations([file('0001_a.sql'), file('0001_b.sql')])).toThrow(/without gaps/);
    expect(() => parseMigrations([file('0002_b.sql')])).toThrow(/without gaps/);
    for (const bad of ['1_a.sql', '0001-a.sql', '0001_A.sql', '0001_.sql', 'two.sql']) {
      expect(() => parseMigrations([file(bad)]), bad).toThrow(/NNNN_slug\.sql/);
    }
    expect(parseMigrations([])).toEqual([]);
  });
});

describe('planMigrations', () => {
  const all = parseMigrations(['0001_a.sql', '0002_b.sql', '0003_c.sql'].map(file));

  it('answers the migrations after the store’s version, in order', () => {
    expect(planMigrations(all, 0, PROGRAM)).toEqual({ from: 0, to: 3, pending: all });
    expect(planMigrations(all, 1, PROGRAM)).toEqual({ from: 1, to: 3, pending: all.slice(1) });
    expect(planMigrations(all, 3, PROGRAM)).toEqual({ from: 3, to: 3, pending: [] });
  });

  it('refuses a store from a newer build, naming the program to upgrade in both languages', () => {
    let error: unknown;
    try {
      planMigrations(all, 4, PROGRAM);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NewerSchemaError);
    expect(error).toMatchObject({ dbVersion: 4, buildVersion: 3 });
    expect((error as Error).message).toBe(
      '数据库版本 4 高于本程序支持的版本 3，请升级测试程序。 / The database is at schema version 4,' +
        ' newer than this build supports (3); install the newer test build.',
    );
  });
});
