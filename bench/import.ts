// `npm run bench:import`: the counter's Excel import and the arrears list, merged into bench/results.json.
//   terminal_import_100k_s   100,000-row households XLSX: chunked upload through the command table,
//                            streamed read, every row validated, one write transaction (target < 30 s)
//   xlsx_read_100k_fast_s    reading that file alone with the counter's fast reader (xlsx-rows.ts), and
//   xlsx_read_100k_exceljs_s with ExcelJS's streaming reader: the best of two runs each, the tables
//                            checked equal (why the fast reader stays: see xlsx-rows.ts)
//   dunning_list_500k_ms     催缴 list pages (with count and total) on the cached 500k-household ledger,
//                            median over filter combinations; `dunning_list_500k_max_ms` the slowest;
//                            `dunning_list_500k_cold_ms` the first whole-district seasons-overdue list
//                            of the connection (builds the overdue set the later calls reuse until
//                            the database changes)
// The 500k ledger is the season-volume ledger (bench/season-ledger.ts, bench/.cache/season-500000-
// 300000-<key>.db: today's migrations and generator; `npm run bench:season-ledger` or `npm run bench`
// builds it); without it the list figures are skipped.
// The XLSX is generated once into bench/.cache/.
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../src-main/api/dispatch';
import { openTerminal } from '../src-main/app/open-terminal';
import type { CommandName } from '@heating-cashier/core/contract/commands';
import type { ServiceContext } from '../src-main/services/context';
import { importFinished } from '../src-main/features/import/master-import';
import { readXlsxFast, readXlsxWithExcelJs } from '../src-main/features/import/tabular';
import { currentSeasonLedger } from './season-ledger';
import { median, round } from './stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = join(ROOT, 'bench', '.cache');
const RESULTS = join(ROOT, 'bench', 'results.json');
const ROWS = 100_000;
const CHUNK = 512 * 1024;
const log = (m: string) => process.stderr.write(`[bench:import] ${m}\n`);

async function call<T = Record<string, unknown>>(
  ctx: ServiceContext,
  name: CommandName,
  input: unknown,
): Promise<T> {
  const r = await dispatch(ctx, name, input, () => {});
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message.en}`);
  return r.value as T;
}

async function xlsxFile(): Promise<string> {
  const file = join(CACHE_DIR, `households-${ROWS}.xlsx`);
  if (existsSync(file)) return file;
  log(`writing ${ROWS} rows to ${file} (once)…`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('households');
  ws.addRow([
    'account_no',
    'name',
    'phone',
    'community',
    'building',
    'unit',
    'room',
    'area_m2',
    'category',
  ]).commit();
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';
  const communities = [
    '幸福里',
    '阳光花园',
    '新华里',
    '长青园',
    '金色家园',
    '滨河苑',
    '铁路新村',
    '世纪城',
  ];
  for (let i = 0; i < ROWS; i++) {
    const name = `${surnames[i % surnames.length]}${given[(i * 7) % given.length]}${given[(i * 13) % given.length]}`;
    ws.addRow([
      String(60_000_000 + i),
      name,
      `139${String(i).padStart(8, '0')}`,
      communities[i % communities.length],
      String((i % 30) + 1),
      String((i % 6) + 1),
      String(101 + (i % 18) * 100 + (i % 4)),
      `${50 + (i % 100)}.${String(i % 100).padStart(2, '0')}`,
      i % 20 === 0 ? 'commercial' : 'residential',
    ]).commit();
  }
  ws.commit();
  await wb.commit();
  return file;
}

async function benchImport(workDir: string): Promise<number> {
  const file = await xlsxFile();
  const bytes = readFileSync(file);
  log(`${file}: ${(bytes.length / 2 ** 20).toFixed(1)} MiB`);
  const t = openTerminal({
    dbFile: join(workDir, 'import.db'),
    demoIfEmpty: true,
    demoHouseholds: 20,
  });
  try {
    const { session } = await call<{ session: string }>(t.ctx, 'session.login', {
      clerkCode: '9001',
      pin: '888888',
    });
    const importId = randomUUID();
    const started = performance.now();
    const chunks = Math.ceil(bytes.length / CHUNK);
    for (let i = 0; i < chunks; i++) {
      await call(t.ctx, 'import.upload', {
        session,
        importId,
        chunkIndex: i,
        chunkCount: chunks,
        dataBase64: bytes.subarray(i * CHUNK, (i + 1) * CHUNK).toString('base64'),
      });
    }
    await call(t.ctx, 'import.start', {
      session,
      importId,
      kind: 'households',
      format: 'xlsx',
      fileName: 'bench.xlsx',
    });
    const status = await importFinished(t.ctx, importId);
    const seconds = (performance.now() - started) / 1000;
    if (status.state !== 'done' || status.rowsWritten !== ROWS) {
      throw new Error(`import ended ${status.state}: ${JSON.stringify(status.errors.slice(0, 3))}`);
    }
    const n = (t.ctx.db.prepare('SELECT count(*) AS n FROM households').get() as { n: number }).n;
    log(`imported ${status.rowsWritten} rows in ${seconds.toFixed(2)} s (households now ${n})`);
    return round(seconds, 2);
  } finally {
    t.close();
  }
}

/** Seconds of the best of two reads of `bytes` by each XLSX reader; their tables must be equal. */
async function benchReaders(bytes: Buffer): Promise<{ fast: number; exceljs: number }> {
  const best = { fast: Infinity, exceljs: Infinity };
  const tables: Record<keyof typeof best, string> = { fast: '', exceljs: '' };
  for (let run = 0; run < 2; run++) {
    for (const [name, read] of [
      ['fast', readXlsxFast],
      ['exceljs', readXlsxWithExcelJs],
    ] as const) {
      const started = performance.now();
      const table = await read(bytes);
      best[name] = Math.min(best[name], (performance.now() - started) / 1000);
      tables[name] = JSON.stringify(table);
    }
  }
  if (tables.fast !== tables.exceljs) throw new Error('the XLSX readers read different tables');
  log(`XLSX read alone: fast ${best.fast.toFixed(2)} s, ExcelJS ${best.exceljs.toFixed(2)} s`);
  return { fast: round(best.fast, 2), exceljs: round(best.exceljs, 2) };
}

async function benchList(
  workDir: string,
): Promise<{ median: number; max: number; cold: number } | null> {
  // only the season ledger of today's migrations and generator, never an older one
  const cached = currentSeasonLedger(500_000, 300_000);
  if (!cached) {
    log(
      'no cached season ledger for the current migrations and generator (run `npm run bench:season-ledger` once): arrears-list figures skipped',
    );
    return null;
  }
  const copy = join(workDir, 'ledger-500k.db');
  copyFileSync(cached, copy);
  for (const side of ['.key', '.checkpoint'])
    if (existsSync(cached + side)) copyFileSync(cached + side, copy + side);
  log(`arrears list on a copy of ${basename(cached)}…`);
  const t = openTerminal({ dbFile: copy });
  try {
    const { session } = await call<{ session: string }>(t.ctx, 'session.login', {
      clerkCode: '1001',
      pin: '123456',
    });
    const some = t.ctx.db
      .prepare('SELECT community, building FROM households WHERE owed_fen > 0 LIMIT 1')
      .get() as {
      community: string;
      building: string;
    };
    const filters = [
      {},
      { minOwedFen: 300_000 },
      { minSeasonsOverdue: 1 },
      { community: some.community },
      { community: some.community, building: some.building },
      { community: some.community, minSeasonsOverdue: 1 },
      { minOwedFen: 100_000, minSeasonsOverdue: 1 },
    ];
    const samples: number[] = [];
    let cold = 0;
    for (let round_ = 0; round_ < 4; round_++) {
      for (const f of filters) {
        const started = performance.now();
        const r = await call<{ total: { count: number } }>(t.ctx, 'dunning.list', {
          session,
          ...f,
          limit: 100,
        });
        const ms = performance.now() - started;
        if (round_ > 0) samples.push(ms); // first round warms the page cache
        if (round_ === 0 && JSON.stringify(f) === '{"minSeasonsOverdue":1}') cold = ms;
        if (round_ === 1)
          log(`${JSON.stringify(f)}: ${r.total.count} households, ${ms.toFixed(1)} ms`);
      }
    }
    log(
      `first whole-district seasons-overdue list (builds the overdue set): ${cold.toFixed(1)} ms`,
    );
    return {
      median: round(median(samples), 1),
      max: round(Math.max(...samples), 1),
      cold: round(cold, 1),
    };
  } finally {
    t.close();
  }
}

mkdirSync(CACHE_DIR, { recursive: true });
const workDir = join(CACHE_DIR, `import-run-${process.pid}`);
mkdirSync(workDir, { recursive: true });
try {
  const importSeconds = await benchImport(workDir);
  const readers = await benchReaders(readFileSync(await xlsxFile()));
  const list = await benchList(workDir);
  const figures: Record<string, number> = {
    terminal_import_100k_s: importSeconds,
    xlsx_read_100k_fast_s: readers.fast,
    xlsx_read_100k_exceljs_s: readers.exceljs,
  };
  if (list) {
    figures.dunning_list_500k_ms = list.median;
    figures.dunning_list_500k_max_ms = list.max;
    figures.dunning_list_500k_cold_ms = list.cold;
  }
  const results = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
    : {};
  const targets: Record<string, number> = {
    terminal_import_100k_s: 30,
    dunning_list_500k_max_ms: 500,
  };
  const verdicts = Object.fromEntries(
    Object.entries(targets)
      .filter(([k]) => k in figures)
      .map(([k, limit]) => [k, { value: figures[k], limit, pass: figures[k]! <= limit }]),
  );
  // a run without the 500k ledger keeps the arrears-list verdict of the last run that had it
  const importTargets = { ...(results.import_targets as object | undefined), ...verdicts };
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ ...results, ...figures, import_targets: importTargets, import_date: new Date().toISOString() }, null, 2)}\n`,
  );
  for (const [k, v] of Object.entries(verdicts)) {
    console.log(`${v.pass ? 'PASS' : 'FAIL'}  ${k} = ${v.value} (target ≤ ${v.limit})`);
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
