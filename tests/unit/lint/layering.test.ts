// Proves the `local/layering` ESLint rule (eslint-rules/layering.js): every file belongs to a tier
// chosen by its path, and each tier imports only what its row of TIERS allows. Runs through the real
// repo eslint.config.js; files are virtual: lintText(code, { filePath }) decides the tier.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

interface Tier {
  name: string;
  level: number | null;
  paths: string[];
  role: string;
  imports: string[];
  packages: string[];
  node: boolean;
  globals: 'es' | 'browser' | 'any';
}
interface LayeringModule {
  TIERS: Tier[];
  CORE_PACKAGE: string;
  tierOfPath(rel: string): { tier: string | null; matches: string[] };
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const rule = (await import(
  pathToFileURL(path.join(repoRoot, 'eslint-rules/layering.js')).href
)) as LayeringModule;
const { TIERS, CORE_PACKAGE, tierOfPath } = rule;
const tier = (name: string): Tier => TIERS.find((t) => t.name === name)!;

const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfigFile: path.join(repoRoot, 'eslint.config.js'),
});

async function lint(code: string, filePath: string): Promise<Linter.LintMessage[]> {
  const results = await eslint.lintText(code, { filePath });
  expect(results).toHaveLength(1);
  const messages = results[0]!.messages;
  // A parse error or "file ignored" warning would make a passing case vacuous.
  expect(messages.filter((m) => m.fatal === true || m.ruleId === null)).toEqual([]);
  return messages;
}

/** Messages of the layering rule only. */
async function layering(code: string, filePath: string): Promise<string[]> {
  const messages = await lint(code, filePath);
  return messages.filter((m) => m.ruleId === 'local/layering').map((m) => m.message);
}

async function expectReported(code: string, filePath: string, ...patterns: RegExp[]) {
  const messages = await layering(code, filePath);
  expect(messages, `expected one layering error for ${filePath}:\n${code}`).toHaveLength(1);
  for (const p of patterns) expect(messages[0]).toMatch(p);
}

async function expectClean(code: string, filePath: string) {
  expect(await layering(code, filePath), `expected no layering error for ${filePath}`).toEqual([]);
}

/** `import { open } from '<spec>'` plus a use of it. */
const importing = (spec: string) => `import { open } from '${spec}';\nexport const o = open;\n`;

describe('config wiring', () => {
  it.each([
    'core/money.ts',
    'src-main/ledger/db.ts',
    'src-renderer/features/home/Home.tsx',
    'head-office/src/server.ts',
    'tests/unit/x.test.ts',
    'bench/run.ts',
    'scripts/start.mjs',
    'scripts/fuses.cjs',
    'eslint.config.js',
    'vite.config.ts',
    'eslint-rules/layering.js',
    'docs/anything.ts',
  ])('applies local/layering as an error to %s', async (file) => {
    const config = (await eslint.calculateConfigForFile(file)) as Linter.Config;
    expect(config.rules?.['local/layering']).toEqual([2, { root: expect.any(String) }]);
  });
});

describe('every file belongs to one tier by its path', () => {
  it.each([
    ['core/money.ts', 'core'],
    ['core/contract/commands.ts', 'core'],
    ['src-main/ledger/db.ts', 'ledger'],
    ['src-main/features/cash/cash.store.ts', 'ledger'],
    ['src-main/features/cash/day-totals.projector.ts', 'ledger'],
    ['src-main/features/reports/documents/x.store.ts', 'ledger'],
    ['src-main/devices/printer/escpos.ts', 'devices'],
    ['src-main/services/context.ts', 'services'],
    ['src-main/features/cash/cash-control.ts', 'services'],
    ['src-main/features/reports/documents/build.ts', 'services'],
    ['src-main/features/reports/documents/handlers.ts', 'services'],
    ['src-main/features/sync/index.ts', 'services'],
    ['src-main/features/cash/handlers.ts', 'api'],
    ['src-main/api/dispatch.ts', 'api'],
    ['src-main/demo/generate.ts', 'demo'],
    ['src-main/app/open-terminal.ts', 'app'],
    ['src-main/host/server.ts', 'host'],
    ['src-main/cli/main.ts', 'cli'],
    ['src-main/electron/main.ts', 'electron'],
    ['src-renderer/main.tsx', 'renderer'],
    ['src-renderer/features/cash/cash.css', 'renderer'],
    ['head-office/src/server.ts', 'head-office'],
    ['tests/unit/lint/layering.test.ts', 'tests'],
    ['bench/run.ts', 'bench'],
    ['scripts/start.mjs', 'scripts'],
    ['vite.config.ts', 'scripts'],
    ['vitest.config.ts', 'scripts'],
    ['eslint.config.js', 'scripts'],
    ['eslint-rules/layering.js', 'eslint-rules'],
  ])('%s is tier %s', (file, name) => {
    expect(tierOfPath(file)).toEqual({ tier: name, matches: [name] });
  });

  it.each([
    'src-main/x.ts',
    'src-main/util/x.ts',
    'head-office/x.ts',
    'head-office/migrations/x.ts',
    'docs/x.ts',
    'setup.ts',
    'core',
  ])('%s belongs to no tier', (file) => {
    expect(tierOfPath(file)).toEqual({ tier: null, matches: [] });
  });

  it.each([
    ['src-main/util/x.ts', /^src-main\/util\/x\.ts belongs to no tier: add its path to TIERS/],
    ['head-office/x.ts', /^head-office\/x\.ts belongs to no tier/],
    ['docs/x.ts', /^docs\/x\.ts belongs to no tier/],
    ['setup.ts', /^setup\.ts belongs to no tier/],
  ])('an unclassified file is itself an error: %s', async (file, pattern) => {
    // Even a file without imports: nothing escapes the rule.
    await expectReported('export const x = 1;\n', file, pattern);
  });

  it('every source file on disk belongs to exactly one tier', () => {
    const skip = new Set(['node_modules', 'dist', '.git', '.tmp', 'data', 'coverage', '.cache']);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!skip.has(entry.name) && rel !== 'tests/fixtures') walk(rel);
        } else if (/\.(?:[cm]?[jt]s|tsx)$/.test(entry.name)) {
          files.push(rel);
        }
      }
    };
    walk('');
    expect(files.length).toBeGreaterThan(300);
    expect(files.filter((f) => tierOfPath(f).tier === null)).toEqual([]);
  });
});

describe('the table keeps the stack in order', () => {
  const main = TIERS.filter((t) => t.level !== null);

  it('a src-main tier imports only lower tiers, never one of its own level', () => {
    for (const t of main) {
      for (const name of t.imports) {
        expect(tier(name).level, `${t.name} -> ${name}`).not.toBeNull();
        expect(tier(name).level!, `${t.name} -> ${name}`).toBeLessThan(t.level!);
      }
    }
  });

  it('names only tiers that exist, and no package twice', () => {
    const names = new Set(TIERS.map((t) => t.name));
    expect(names.size).toBe(TIERS.length);
    for (const t of TIERS) {
      for (const name of t.imports) expect(names, `${t.name} -> ${name}`).toContain(name);
      expect(new Set(t.packages).size, t.name).toBe(t.packages.length);
    }
  });

  it('only src-main/electron (and the build scripts) may import electron', () => {
    expect(TIERS.filter((t) => t.packages.includes('electron')).map((t) => t.name)).toEqual([
      'electron',
      'scripts',
    ]);
  });

  it('no src-main tier may import react, react-dom or the renderer', () => {
    for (const t of main) {
      expect(t.packages, t.name).not.toContain('react');
      expect(t.packages, t.name).not.toContain('react-dom');
      expect(t.imports, t.name).not.toContain('renderer');
    }
  });

  it('core and the renderer have no node builtins; core uses ECMAScript globals only', () => {
    expect(tier('core')).toMatchObject({ imports: [], node: false, globals: 'es' });
    expect(tier('renderer')).toMatchObject({ imports: ['core'], node: false, globals: 'browser' });
    expect(tier('head-office').imports).toEqual(['core']);
  });

  it('every listed package is declared in a package.json of the workspace', () => {
    const deps = (file: string): Set<string> => {
      const pkg = JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      return new Set(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }));
    };
    const root = deps('package.json');
    const own: Record<string, Set<string>> = {
      core: deps('core/package.json'),
      'head-office': deps('head-office/package.json'),
    };
    const any = new Set([...root, ...own.core!, ...own['head-office']!]);
    // electron-builder's own modules: the packaging test reads the config the way it does.
    const transitive: Record<string, string> = {
      'app-builder-lib': 'electron-builder',
      'builder-util': 'electron-builder',
    };
    for (const t of TIERS) {
      // core and head office are packages of their own; tests, bench and scripts run them all.
      const declared = own[t.name] ?? (t.level === null && t.name !== 'renderer' ? any : root);
      for (const p of t.packages) {
        const by = transitive[p];
        if (by !== undefined) {
          expect(declared, `${t.name}: ${p} comes with ${by}`).toContain(by);
          expect(existsSync(path.join(repoRoot, 'node_modules', p))).toBe(true);
        } else {
          expect(declared, `${t.name} lists ${p}`).toContain(p);
        }
      }
    }
  });
});

describe('src-main: a lower tier never imports a higher one', () => {
  it.each([
    ['src-main/ledger/db.ts', '../services/context', 'services'],
    ['src-main/features/cash/cash.store.ts', './cash-control', 'services'],
    ['src-main/features/cash/day-totals.projector.ts', './handlers', 'api'],
    ['src-main/devices/printer/escpos.ts', '../../features/cash/shifts', 'services'],
    ['src-main/features/cash/shifts.ts', './handlers', 'api'],
    ['src-main/services/context.ts', '../api/dispatch', 'api'],
    ['src-main/features/cash/shifts.ts', '../../demo/generate', 'demo'],
    ['src-main/api/dispatch.ts', '../demo/generate', 'demo'],
    ['src-main/features/cash/handlers.ts', '../../app/open-terminal', 'app'],
    ['src-main/demo/generate.ts', '../app/open-terminal', 'app'],
    ['src-main/app/open-terminal.ts', '../host/server', 'host'],
    ['src-main/app/runtime.ts', '../electron/main', 'electron'],
  ])('%s importing %s (tier %s) is upward', async (file, spec, to) => {
    await expectReported(
      importing(spec),
      file,
      new RegExp(
        `^tier '${tierOfPath(file).tier}' may not import '${spec.replaceAll('.', '\\.')}'`,
      ),
      new RegExp(`is in tier '${to}', a higher tier`),
    );
  });

  it.each([
    ['src-main/ledger/db.ts', '../devices/printer/port'],
    ['src-main/features/cash/cash.store.ts', '../../devices/printer/port'],
    ['src-main/devices/printer/escpos.ts', '../../ledger/db'],
    ['src-main/devices/printer/escpos.ts', '../../features/cash/cash.store'],
    ['src-main/host/server.ts', '../cli/main'],
    ['src-main/host/server.ts', '../electron/ipc'],
    ['src-main/cli/main.ts', '../host/server'],
    ['src-main/electron/main.ts', '../cli/main'],
  ])('%s importing %s: tiers of one level never import each other', async (file, spec) => {
    await expectReported(importing(spec), file, /is in tier '[a-z]+', not an allowed dependency/);
  });

  it('a type-only import counts: the ledger may not even name a service type', async () => {
    await expectReported(
      "import type { ServiceContext } from '../services/context';\nexport type C = ServiceContext;\n",
      'src-main/ledger/transaction.ts',
      /tier 'ledger' may not import '\.\.\/services\/context'.*a higher tier/,
    );
  });

  it.each([
    ['src-main/features/cash/cash.store.ts', '../../ledger/db'],
    ['src-main/features/cash/cash.store.ts', '../households/households.store'],
    ['src-main/ledger/projector.ts', '../features/cash/day-totals.projector'],
    ['src-main/devices/printer/render.ts', './markup'],
    ['src-main/features/cash/shifts.ts', './cash.store'],
    ['src-main/features/cash/shifts.ts', '../../devices/printer/render'],
    ['src-main/features/cash/shifts.ts', '../../services/context'],
    ['src-main/features/sync/worker.ts', '../payments/payments'],
    ['src-main/features/cash/handlers.ts', './shifts'],
    ['src-main/features/cash/handlers.ts', '../../api/handler'],
    ['src-main/api/handlers.ts', '../features/cash/handlers'],
    ['src-main/demo/generate.ts', '../api/dispatch'],
    ['src-main/app/open-terminal.ts', '../demo/generate'],
    ['src-main/app/open-terminal.ts', '../features/sync'],
    ['src-main/host/server.ts', '../app/open-terminal'],
    ['src-main/cli/main.ts', '../api/dispatch'],
    ['src-main/electron/main.ts', '../ledger/db'],
  ])('allows %s importing %s', async (file, spec) => {
    await expectClean(importing(spec), file);
  });

  it.each(['src-main/ledger/db.ts', 'src-main/features/cash/shifts.ts', 'src-main/cli/main.ts'])(
    '%s may import core by its package path, any subpath, by value',
    async (file) => {
      await expectClean(
        [
          `import { formatFen } from '${CORE_PACKAGE}/money';`,
          `import { commands } from '${CORE_PACKAGE}/contract';`,
          `import * as core from '${CORE_PACKAGE}';`,
          'export const x = [formatFen, commands, core];',
          '',
        ].join('\n'),
        file,
      );
    },
  );

  it('reports src-main importing core by a relative path, naming the package path', async () => {
    await expectReported(
      importing('../../../core/contract/index'),
      'src-main/features/cash/shifts.ts',
      /import core by its package path '@heating-cashier\/core\/contract'/,
    );
  });

  it.each([
    ['src-main/host/server.ts', '../../src-renderer/api/client'],
    ['src-main/app/open-terminal.ts', '../../src-renderer/format/time'],
  ])('%s may not import src-renderer (%s)', async (file, spec) => {
    await expectReported(importing(spec), file, /is in tier 'renderer', not an allowed dependency/);
  });

  it('reports a file outside every tier, and outside the repository', async () => {
    await expectReported(
      importing('../util/x'),
      'src-main/ledger/db.ts',
      /may not import '\.\.\/util\/x': src-main\/util\/x\.ts belongs to no tier/,
    );
    await expectReported(
      importing('../../../elsewhere/x'),
      'src-main/ledger/db.ts',
      /resolves outside the repository/,
    );
  });
});

describe('electron and react stay where they belong', () => {
  it.each([
    ["import { app } from 'electron';\nexport const a = app;\n", 'src-main/ledger/x.ts'],
    ["import * as e from 'electron/main';\nexport const x = e;\n", 'src-main/host/server.ts'],
    ["const { app } = require('electron');\nexport const x = app;\n", 'src-main/app/runtime.ts'],
    ["export const load = () => import('electron');\n", 'src-main/features/cash/shifts.ts'],
    ['export const load = () => import(`electron`);\n', 'src-main/cli/main.ts'],
    [
      "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
      'src-renderer/x.ts',
    ],
    ["import { app } from 'electron';\nexport const a = app;\n", 'head-office/src/x.ts'],
  ])('reports electron in %#: %s', async (code, file) => {
    await expectReported(
      code,
      file,
      /may not import 'electron[^']*': package 'electron' is not on tier '[a-z-]+''s package list \(listed only for 'electron', 'scripts'\)/,
    );
  });

  it('allows src-main/electron to import electron', async () => {
    await expectClean(
      "import { app } from 'electron';\nexport const p = app.getPath('userData');\n",
      'src-main/electron/main.ts',
    );
  });

  it.each([
    ["import React from 'react';\nexport const R = React;\n", 'src-main/api/dispatch.ts'],
    [
      "import { createRoot } from 'react-dom/client';\nexport const c = createRoot;\n",
      'src-main/host/server.ts',
    ],
    [
      "import { jsx } from 'react/jsx-runtime';\nexport const j = jsx;\n",
      'src-main/electron/main.ts',
    ],
  ])('reports react in src-main: %s in %s', async (code, file) => {
    await expectReported(code, file, /may not import 'react/, /listed only for 'renderer'/);
  });
});

describe('closed package list per tier', () => {
  // One file of each tier; the table's own lists are the test data, so they cannot drift apart.
  const sample: Record<string, string> = {
    core: 'core/x.ts',
    ledger: 'src-main/features/cash/cash.store.ts',
    devices: 'src-main/devices/printer/x.ts',
    services: 'src-main/features/cash/x.ts',
    api: 'src-main/features/cash/handlers.ts',
    demo: 'src-main/demo/x.ts',
    app: 'src-main/app/x.ts',
    host: 'src-main/host/x.ts',
    cli: 'src-main/cli/x.ts',
    electron: 'src-main/electron/x.ts',
    renderer: 'src-renderer/x.tsx',
    'head-office': 'head-office/src/x.ts',
    tests: 'tests/unit/x.test.ts',
    bench: 'bench/x.ts',
    scripts: 'scripts/x.mjs',
    'eslint-rules': 'eslint-rules/x.js',
  };

  it('has a sample file for every tier', () => {
    expect(Object.keys(sample).sort()).toEqual(TIERS.map((t) => t.name).sort());
    for (const [name, file] of Object.entries(sample)) expect(tierOfPath(file).tier).toBe(name);
  });

  it.each(TIERS.map((t) => [t.name, t.packages] as const))(
    'tier %s may import each of its packages, and subpaths of them',
    async (name, packages) => {
      const code = packages.flatMap((p, i) => [
        `import * as p${i} from '${p}';`,
        `import * as s${i} from '${p}/sub/path';`,
        `export const x${i} = [p${i}, s${i}];`,
      ]);
      await expectClean(`${code.join('\n')}\n`, sample[name]!);
    },
  );

  it.each(TIERS.map((t) => [t.name]))(
    'tier %s may not import a package no tier lists',
    async (name) => {
      await expectReported(
        "import leftPad from 'left-pad';\nexport const l = leftPad;\n",
        sample[name]!,
        new RegExp(
          `^tier '${name}' may not import 'left-pad': package 'left-pad' is not on tier '${name}''s package list \\(listed for no tier\\)`,
        ),
      );
    },
  );

  it.each([
    ['ledger', 'serialport', /listed only for 'devices'/],
    ['devices', 'better-sqlite3', /listed only for 'ledger', 'tests', 'bench'/],
    ['services', 'ws', /listed only for 'host', 'tests'/],
    ['api', 'exceljs', /listed only for 'services', 'head-office', 'tests', 'bench'/],
    ['renderer', 'zod', /listed only for 'core', 'devices', 'services'/],
    ['head-office', 'better-sqlite3', /listed only for 'ledger'/],
    ['core', 'uuid', /listed only for 'ledger'/],
    ['bench', 'vitest', /listed only for 'tests', 'scripts'/],
    ['tests', 'electron', /listed only for 'electron', 'scripts'/],
  ])("tier %s may not import %s (another tier's package)", async (name, pkg, where) => {
    await expectReported(
      `import * as x from '${pkg}';\nexport const y = x;\n`,
      sample[name]!,
      new RegExp(`^tier '${name}' may not import '${pkg}': package '${pkg}' is not on`),
      where,
    );
  });

  it('a type-only package import counts', async () => {
    await expectReported(
      "import type { Database } from 'better-sqlite3';\nexport type D = Database;\n",
      'src-main/features/cash/shifts.ts',
      /tier 'services' may not import 'better-sqlite3'/,
    );
  });

  it('catches every import form', async () => {
    const forms = [
      "import 'left-pad';",
      "import * as a from 'left-pad';",
      "export * from 'left-pad';",
      "export { b } from 'left-pad';",
      "export type { C } from 'left-pad';",
      "const d = require('left-pad');",
      "const e = () => import('left-pad');",
      'const f = () => import(`left-pad`);',
      "import g = require('left-pad');",
      "type H = typeof import('left-pad');",
      'export const all = [a, d, e, f, g];',
      'export type I = H;',
      '',
    ].join('\n');
    const messages = await layering(forms, 'src-main/features/cash/shifts.ts');
    expect(messages).toHaveLength(10);
    for (const m of messages) expect(m).toMatch(/may not import 'left-pad'/);
  });
});

describe('node builtins: everywhere but core and the renderer', () => {
  it.each([
    ['core/money.ts', 'node:crypto'],
    ['core/contract/commands.ts', 'crypto'],
    ['core/hash-chain.ts', 'fs/promises'],
    ['src-renderer/features/home/Home.tsx', 'node:fs'],
    ['src-renderer/api/client.ts', 'path'],
  ])('%s may not import %s', async (file, spec) => {
    await expectReported(importing(spec), file, new RegExp(`'${spec}': a node builtin`));
  });

  it.each([
    'src-main/ledger/db.ts',
    'src-main/features/cash/shifts.ts',
    'src-main/electron/main.ts',
    'head-office/src/server.ts',
    'tests/unit/x.test.ts',
    'bench/run.ts',
    'scripts/start.mjs',
    'eslint-rules/x.js',
  ])('%s may import node builtins', async (file) => {
    await expectClean(
      "import { readFileSync } from 'node:fs';\nimport path from 'path';\nexport const x = [readFileSync, path];\n",
      file,
    );
  });
});

describe('core is pure', () => {
  const file = 'core/money.ts';

  it('may import zod, @noble/hashes and itself (relative or by package path)', async () => {
    await expectClean(
      [
        "import { z } from 'zod';",
        "import { sha256 } from '@noble/hashes/sha2';",
        "import { fen } from './fees';",
        "import { commands } from './contract/commands';",
        `import { formatFen } from '${CORE_PACKAGE}/money';`,
        'export const x = [z, sha256, fen, commands, formatFen];',
        '',
      ].join('\n'),
      file,
    );
  });

  it.each([
    ['../src-main/ledger/db', 'ledger', 'a higher tier'],
    ['../src-main/features/cash/shifts', 'services', 'a higher tier'],
    ['../src-renderer/format/time', 'renderer', 'not an allowed dependency'],
    ['../head-office/src/store', 'head-office', 'not an allowed dependency'],
    ['../tests/support/wait', 'tests', 'not an allowed dependency'],
  ])('may not import %s (tier %s: %s)', async (spec, to, what) => {
    await expectReported(
      importing(spec),
      file,
      new RegExp(`is in tier '${to}', ${what} \\(tier 'core' may import its own tier\\)`),
    );
  });

  it('may not import the ledger by a bare src-main path either', async () => {
    await expectReported(
      importing('src-main/ledger/db'),
      file,
      /package 'src-main' is not on tier 'core''s package list/,
    );
  });

  it.each([
    ['export const env = process.env.TZ;\n', 'process'],
    ["export const b = Buffer.from('x');\n", 'Buffer'],
    ['export const w = window.location;\n', 'window'],
    ['export const d = document.title;\n', 'document'],
    ["export const f = () => fetch('http://x');\n", 'fetch'],
    ['export const t = () => setTimeout(() => 0, 1);\n', 'setTimeout'],
    ['export const i = () => setInterval(() => 0, 1);\n', 'setInterval'],
    ["export const c = () => console.log('x');\n", 'console'],
    ['export const r = () => crypto.randomUUID();\n', 'crypto'],
    ['export const p = () => performance.now();\n', 'performance'],
    ["export const s = () => localStorage.getItem('x');\n", 'localStorage'],
    ['export const u = __dirname;\n', '__dirname'],
    ["export const q = () => require('zod');\n", 'require'],
    ['export const g = globalThis.process;\n', 'process'],
    ["export const h = globalThis['fetch'];\n", 'fetch'],
    ['export let b: Buffer | undefined;\n', 'Buffer'],
    ['export type T = NodeJS.Timeout;\n', 'NodeJS'],
  ])('reports %s', async (code, name) => {
    await expectReported(
      code,
      file,
      new RegExp(
        `^tier 'core' may not use the global '${name}' \\(a Node or DOM global; tier 'core' is pure: no Node, no DOM, no I/O\\)`,
      ),
    );
  });

  it('allows ECMAScript globals, TS lib types, the Encoding API and its own declarations', async () => {
    await expectClean(
      [
        'export const a = [Math.max(1, 2), JSON.stringify({}), new Map(), Number.isNaN(1)];',
        "export const b = new Intl.NumberFormat('zh-CN').format(1);",
        'export const c = [Date.UTC(2024, 0, 1), Promise.resolve(1), BigInt(1), globalThis.Math];',
        "export const d = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(0));",
        "export const e = new TextEncoder().encode('x');",
        'export type F = Readonly<Record<string, ReadonlyArray<number>>>;',
        'export function fetch(url: string): string { return url; }',
        "export const g = fetch('local');",
        '',
      ].join('\n'),
      file,
    );
  });
});

describe('the renderer talks to main only through its api client', () => {
  const file = 'src-renderer/features/home/Home.tsx';

  it('may import core by value, by its package path', async () => {
    await expectClean(
      [
        `import { formatFen } from '${CORE_PACKAGE}/money';`,
        `import { commands, type CommandName } from '${CORE_PACKAGE}/contract';`,
        "import { useState } from 'react';",
        "import { Button } from 'antd';",
        "import './home.css';",
        "import { client } from '../../api/client';",
        'export const x: CommandName | undefined = undefined;',
        'export const y = [formatFen, commands, useState, Button, client];',
        '',
      ].join('\n'),
      file,
    );
  });

  it.each([
    ['../../../src-main/ledger/db', 'ledger'],
    ['../../../src-main/features/cash/shifts', 'services'],
    ['../../../src-main/api/dispatch', 'api'],
    ['../../../src-main/electron/preload', 'electron'],
    ['../../../head-office/src/store', 'head-office'],
  ])('may not import %s (tier %s)', async (spec, to) => {
    await expectReported(
      importing(spec),
      file,
      new RegExp(`^tier 'renderer' may not import .*is in tier '${to}', not an allowed dependency`),
    );
  });

  it('a type-only import of src-main is refused too', async () => {
    await expectReported(
      "import type { Db } from '../../../src-main/ledger/db';\nexport type D = Db;\n",
      file,
      /is in tier 'ledger'/,
    );
  });

  it('may not import core by a relative path', async () => {
    await expectReported(
      importing('../../../core/money'),
      file,
      /import core by its package path '@heating-cashier\/core\/money'/,
    );
  });

  it.each([
    ['export const e = process.env.NODE_ENV;\n', 'process'],
    ["export const b = Buffer.from('x');\n", 'Buffer'],
    ['export const d = __dirname;\n', '__dirname'],
  ])('may not use the Node global in %s', async (code, name) => {
    await expectReported(
      code,
      file,
      new RegExp(`^tier 'renderer' may not use the global '${name}' \\(a Node global`),
    );
  });

  it('may use browser globals', async () => {
    await expectClean(
      'export const x = [window.location, document.title, fetch, setTimeout, localStorage, console];\n',
      file,
    );
  });
});

describe('head office imports core by package path only', () => {
  const file = 'head-office/src/import.ts';

  it.each([
    ['../../src-main/features/import/tabular', 'services'],
    ['../../src-main/ledger/db', 'ledger'],
    ['../../src-main/app/open-terminal', 'app'],
    ['../../src-renderer/format/time', 'renderer'],
  ])('refuses %s (tier %s)', async (spec, to) => {
    await expectReported(
      importing(spec),
      file,
      new RegExp(
        `^tier 'head-office' may not import '${spec.replaceAll('.', '\\.')}': .* is in tier '${to}', not an allowed dependency`,
      ),
    );
  });

  it('refuses core by a relative path, naming the package path to use', async () => {
    await expectReported(
      importing('../../core/contract/sync-wire'),
      file,
      /import core by its package path '@heating-cashier\/core\/contract\/sync-wire'/,
    );
  });

  it('allows core by package path, its own files and its packages', async () => {
    await expectClean(
      [
        `import { syncWire } from '${CORE_PACKAGE}/contract/sync-wire';`,
        "import { store } from './store';",
        "import Fastify from 'fastify';",
        "import pg from 'pg';",
        "import { parse } from 'csv-parse/sync';",
        "import { readFile } from 'node:fs/promises';",
        'export const x = [syncWire, store, Fastify, pg, parse, readFile];',
        '',
      ].join('\n'),
      file,
    );
  });
});

describe('tests, bench and scripts may import the product code they test or run', () => {
  it.each([
    ['tests/unit/x.test.ts', '../../src-main/ledger/db'],
    ['tests/unit/x.test.ts', '../../src-main/electron/security'],
    ['tests/unit/x.test.ts', '../../src-renderer/format/time'],
    ['tests/unit/x.test.ts', '../../head-office/src/store'],
    ['tests/unit/x.test.ts', '../../eslint-rules/layering.js'],
    ['tests/unit/x.test.ts', '../../scripts/architecture-doc.mjs'],
    ['tests/unit/x.test.ts', '../support/wait'],
    ['tests/unit/x.test.ts', `${CORE_PACKAGE}/money`],
    ['bench/run.ts', '../src-main/app/open-terminal'],
    ['bench/sync.ts', '../head-office/src/server'],
    ['bench/run.ts', '../tests/support/temp-files'],
    ['scripts/build-electron.mjs', '../src-main/electron/main'],
    ['eslint.config.js', './eslint-rules/layering.js'],
  ])('%s may import %s', async (file, spec) => {
    await expectClean(importing(spec), file);
  });

  it.each([
    ['tests/unit/x.test.ts', '../../core/money'],
    ['bench/run.ts', '../core/money'],
  ])('%s imports core by its package path too (%s is refused)', async (file, spec) => {
    await expectReported(importing(spec), file, /import core by its package path/);
  });

  it.each([
    ['src-main/ledger/db.ts', '../../tests/support/wait', 'tests'],
    ['head-office/src/store.ts', '../../bench/stats', 'bench'],
    ['src-main/app/runtime.ts', '../../scripts/start.mjs', 'scripts'],
  ])('product code may not import %s -> %s', async (file, spec, to) => {
    await expectReported(importing(spec), file, new RegExp(`is in tier '${to}'`));
  });
});

describe('on-disk fixtures (linted as if they lived where their folder says)', () => {
  const fixture = (rel: string) =>
    readFileSync(path.join(repoRoot, 'tests/fixtures/lint', rel), 'utf8');

  it('src-main/ledger/imports-electron.ts: electron is refused in the ledger, fine in the shell', async () => {
    const code = fixture('src-main/ledger/imports-electron.ts');
    await expectReported(
      code,
      'src-main/ledger/imports-electron.ts',
      /^tier 'ledger' may not import 'electron'/,
    );
    // The same text is fine where electron belongs: the report comes from the location.
    await expectClean(code, 'src-main/electron/imports-electron.ts');
  });

  it('head-office/src/imports-src-main.ts: the old relative road into src-main is refused', async () => {
    const code = fixture('head-office/src/imports-src-main.ts');
    const messages = await layering(code, 'head-office/src/imports-src-main.ts');
    expect(messages).toEqual([
      expect.stringMatching(/'\.\.\/\.\.\/src-main\/features\/import\/tabular'.*tier 'services'/),
      expect.stringMatching(/'\.\.\/\.\.\/src-main\/ledger\/ids'.*tier 'ledger'/),
    ]);
    // In tests the same text is fine.
    await expectClean(code.replaceAll('../../', '../../../'), 'tests/unit/x/imports-src-main.ts');
  });

  it('core/impure.ts: every Node and DOM use is named', async () => {
    const code = fixture('core/impure.ts');
    const messages = await layering(code, 'core/impure.ts');
    expect(messages.map((m) => /'([^']+)'/.exec(m.split(' may ')[1]!)?.[1])).toEqual([
      'node:fs',
      'process',
      'window',
      'setTimeout',
    ]);
  });
});

describe('docs/architecture.md', () => {
  it("holds the tier table the rule's own table generates", async () => {
    const script = (await import(
      pathToFileURL(path.join(repoRoot, 'scripts/architecture-doc.mjs')).href
    )) as { DOC: string; withTierTable(doc: string, tiers?: Tier[]): string };
    const doc = readFileSync(script.DOC, 'utf8');
    expect(doc, 'run `node scripts/architecture-doc.mjs`').toBe(script.withTierTable(doc));
    // And the check can fail: a changed table yields a different document.
    const changed = TIERS.map((t) =>
      t.name === 'ledger' ? { ...t, packages: [...t.packages, 'left-pad'] } : t,
    );
    expect(script.withTierTable(doc, changed)).not.toBe(doc);
    expect(script.withTierTable(doc, changed)).toContain('`left-pad`');
  });
});
