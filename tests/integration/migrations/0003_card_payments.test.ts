import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/ledger/db';
import { tempDir } from '../../support/pty';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
function db() {
  const d = tempDir('mig3-');
  dirs.push(d);
  return openDatabase(join(d.dir, 'l.db'));
}

const insert = `INSERT INTO card_payments (id, request_id, mode, household_id, shift_id, clerk_id, amount_fen,
  state, terminal_receipt_no, trace_no, terminal_id, masked_pan, receipt_id, created_at, updated_at)
  VALUES (@id, @id, @mode, 'H1', 'S1', 'C1', @amount, @state, @rno, @trace, 'T1', @pan, @receipt, 'x', 'x')`;
const row = (o: Record<string, unknown>) => ({
  id: 'i1',
  mode: 'terminal',
  amount: 100,
  state: 'intent',
  rno: null,
  trace: null,
  pan: null,
  receipt: null,
  ...o,
});

describe('migration 0003_card_payments', () => {
  it('creates the write-ahead intent table with its checks', () => {
    const d = db();
    const ins = d.prepare(insert);
    ins.run(row({}));
    expect(() => ins.run(row({ id: 'i2', amount: 0 }))).toThrow(/CHECK/);
    expect(() => ins.run(row({ id: 'i3', state: 'maybe' }))).toThrow(/CHECK/);
    // completed needs a receipt; approved needs terminal data
    expect(() => ins.run(row({ id: 'i4', state: 'completed' }))).toThrow(/CHECK/);
    expect(() => ins.run(row({ id: 'i5', state: 'declined' }))).not.toThrow();
    d.close();
  });

  it('stores at most first 6 / last 4 digits of a PAN', () => {
    const d = db();
    const ins = d.prepare(insert);
    ins.run(row({ id: 'p1', state: 'declined', pan: '622588******1234' }));
    expect(() => ins.run(row({ id: 'p2', state: 'declined', pan: '6225881234561234' }))).toThrow(
      /CHECK/,
    );
    expect(() => ins.run(row({ id: 'p3', state: 'declined', pan: '62258812345*1234' }))).toThrow(
      /CHECK/,
    );
    d.close();
  });

  it('allows one unresolved terminal intent at a time, and binds a terminal transaction once', () => {
    const d = db();
    const ins = d.prepare(insert);
    ins.run(row({ id: 'a' }));
    expect(() => ins.run(row({ id: 'b' }))).toThrow(/UNIQUE/);
    ins.run(row({ id: 'm', mode: 'manual', state: 'approved' }));
    d.prepare("UPDATE card_payments SET state = 'failed' WHERE id = 'a'").run();
    ins.run(row({ id: 'c', state: 'approved', rno: '0001', trace: '000001' }));
    expect(() =>
      ins.run(row({ id: 'd', state: 'reversed', rno: '0001', trace: '000001' })),
    ).toThrow(/UNIQUE/);
    d.close();
  });
});
