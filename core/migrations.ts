// The numbered schema migrations of both stores, the terminal's SQLite ledger and head office's
// PostgreSQL: which files are migrations, their order, and which of them a store still needs. Each
// side lists its own folder and applies the plan in one transaction (src-main/ledger/migrate.ts,
// head-office/src/db.ts). Pure.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationFile {
  file: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Who must be upgraded when a store is newer than this build, in both languages. */
export interface Program {
  zh: string;
  en: string;
}

/** The store was written by a newer build; this build must not touch it. */
export class NewerSchemaError extends Error {
  constructor(
    readonly dbVersion: number,
    readonly buildVersion: number,
    program: Program,
  ) {
    super(
      `数据库版本 ${dbVersion} 高于本程序支持的版本 ${buildVersion}，请升级${program.zh}。` +
        ` / The database is at schema version ${dbVersion}, newer than this build supports (${buildVersion}); install the newer ${program.en} build.`,
    );
    this.name = 'NewerSchemaError';
  }
}

/** The `.sql` files of a migrations folder as migrations 1..n; refuses other names and gaps. */
export function parseMigrations(files: readonly MigrationFile[]): Migration[] {
  const migrations = files
    .map(({ file, sql }) => {
      const m = FILE_PATTERN.exec(file);
      if (!m) throw new Error(`migration file name must be NNNN_slug.sql: ${file}`);
      return { version: Number(m[1]), name: m[2]!, sql };
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

export interface MigrationPlan {
  from: number;
  to: number;
  pending: readonly Migration[];
}

/**
 * What a store at schema version `current` needs: the migrations after it, in order, to be applied
 * together in one transaction. Refuses a store newer than this build.
 */
export function planMigrations(
  migrations: readonly Migration[],
  current: number,
  program: Program,
): MigrationPlan {
  const latest = migrations.length;
  if (current > latest) throw new NewerSchemaError(current, latest, program);
  return { from: current, to: latest, pending: migrations.slice(current) };
}
