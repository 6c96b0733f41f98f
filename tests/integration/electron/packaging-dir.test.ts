// Packs the desktop app for real with electron-builder's `dir` target, with a stand-in in place of
// the Electron binary (it cannot be downloaded here): the renderer and the main bundle are built,
// electron-builder copies the stand-in, collects the production dependencies and writes app.asar.
// The test then reads what the archive holds and its size, and resolves and loads (in plain Node)
// every package the main bundle imports, from the packed tree alone.
// Not proven here: that the real Electron binary starts the app (see the Electron smoke test), the
// native modules rebuilt for Electron's ABI (npmRebuild needs Electron's headers from the
// internet), the fuses (afterPack needs the real binary; tests/unit/electron/packaging covers
// their settings), and the deb/NSIS installers (their tools are downloaded).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/terminal';

const root = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  getRawHeader(archive: string): { header: AsarNode };
  extractAll(archive: string, dest: string): void;
};
const yaml = require('js-yaml') as { load(text: string): unknown; dump(value: unknown): string };
interface AsarNode {
  files?: Record<string, AsarNode>;
  size?: number;
  unpacked?: boolean;
}

const ELECTRON_VERSION = (
  JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
/** Packages only the renderer uses (Vite bundled them) and the build/test tools. */
const NOT_IN_APP = [
  'antd',
  'echarts',
  'react',
  'react-dom',
  'i18next',
  'react-i18next',
  'vite',
  'vitest',
  'electron',
  'electron-builder',
  'typescript',
  'eslint',
  'playwright-core',
  'happy-dom',
  '@heating-cashier/core',
];
const MAX_APP_BYTES = 40 * 1024 * 1024;

let dir: ReturnType<typeof tempDir>;
let resources: string;
const files = new Map<string, { size: number; unpacked: boolean }>();

function walk(node: AsarNode, path: string) {
  if (node.files) {
    for (const [name, child] of Object.entries(node.files)) walk(child, `${path}/${name}`);
  } else {
    files.set(path.slice(1), { size: node.size ?? 0, unpacked: node.unpacked === true });
  }
}

beforeAll(() => {
  dir = tempDir('cashier-pack-');
  const standIn = join(dir.dir, 'electron-dist');
  execFileSync('mkdir', ['-p', standIn]);
  writeFileSync(join(standIn, 'electron'), '#!/bin/sh\necho "stand-in for the Electron binary"\n');
  chmodSync(join(standIn, 'electron'), 0o755);
  writeFileSync(join(standIn, 'version'), ELECTRON_VERSION);

  // afterPack flips fuses inside the real binary: nothing to flip in a stand-in
  const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete config.afterPack;
  const configFile = join(dir.dir, 'electron-builder.yml');
  writeFileSync(configFile, yaml.dump(config));

  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'ignore' });
  execFileSync(process.execPath, [join(root, 'scripts', 'build-electron.mjs')], { cwd: root });
  execFileSync(
    'npx',
    [
      'electron-builder',
      '--config',
      configFile,
      '--linux',
      'dir',
      `-c.electronDist=${standIn}`,
      `-c.electronVersion=${ELECTRON_VERSION}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${join(dir.dir, 'out')}`,
    ],
    { cwd: root, stdio: 'ignore', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  resources = join(dir.dir, 'out', 'linux-unpacked', 'resources');
  walk(asar.getRawHeader(join(resources, 'app.asar')).header, '');
}, 600_000);

afterAll(() => dir?.cleanup());

describe('packaged app (electron-builder dir target, stand-in Electron)', () => {
  it('has the executable, app.asar and the migrations beside it', () => {
    const appDir = join(dir.dir, 'out', 'linux-unpacked');
    expect(existsSync(join(appDir, 'heating-cashier'))).toBe(true);
    const migrations = readdirSync(join(root, 'migrations')).filter((f) => f.endsWith('.sql'));
    expect(readdirSync(join(resources, 'migrations')).sort()).toEqual(migrations.sort());
  });

  it('app.asar holds the bundles, the renderer, migrations and templates', () => {
    for (const path of [
      'package.json',
      'dist/electron/main.mjs',
      'dist/electron/preload.cjs',
      'dist/electron/ledger-worker.mjs',
      'dist/renderer/index.html',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    ]) {
      expect(files.has(path), path).toBe(true);
    }
    for (const sql of readdirSync(join(root, 'migrations'))) {
      expect(files.has(`migrations/${sql}`), sql).toBe(true);
    }
    expect([...files.keys()].some((f) => f.startsWith('printer-templates/'))).toBe(true);
    expect(
      files.get('node_modules/better-sqlite3/build/Release/better_sqlite3.node')?.unpacked,
    ).toBe(true);
  });

  it('holds no renderer-only package, build tool, source map, TypeScript source or SQLite source', () => {
    const packages = new Set(
      [...files.keys()]
        .map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1])
        .filter((p): p is string => !!p),
    );
    for (const name of NOT_IN_APP) expect(packages.has(name), name).toBe(false);
    const stray = [...files.keys()].filter(
      (f) =>
        f.endsWith('.map') ||
        /\.(ts|cts|mts)$/.test(f) ||
        f.startsWith('node_modules/better-sqlite3/deps/') ||
        f.startsWith('node_modules/better-sqlite3/src/') ||
        f.startsWith('src-main/') ||
        f.startsWith('tests/'),
    );
    expect(stray).toEqual([]);
  });

  it(`stays within ${MAX_APP_BYTES / 1024 / 1024} MB unpacked (archive + app.asar.unpacked)`, () => {
    let total = 0;
    for (const { size } of files.values()) total += size;
    console.info(
      `[packaging] app.asar + app.asar.unpacked: ${(total / 1024 / 1024).toFixed(1)} MB in ${files.size} files`,
    );
    expect(total).toBeLessThanOrEqual(MAX_APP_BYTES);
  });

  it('every package the main bundle imports loads from the packed tree alone', () => {
    const bundle = ['main.mjs', 'ledger-worker.mjs']
      .map((f) => readFileSync(join(root, 'dist', 'electron', f), 'utf8'))
      .join('\n');
    const specifiers = new Set<string>();
    const patterns = [
      /^import\s[^;]*?\sfrom\s*"([^"]+)";/gm, // static imports, one per line in esbuild's output
      /^import\s*"([^"]+)";/gm,
      /\bimport\("([^"]+)"\)/g, // dynamic imports
    ];
    for (const m of patterns.flatMap((p) => [...bundle.matchAll(p)])) {
      const spec = m[1]!;
      if (!spec.startsWith('node:') && !spec.startsWith('.') && spec !== 'electron') {
        specifiers.add(spec);
      }
    }
    expect(specifiers.size).toBeGreaterThan(5);
    expect(specifiers.has('better-sqlite3')).toBe(true);
    const extracted = join(dir.dir, 'extracted');
    asar.extractAll(join(resources, 'app.asar'), extracted);
    // electron-updater needs the electron module at load: resolving it is what plain Node can check
    const needsElectron = new Set(['electron-updater']);
    const script = `
      const specs = ${JSON.stringify([...specifiers])};
      const resolveOnly = new Set(${JSON.stringify([...needsElectron])});
      const failures = [];
      for (const spec of specs) {
        try {
          if (resolveOnly.has(spec)) import.meta.resolve(spec);
          else await import(spec);
        } catch (e) { failures.push(spec + ': ' + String(e).split('\\n')[0]); }
      }
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(':memory:');
      const one = db.prepare('SELECT 1 AS one').get().one;
      console.log(JSON.stringify({ failures, one }));
    `;
    writeFileSync(join(extracted, 'probe.mjs'), script);
    const out = execFileSync(process.execPath, [join(extracted, 'probe.mjs')], {
      cwd: extracted,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', NODE_PATH: '' },
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ failures: [], one: 1 });
  });
});
