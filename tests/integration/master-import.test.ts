import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFinished } from '../../src-main/features/import/master-import';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let clerk: string;
let supervisor: string;

beforeAll(async () => {
  dir = tempDir('cashier-import-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 20 });
  clerk = await t.login();
  supervisor = await t.login('9001', '888888');
});
afterAll(() => {
  t.close();
  dir.cleanup();
});

const CHUNK = 300_000;

/** Uploads `bytes` in chunks through the command table, starts the import, waits for the end. */
async function importBytes(
  bytes: Buffer,
  kind: 'households' | 'charges',
  format: 'csv' | 'xlsx',
  session = supervisor,
  overwriteCounterEdits = false,
) {
  const importId = randomUUID();
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK));
  for (let i = 0; i < chunks; i++) {
    await t.must('import.upload', {
      session,
      importId,
      chunkIndex: i,
      chunkCount: chunks,
      dataBase64: bytes.subarray(i * CHUNK, (i + 1) * CHUNK).toString('base64'),
    });
  }
  const started = await t.must('import.start', {
    session,
    importId,
    kind,
    format,
    fileName: `f.${format}`,
    ...(overwriteCounterEdits ? { overwriteCounterEdits } : {}),
  });
  expect(['reading', 'validating', 'writing', 'done', 'rejected']).toContain(started.state);
  await importFinished(t.ctx, importId);
  return t.must('import.progress', { session, importId });
}

const csv = (rows: string[][]) =>
  Buffer.from(
    `\uFEFF${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n')}\r\n`,
  );

async function xlsx(rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('户');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function fingerprint() {
  return JSON.stringify([
    t.ctx.db.prepare('SELECT * FROM households ORDER BY num').all(),
    t.ctx.db.prepare('SELECT * FROM charges ORDER BY household_id, season_id').all(),
    t.ctx.db.prepare('SELECT count(*) AS n FROM events').get(),
  ]);
}

const HEADER = [
  'account_no',
  'name',
  'phone',
  'community',
  'building',
  'unit',
  'room',
  'area_m2',
  'category',
];

describe('household / charge import at the counter', () => {
  it('imports a good CSV (Chinese headers too) in one transaction; new households are searchable', async () => {
    const before = (t.ctx.db.prepare('SELECT count(*) AS n FROM households').get() as { n: number })
      .n;
    const report = await importBytes(
      csv([
        ['户号', '户名', '电话', '小区', '楼', '单元', '室', '面积', '类别'],
        ['88000001', '司马光', '13912345678', '新华里', '7', '1', '101', '92.50', '居民'],
        ['88000002', '欧阳修, 字永叔', '', '新华里', '7', '1', '102', '1,001.5', 'commercial'],
      ]),
      'households',
      'csv',
    );
    expect(report).toMatchObject({ state: 'done', rowsRead: 2, rowsWritten: 2, errors: [] });
    const after = (t.ctx.db.prepare('SELECT count(*) AS n FROM households').get() as { n: number })
      .n;
    expect(after).toBe(before + 2);
    const found = await t.must('household.search', { session: clerk, query: '司马光' });
    expect(found.results[0]).toMatchObject({ accountNo: '88000001', areaHundredths: 9250 });
    const second = await t.must('household.search', { session: clerk, query: '88000002' });
    expect(second.results[0]).toMatchObject({
      name: '欧阳修, 字永叔',
      areaHundredths: 100150,
      category: 'commercial',
    });
    const event = t.ctx.db
      .prepare("SELECT payload FROM events WHERE type = 'master.imported'")
      .get() as {
      payload: string;
    };
    expect(JSON.parse(event.payload)).toMatchObject({ kind: 'households', rows: 2 });
  });

  it('a file with bad rows imports nothing and lists every bad row with the reason', async () => {
    const before = fingerprint();
    const bytes = await xlsx([
      HEADER,
      ['88100001', '好人', '', '幸福里', '1', '1', '101', '80', 'residential'],
      ['', '无户号', '', '幸福里', '1', '1', '102', '80', 'residential'],
      ['88100003', '面积错', '', '幸福里', '1', '1', '103', '八十', 'residential'],
      ['88100004', '类别错', '', '幸福里', '1', '1', '104', '80', 'villa'],
      ['88100001', '重复', '', '幸福里', '1', '1', '105', '80', 'residential'],
      ['88100006', '电话错', 'call me', '幸福里', '1', '1', '106', '80', ''],
      ['88100007', '', '', '幸福里', '1', '1', '107', '0', ''],
      ['88100008', '好人二', '', '幸福里', '1', '1', '108', '75.5', 'public'],
    ]);
    const report = await importBytes(bytes, 'households', 'xlsx');
    expect(report.state).toBe('rejected');
    expect(report.rowsWritten).toBe(0);
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'account_no'],
      [4, 'area_m2'],
      [5, 'category'],
      [6, 'account_no'],
      [7, 'phone'],
      [8, 'name'],
      [8, 'area_m2'],
    ]);
    expect(report.errors[3]!.message).toContain('duplicate of line 2');
    expect(report.errorCount).toBe(7);
    expect(fingerprint()).toBe(before);
    const none = await t.must('household.search', { session: clerk, query: '88100008' });
    expect(none.results).toEqual([]);
  });

  it('imports charges for known households and seasons; bad ones reject the whole file', async () => {
    const season = (
      t.ctx.db.prepare('SELECT code FROM seasons ORDER BY code DESC LIMIT 1').get() as {
        code: string;
      }
    ).code;
    const before = fingerprint();
    const bad = await importBytes(
      csv([
        ['account_no', 'season', 'charge', 'paid_before'],
        ['88000001', season, '2,035.00', '35'],
        ['99999999', season, '100', ''],
        ['88000001', '1999-2000', '100', ''],
        ['88000002', season, 'abc', ''],
        ['88000002', season, '100', '200'],
      ]),
      'charges',
      'csv',
    );
    expect(bad.state).toBe('rejected');
    expect(bad.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'account_no'],
      [4, 'season'],
      [5, 'charge'],
      [6, 'season'],
      [6, 'paid_before'],
    ]);
    expect(fingerprint()).toBe(before);
    const good = await importBytes(
      csv([
        ['account_no', 'season', 'charge', 'paid_before'],
        ['88000001', season, '2,035.00', '35'],
      ]),
      'charges',
      'csv',
    );
    expect(good.state).toBe('done');
    const acct = await t.must('household.account', { session: clerk, householdId: 'H88000001' });
    expect(acct.owedFen).toBe(200_000);
  });

  it('missing columns, empty files, garbage and wrong formats are reported, not thrown', async () => {
    const before = fingerprint();
    const noCols = await importBytes(
      csv([
        ['account_no', 'name'],
        ['1', 'x'],
      ]),
      'households',
      'csv',
    );
    expect(noCols.state).toBe('rejected');
    expect(noCols.errors.map((e) => e.column)).toEqual([
      'community',
      'building',
      'unit',
      'room',
      'area_m2',
    ]);
    const empty = await importBytes(csv([HEADER]), 'households', 'csv');
    expect(empty.errors[0]!.message).toContain('no data rows');
    const garbage = await importBytes(Buffer.from('PK\u0003\u0004garbage'), 'households', 'xlsx');
    expect(garbage.state).toBe('rejected');
    expect(garbage.errors[0]!.message).toContain('xlsx');
    const notXlsx = await importBytes(csv([HEADER]), 'households', 'xlsx');
    expect(notXlsx.errors[0]!.message).toContain('not an .xlsx');
    const latin1 = await importBytes(Buffer.from([0x61, 0xff, 0xfe, 0x0a]), 'households', 'csv');
    expect(latin1.errors[0]!.message).toContain('UTF-8');
    const good = ['88000101', '张三', '', '新华里', '7', '1', '101', '92.50', '居民'].join(',');
    const unclosed = await importBytes(
      Buffer.from(`${HEADER.join(',')}\n${good}\n88000102,"张四,,新华里,7,1,102,80,居民\n`),
      'households',
      'csv',
    );
    expect(unclosed.state).toBe('rejected');
    expect(unclosed.errors).toEqual([
      {
        row: 0,
        column: null,
        message: expect.stringContaining(
          'not a well-formed CSV, row 3: a quoted field is never closed',
        ),
      },
    ]);
    const cut = await xlsx([HEADER, good.split(',')]);
    const truncated = await importBytes(cut.subarray(0, cut.length >> 1), 'households', 'xlsx');
    expect(truncated.errors[0]!.message).toMatch(/^unreadable \.xlsx \(damaged or cut short\?\)/);
    expect(fingerprint()).toBe(before);
  });

  it('only a supervisor session imports; unknown ids and incomplete uploads are refused', async () => {
    const r = await t.call('import.upload', {
      session: clerk,
      importId: randomUUID(),
      chunkIndex: 0,
      chunkCount: 1,
      dataBase64: '',
    });
    expect(!r.ok && r.error.code).toBe('SUPERVISOR_SESSION_REQUIRED');
    const unknown = await t.call('import.start', {
      session: supervisor,
      importId: randomUUID(),
      kind: 'households',
      format: 'csv',
      fileName: 'x.csv',
    });
    expect(!unknown.ok && unknown.error.code).toBe('IMPORT_NOT_FOUND');
    const importId = randomUUID();
    await t.must('import.upload', {
      session: supervisor,
      importId,
      chunkIndex: 1,
      chunkCount: 2,
      dataBase64: 'QQ==',
    });
    const partial = await t.call('import.start', {
      session: supervisor,
      importId,
      kind: 'households',
      format: 'csv',
      fileName: 'x.csv',
    });
    expect(!partial.ok && partial.error.code).toBe('IMPORT_CHUNK_INVALID');
    const wrongCount = await t.call('import.upload', {
      session: supervisor,
      importId,
      chunkIndex: 0,
      chunkCount: 3,
      dataBase64: 'QQ==',
    });
    expect(!wrongCount.ok && wrongCount.error.code).toBe('IMPORT_CHUNK_INVALID');
  });

  it('refuses files above 50 MiB while uploading', async () => {
    const importId = randomUUID();
    const chunk = Buffer.alloc(520_000, 0x41).toString('base64');
    let last: Awaited<ReturnType<typeof t.call<'import.upload'>>> | null = null;
    for (let i = 0; i < 110; i++) {
      last = await t.call('import.upload', {
        session: supervisor,
        importId,
        chunkIndex: i,
        chunkCount: 120,
        dataBase64: chunk,
      });
      if (!last.ok) break;
    }
    expect(last && !last.ok && last.error.code).toBe('IMPORT_TOO_LARGE');
  });
});

describe("a households file and this counter's own edits (migration 0013)", () => {
  const SUP = { supervisorCode: '9001', supervisorPin: '888888' };
  const row = (accountNo: string) =>
    t.ctx.db
      .prepare(
        'SELECT id, name, phone, area_hundredths AS area, category, subsidised FROM households WHERE account_no = ?',
      )
      .get(accountNo) as {
      id: string;
      name: string;
      phone: string;
      area: number;
      category: string;
      subsidised: number;
    };
  const edits = (householdId: string) =>
    (
      t.ctx.db
        .prepare(
          'SELECT field, value FROM household_counter_edits WHERE household_id = ? ORDER BY field',
        )
        .all(householdId) as { field: string; value: string }[]
    ).map((e) => [e.field, JSON.parse(e.value) as unknown]);
  const billingFile = (name: string, phone: string, area: string) =>
    csv([
      [...HEADER, 'subsidised'],
      ['88500001', name, phone, '和平里', '3', '2', '501', area, 'residential', '否'],
    ]);

  it('a stale file keeps the edits and reports them; a file with the same value settles one; overwrite lets the file win', async () => {
    expect(
      (await importBytes(billingFile('张老户', '13900000001', '80.00'), 'households', 'csv')).state,
    ).toBe('done');
    const h = row('88500001');
    await t.must('household.update', {
      session: clerk,
      householdId: h.id,
      phone: '13700000002',
      reason: '户主来电更新',
    });
    await t.must('household.update', {
      session: clerk,
      householdId: h.id,
      name: '李新户',
      areaHundredths: 8_550,
      reason: '过户并实测面积',
      ...SUP,
    });
    expect(edits(h.id)).toEqual([
      ['areaHundredths', 8_550],
      ['name', '李新户'],
      ['phone', '13700000002'],
    ]);

    // the billing system has not caught up: the counter's values stay, each difference is reported
    const stale = await importBytes(
      billingFile('张老户', '13900000001', '80.00'),
      'households',
      'csv',
    );
    expect(stale).toMatchObject({ state: 'done', rowsWritten: 1, errors: [], noticeCount: 3 });
    expect(stale.notices.map((n) => [n.row, n.column])).toEqual([
      [2, 'area_m2'],
      [2, 'name'],
      [2, 'phone'],
    ]);
    expect(stale.notices[1]!.message).toMatch(/改为 "李新户"，文件为 "张老户"：保留柜台的修改/);
    expect(stale.notices[0]!.message).toMatch(/85\.50 m²/);
    expect(row('88500001')).toMatchObject({ name: '李新户', phone: '13700000002', area: 8_550 });
    expect(edits(h.id)).toHaveLength(3);

    // the file caught up on the phone: that edit is settled, the file rules the phone again
    const caughtUp = await importBytes(
      billingFile('张老户', '13700000002', '80.00'),
      'households',
      'csv',
    );
    expect(caughtUp.noticeCount).toBe(2);
    expect(edits(h.id).map(([f]) => f)).toEqual(['areaHundredths', 'name']);
    const event = t.ctx.db
      .prepare(
        "SELECT payload FROM events WHERE type = 'master.imported' ORDER BY seq DESC LIMIT 1",
      )
      .get() as { payload: string };
    expect(JSON.parse(event.payload).settledEdits).toEqual([{ householdId: h.id, field: 'phone' }]);
    const later = await importBytes(
      billingFile('张老户', '13600000003', '80.00'),
      'households',
      'csv',
    );
    expect(later.notices.map((n) => n.column)).toEqual(['area_m2', 'name']);
    expect(row('88500001').phone).toBe('13600000003');

    // told to overwrite: the file's values win, the report says what it overwrote
    const forced = await importBytes(
      billingFile('张老户', '13600000003', '80.00'),
      'households',
      'csv',
      supervisor,
      true,
    );
    expect(forced.overwriteCounterEdits).toBe(true);
    expect(stale.overwriteCounterEdits).toBe(false);
    expect(forced.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/已按文件覆盖/),
      expect.stringMatching(/已按文件覆盖/),
    ]);
    expect(row('88500001')).toMatchObject({ name: '张老户', area: 8_000 });
    expect(edits(h.id)).toEqual([]);
    // nothing left to protect: the next file is simply applied
    const plain = await importBytes(
      billingFile('王三户', '13600000003', '81.00'),
      'households',
      'csv',
    );
    expect(plain).toMatchObject({ noticeCount: 0, notices: [] });
    expect(row('88500001')).toMatchObject({ name: '王三户', area: 8_100 });
  });

  it('the edits are a projection: rebuilt from the events they are the same', async () => {
    const { projectionSnapshot } = await import('../../src-main/ledger/projector');
    const { rebuildProjections } = await import('../../src-main/ledger/rebuild');
    const h = row('88500001');
    await t.must('household.update', {
      session: clerk,
      householdId: h.id,
      phone: '13500000004',
      reason: '更新',
    });
    const live = projectionSnapshot(t.ctx.db).household_counter_edits;
    expect(live).toHaveLength(1);
    rebuildProjections(t.ctx.db);
    expect(projectionSnapshot(t.ctx.db).household_counter_edits).toEqual(live);
  });
});
