// 0018_closed_day_guard: the ledger itself refuses a shift, receipt or cash movement on a business
// day closed by Z, whoever appends it (here the ledger API, past the services' DAY_CLOSED check);
// a ledger upgraded with such events already in it still verifies.
import { describe, expect, it } from 'vitest';
import { openTerminal } from '../../../src-main/app/open-terminal';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations } from '../../../src-main/ledger/migrate';
import { appendEvent } from '../../../src-main/ledger/event-log';
import { uuidv7 } from '../../../src-main/ledger/ids';
import { writeTransaction } from '../../../src-main/ledger/transaction';
import { tempFolders } from '../../support/temp-files';
import {
  asTestTerminal,
  closeShiftExactly,
  householdsOwing,
  openTestTerminal,
  payCash,
  type TestTerminal,
} from '../../support/terminal';

const { file } = tempFolders();
const migration = loadMigrations(DEFAULT_MIGRATIONS_DIR).find((m) => m.name === 'closed_day_guard');
const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };
const clock = () => new Date('2026-11-20T02:00:00.000Z');

/** A day with one receipt, closed by Z1; returns the clerk's id. */
async function closedDay(t: TestTerminal): Promise<string> {
  const session = await t.login();
  const shift = await t.must('shift.open', { session, openingFloatFen: 0 });
  await payCash(t, session, householdsOwing(t, 1_000, 1)[0]!, 1_000);
  await closeShiftExactly(t, session);
  await t.must('day.close', { session, ...SUPERVISOR });
  return shift.clerkId;
}

/** Opens a shift on today's date through the ledger API, without the services' check. */
function openShiftInLedger(t: TestTerminal, clerkId: string) {
  return writeTransaction(t.ctx, (append) =>
    appendEvent(
      append,
      'shift.opened',
      { shiftId: uuidv7(append.now.getTime()), clerkId, openingFloatFen: 0 },
      clerkId,
    ),
  );
}

describe('0018_closed_day_guard', () => {
  it('refuses a shift opened on a closed day even past the services; other days are untouched', async () => {
    const t = openTestTerminal(file(), { households: 20, clock });
    const clerkId = await closedDay(t);
    expect(() => openShiftInLedger(t, clerkId)).toThrow(/DAY_CLOSED/);
    // The next business day is not closed: the same append goes through.
    const tomorrow = openTerminal({
      dbFile: t.dbFile,
      timeZone: 'Asia/Shanghai',
      clock: () => new Date('2026-11-21T02:00:00.000Z'),
    });
    t.close();
    const next = asTestTerminal(tomorrow, t.dbFile);
    expect(openShiftInLedger(next, clerkId).businessDate).toBe('2026-11-21');
    next.close();
  });

  it('upgrading a ledger that already holds a shift after its Z: it verifies, new ones are refused', async () => {
    const path = file();
    const t = openTestTerminal(path, { households: 20, clock });
    const clerkId = await closedDay(t);
    // What the build before 0018 let through, then 0018 itself applied to that ledger.
    t.ctx.db.exec('DROP TRIGGER events_closed_day');
    openShiftInLedger(t, clerkId);
    t.ctx.db.exec(migration!.sql);
    t.close();
    const again = asTestTerminal(
      openTerminal({ dbFile: path, timeZone: 'Asia/Shanghai', clock }),
      path,
    );
    const session = await again.login();
    expect(await again.must('ledger.verify', { session })).toMatchObject({ ok: true });
    expect(() => openShiftInLedger(again, clerkId)).toThrow(/DAY_CLOSED/);
    again.close();
  });
});
