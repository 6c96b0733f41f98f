// Pulled master data is signed by head office (issue 17, docs/trust.md "Head office" → Master data):
// the terminal checks each change under the head-office key it pinned at enrollment before applying
// it; an altered, unsigned or foreign-signed change goes to sync_rejects with the reason and nothing
// of it is applied. The rows keep head office's signature, so altering them later in the SQLite file
// is caught at use. Real enrollment and pulls over HTTP to a PGlite head office.
import { beforeAll, describe, expect, it } from 'vitest';
import { masterRecordMessage } from '@heating-cashier/core/signing';
import type { MasterChange } from '@heating-cashier/core/contract/sync-wire';
import { importFile } from '../../../head-office/src/import';
import { generateSigningKey, createVerifier } from '../../../src-main/ledger/signing';
import { applyChanges } from '../../../src-main/features/sync/apply';
import { verifyMasterRows } from '../../../src-main/features/sync/master-rows.store';
import { seasonRows, type TestHeadOffice } from '../../support/head-office';
import { syncSuite } from '../../support/sync-suite';

const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');

describe('signed master data pulled from head office (pglite)', () => {
  const suite = syncSuite('pglite', 10);
  let ho: TestHeadOffice;
  beforeAll(() => {
    ho = suite.ho;
  });

  const rejects = (db: { prepare(sql: string): { all(): unknown[] } }) =>
    db.prepare('SELECT kind, reason FROM sync_rejects ORDER BY change_seq').all() as {
      kind: string;
      reason: string;
    }[];

  it('applies what verifies, rejects an altered change, keeps the signature with each row', async () => {
    const t = suite.terminal();
    await ho.enrol(t);
    const ok = async (kind: Parameters<typeof importFile>[1], rows: string[][]) =>
      expect(await importFile(ho.db, kind, 'csv', csv(rows), `${kind}.csv`)).toMatchObject({
        accepted: true,
      });
    await ok('households', [
      ['account_no', 'name', 'community', 'building', 'unit', 'room', 'area_m2', 'category'],
      ['30000001', '周一', '和平里', '1', '1', '101', '80', 'residential'],
      ['30000002', '吴二', '和平里', '1', '1', '102', '80', 'residential'],
    ]);
    await ok('seasons', seasonRows(2028));
    await ok('charges', [
      ['account_no', 'season', 'charge', 'paid_before'],
      ['30000001', '2028-2029', '2000.00', '100.00'],
      ['30000002', '2028-2029', '2000.00', '0'],
    ]);
    await ok('payments', [
      ['reference', 'account_no', 'season', 'amount', 'source', 'paid_at'],
      ['BANK-9', '30000001', '2028-2029', '300.00', 'bank', '2028-11-20'],
    ]);
    await ok('clerks', [
      ['code', 'name', 'role', 'pin'],
      ['1005', '郑五', 'clerk', '135790'],
      ['1006', '王六', 'clerk', '246802'],
    ]);
    // On its way (or in head office's table), one charge is lowered and one clerk gets another
    // clerk's PIN hash; their signatures stay as head office made them.
    await ho.db.query(
      `UPDATE ho_changes SET data = replace(data, '"chargeFen":200000', '"chargeFen":100000')
       WHERE kind = 'charge' AND data LIKE '%H30000002%'`,
    );
    const [c1005] = await ho.db.query<{ data: string }>(
      "SELECT data FROM ho_changes WHERE kind = 'clerk' AND data LIKE '%\"1005\"%'",
    );
    const pin1005 = (JSON.parse(c1005!.data) as { pinHash: string }).pinHash;
    await ho.db.query(
      `UPDATE ho_changes SET data = jsonb_set(data::jsonb, '{pinHash}', to_jsonb($1::text))::text
       WHERE kind = 'clerk' AND data LIKE '%"1006"%'`,
      [pin1005],
    );
    await suite.sync(t);

    const db = t.ctx.db;
    expect(rejects(db)).toEqual([
      {
        kind: 'charge',
        reason: expect.stringMatching(/^bad signature on charge change/),
      },
      { kind: 'clerk', reason: expect.stringMatching(/^bad signature on clerk change/) },
    ]);
    // nothing of the rejected changes was applied
    expect(db.prepare("SELECT 1 FROM charges WHERE household_id = 'H30000002'").get()).toBe(
      undefined,
    );
    expect(db.prepare("SELECT 1 FROM clerks WHERE code = '1006'").get()).toBe(undefined);
    // the rest is there, signed by head office, and verifies
    expect(
      db
        .prepare(
          `SELECT charge_fen, paid_before_fen, paid_elsewhere_fen, signed_by FROM charges
           WHERE household_id = 'H30000001'`,
        )
        .get(),
    ).toEqual({
      charge_fen: 200000,
      paid_before_fen: 10000,
      paid_elsewhere_fen: 40000,
      signed_by: 'head-office',
    });
    const season = db.prepare("SELECT id FROM seasons WHERE code = '2028-2029'").get() as {
      id: string;
    };
    for (const [sql, arg] of [
      ['SELECT signed_by FROM seasons WHERE id = ?', season.id],
      ['SELECT signed_by FROM rates WHERE season_id = ?', season.id],
      ['SELECT signed_by FROM payments_elsewhere WHERE season_id = ?', season.id],
      ['SELECT signed_by FROM clerks WHERE code = ?', '1005'],
    ] as const) {
      const rows = db.prepare(sql).all(arg) as { signed_by: string }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.signed_by))).toEqual(new Set(['head-office']));
    }
    expect(verifyMasterRows(db, createVerifier()).problems).toEqual([]);
    await t.login('1005', '135790');

    // Altering a head-office row in the file afterwards is caught at use and by the full check.
    db.prepare("UPDATE clerks SET role = 'supervisor' WHERE code = '1005'").run();
    const r = await t.call('session.login', { clerkCode: '1005', pin: '135790' });
    expect(!r.ok && r.error).toMatchObject({
      code: 'MASTER_ROW_INVALID',
      details: { table: 'clerks', key: '1005', problem: 'altered' },
    });
    expect(verifyMasterRows(db, createVerifier()).problems).toEqual([
      { table: 'clerks', key: '1005', problem: 'altered' },
    ]);
  });

  it('an unsigned change, or one signed by another key, is rejected whole', async () => {
    const t = suite.terminal();
    await ho.enrol(t);
    const data = {
      id: 'C7001',
      code: '7001',
      name: '冯七',
      role: 'supervisor' as const,
      pinHash: 'scrypt$16384$8$1$c2FsdA==$a2V5',
      active: true,
    };
    const stranger = generateSigningKey().signer;
    const changes = [
      { seq: 1_000_001, kind: 'clerk', data },
      {
        seq: 1_000_002,
        kind: 'clerk',
        data,
        sig: stranger.sign(masterRecordMessage('clerk', data)),
      },
    ] as unknown as MasterChange[];
    expect(applyChanges(t.ctx, changes, 0, new Date().toISOString())).toEqual({
      applied: 0,
      rejected: 2,
    });
    expect(rejects(t.ctx.db)).toEqual([
      { kind: 'clerk', reason: expect.stringMatching(/^unsigned clerk change/) },
      { kind: 'clerk', reason: expect.stringMatching(/^bad signature on clerk change/) },
    ]);
    expect(t.ctx.db.prepare("SELECT 1 FROM clerks WHERE code = '7001'").get()).toBe(undefined);
  });

  it('a terminal that is not enrolled applies no pulled change', () => {
    const t = suite.terminal();
    const key = generateSigningKey().signer;
    const data = { householdId: 'H10000001', seasonId: 'S2025', chargeFen: 1, paidBeforeFen: 0 };
    const change = {
      seq: 1,
      kind: 'charge',
      data,
      sig: key.sign(masterRecordMessage('charge', data)),
    } as MasterChange;
    expect(applyChanges(t.ctx, [change], 1, new Date().toISOString())).toEqual({
      applied: 0,
      rejected: 1,
    });
    expect(rejects(t.ctx.db)[0]!.reason).toMatch(/not enrolled/);
  });
});
