// The ledger workers (src-main/app/ledger-workers.ts): the read-only heavy commands, the backup
// copy and the full verify run in worker threads on their own read connections, with the answers
// of the in-process path; the counter's thread answers searches while they run; a worker that dies
// answers WORKER_FAILED (never a hang) and is replaced.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandName } from '@heating-cashier/core/contract/commands';
import { LedgerWorkers } from '../../../src-main/app/ledger-workers';
import { startRuntime } from '../../../src-main/app/runtime';
import { OFF_THREAD_COMMANDS } from '../../../src-main/api/off-thread';
import { startBackgroundVerify } from '../../../src-main/features/terminal/integrity';
import type { ChainReport } from '../../../src-main/ledger/verify';
import { importFinished } from '../../../src-main/features/import/master-import';
import { readTabular } from '../../../src-main/features/import/tabular';
import { TabularError } from '@heating-cashier/core/tabular';
import { SyncWorker } from '../../../src-main/features/sync/worker';
import { syncState, updateSyncState } from '../../../src-main/features/sync/sync-state.store';
import { chainHead } from '../../../src-main/ledger/event-log';
import { startHeadOffice } from '../../support/head-office';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

let tmp: ReturnType<typeof tempDir>;
let t: TestTerminal;
let workers: LedgerWorkers;
let session: string;
let today: string;
let household: string;

beforeAll(async () => {
  tmp = tempDir('ledger-workers-');
  t = openTestTerminal(join(tmp.dir, 'ledger.db'), { households: 300 });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  const owing = householdsOwing(t, 20_000, 8);
  household = owing[0]!;
  const tenders = [
    { kind: 'cash', amountFen: 5000, tenderedFen: 10000 },
    { kind: 'cheque', amountFen: 7000, chequeNo: 'C1', bank: '工行' },
    {
      kind: 'card',
      amountFen: 3000,
      terminalRef: 'T0001',
      authCode: '123456',
      maskedPan: '6222****1234',
    },
    { kind: 'qr', amountFen: 2000, channel: 'wechat', reference: 'WX20261126' },
  ];
  for (const [i, id] of owing.entries()) {
    const tender = tenders[i % tenders.length]!;
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: tender.amountFen,
      tenders: [tender],
    });
  }
  await t.must('dunning.contact', {
    session,
    householdId: owing[7]!,
    channel: 'phone',
    outcome: 'promised',
    note: '下周来交',
  });
  today = (await t.must('terminal.info', {})).businessDate;
  workers = new LedgerWorkers(t.ctx, { size: 2 });
});

afterAll(async () => {
  t.ctx.runtime.offload = null;
  await workers?.stop();
  t?.close();
  tmp?.cleanup();
});

/** Runs one command in-process and through the workers; the same ledger state for both. */
async function inProcessAndWorker(name: CommandName, input: Record<string, unknown>) {
  t.ctx.runtime.offload = null;
  const local = await t.call(name, input);
  t.ctx.runtime.offload = workers;
  try {
    const worker = await t.call(name, input);
    return { local, worker };
  } finally {
    t.ctx.runtime.offload = null;
  }
}

/** An Excel file's cells (the zip's entry times and the workbook's creation time differ per run). */
async function cells(base64: string): Promise<unknown[][][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push(JSON.parse(JSON.stringify(row.values)) as unknown[]));
    return rows;
  });
}

/** What may differ between two runs: the time a list took, an Excel file's zip metadata. */
async function comparable(result: unknown): Promise<unknown> {
  const copy = JSON.parse(JSON.stringify(result), (key, value: unknown) =>
    key === 'elapsedMs' ? 0 : value,
  ) as { ok: boolean; value?: Record<string, unknown> };
  const v = copy.value;
  if (v && typeof v.contentBase64 === 'string') v.contentBase64 = await cells(v.contentBase64);
  if (v && typeof v.base64 === 'string' && String(v.mime).includes('spreadsheet'))
    v.base64 = await cells(v.base64);
  return copy;
}

describe('ledger workers', () => {
  it('every off-thread command answers in a worker exactly as in-process (read-only connection)', async () => {
    const month = today.slice(0, 7);
    const calls: [CommandName, Record<string, unknown>][] = [
      ['report.daily', { session, businessDate: today }],
      ['report.monthly', { session, month }],
      ['report.collector', { session, from: today, to: today }],
      ['report.subsidy', { session }],
      ['report.relief', { session, from: today, to: today }],
      ['dunning.list', { session, limit: 50 }],
      ['dunning.list', { session, limit: 20, offset: 10, minOwedFen: 10_000 }],
      ['dunning.export', { session }],
      ['service.export', { session, householdId: household }],
      ['card.report', { session, businessDate: today }],
      ['report.export', { session, report: 'daily', businessDate: today, format: 'xlsx' }],
      ['report.export', { session, report: 'monthly', month, format: 'html' }],
    ];
    // Every command of the list is exercised here.
    expect(new Set(calls.map(([name]) => name))).toEqual(new Set(OFF_THREAD_COMMANDS));
    for (const [name, input] of calls) {
      const { local, worker } = await inProcessAndWorker(name, input);
      expect(local.ok, `${name} in-process: ${JSON.stringify(local).slice(0, 300)}`).toBe(true);
      expect(await comparable(worker), name).toEqual(await comparable(local));
    }
    // Refusals are the same too: contract validation and the session check run in the worker.
    for (const input of [
      { session: 'no-such-session', businessDate: today },
      { session, businessDate: 'yesterday' },
    ]) {
      const { local, worker } = await inProcessAndWorker('report.daily', input);
      expect(local.ok).toBe(false);
      expect(worker).toEqual(local);
    }
  });

  it('runs a report on another thread: the counter answers searches before the report returns', async () => {
    t.ctx.runtime.offload = workers;
    try {
      const order: string[] = [];
      const started = once(workers.events, 'started');
      const report = t.call('report.monthly', { session, month: today.slice(0, 7) }).then((r) => {
        order.push('report');
        return r;
      });
      const [, label, threadId] = (await started) as [number, string, number];
      expect(label).toBe('report.monthly');
      expect(workers.threadIds()).toContain(threadId);
      // The report is running in the worker now; the main thread answers the counter meanwhile.
      for (let i = 0; i < 5; i++) {
        const found = await t.must('household.search', { session, query: '1', limit: 10 });
        expect(found.results.length).toBeGreaterThan(0);
        order.push('search');
      }
      expect((await report).ok).toBe(true);
      expect(order).toEqual(['search', 'search', 'search', 'search', 'search', 'report']);
    } finally {
      t.ctx.runtime.offload = null;
    }
  });

  it('a worker that dies answers WORKER_FAILED at once, is restarted, and the next report works', async () => {
    const single = new LedgerWorkers(t.ctx, { size: 1 });
    t.ctx.runtime.offload = single;
    try {
      const first = await t.must('report.daily', { session, businessDate: today });
      const [threadId] = single.threadIds();
      expect(threadId).toBeDefined();
      const restarted = once(single.events, 'spawn');
      const pending = t.call('dunning.export', { session });
      await single.kill(threadId!);
      const failed = await pending;
      expect(failed.ok).toBe(false);
      if (failed.ok) return;
      expect(failed.error.code).toBe('WORKER_FAILED');
      expect(failed.error.message.en).toMatch(/restarted.*retry/i);
      const [newThread] = (await restarted) as [number];
      expect(newThread).not.toBe(threadId);
      expect(await t.must('report.daily', { session, businessDate: today })).toEqual(first);
      expect(single.threadIds()).toEqual([newThread]);
    } finally {
      t.ctx.runtime.offload = null;
      await single.stop();
    }
    // Stopped: no worker left.
    expect(single.threadIds()).toEqual([]);
  });

  it('backup and its check run in the worker and give what the in-process path gives', async () => {
    t.ctx.runtime.backups.configure({ defaultDir: join(tmp.dir, 'backups') });
    const local = await t.must('backup.now', { session });
    const checkLocal = await t.must('backup.verify', { session, file: local.file.name });
    t.ctx.runtime.offload = workers;
    const started: string[] = [];
    const threads = new Map<string, number>();
    const onStarted = (_id: number, label: string, threadId: number) => {
      started.push(label);
      threads.set(label, threadId);
    };
    workers.events.on('started', onStarted);
    try {
      // A report asked for during the backup runs beside it, in another worker (its own lane).
      const [viaWorker, report] = await Promise.all([
        t.must('backup.now', { session }),
        t.must('report.daily', { session, businessDate: today }),
      ]);
      expect(report.businessDate).toBe(today);
      expect(threads.get('report.daily')).not.toBe(threads.get('backup'));
      started.splice(started.indexOf('report.daily'), 1);
      const check = await t.must('backup.verify', { session, file: viaWorker.file.name });
      // (the idle WAL checkpoint may run in a worker meanwhile: the workers are running)
      expect(started.filter((l) => l !== 'wal.checkpoint')).toEqual(['backup', 'backup.inspect']);
      expect(viaWorker.removed).toEqual([local.file.name]); // the day's newest is kept (main's rotation)
      expect(viaWorker.file).toMatchObject({ kind: 'manual', hasChecksum: true });
      expect(viaWorker.file.bytes).toBe(local.file.bytes);
      expect(checkLocal.ok).toBe(true);
      expect({ ...check, file: '' }).toEqual({ ...checkLocal, file: '' });
      // The same file checked in-process gives the worker's answer.
      t.ctx.runtime.offload = null;
      expect(await t.must('backup.verify', { session, file: viaWorker.file.name })).toEqual(check);
    } finally {
      workers.events.off('started', onStarted);
      t.ctx.runtime.offload = null;
    }
  });

  it('the background full verify runs in the worker with the in-process report', async () => {
    const strip = (r: ChainReport | null) =>
      r && { ...r, chainMs: 0, replayMs: 0, ...('stepMs' in r ? { stepMs: 0 } : {}) };
    t.ctx.runtime.offload = null;
    const local = await startBackgroundVerify(t.ctx).done;
    t.ctx.runtime.offload = workers;
    try {
      const started = once(workers.events, 'started');
      const viaWorker = await startBackgroundVerify(t.ctx).done;
      expect(((await started) as [number, string])[1]).toBe('verify');
      expect(viaWorker?.ok).toBe(true);
      expect(strip(viaWorker)).toEqual(strip(local));
      expect(t.ctx.runtime.integrity.view().state).toBe('ok');
    } finally {
      t.ctx.runtime.offload = null;
    }
  });

  it('an import file is read (parsed) in the worker; its rows are written on main', async () => {
    const supervisor = await t.login('9001', '888888');
    const rows = [
      ['account_no', 'name', 'community', 'building', 'unit', 'room', 'area_m2'],
      ['W-0001', '王工人', '工人新村', '1', '1', '101', '80.25'],
      ['W-0002', '李工人', '工人新村', '1', '1', '102', '66.00'],
    ];
    const bytes = Buffer.from(`\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
    const labels: string[] = [];
    const onStarted = (_id: number, label: string) => labels.push(label);
    workers.events.on('started', onStarted);
    t.ctx.runtime.offload = workers;
    try {
      const importId = randomUUID();
      await t.must('import.upload', {
        session: supervisor,
        importId,
        chunkIndex: 0,
        chunkCount: 1,
        dataBase64: bytes.toString('base64'),
      });
      await t.must('import.start', {
        session: supervisor,
        importId,
        kind: 'households',
        format: 'csv',
        fileName: 'w.csv',
      });
      await importFinished(t.ctx, importId);
      const status = await t.must('import.progress', { session: supervisor, importId });
      expect(status.state).toBe('done');
      expect(labels).toEqual(['import.read']);
      expect({ read: status.rowsRead, written: status.rowsWritten }).toEqual({
        read: 2,
        written: 2,
      });
      expect(
        t.ctx.db
          .prepare(
            `SELECT name FROM households WHERE account_no IN ('W-0001', 'W-0002') ORDER BY 1`,
          )
          .all(),
      ).toEqual([{ name: '李工人' }, { name: '王工人' }]);
      // A file that is no table: the same TabularError (the clerk's message) as in-process.
      const notXlsx = Buffer.from('PK\u0003\u0004 not really a workbook');
      const inProcess = await readTabular('xlsx', notXlsx).catch((e: unknown) => e);
      const viaWorker = await workers.readTabular('xlsx', notXlsx).catch((e: unknown) => e);
      expect(inProcess).toBeInstanceOf(TabularError);
      expect(viaWorker).toBeInstanceOf(TabularError);
      expect((viaWorker as Error).message).toBe((inProcess as Error).message);
    } finally {
      workers.events.off('started', onStarted);
      t.ctx.runtime.offload = null;
    }
  });

  it('a sync push reads and serialises its events in the worker: the same bodies head office gets', async () => {
    const ho = await startHeadOffice('pglite');
    try {
      await ho.enrol(t);
      const bodies: string[] = [];
      const recording: typeof fetch = (url, init) => {
        if (String(url).endsWith('/v1/sync/push')) {
          // bytes, not a string: main never scans or re-encodes the batch
          expect(init?.body).toBeInstanceOf(Uint8Array);
          bodies.push(Buffer.from(init!.body as Uint8Array).toString('utf8'));
        }
        return fetch(url, init);
      };
      const labels: string[] = [];
      const onStarted = (_id: number, label: string) => {
        if (label !== 'wal.checkpoint') labels.push(label); // the idle timer's, if one ticks
      };
      workers.events.on('started', onStarted);
      const head = chainHead(t.ctx.db);
      const sync = new SyncWorker(t.ctx, { batchSize: 40, fetch: recording });
      updateSyncState(t.ctx.db, { acked_seq: 0, acked_hash: null });
      t.ctx.runtime.offload = workers;
      try {
        expect(await sync.cycle()).toBe('ok');
      } finally {
        t.ctx.runtime.offload = null;
        workers.events.off('started', onStarted);
      }
      const viaWorker = bodies.splice(0);
      expect(syncState(t.ctx.db).acked_seq).toBe(head.seq);
      expect(labels.length).toBe(viaWorker.length);
      expect(new Set(labels)).toEqual(new Set(['sync.events']));
      expect(viaWorker.length).toBe(Math.ceil(head.seq / 40));
      // In-process, from the start again: head office gets the same bytes (duplicates).
      updateSyncState(t.ctx.db, { acked_seq: 0, acked_hash: null });
      expect(await sync.cycle()).toBe('ok');
      expect(bodies).toEqual(viaWorker);
    } finally {
      await ho.close();
    }
  }, 60_000);

  it('startRuntime (both shells) runs the workers and ends them at stop', async () => {
    const runtime = startRuntime(t, { dataDir: join(tmp.dir, 'data'), fullVerify: false });
    try {
      expect(runtime.workers).not.toBeNull();
      expect(t.ctx.runtime.offload).toBe(runtime.workers);
      // The report's own 'started' (the backup schedule may start a backup of this fresh ledger in
      // the background lane at the same time: a second thread, another label).
      const reportThread = new Promise<number>((resolve) => {
        const onStarted = (_id: number, label: string, threadId: number) => {
          if (!label.includes('report.collector')) return;
          runtime.workers!.events.off('started', onStarted);
          resolve(threadId);
        };
        runtime.workers!.events.on('started', onStarted);
      });
      const r = await t.must('report.collector', { session, from: today, to: today });
      expect(r.from).toBe(today);
      expect(runtime.workers!.threadIds()).toContain(await reportThread);
    } finally {
      await runtime.stop();
    }
    expect(t.ctx.runtime.offload).toBeNull();
    expect(runtime.workers!.threadIds()).toEqual([]);
  });

  it('the WAL checkpoint runs on a worker connection while a worker runs, on main when none does', async () => {
    const fresh = new LedgerWorkers(t.ctx, { size: 1 });
    try {
      // No worker running (an idle counter): none is started for it, the caller checkpoints itself.
      expect(fresh.walCheckpoint()).toBeNull();
      expect(fresh.threadIds()).toEqual([]);
      expect(
        (
          await fresh.dispatch(
            t.ctx,
            'report.collector',
            { session, from: today, to: today },
            'test',
          )
        ).ok,
      ).toBe(true);
      const [payable] = householdsOwing(t, 100, 1);
      await t.must('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: payable!,
        amountFen: 100,
        tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
      });
      const labels: string[] = [];
      const onStarted = (_id: number, label: string) => labels.push(label);
      fresh.events.on('started', onStarted);
      const result = (await fresh.walCheckpoint()) as
        { busy: number; log: number; checkpointed: number }[] | null;
      fresh.events.off('started', onStarted);
      expect(labels).toEqual(['wal.checkpoint']);
      // every frame of the WAL (the payment's included) copied back into the file, from the worker
      expect(result?.[0]?.busy).toBe(0);
      expect(result?.[0]?.log).toBeGreaterThan(0);
      expect(result?.[0]?.checkpointed).toBe(result?.[0]?.log);
      expect(t.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await fresh.stop();
    }
    expect(fresh.walCheckpoint()).toBeNull();
  });

  it('two commands sent to one busy worker both answer (one snapshot each, one after the other)', async () => {
    const one = new LedgerWorkers(t.ctx, { size: 1 });
    try {
      // The export awaits its Excel packing inside its read transaction; the report lands on the
      // same worker meanwhile (the only one) and must not BEGIN inside it.
      const [exported, report] = await Promise.all([
        one.dispatch(t.ctx, 'dunning.export', { session }, 'test'),
        one.dispatch(t.ctx, 'report.monthly', { session, month: today.slice(0, 7) }, 'test'),
      ]);
      expect(exported.ok).toBe(true);
      expect(report.ok).toBe(true);
      expect(one.threadIds()).toHaveLength(1);
    } finally {
      await one.stop();
    }
  });
});
