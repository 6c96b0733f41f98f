/**
 * The cached demo ledger `npm run bench` builds (bench/.cache/ledger-<households>-<key>.db): one
 * cache key for every bench that uses it (bench/run.ts builds it; bench/import.ts and bench/ui.ts run
 * standalone on it), so none of them picks up a ledger built by older migrations or generator code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BENCH_CACHE_DIR = join(ROOT, 'bench', '.cache');
/** The demo generator's seed of the cached ledger. */
export const LEDGER_SEED = 1;
/** What the cached ledger is made of besides the migrations: a change to any of them rebuilds it. */
const GENERATOR_SOURCES = [
  'src-main/demo/generate.ts',
  'src-main/demo/names.ts',
  'src-main/demo/random.ts',
  'src-main/features/households/search-tokens.store.ts',
  'src-main/features/households/households.store.ts',
  'src-main/features/sync/master-rows.store.ts',
  'node_modules/pinyin-pro/package.json',
];

/** The cache key of the demo ledger of `households` households: migrations, generator, size, seed. */
export function ledgerCacheKey(households: number): string {
  const h = createHash('sha256');
  const migrations = join(ROOT, 'migrations');
  for (const f of readdirSync(migrations)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    h.update(f).update(readFileSync(join(migrations, f)));
  }
  for (const f of GENERATOR_SOURCES) h.update(f).update(readFileSync(join(ROOT, f)));
  return h.update(`${households}:${LEDGER_SEED}`).digest('hex').slice(0, 16);
}

/** The cached ledger's file and its metadata file (written last, once the ledger is complete). */
export function ledgerCacheFiles(households: number): {
  base: string;
  file: string;
  metaFile: string;
} {
  const base = `ledger-${households}-${ledgerCacheKey(households)}`;
  return {
    base,
    file: join(BENCH_CACHE_DIR, `${base}.db`),
    metaFile: join(BENCH_CACHE_DIR, `${base}.json`),
  };
}

/** The complete cached ledger for today's migrations and generator, or null (run `npm run bench`). */
export function currentCachedLedger(households: number): string | null {
  const { file, metaFile } = ledgerCacheFiles(households);
  return existsSync(file) && existsSync(metaFile) ? file : null;
}
