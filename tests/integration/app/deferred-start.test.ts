// What the counter's start leaves for later (issue 20, fast start) still happens: the background
// full verify waits `fullVerifyAfterMs` and then runs to its report (its copy removed after), a stop
// during the wait ends it without a copy, and the heavy packages only some commands need (ExcelJS,
// playwright-core) are loaded on first use and still work then.
import { execFileSync } from 'node:child_process';
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
