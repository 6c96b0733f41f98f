// Head office's 0007_releases: the tables of published counter updates; a version is published once
// per channel, a release names a ledger schema, its files reference it, artifacts are stored once
// by content. (The publishing rules themselves: tests/integration/updates/updates.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type HoDb } from '../../../head-office/src/db';

let db: HoDb;
beforeAll(async () => {
  db = await openPglite('memory://');
});
afterAll(async () => db?.close());

const release = (version: string, schema = 20) =>
  db.query<{ id: number }>(
    `INSERT INTO ho_releases (channel, version, ledger_schema, claim, signature, source_yml)
     VALUES ('latest', $1, $2, '{}', 'sig', 'version: x') RETURNING id`,
    [version, schema],
  );

describe('head-office migration 0007_releases', () => {
  it('is applied on open and holds releases, their files and chunked artifacts', async () => {
    const [v] = await db.query<{ v: number }>('SELECT max(version)::int AS v FROM ho_schema');
    expect(v!.v).toBeGreaterThanOrEqual(7);
    const [r] = await release('1.0.0');
    await db.query(
      `INSERT INTO ho_release_blobs (sha512, chunk_no, bytes) VALUES ('h', 0, '\\x01'), ('h', 1, '\\x02')`,
    );
    await db.query(
      `INSERT INTO ho_release_files (release_id, name, sha512, size) VALUES ($1, 'a.exe', 'h', 2)`,
      [r!.id],
    );
    expect(await db.query('SELECT name FROM ho_release_files')).toEqual([{ name: 'a.exe' }]);
  });

  it('refuses the same version twice on a channel, a schema below 1, a file of no release, a chunk twice', async () => {
    await expect(release('1.0.0')).rejects.toThrow(/unique|duplicate/i);
    await expect(release('1.0.1', 0)).rejects.toThrow(/check/i);
    await expect(
      db.query(
        `INSERT INTO ho_release_files (release_id, name, sha512, size) VALUES (999, 'b.exe', 'h', 1)`,
      ),
    ).rejects.toThrow(/foreign key/i);
    await expect(
      db.query(`INSERT INTO ho_release_blobs (sha512, chunk_no, bytes) VALUES ('h', 0, '\\x03')`),
    ).rejects.toThrow(/unique|duplicate/i);
  });
});
