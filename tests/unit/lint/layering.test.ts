// Proves the `local/layering` ESLint rule (eslint-rules/layering.js) enforces DESIGN.md §1, through
// the real repo eslint.config.js. Files are virtual: lintText(code, { filePath }) decides the layer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const pluginUrl = pathToFileURL(path.join(repoRoot, 'eslint-rules/layering.js')).href;
const { default: localPlugin } = (await import(pluginUrl)) as { default: ESLint.Plugin };
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
  expect(messages, `expected a layering error for ${filePath}:\n${code}`).toHaveLength(1);
  for (const p of patterns) expect(messages[0]).toMatch(p);
}

async function expectClean(code: string, filePath: string) {
  expect(await layering(code, filePath), `expected no layering error for ${filePath}`).toEqual([]);
}

describe('config wiring', () => {
  it('applies local/layering as an error to src-main and src-renderer, not to tests', async () => {
    const severity = async (f: string) =>
      ((await eslint.calculateConfigForFile(f)) as Linter.Config).rules?.['local/layering'];
    expect(await severity('src-main/domain/money.ts')).toEqual([2, { root: expect.any(String) }]);
    expect(await severity('src-renderer/features/home/Home.tsx')).toEqual([
      2,
      { root: expect.any(String) },
    ]);
    expect(await severity('tests/unit/domain/money.test.ts')).toBeUndefined();
  });
});

describe('electron is imported only by src-main/electron', () => {
  it('reports src-main/ledger importing electron', async () => {
    await expectReported(
      "import { app } from 'electron';\nexport const p = app.getPath('userData');\n",
      'src-main/ledger/x.ts',
      /src-main\/ledger may not import 'electron'/,
      /only src-main\/electron may/,
    );
  });

  it('reports an electron subpath import from src-main/host', async () => {
    await expectReported(
      "import * as e from 'electron/main';\nexport const x = e;\n",
      'src-main/host/server.ts',
      /src-main\/host may not import 'electron\/main'/,
    );
  });

  it('allows src-main/electron/main.ts to import electron', async () => {
    await expectClean(
      "import { app } from 'electron';\nexport const p = app.getPath('userData');\n",
      'src-main/electron/main.ts',
    );
  });

  it.each([
    ["const { app } = require('electron');\nexport const x = app;\n", 'require'],
    ["export const load = () => import('electron');\n", 'import()'],
    ['export const load = () => import(`electron`);\n', 'import() with a template literal'],
  ])('reports %s in src-main/services (%s)', async (code) => {
    await expectReported(
      code,
      'src-main/services/pay.ts',
      /src-main\/services may not import 'electron'/,
    );
  });
});

describe('src-main/domain is pure', () => {
  it.each([
    ["import { createHash } from 'node:crypto';\nexport const h = createHash;\n", /a node builtin/],
    ["import { createHash } from 'crypto';\nexport const h = createHash;\n", /a node builtin/],
    [
      "import Database from 'better-sqlite3';\nexport const D = Database;\n",
      /package 'better-sqlite3'/,
    ],
    ["import { z } from 'zod';\nexport const s = z.string();\n", /package 'zod'/],
    ["import { open } from '../ledger/db';\nexport const o = open;\n", /src-main\/ledger/],
    ["import type { Db } from '../ledger/db';\nexport type D = Db;\n", /src-main\/ledger/],
  ])('reports %s', async (code, reason) => {
    await expectReported(
      code,
      'src-main/domain/money.ts',
      /src-main\/domain may not import/,
      reason,
    );
  });

  it('allows type-only imports of src-main/contract', async () => {
    await expectClean(
      "import type { X } from '../contract/commands';\nexport type Y = X;\n",
      'src-main/domain/money.ts',
    );
    await expectClean(
      "export type { X } from '../contract/commands';\n",
      'src-main/domain/money.ts',
    );
  });

  it('accepts `import { type X }` for layering, but the config asks for `import type`', async () => {
    const code = "import { type X } from '../contract/commands';\nexport type Y = X;\n";
    await expectClean(code, 'src-main/domain/money.ts');
    const rules = (await lint(code, 'src-main/domain/money.ts')).map((m) => m.ruleId);
    expect(rules).toEqual(['@typescript-eslint/no-import-type-side-effects']);
  });

  it.each([
    "import { commands } from '../contract/commands';\nexport const c = commands;\n",
    "import { type X, commands } from '../contract/commands';\nexport const c: X = commands;\n",
    "export { commands } from '../contract/commands';\n",
    "export * from '../contract/commands';\n",
  ])('reports a value import of src-main/contract: %s', async (code) => {
    await expectReported(
      code,
      'src-main/domain/money.ts',
      /src-main\/domain may import src-main\/contract only with 'import type'/,
    );
  });

  it('allows imports inside src-main/domain', async () => {
    await expectClean(
      "import { fen } from './money';\nexport const f = fen;\n",
      'src-main/domain/fees/charge.ts',
    );
  });
});

describe('src-main/contract imports zod and itself only', () => {
  it('allows zod, zod subpaths and contract files', async () => {
    await expectClean(
      "import { z } from 'zod';\nimport * as z4 from 'zod/v4';\nimport { ev } from './events';\nexport const s = [z, z4, ev];\n",
      'src-main/contract/commands.ts',
    );
  });

  it.each([
    ["import { randomUUID } from 'node:crypto';\nexport const r = randomUUID;\n", /a node builtin/],
    ["import { fen } from '../domain/money';\nexport const f = fen;\n", /src-main\/domain/],
    ["import ws from 'ws';\nexport const w = ws;\n", /package 'ws'/],
  ])('reports %s', async (code, reason) => {
    await expectReported(
      code,
      'src-main/contract/commands.ts',
      /src-main\/contract may not import/,
      reason,
    );
  });
});

describe('layer order: a lower layer never imports a higher one', () => {
  it('reports src-main/ledger importing ../services/x', async () => {
    await expectReported(
      "import { x } from '../services/x';\nexport const y = x;\n",
      'src-main/ledger/db.ts',
      /src-main\/ledger may not import '\.\.\/services\/x'/,
      /src-main\/services: an upward import/,
    );
  });

  it.each([
    ['src-main/devices/printer/escpos.ts', "import { open } from '../../ledger/db';"],
    ['src-main/ledger/db.ts', "import { open } from '../devices/printer/port';"],
    ['src-main/services/pay.ts', "import { open } from '../api/dispatch';"],
    ['src-main/api/dispatch.ts', "import { open } from '../host/server';"],
    ['src-main/sync/worker.ts', "import { open } from '../api/dispatch';"],
    ['src-main/ledger/db.ts', "import { open } from '../util/x';"],
  ])('reports %s: %s', async (file, imp) => {
    const layer = file.split('/').slice(0, 2).join('/');
    const spec = imp.split("'")[1]!;
    await expectReported(
      `${imp}\nexport const o = open;\n`,
      file,
      new RegExp(`^${layer} may not import '${spec.replaceAll('.', '\\.')}'`),
    );
  });

  it.each([
    ['src-main/ledger/db.ts', "import { open } from '../domain/hash-chain';"],
    ['src-main/ledger/db.ts', "import Database from 'better-sqlite3';\nconst open = Database;"],
    ['src-main/ledger/db.ts', "import { open } from 'node:fs';"],
    ['src-main/devices/printer/escpos.ts', "import { open } from '../../contract/commands';"],
    ['src-main/services/pay.ts', "import { open } from '../ledger/db';"],
    ['src-main/services/pay.ts', "import { open } from '../devices/card-terminal/zvt';"],
    ['src-main/sync/worker.ts', "import { open } from '../services/pay';"],
    ['src-main/api/dispatch.ts', "import { open } from '../services/pay';"],
    ['src-main/host/server.ts', "import { open } from '../api/dispatch';"],
    ['src-main/host/server.ts', "import { open } from '../demo/seed';"],
    ['src-main/cli/main.ts', "import { open } from '../sync/worker';"],
  ])('allows %s: %s', async (file, imp) => {
    await expectClean(`${imp}\nexport const o = open;\n`, file);
  });
});

describe('no react or renderer code in src-main', () => {
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
  ])('reports %s in %s', async (code, file) => {
    await expectReported(
      code,
      file,
      /may not import 'react/,
      /nothing in src-main may import react/,
    );
  });

  it('reports src-main importing src-renderer', async () => {
    await expectReported(
      "import { client } from '../../src-renderer/api/client';\nexport const c = client;\n",
      'src-main/host/server.ts',
      /src-main never imports src-renderer/,
    );
  });
});

describe('src-renderer talks to main only through types', () => {
  const file = 'src-renderer/features/home/Home.tsx';

  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", /a node builtin/],
    ["import { readFileSync } from 'fs';\nexport const r = readFileSync;\n", /a node builtin/],
    [
      "import { open } from '../../../src-main/ledger/db';\nexport const o = open;\n",
      /src-main\/ledger/,
    ],
    [
      "import Database from 'better-sqlite3';\nexport const D = Database;\n",
      /main-process package/,
    ],
    [
      "import { SerialPort } from 'serialport';\nexport const S = SerialPort;\n",
      /main-process package/,
    ],
    [
      "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
      /main-process package/,
    ],
    ["import WebSocket from 'ws';\nexport const W = WebSocket;\n", /main-process package/],
  ])('reports %s', async (code, reason) => {
    await expectReported(code, file, /src-renderer may not import/, reason);
  });

  it('reports src-renderer/api importing src-main/ledger (the path from the brief)', async () => {
    await expectReported(
      "import { open } from '../../src-main/ledger/db';\nexport const o = open;\n",
      'src-renderer/api/client.ts',
      /src-renderer may not import '\.\.\/\.\.\/src-main\/ledger\/db'/,
    );
  });

  it('reports a value import of src-main/contract', async () => {
    await expectReported(
      "import { commands } from '@heating-cashier/core/contract/commands';\nexport const c = commands;\n",
      file,
      /src-renderer may import src-main\/contract only with 'import type'/,
    );
  });

  it('allows `import type` from src-main/contract, and browser packages', async () => {
    await expectClean(
      [
        "import type { CommandName } from '@heating-cashier/core/contract/commands';",
        "import { useState } from 'react';",
        "import { z } from 'zod';",
        'export const x: CommandName | undefined = undefined;',
        'export const y = [useState, z];',
        '',
      ].join('\n'),
      file,
    );
  });
});

describe('files outside src-main and src-renderer are unrestricted', () => {
  // The repo config only turns the rule on for src-main/src-renderer; here it is on for every
  // file, to prove the rule itself leaves the rest of the repo alone.
  const everywhere = new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx,js,mjs}'],
        languageOptions: { parser: tseslint.parser },
        plugins: { local: localPlugin },
        rules: { 'local/layering': ['error', { root: repoRoot }] },
      },
    ],
  });
  const code =
    "import { app } from 'electron';\nimport { readFileSync } from 'node:fs';\nimport { open } from '../src-main/ledger/db';\nexport const x = [app, readFileSync, open];\n";

  it.each([
    'tests/unit/x.test.ts',
    'bench/run.ts',
    'scripts/start.mjs',
    'head-office/src/server.ts',
  ])('%s may import electron, node builtins and any src-main layer', async (file) => {
    const [result] = await everywhere.lintText(code, { filePath: file });
    expect(result!.messages).toEqual([]);
    await expectClean(code, file); // and through the repo config
  });

  it('the same text is reported in src-main/domain under that config', async () => {
    const [result] = await everywhere.lintText(code, { filePath: 'src-main/domain/x.ts' });
    expect(result!.messages.map((m) => m.ruleId)).toEqual([
      'local/layering',
      'local/layering',
      'local/layering',
    ]);
  });
});

describe('on-disk fixture', () => {
  it('tests/fixtures/lint/src-main/ledger/imports-electron.ts is reported when placed in src-main/ledger', async () => {
    const fixture = path.join(repoRoot, 'tests/fixtures/lint/src-main/ledger/imports-electron.ts');
    const code = readFileSync(fixture, 'utf8');
    await expectReported(
      code,
      'src-main/ledger/imports-electron.ts',
      /src-main\/ledger may not import 'electron' \(only src-main\/electron may/,
    );
    // The same text is fine where electron belongs: the report comes from the location.
    await expectClean(code, 'src-main/electron/imports-electron.ts');
  });
});
