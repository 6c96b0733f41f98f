// Bundles the Electron shell: dist/electron/main.mjs (ESM, node_modules stay external and are
// packed by electron-builder) and dist/electron/preload.cjs (one sandbox-safe CommonJS file that
// requires nothing but `electron`). Uses esbuild (already installed with vite/tsx; no download).
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

await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(root, 'src-main/electron/main.ts')],
    outfile: path.join(outdir, 'main.mjs'),
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
console.log(`[build-electron] ${path.relative(root, outdir)}/main.mjs, preload.cjs`);
