// `npm run bench:cash`: the cash-control benchmarks, merged into bench/results.json. Kept apart from
// `npm run bench` because building its 500,000-receipt ledger the first time takes minutes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCash } from './cash';
import { ensureSeasonLedger, seasonLedgerFiles } from './season-ledger';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = join(ROOT, 'bench', '.cache');
const RESULTS = join(ROOT, 'bench', 'results.json');
const log = (m: string) => process.stderr.write(`[bench:cash] ${m}\n`);

function schemaKey(): string {
  const h = createHash('sha256');
  const dir = join(ROOT, 'migrations');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  for (const f of ['bench/cash.ts', 'src-main/demo/generate.ts'])
    h.update(readFileSync(join(ROOT, f)));
  // on top of the season ledger: a new one makes a new month ledger
  h.update(seasonLedgerFiles().base);
  return h.digest('hex').slice(0, 16);
}

mkdirSync(CACHE_DIR, { recursive: true });
const season = ensureSeasonLedger({ log });
const cacheFile = join(CACHE_DIR, `receipts-500k-${schemaKey()}.db`);
for (const f of readdirSync(CACHE_DIR)) {
  if (f.startsWith('receipts-500k-') && !cacheFile.endsWith(f))
    rmSync(join(CACHE_DIR, f), { force: true });
}
const workDir = join(CACHE_DIR, `cash-run-${process.pid}`);
mkdirSync(workDir, { recursive: true });
try {
  const figures = await benchCash(workDir, cacheFile, season.file, log);
  const results = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
    : {};
  const targets = { close_shift_2000_ms: 50, monthly_report_500k_ms: 300 };
  const verdicts = Object.fromEntries(
    Object.entries(targets).map(([k, limit]) => [
      k,
      {
        value: figures[k as keyof typeof figures],
        limit,
        pass: (figures[k as keyof typeof figures] as number) <= limit,
      },
    ]),
  );
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ ...results, ...figures, cash_targets: verdicts, cash_date: new Date().toISOString() }, null, 2)}\n`,
  );
  for (const [k, v] of Object.entries(verdicts))
    console.log(`${v.pass ? 'PASS' : 'FAIL'}  ${k} = ${v.value} (target ≤ ${v.limit})`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
