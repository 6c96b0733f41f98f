// 0013_household_counter_edits: an upgraded ledger protects the edits made since its last
// households file (an import by an older build overwrote the ones before it), the latest edit of
// each field; a new ledger starts empty; only the five master fields are kept.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { importFinished } from '../../../src-main/features/import/master-import';
import { tempFolders } from '../../support/temp-files';
import { openTestTerminal, type TestTerminal } from '../../support/terminal';

const { file } = tempFolders();
const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'household_counter_edits');
const SUP = { supervisorCode: '9001', supervisorPin: '888888' };

const edits = (db: Database.Database) =>
  (
    db
      .prepare('SELECT household_id, field, value FROM household_counter_edits ORDER BY field')
      .all() as { household_id: string; field: string; value: string }[]
  ).map((e) => [e.household_id, e.field, JSON.parse(e.value) as unknown]);

async function importOneHousehold(t: TestTerminal, session: string) {
  const importId = randomUUID();
  const csv =
    'account_no,name,community,building,unit,room,area_m2\r\n99000001,新户,和平里,1,1,101,60\r\n';
  await t.must('import.upload', {
    session,
    importId,
    chunkIndex: 0,
    chunkCount: 1,
    dataBase64: Buffer.from(csv).toString('base64'),
  });
  await t.must('import.start', {
    session,
    importId,
    kind: 'households',
    format: 'csv',
    fileName: 'h.csv',
  });
  expect((await importFinished(t.ctx, importId)).state).toBe('done');
}

describe('0013_household_counter_edits', () => {
  it('a new ledger starts empty; only master fields, valid JSON', () => {
    expect(index).toBeGreaterThan(0);
    const db = new Database(file());
    migrate(db, all);
    expect(edits(db)).toEqual([]);
    const h = db.prepare('SELECT id FROM households LIMIT 1').get() as { id: string } | undefined;
    expect(h).toBeUndefined(); // no households yet: the FK alone would refuse a row
    db.close();
  });

  it('upgrading: the edits since the last households file stand, the latest of each field', async () => {
    const ledger = file();
    const t = openTestTerminal(ledger, { households: 10 });
    const clerk = await t.login();
    const sup = await t.login('9001', '888888');
    const [a, b] = (
      t.ctx.db.prepare('SELECT id FROM households ORDER BY num LIMIT 2').all() as { id: string }[]
    ).map((r) => r.id);
    const update = (householdId: string, change: Record<string, unknown>) =>
      t.must('household.update', {
        session: clerk,
        householdId,
        reason: '更新',
        ...change,
        ...SUP,
      });
    await update(a!, { phone: '13100000001' }); // before the file: an old build's import overwrote it
    await importOneHousehold(t, sup);
    await update(a!, { name: '甲一' });
    await update(a!, { name: '甲二', occupation: '教师' }); // personal fields are not master data
    await update(b!, { areaHundredths: 12_345, subsidised: true });
    t.close();

    // The same ledger as a build before 0013 left it.
    const raw = new Database(ledger);
    raw.exec('DROP TABLE household_counter_edits');
    raw.pragma(`user_version = ${index}`);
    migrate(raw, all.slice(0, index + 1));
    expect(schemaVersion(raw)).toBe(all[index]!.version);
    expect(edits(raw)).toEqual([
      [b, 'areaHundredths', 12_345],
      [a, 'name', '甲二'],
      [b, 'subsidised', true],
    ]);
    expect(() =>
      raw
        .prepare(
          "INSERT INTO household_counter_edits VALUES (?, 'occupation', '\"x\"', 1, '2026-01-01')",
        )
        .run(a),
    ).toThrow(/CHECK/);
    raw.close();
  });
});
