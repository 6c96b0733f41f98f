// The chain head a write transaction reads for its clock check is handed to its first append. That
// hand-off must survive what callers do with the append context: copy it ({ ...append, now }), and
// roll back a savepoint after an append (sync apply does both kinds of thing).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvent, chainHead } from '../../src-main/ledger/event-log';
import { verifyLedger } from '../../src-main/ledger/verify';
import { writeTransaction } from '../../src-main/ledger/transaction';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function terminal(): TestTerminal {
  const d = tempDir();
  const t = openTestTerminal(join(d.dir, 'ledger.db'), { households: 5 });
  cleanups.push(
    () => t.close(),
    () => d.cleanup(),
  );
  return t;
}

const approval = (reason: string) => ({
  approverId: 'C9001',
  action: 'book.issue' as const,
  subjectId: randomUUID(),
  reason,
});

describe('append context', () => {
  it('appends through copies of the context and after a rolled-back savepoint; the chain verifies', () => {
    const t = terminal();
    const before = chainHead(t.ctx.db).seq;
    writeTransaction(t.ctx, (append) => {
      appendEvent(
        { ...append, now: new Date(append.now.getTime() + 1) },
        'approval.given',
        approval('1'),
        null,
      );
      appendEvent({ ...append }, 'approval.given', approval('2'), null);
      expect(() =>
        t.ctx.db.transaction(() => {
          appendEvent(append, 'approval.given', approval('undone'), null);
          throw new Error('undo this savepoint');
        })(),
      ).toThrow('undo this savepoint');
      appendEvent({ ...append }, 'approval.given', approval('3'), null);
    });
    const after = chainHead(t.ctx.db);
    expect(after.seq).toBe(before + 3);
    const reasons = (
      t.ctx.db
        .prepare(
          "SELECT json_extract(payload, '$.reason') AS r FROM events WHERE seq > ? ORDER BY seq",
        )
        .all(before) as { r: string }[]
    ).map((x) => x.r);
    expect(reasons).toEqual(['1', '2', '3']);
    expect(verifyLedger(t.ctx.db, t.ctx.terminal.id)).toMatchObject({ ok: true });
  });

  it('a write transaction that fails before appending leaves nothing behind for the next one', () => {
    const t = terminal();
    expect(() =>
      writeTransaction(t.ctx, () => {
        throw new Error('refused before any event');
      }),
    ).toThrow('refused before any event');
    writeTransaction(t.ctx, (append) => appendEvent(append, 'approval.given', approval('a'), null));
    const now = new Date();
    t.ctx.db.transaction(() =>
      appendEvent(
        { db: t.ctx.db, terminalId: t.ctx.terminal.id, now, businessDate: '2026-11-27' },
        'approval.given',
        approval('b'),
        null,
      ),
    )();
    expect(verifyLedger(t.ctx.db, t.ctx.terminal.id)).toMatchObject({ ok: true });
  });
});
