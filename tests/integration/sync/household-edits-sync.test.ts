import { beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../head-office/src/import';
import { upsertMaster } from '../../../head-office/src/master';
import { householdById } from '../../../src-main/features/households/households.store';
import type { Backend, TestHeadOffice } from '../../support/head-office';
import { syncSuite } from '../../support/sync-suite';
import type { TestTerminal } from '../../support/terminal';

const SUP = { supervisorCode: '9001', supervisorPin: '888888' };

type Wire = Omit<NonNullable<ReturnType<typeof householdById>>, 'isDemo'>;
const yes = (v: boolean) => (v ? '1' : '0');
/** The billing system's households file (CSV) carrying these records. */
function householdsCsv(records: Wire[]): Buffer {
  const head =
    'id,account_no,name,phone,community,building,unit,room,area_m2,category,subsidised,no_heat,blacklisted,legal_action';
  const rows = records.map((h) =>
    [
      h.id,
      h.accountNo,
      h.name,
      h.phone,
      h.community,
      h.building,
      h.unit,
      h.room,
      `${Math.floor(h.areaHundredths / 100)}.${String(h.areaHundredths % 100).padStart(2, '0')}`,
      h.category,
      yes(h.subsidised),
      yes(h.noHeat),
      yes(h.blacklisted),
      yes(h.legalAction),
    ].join(','),
  );
  return Buffer.from([head, ...rows].join('\n'), 'utf8');
}

describe.each<Backend>(['pglite', 'postgres'])(
  'household edits across head office on %s',
  (backend) => {
    const suite = syncSuite(backend, 10);
    let ho: TestHeadOffice;
    beforeAll(() => {
      ho = suite.ho;
    });
    const terminal = () => suite.terminal();
    const sync = (t: TestTerminal) => suite.sync(t);
    const master = async (id: string) =>
      (
        await ho.db.query<{ data: string }>('SELECT data FROM ho_households WHERE id = $1', [id])
      ).map((r) => JSON.parse(r.data) as Record<string, unknown>)[0];
    const householdChanges = async (id: string) =>
      (
        await ho.db.query<{ data: string }>(
          "SELECT data FROM ho_changes WHERE kind = 'household' ORDER BY seq",
        )
      ).filter((r) => (JSON.parse(r.data) as { id: string }).id === id).length;

    it('a phone edit, an owner change and a blacklist flag at counter A reach head office master data and counter B; A keeps them after pulling', async () => {
      const a = terminal();
      const b = terminal();
      await ho.enrol(a, `A-${backend}`);
      await ho.enrol(b, `B-${backend}`);
      const ids = (
        a.ctx.db.prepare('SELECT id FROM households ORDER BY id LIMIT 2').all() as { id: string }[]
      ).map((r) => r.id);
      const [hh, unknown] = ids as [string, string];
      // head office knows hh (imported master data), not `unknown`
      const { isDemo: _demo, ...wire } = householdById(a.ctx.db, hh)!;
      await ho.db.tx((q) => upsertMaster(q, [{ kind: 'household', data: wire }]));
      await sync(a);
      await sync(b);
      expect(householdById(b.ctx.db, hh)).toMatchObject({ phone: wire.phone, blacklisted: false });

      const clerk = await a.login();
      await a.must('household.update', {
        session: clerk,
        householdId: hh,
        reason: '更换联系电话',
        phone: '13900001111',
      });
      await a.must('household.update', {
        session: clerk,
        householdId: hh,
        reason: '过户',
        name: '新业主',
        ...SUP,
      });
      await a.must('dunning.flag', {
        session: clerk,
        householdId: hh,
        flag: 'blacklisted',
        value: true,
        reason: '多年拖欠',
        ...SUP,
      });
      await a.must('household.update', {
        session: clerk,
        householdId: unknown,
        reason: '更换联系电话',
        phone: '13900002222',
      });
      const edited = {
        phone: '13900001111',
        name: '新业主',
        blacklisted: true,
        legalAction: false,
      };
      expect(householdById(a.ctx.db, hh)).toMatchObject(edited);
      const changesBefore = await householdChanges(hh);

      await sync(a);
      expect(await master(hh)).toEqual({ ...wire, ...edited });
      expect(await master(unknown)).toBeUndefined(); // stored as an event only
      expect(await householdChanges(unknown)).toBe(0);
      expect(await householdChanges(hh)).toBe(changesBefore + 1); // one change for the whole batch
      const stored = await ho.db.query<{ type: string }>(
        "SELECT type FROM ho_events WHERE terminal_id = $1 AND type LIKE 'household.%' ORDER BY seq",
        [a.ctx.terminal.id],
      );
      expect(stored.map((r) => r.type)).toEqual([
        'household.updated',
        'household.updated',
        'household.flagged',
        'household.updated',
      ]);

      await sync(b);
      expect(householdById(b.ctx.db, hh)).toMatchObject(edited);
      expect(householdById(b.ctx.db, unknown)?.phone).not.toBe('13900002222');

      // A pulls its own edit back: same values, nothing lost, nothing rejected
      await sync(a);
      expect(householdById(a.ctx.db, hh)).toMatchObject(edited);
      expect(householdById(a.ctx.db, unknown)?.phone).toBe('13900002222');
      expect(a.ctx.db.prepare('SELECT count(*) AS n FROM sync_rejects').get()).toEqual({ n: 0 });

      // B clears the flag: head office keeps A's phone and owner, A pulls the cleared flag
      await b.must('dunning.flag', {
        session: await b.login(),
        householdId: hh,
        flag: 'blacklisted',
        value: false,
        reason: '已结清',
        ...SUP,
      });
      await sync(b);
      await sync(a);
      expect(householdById(a.ctx.db, hh)).toMatchObject({ ...edited, blacklisted: false });
      expect(await master(hh)).toMatchObject({ blacklisted: false, phone: '13900001111' });

      // The billing system's next file still has the old phone and owner: the counter's values stay,
      // and the report says which were kept; the flag B cleared equals the file (caught up).
      const stale = await importFile(ho.db, 'households', 'csv', householdsCsv([wire]), 'h.csv');
      expect(stale).toMatchObject({ accepted: true, written: 1, errors: [] });
      expect(stale.notices.map((n) => [n.row, n.column])).toEqual([
        [2, 'name'],
        [2, 'phone'],
      ]);
      expect(stale.notices[1]!.message).toMatch(/kept the counter's edit .*"13900001111"/);
      expect(await master(hh)).toEqual({ ...wire, ...edited, blacklisted: false });
      await sync(b);
      expect(householdById(b.ctx.db, hh)).toMatchObject({ ...edited, blacklisted: false });

      // The file catches up with the phone: that edit is settled, and the file rules it again.
      const caughtUp = await importFile(
        ho.db,
        'households',
        'csv',
        householdsCsv([{ ...wire, phone: '13900001111' }]),
        'h2.csv',
      );
      expect(caughtUp.notices.map((n) => n.column)).toEqual(['name']);
      const moved = await importFile(
        ho.db,
        'households',
        'csv',
        householdsCsv([{ ...wire, phone: '13700003333' }]),
        'h3.csv',
      );
      expect(moved.notices.map((n) => n.column)).toEqual(['name']);
      expect(await master(hh)).toMatchObject({ phone: '13700003333', name: '新业主' });

      // The operator may let the file win on purpose; the report says what was overwritten.
      const forced = await importFile(
        ho.db,
        'households',
        'csv',
        householdsCsv([{ ...wire, phone: '13700003333' }]),
        'h4.csv',
        { overwriteCounterEdits: true },
      );
      expect(forced.notices).toEqual([
        { row: 2, column: 'name', message: expect.stringMatching(/^overwrote the counter's edit/) },
      ]);
      expect(await master(hh)).toMatchObject({ name: wire.name, phone: '13700003333' });
      const again = await importFile(ho.db, 'households', 'csv', householdsCsv([wire]), 'h5.csv');
      expect(again.notices).toEqual([]);
      expect(await master(hh)).toEqual(wire);
      await sync(a);
      expect(householdById(a.ctx.db, hh)).toMatchObject({ name: wire.name, phone: wire.phone });

      // A file with a bad row changes nothing, counter edits included.
      await a.must('household.update', {
        session: clerk,
        householdId: hh,
        reason: '更换联系电话',
        phone: '13900004444',
      });
      await sync(a);
      const refused = await importFile(
        ho.db,
        'households',
        'csv',
        Buffer.concat([householdsCsv([wire]), Buffer.from('\n,,,,,,,,x,,,,,')]),
        'bad.csv',
      );
      expect(refused.accepted).toBe(false);
      expect(refused.notices).toEqual([]);
      expect(await master(hh)).toMatchObject({ phone: '13900004444' });
      expect(
        (await importFile(ho.db, 'households', 'csv', householdsCsv([wire]), 'h6.csv')).notices,
      ).toMatchObject([{ column: 'phone' }]);
    });
  },
);
