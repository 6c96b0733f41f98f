import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/ledger/db';
import { verifyLedger } from '../../src-main/ledger/verify';
import { householdsOwing, openTestTerminal, tempDir } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let base: string;
let terminalId: string;
let head: number;
const TARGET = 9; // a receipt in the middle of the chain

beforeAll(async () => {
  dir = tempDir();
  base = join(dir.dir, 'base.db');
  const t = openTestTerminal(base);
  terminalId = t.ctx.terminal.id;
  const session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  for (const id of householdsOwing(t, 500, 12)) {
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 500,
      tenders: [{ kind: 'cash', amountFen: 500, tenderedFen: 500 }],
    });
  }
  const last = (
    t.ctx.db.prepare('SELECT id FROM receipts ORDER BY issued_seq DESC LIMIT 1').get() as {
      id: string;
    }
  ).id;
  await t.must('receipt.reprint', { session, receiptId: last });
  head = (t.ctx.db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number }).s;
  expect(
    (t.ctx.db.prepare('SELECT type FROM events WHERE seq = ?').get(TARGET) as { type: string })
      .type,
  ).toBe('receipt.issued');
  t.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  t.close();
});
afterAll(() => dir.cleanup());

/** A copy of the good ledger, tampered with through a raw connection with the guard triggers dropped. */
function tampered(sql: string, ...params: unknown[]) {
  const file = join(dir.dir, `${randomUUID()}.db`);
  copyFileSync(base, file);
  const raw = new Database(file);
  raw.pragma('foreign_keys = OFF'); // a tamperer is not bound by our constraints
  raw.exec(
    'DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP TRIGGER events_chain_link;',
  );
  raw.prepare(sql).run(...params);
  raw.close();
  const db = openDatabase(file);
  const report = verifyLedger(db, terminalId);
  db.close();
  return report;
}

describe('verify', () => {
  it('passes the untouched ledger', () => {
    const db = openDatabase(base);
    expect(verifyLedger(db, terminalId)).toMatchObject({
      ok: true,
      headSeq: head,
      eventsChecked: head,
    });
    db.close();
  });

  const columnEdits: [string, string][] = [
    ['id', `id = '00000000-0000-7000-8000-000000000000'`],
    ['terminal_id', `terminal_id = 'another-terminal'`],
    ['type', `type = 'approval.given'`],
    ['occurred_at', `occurred_at = '2020-01-01T00:00:00.000Z'`],
    ['business_date', `business_date = '2020-01-01'`],
    ['clerk_id', `clerk_id = 'C1002'`],
    ['payload amount', `payload = replace(payload, '"totalFen":500', '"totalFen":50')`],
    ['payload whitespace only', `payload = replace(payload, ',', ', ')`],
    ['prev_hash', `prev_hash = '${'a'.repeat(64)}'`],
    ['hash', `hash = '${'b'.repeat(64)}'`],
  ];
  it.each(columnEdits)('reports a changed %s at its seq', (_column, set) => {
    const report = tampered(`UPDATE events SET ${set} WHERE seq = ?`, TARGET);
    expect(report).toMatchObject({ ok: false, firstBadSeq: TARGET });
    expect(report.problem).toBeTruthy();
  });

  it('reports a renumbered row as the missing seq', () => {
    expect(tampered('UPDATE events SET seq = 10000 WHERE seq = ?', TARGET)).toMatchObject({
      ok: false,
      firstBadSeq: TARGET,
    });
  });

  it('reports a deleted row in the middle at its seq', () => {
    const report = tampered('DELETE FROM events WHERE seq = ?', TARGET);
    expect(report).toMatchObject({ ok: false, firstBadSeq: TARGET });
    expect(report.problem).toMatch(new RegExp(`seq ${TARGET} is missing`));
  });

  it('reports rows cut off the end of the chain at the first missing seq', () => {
    expect(tampered('DELETE FROM events WHERE seq = ?', head)).toMatchObject({
      ok: false,
      firstBadSeq: head,
    });
    expect(tampered('DELETE FROM events WHERE seq >= ?', TARGET)).toMatchObject({
      ok: false,
      firstBadSeq: TARGET,
    });
  });

  it('reports an inserted row: a copy appended at the end, and one slipped in before seq 1', () => {
    const cols =
      'id, terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash';
    const appended = tampered(
      `INSERT INTO events (seq, ${cols}) SELECT ${head + 1}, 'forged', terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, 'f${'0'.repeat(63)}' FROM events WHERE seq = ?`,
      TARGET,
    );
    expect(appended).toMatchObject({ ok: false, firstBadSeq: head + 1 });
    const before = tampered(
      `INSERT INTO events (seq, ${cols}) SELECT 0, 'forged', terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, 'e${'0'.repeat(63)}' FROM events WHERE seq = ?`,
      TARGET,
    );
    expect(before).toMatchObject({ ok: false, firstBadSeq: 0 });
  });

  it('reports a projection edited behind the log’s back', () => {
    const report = tampered(
      'UPDATE season_payments SET paid_fen = paid_fen + 1 WHERE household_id = (SELECT min(household_id) FROM season_payments)',
    );
    expect(report.ok).toBe(false);
    expect(report.problem).toMatch(/season_payments differs/);
  });
});
