import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export class LedgerVersionError extends Error {
  constructor(
    readonly dbVersion: number,
    readonly buildVersion: number,
  ) {
    super(
      `数据库版本 ${dbVersion} 高于本程序支持的版本 ${buildVersion}，请升级收费终端程序。` +
        ` / The database is at schema version ${dbVersion}, newer than this build supports (${buildVersion}); install the newer terminal build.`,
    );
    this.name = 'LedgerVersionError';
  }
}

export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE_PATTERN.exec(file);
      if (!m) throw new Error(`migration file name must be NNNN_slug.sql: ${file}`);
      return { version: Number(m[1]), name: m[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(
        `migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`,
      );
  });
  return migrations;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration in ONE transaction; refuses a database from a newer build. */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
): { from: number; to: number } {
  const from = schemaVersion(db);
  const latest = migrations.length;
  if (from > latest) throw new LedgerVersionError(from, latest);
  if (from === latest) return { from, to: latest };
  // Table rebuilds (create, copy, drop, rename) need foreign-key enforcement off: dropping a parent
  // table would otherwise fail or cascade. The pragma is a no-op inside a transaction, so it is
  // switched around it, and every reference is checked before the migration commits.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  if (enforced) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of migrations.slice(from)) db.exec(m.sql);
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length > 0) {
        const first = broken[0]!;
        throw new Error(
          `migration left ${broken.length} broken reference(s), first: ${first.table} -> ${first.parent}`,
        );
      }
      db.pragma(`user_version = ${latest}`);
    }).immediate();
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
  return { from, to: latest };
}
