// Bundles the plain-Node host (`npm start` where Electron cannot run, `npm run start:web`):
// dist/host/main.mjs and its ledger workers' thread entry dist/host/ledger-worker.mjs, built like
// the Electron shell's main.mjs (scripts/build-electron.mjs: src-main's import.meta.url kept per
// module). The host then starts as `node dist/host/main.mjs`: no TypeScript is transpiled while the
// counter waits (tsx took about half of a 2.7 s start on the 500k ledger). Unlike the Electron
// bundle, the plain-JavaScript npm packages the start needs (zod, ws, uuid, mime-types, pinyin-pro,
// csv-parse, @noble/hashes) are bundled in too: Node's loading of CommonJS packages from ES modules
// (resolution, package.json reads, export detection) cost another ~0.4 s of the start. Native
// addons, the packages loaded on first use and pino (its transports start files of their own) stay
// in node_modules.
//   node scripts/build-host.mjs
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEDGER_WORKER_FILE, mainBundleOptions } from './build-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the host bundle goes. */
export const HOST_DIR = path.join(root, 'dist', 'host');
/** What `node` starts. */
export const HOST_ENTRY = path.join(HOST_DIR, 'main.mjs');

// The Electron options map each module's import.meta.url relative to dist/electron/; dist/host/ is
// at the same depth under the root, so the same relative paths hold here.
if (path.relative(path.join(root, 'dist', 'electron'), root) !== path.relative(HOST_DIR, root)) {
  throw new Error('dist/host must sit at the same depth as dist/electron');
}

/** npm packages left in node_modules (a bare specifier matching this stays an import). */
const KEEP_EXTERNAL =
  /^(better-sqlite3|serialport|@serialport\/|exceljs|playwright-core|receiptline|node-thermal-printer|pino|electron|bufferutil|utf-8-validate)(\/|$)/;

/** @type {import('esbuild').Plugin} */
const externalNativeAndLazy = {
  name: 'external-native-and-lazy',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      !path.isAbsolute(args.path) && KEEP_EXTERNAL.test(args.path)
        ? { path: args.path, external: true }
        : undefined,
    );
  },
};

export async function buildHost() {
  const hostOptions = {
    ...mainBundleOptions,
    target: 'node20', // the host runs on the Node it is started with (package.json engines)
  };
  const mainOptions = {
    ...hostOptions,
    plugins: [
      externalNativeAndLazy,
      ...mainBundleOptions.plugins.filter((p) => p.name !== 'external-packages-but-core'),
    ],
    // the bundled CommonJS packages require Node's built-in modules
    banner: {
      js: "import { createRequire as __hostRequire } from 'node:module'; const require = __hostRequire(import.meta.url);",
    },
  };
  await Promise.all([
    build({
      ...mainOptions,
      entryPoints: [path.join(root, 'src-main', 'host', 'main.ts')],
      outfile: HOST_ENTRY,
      define: {
        __LEDGER_WORKER_BUNDLE__: JSON.stringify(
          path
            .relative(path.join(root, 'src-main', 'app'), path.join(HOST_DIR, LEDGER_WORKER_FILE))
            .split(path.sep)
            .join('/'),
        ),
      },
    }),
    build({
      ...hostOptions,
      entryPoints: [path.join(root, 'src-main', 'app', 'ledger-worker.ts')],
      outfile: path.join(HOST_DIR, LEDGER_WORKER_FILE),
      define: {},
    }),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildHost();
  console.log(`[build-host] ${path.relative(root, HOST_DIR)}/main.mjs, ${LEDGER_WORKER_FILE}`);
}
