// Head office's 0006_trust: an upgraded database keeps its events and change log; tokens never bound
// to a terminal are dropped; the first start after it makes head office's key and signs every
// older change row so terminals can verify what they pull; the new quarantine kinds and flags.
import { afterAll, describe, expect, it } from 'vitest';
import { masterRecordMessage } from '@heating-cashier/core/signing';
import { loadMigrations, migrate, openPglite, openPostgres } from '../../../head-office/src/db';
import { verifySignature } from '../../../head-office/src/keys';
import { throwawayDatabase } from '../../support/head-office';
import { rawPostgres } from '../../support/head-office-raw';

let drop: (() => Promise<void>) | undefined;
afterAll(async () => drop?.());

const household = {
  id: 'H1',
  accountNo: '10000001',
  name: '张三',
  community: '和平里',
  building: '1',
  unit: '1',
  room: '101',
  areaHundredths: 8850,
  category: 'residential',
};

describe('head-office 0006_trust', () => {
  const all = loadMigrations();
  const index = all.findIndex((m) => m.name === 'trust');

  it('upgrades a database at 0005: drops unbound tokens, keeps the rest, then signs every older change row', async () => {
    expect(index).toBe(5);
    const tdb = await throwawayDatabase();
    drop = tdb.drop;
    const old = rawPostgres(tdb.url);
    await migrate(old, all.slice(0, index));
    await old.query(
      `INSERT INTO ho_terminals (reg_id, name, token_hash, terminal_id) VALUES
         ('r1', '一号', 'aa', 'T1'), ('r2', '未绑定', 'bb', NULL)`,
    );
    // the change log as an older build wrote it: a household without its defaulted fields
    await old.query(
      `INSERT INTO ho_changes (seq, kind, data) VALUES (1, 'household', $1), (2, 'household', '{"id":"broken"}')`,
      [JSON.stringify(household)],
    );
    await old.query("UPDATE ho_counter SET value = 2 WHERE name = 'changes'");
    await old.close();

    const db = await openPostgres(tdb.url, 2);
    try {
      expect(
        await db.query('SELECT reg_id, terminal_id FROM ho_terminals ORDER BY reg_id'),
      ).toEqual([{ reg_id: 'r1', terminal_id: 'T1' }]);
      const [key] = await db.query<{ public_key: string }>('SELECT public_key FROM ho_signing_key');
      expect(key!.public_key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const rows = await db.query<{ seq: number; data: string; sig: string | null }>(
        'SELECT seq, data, sig FROM ho_changes ORDER BY seq',
      );
      // normalised by the household schema (defaults filled) and signed over exactly that
      const data = JSON.parse(rows[0]!.data) as Record<string, unknown>;
      expect(data).toMatchObject({
        ...household,
        phone: '',
        subsidised: false,
        blacklisted: false,
      });
      expect(
        verifySignature(key!.public_key, masterRecordMessage('household', data), rows[0]!.sig!),
      ).toBe(true);
      expect(rows[1]!.sig).toBeNull(); // a row its schema refuses stays unsigned (the terminal refuses it)

      // a second start finds the key and nothing left to sign
      await db.close();
      const again = await openPostgres(tdb.url, 2);
      const [same] = await again.query<{ public_key: string }>(
        'SELECT public_key FROM ho_signing_key',
      );
      expect(same!.public_key).toBe(key!.public_key);
      await again.close();
    } finally {
      await db.close().catch(() => {});
    }
  });

  it('quarantine names the signature kinds and nothing else; one flag per scanned paper', async () => {
    const db = await openPglite('memory://');
    try {
      const ins = (kind: string) =>
        db.query(
          "INSERT INTO ho_quarantine (reg_id, terminal_id, kind, seq, detail, body) VALUES ('r', 'T', $1, 1, 'd', '{}')",
          [kind],
        );
      for (const k of ['bad_signature', 'missing_signature', 'unknown_key', 'conflict', 'gap'])
        await ins(k);
      await expect(ins('made_up')).rejects.toThrow(/check/i);
      const flag = (qr: string | null) =>
        db.query(
          "INSERT INTO ho_flags (kind, terminal_id, seq, receipt_label, detail, qr) VALUES ('paper_forged', 'T', 5, 'A000001', 'd', $1)",
          [qr],
        );
      await flag('HC2.x');
      await expect(flag('HC2.x')).rejects.toThrow(/unique|duplicate/i);
      await expect(
        db.query("INSERT INTO ho_flags (kind, detail) VALUES ('whatever', 'd')"),
      ).rejects.toThrow(/check/i);
      await expect(
        db.query(
          "INSERT INTO ho_enrollment_codes (code_hash, name, expires_at, used_at) VALUES ('h', 'n', now(), now())",
        ),
      ).rejects.toThrow(/check/i); // used_at and used_by_terminal come together
    } finally {
      await db.close();
    }
  });
});
