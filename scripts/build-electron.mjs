// Bundles the Electron shell: dist/electron/main.mjs (ESM, node_modules stay external and are
// packed by electron-builder), dist/electron/ledger-worker.mjs (the ledger workers' thread entry,
// src-main/app/ledger-worker.ts, its own file: a worker thread starts from a file) and
// dist/electron/preload.cjs (one sandbox-safe CommonJS file that requires nothing but `electron`).
// Uses esbuild (already installed with vite/tsx; no download).
//   node scripts/build-electron.mjs
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { externalPackagesButCore } from './esbuild-externals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'electron');

/**
 * Modules find their data (migrations/, printer-templates/) relative to their own source file via
 * `import.meta.url`. In one bundle every module would share the bundle's URL, so each source file's
 * `import.meta.url` becomes its original path relative to the bundle (dist/electron/ → repo root),
 * which is also the app root inside the packaged app.asar.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /src-main[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const rel = path.relative(outdir, args.path).split(path.sep).join('/');
      return {
        contents: source.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(rel)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** The worker entry's bundle, beside main.mjs. */
export const LEDGER_WORKER_FILE = 'ledger-worker.mjs';

/**
 * How a main-side bundle is built (main.mjs; tests bundle a probe the same way): src-main's
 * import.meta.url kept per module, packages external, and where the ledger worker's bundle is —
 * relative to src-main/app/ledger-workers.ts's path, as that module's import.meta.url is mapped.
 */
export const mainBundleOptions = {
  ...common,
  format: 'esm',
  external: ['electron'],
  plugins: [externalPackagesButCore, keepModuleUrls],
  define: {
    __LEDGER_WORKER_BUNDLE__: JSON.stringify(
      path
        .relative(path.join(root, 'src-main', 'app'), path.join(outdir, LEDGER_WORKER_FILE))
        .split(path.sep)
        .join('/'),
    ),
  },
};

export async function buildElectron() {
  await Promise.all([
    build({
      ...mainBundleOptions,
      entryPoints: [path.join(root, 'src-main/electron/main.ts')],
      outfile: path.join(outdir, 'main.mjs'),
    }),
    build({
      ...common,
      entryPoints: [path.join(root, 'src-main/app/ledger-worker.ts')],
      outfile: path.join(outdir, LEDGER_WORKER_FILE),
      format: 'esm',
      external: ['electron'],
      plugins: [externalPackagesButCore, keepModuleUrls],
    }),
    build({
      ...common,
      entryPoints: [path.join(root, 'src-main/electron/preload.ts')],
      outfile: path.join(outdir, 'preload.cjs'),
      format: 'cjs',
      external: ['electron'],
    }),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildElectron();
  console.log(
    `[build-electron] ${path.relative(root, outdir)}/main.mjs, ${LEDGER_WORKER_FILE}, preload.cjs`,
  );
}
