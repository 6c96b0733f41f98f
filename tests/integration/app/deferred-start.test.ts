// What the counter's start leaves for later (issue 20, fast start) still happens: the background
// full verify waits `fullVerifyAfterMs` and then runs to its report (its copy removed after), a stop
// during the wait ends it without a copy, and the heavy packages only some commands need (ExcelJS,
// playwright-core) are loaded on first use and still work then.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime } from '../../../src-main/app/runtime';
import { startBackgroundVerify } from '../../../src-main/features/terminal/integrity';
import { docToXlsx } from '../../../src-main/features/reports/documents/xlsx';
import type { Doc } from '../../../src-main/features/reports/documents/model';
import { readXlsxWithExcelJs } from '../../../src-main/features/import/tabular';
import { chromiumPdfRenderer, findChromium } from '../../../src-main/devices/pdf/chromium';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

/** Loaded on first use only: none of them is needed before the login screen or the first search. */
const LAZY = ['exceljs', 'playwright-core', 'serialport', 'receiptline', 'node-thermal-printer'];

let tmp: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeAll(() => {
  tmp = tempDir('deferred-start-');
  t = openTestTerminal(join(tmp.dir, 'ledger.db'), { households: 40 });
});
afterAll(() => {
  t.close();
  tmp.cleanup();
});

describe('the full verify after the start', () => {
  it('waits, then checks the whole ledger and records it; no copy is left', async () => {
    const run = startBackgroundVerify(t.ctx, { startAfterMs: 30 });
    expect(t.ctx.runtime.integrity.state).toBe('ok'); // not begun: nothing copied yet
    expect(existsSync(`${t.dbFile}.verify.tmp`)).toBe(false);
    const report = await run.done;
    expect(report).toMatchObject({ ok: true });
    expect(t.ctx.runtime.integrity.view().fullAt).not.toBeNull();
    expect(existsSync(`${t.dbFile}.verify.tmp`)).toBe(false);
  });

  it('a stop while it waits ends it at once: no report, no copy, the state untouched', async () => {
    const before = t.ctx.runtime.integrity.view();
    const run = startBackgroundVerify(t.ctx, { startAfterMs: 3_600_000 });
    await run.stop();
    expect(await run.done).toBeNull();
    expect(t.ctx.runtime.integrity.view()).toEqual(before);
    expect(existsSync(`${t.dbFile}.verify.tmp`)).toBe(false);
  });

  it('startRuntime (both shells) defers it and it still runs to its report', async () => {
    const runtime = startRuntime(t, {
      dataDir: join(tmp.dir, 'data'),
      workers: false,
      fullVerifyAfterMs: 20,
    });
    try {
      expect(t.ctx.runtime.integrity.state).toBe('ok');
      expect(await runtime.fullVerify).toMatchObject({ ok: true });
    } finally {
      await runtime.stop();
    }
  });
});

describe('packages loaded on first use', () => {
  it("are not loaded by the host's start path (server, runtime, open-terminal, dispatch, PDF adapter)", () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const probe = [
      "import { createRequire } from 'node:module';",
      ...[
        'host/server',
        'app/runtime',
        'app/open-terminal',
        'api/dispatch',
        'devices/pdf/chromium',
      ].map((m) => `await import(${JSON.stringify(join(root, 'src-main', `${m}.ts`))});`),
      'const loaded = Object.keys(createRequire(import.meta.url).cache);',
      `const names = ${JSON.stringify(LAZY.concat('better-sqlite3'))};`,
      'console.log(JSON.stringify(names.filter((p) => loaded.some((f) => f.includes(`/node_modules/${p}/`)))));',
    ].join('\n');
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', probe],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    // better-sqlite3 is loaded (the probe sees CommonJS packages); none of the lazy ones is
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual(['better-sqlite3']);
  }, 60_000);

  it('ExcelJS writes an export, and its streaming reader reads it back', async () => {
    const doc: Doc = {
      fileBase: 'deferred-start',
      company: '供热公司',
      title: '测试',
      meta: [],
      sections: [
        {
          kind: 'table',
          title: '明细',
          columns: [{ label: '户号' }, { label: '金额' }],
          rows: [['10000001', { fen: 12_345 }]],
        },
      ],
    };
    const bytes = Buffer.from(await docToXlsx(doc));
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const table = await readXlsxWithExcelJs(bytes);
    expect(JSON.stringify(table)).toContain('10000001');
  });

  it.runIf(findChromium() !== null)(
    'playwright-core renders a PDF through Chromium',
    async () => {
      const pdf = chromiumPdfRenderer(findChromium()!);
      try {
        const bytes = await pdf.htmlToPdf('<html><body><p>交款单</p></body></html>');
        expect(Buffer.from(bytes).subarray(0, 5).toString()).toBe('%PDF-');
      } finally {
        await pdf.close();
      }
    },
    60_000,
  );
});

describe('the host bundle npm start runs (scripts/build-host.mjs)', () => {
  it('starts on a demo ledger and answers the login screen, a login, a search, a payment and a report (in its bundled ledger worker)', async () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    execFileSync(process.execPath, [join(root, 'scripts', 'build-host.mjs')], { cwd: root });
    const dir = tempDir('host-bundle-');
    const child = spawn(
      process.execPath,
      [
        join(root, 'dist', 'host', 'main.mjs'),
        ...['--db', join(dir.dir, 'ledger.db'), '--port', '0', '--demo'],
      ],
      // no tsx anywhere: the bundle runs on plain Node
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.once('exit', (code) => reject(new Error(`host exited (${code})`)));
        child.stdout.on('data', (d: Buffer) => {
          out += String(d);
          const m = /Terminal running: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) resolve(m[1]!);
        });
      });
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api`);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let id = 0;
      const call = (name: string, input: Record<string, unknown>) =>
        new Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>((resolve) => {
          const mine = ++id;
          const onMessage = (data: WebSocket.RawData) => {
            const m = JSON.parse(String(data)) as { id?: number; result: never };
            if (m.id !== mine) return;
            ws.off('message', onMessage);
            resolve(m.result);
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ id: mine, name, input }));
        });
      try {
        expect((await call('terminal.info', {})).ok).toBe(true);
        expect((await call('setup.status', {})).ok).toBe(true);
        const login = await call('session.login', { clerkCode: '1001', pin: '123456' });
        const session = (login.value as { session: string }).session;
        const found = await call('household.search', { session, query: '1000' });
        const households = (found.value as { results: { id: string; owedFen: number }[] }).results;
        const payer = households.find((h) => h.owedFen > 0)!;
        expect((await call('shift.open', { session, openingFloatFen: 0 })).ok).toBe(true);
        const paid = await call('payment.take', {
          session,
          requestId: randomUUID(),
          householdId: payer.id,
          amountFen: payer.owedFen,
          tenders: [{ kind: 'cash', amountFen: payer.owedFen, tenderedFen: payer.owedFen }],
        });
        expect(paid).toMatchObject({ ok: true, value: { totalFen: payer.owedFen } });
        // a report runs in a ledger worker: the worker entry bundled beside main.mjs
        const day = ((await call('terminal.info', {})).value as { businessDate: string })
          .businessDate;
        const report = await call('report.daily', { session, businessDate: day });
        expect(report).toMatchObject({ ok: true, value: { businessDate: day } });
        const { total } = report.value as { total: { receiptCount: number; collectedFen: number } };
        expect(total.receiptCount).toBeGreaterThanOrEqual(1); // this payment's receipt counts
        expect(total.collectedFen).toBeGreaterThanOrEqual(payer.owedFen);
      } finally {
        ws.close();
      }
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      dir.cleanup();
    }
  }, 120_000);
});
