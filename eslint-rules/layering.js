// Local ESLint plugin: `local/layering`. Every file of the repo belongs to one tier, chosen by its
// path; the TIERS table below says what each tier may import. The table IS the rule and the single
// source of truth: docs/architecture.md's tier table is generated from it
// (`node scripts/architecture-doc.mjs`) and tests/unit/lint fails when the two differ.
//
// A file's tier comes from its path relative to the repo root (the rule option `root`, else
// ESLint's cwd). An import's target is one of: a node builtin (`fs`, `node:fs`, `fs/promises`),
// the core package (`@heating-cashier/core`, `@heating-cashier/core/<file>`), another package
// (`zod`, `@scope/pkg/sub`), or a file (relative or absolute path) whose tier comes from its path
// the same way. Type-only imports count like value imports: a type is a dependency too.

import { existsSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import globals from 'globals';

/** The shared core's package name; the only way into core/ from outside it. */
export const CORE_PACKAGE = '@heating-cashier/core';

const SRC_MAIN_BELOW_SHELLS = ['core', 'ledger', 'devices', 'services', 'api', 'demo', 'app'];
const PRODUCT = [...SRC_MAIN_BELOW_SHELLS, 'host', 'cli', 'electron', 'renderer', 'head-office'];

/**
 * The tiers. A file belongs to the tier whose `paths` match it; a file pattern (`*.store.ts`,
 * `handlers.ts`) beats a folder pattern (`.../**`), so a feature folder's store is ledger tier
 * though the folder is services tier. A file no tier claims, or two tiers claim alike, is an error.
 *
 *   level:    src-main order, lowest first; a tier imports only tiers listed in `imports`, which
 *             never include a higher level (null: not part of the src-main stack)
 *   imports:  the tiers it may import besides its own (core only as `@heating-cashier/core/...`)
 *   packages: the closed list of npm packages it may import (any subpath); anything else is an error
 *   node:     whether node builtins are allowed
 *   globals:  'es' = ECMAScript globals only (no Node, no DOM), 'browser' = no Node-only globals,
 *             'any' = unchecked
 */
// prettier-ignore
export const TIERS = [
  {
    name: 'core', level: 0, paths: ['core/**'],
    role: 'the shared package @heating-cashier/core: money, tenders, rules, hash chain, wire and event schemas; pure',
    imports: [],
    packages: ['zod', '@noble/hashes', 'csv-parse'],
    node: false, globals: 'es',
  },
  {
    name: 'ledger', level: 1,
    paths: ['src-main/ledger/**', 'src-main/features/*/**/*.store.ts', 'src-main/features/*/**/*.projector.ts'],
    role: 'the SQLite store: db, migrations runner, event log, statements, projectors, write transaction',
    imports: ['core'],
    packages: ['better-sqlite3', 'pinyin-pro', 'uuid'],
    node: true, globals: 'any',
  },
  {
    name: 'devices', level: 1, paths: ['src-main/devices/**'],
    role: 'printer, card-terminal and PDF ports and adapters',
    imports: ['core'],
    packages: ['serialport', 'node-thermal-printer', 'receiptline', 'playwright-core', 'zod'],
    node: true, globals: 'any',
  },
  {
    name: 'services', level: 2, paths: ['src-main/services/**', 'src-main/features/**'],
    role: 'use cases (every feature file that is not a store, projector or handlers.ts)',
    imports: ['core', 'ledger', 'devices'],
    packages: ['zod', 'exceljs', 'csv-parse', 'receiptline', 'pino'],
    node: true, globals: 'any',
  },
  {
    name: 'api', level: 3, paths: ['src-main/api/**', 'src-main/features/*/handlers.ts'],
    role: 'transport to use case: dispatch(name, input) and the one-line handlers',
    imports: ['core', 'ledger', 'devices', 'services'],
    packages: ['zod'],
    node: true, globals: 'any',
  },
  {
    name: 'demo', level: 4, paths: ['src-main/demo/**'],
    role: 'the deterministic demo district generator',
    imports: ['core', 'ledger', 'devices', 'services', 'api'],
    packages: [],
    node: true, globals: 'any',
  },
  {
    name: 'app', level: 5, paths: ['src-main/app/**'],
    role: 'the composition root: opens the ledger, builds the runtime record and the service context',
    imports: ['core', 'ledger', 'devices', 'services', 'api', 'demo'],
    packages: ['mime-types', 'pino'],
    node: true, globals: 'any',
  },
  {
    name: 'host', level: 6, paths: ['src-main/host/**'],
    role: 'shell: plain-Node host serving the renderer and the WebSocket API',
    imports: SRC_MAIN_BELOW_SHELLS,
    packages: ['ws', 'zod'],
    node: true, globals: 'any',
  },
  {
    name: 'cli', level: 6, paths: ['src-main/cli/**'],
    role: 'shell: command line (call, list, demo seed, receipt, printer simulator)',
    imports: SRC_MAIN_BELOW_SHELLS,
    packages: ['zod'],
    node: true, globals: 'any',
  },
  {
    name: 'electron', level: 6, paths: ['src-main/electron/**'],
    role: 'shell: the Electron main process, preload and IPC bridge; the only importer of electron',
    imports: SRC_MAIN_BELOW_SHELLS,
    packages: ['electron', 'electron-updater', 'zod'],
    node: true, globals: 'any',
  },
  {
    name: 'renderer', level: null, paths: ['src-renderer/**'],
    role: 'the React counter UI; talks to main only through its api client',
    imports: ['core'],
    packages: ['react', 'react-dom', 'antd', 'echarts', 'i18next', 'react-i18next'],
    node: false, globals: 'browser',
  },
  {
    name: 'head-office', level: null, paths: ['head-office/src/**'],
    role: 'the head-office service: sync API on PostgreSQL/PGlite, master data, cheques',
    imports: ['core'],
    packages: ['fastify', '@fastify/bearer-auth', 'pg', '@electric-sql/pglite', 'zod', 'exceljs', 'csv-parse', 'js-yaml', 'alipay-sdk'],
    node: true, globals: 'any',
  },
  {
    name: 'tests', level: null, paths: ['tests/**'],
    role: 'unit, integration, fault and e2e tests and their support code',
    imports: [...PRODUCT, 'bench', 'scripts', 'eslint-rules'],
    packages: [
      'vitest', 'fast-check', 'playwright-core', 'better-sqlite3', 'exceljs', 'pinyin-pro', 'ws',
      'pg', 'receiptline', 'npos', 'esbuild', 'eslint', 'typescript-eslint', 'js-yaml',
      '@electron/fuses', '@electron/asar', 'semver', 'app-builder-lib', 'builder-util',
      'electron-updater', 'builder-util-runtime', // the update feed read as electron-updater reads it
      // component tests render the renderer's components (happy-dom + Testing Library)
      'react', 'react-dom', 'react-i18next', 'antd', '@testing-library/react',
      '@testing-library/dom', '@testing-library/user-event', 'happy-dom',
    ],
    node: true, globals: 'any',
  },
  {
    name: 'bench', level: null, paths: ['bench/**'],
    role: 'benchmarks writing bench/results.json',
    imports: [...PRODUCT, 'tests'],
    packages: ['better-sqlite3', 'exceljs', 'pinyin-pro', 'playwright-core', 'receiptline', 'ws', 'pg'],
    node: true, globals: 'any',
  },
  {
    name: 'scripts', level: null, paths: ['scripts/**', '*.config.{js,mjs,cjs,ts}'],
    role: 'build and start scripts, root config files',
    imports: [...PRODUCT, 'eslint-rules'],
    packages: [
      'electron', '@electron/fuses', 'esbuild', 'vite', '@vitejs/plugin-react', 'vitest', 'eslint',
      '@eslint/js', 'globals', 'typescript-eslint', 'pg',
    ],
    node: true, globals: 'any',
  },
  {
    name: 'eslint-rules', level: null, paths: ['eslint-rules/**'],
    role: 'this rule',
    imports: [],
    packages: ['globals'],
    node: true, globals: 'any',
  },
];

/** ECMAScript globals core may use; Node and DOM globals it may not (the same lists ESLint uses). */
const ES_GLOBALS = new Set(Object.keys(globals.builtin));
const without = (names, ...sets) => names.filter((n) => !sets.some((s) => s.has(n)));
const NODE_GLOBALS = new Set(Object.keys(globals.node));
const BROWSER_GLOBALS = new Set([
  ...Object.keys(globals.browser),
  ...Object.keys(globals.worker),
  ...Object.keys(globals.serviceworker),
]);
/**
 * Web-platform globals core may use all the same: the WHATWG Encoding API is deterministic, does no
 * I/O and is the same in Node, browsers and workers (core/tabular.ts decodes UTF-8 with it).
 */
export const PURE_PLATFORM_GLOBALS = new Set(['TextDecoder', 'TextEncoder']);
/** Globals a tier may not use, by its `globals` setting. `NodeJS` is @types/node's namespace. */
export const FORBIDDEN_GLOBALS = {
  es: new Set([
    ...without([...NODE_GLOBALS, ...BROWSER_GLOBALS], ES_GLOBALS, PURE_PLATFORM_GLOBALS),
    'NodeJS',
  ]),
  browser: new Set([...without([...NODE_GLOBALS], ES_GLOBALS, BROWSER_GLOBALS), 'NodeJS']),
  any: new Set(),
};

// ---------------------------------------------------------------------------------------------

const BUILTINS = new Set(builtinModules);
const BY_NAME = new Map(TIERS.map((t) => [t.name, t]));

const escape = (s) => s.replace(/[.+^$()|[\]\\?]/g, '\\$&');

/** A glob (`*`, `**`, `{a,b}`) as an anchored RegExp over a repo-relative posix path. */
export function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const folders = glob[i + 2] === '/';
      re += folders ? '(?:[^/]+/)*' : '.*';
      i += folders ? 2 : 1;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      re += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map(escape)
        .join('|')})`;
      i = end;
    } else {
      re += escape(c);
    }
  }
  return new RegExp(`^${re}$`);
}

const PATTERNS = TIERS.flatMap((t) =>
  t.paths.map((glob) => ({ tier: t.name, re: globToRegExp(glob), folder: glob.endsWith('/**') })),
);

/**
 * The tier of a repo-relative posix path: { tier } or { tier: null, matches } where matches lists
 * the tiers claiming it alike (empty: unclassified, several: the table is ambiguous).
 */
export function tierOfPath(rel) {
  const hits = PATTERNS.filter((p) => p.re.test(rel));
  const files = hits.filter((p) => !p.folder);
  const best = [...new Set((files.length > 0 ? files : hits).map((p) => p.tier))];
  return best.length === 1 ? { tier: best[0], matches: best } : { tier: null, matches: best };
}

export function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const toPosix = (p) => p.split(path.sep).join('/');
const CODE_EXT = /\.(?:[cm]?[jt]sx?|json|css)$/;

/** The repo-relative file an import of a path names (an extensionless import means `.ts`). */
function targetFile(abs, root) {
  let file = abs;
  if (existsSync(abs) && statSync(abs).isDirectory()) file = path.join(abs, 'index.ts');
  else if (/\.[cm]?jsx?$/.test(abs) && !existsSync(abs))
    file = abs.replace(/\.([cm]?)js(x?)$/, '.$1ts$2');
  else if (!CODE_EXT.test(abs)) file = `${abs}.ts`;
  return toPosix(path.relative(root, file));
}

/** Classify an import specifier seen in `file`. */
function classify(spec, file, root) {
  const bare = spec.replace(/[?#].*$/, '');
  if (bare.startsWith('node:') || BUILTINS.has(bare)) return { kind: 'builtin' };
  if (bare === CORE_PACKAGE || bare.startsWith(`${CORE_PACKAGE}/`)) {
    return { kind: 'file', tier: 'core', rel: bare, byPackage: true };
  }
  let abs = null;
  if (bare === '.' || bare === '..' || bare.startsWith('./') || bare.startsWith('../')) {
    abs = path.resolve(path.dirname(file), bare);
  } else if (bare.startsWith('/') || /^[A-Za-z]:[\\/]/.test(bare)) {
    abs = path.resolve(bare);
  }
  if (abs === null) return { kind: 'package', name: packageName(bare) };
  const rel = targetFile(abs, root);
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) {
    return { kind: 'outside', rel };
  }
  return { kind: 'file', tier: tierOfPath(rel).tier, rel, byPackage: false };
}

const quote = (names) => names.map((n) => `'${n}'`).join(', ');

function mayImportText(tier) {
  const tiers = tier.imports.length ? `tiers ${quote(tier.imports)} and its own` : 'its own tier';
  return `tier '${tier.name}' may import ${tiers}`;
}

/** The package path for a file in core/, e.g. core/contract/index.ts -> @heating-cashier/core/contract. */
function corePackagePath(rel) {
  const sub = rel
    .replace(/^core\/?/, '')
    .replace(/\.[cm]?[jt]sx?$/, '')
    .replace(/(^|\/)index$/, '');
  return sub ? `${CORE_PACKAGE}/${sub}` : CORE_PACKAGE;
}

/** Decide one import of `spec` from a file of tier `from`. Returns a message or null. */
function check(from, target, spec) {
  const head = `tier '${from.name}' may not import '${spec}'`;
  if (target.kind === 'builtin') {
    if (from.node) return null;
    return `${head}: a node builtin (tier '${from.name}' runs without Node)`;
  }
  if (target.kind === 'package') {
    if (from.packages.includes(target.name)) return null;
    const listed = TIERS.filter((t) => t.packages.includes(target.name)).map((t) => t.name);
    const where = listed.length ? `listed only for ${quote(listed)}` : 'listed for no tier';
    return `${head}: package '${target.name}' is not on tier '${from.name}''s package list (${where})`;
  }
  if (target.kind === 'outside') return `${head}: it resolves outside the repository`;
  if (target.tier === null) return `${head}: ${target.rel} belongs to no tier`;
  if (target.tier === 'core' && from.name !== 'core' && !target.byPackage) {
    return `${head}: import core by its package path '${corePackagePath(target.rel)}'`;
  }
  if (target.tier === from.name || from.imports.includes(target.tier)) return null;
  const to = BY_NAME.get(target.tier);
  const upward = from.level !== null && to.level !== null && to.level > from.level;
  const what = upward ? 'a higher tier' : 'not an allowed dependency';
  return `${head}: ${target.rel} is in tier '${to.name}', ${what} (${mayImportText(from)})`;
}

// ---------------------------------------------------------------------------------------------

/** Every reference to a global the file does not declare itself (config or lib globals included). */
function globalReferences(globalScope) {
  const refs = [...globalScope.through];
  for (const v of globalScope.variables) if (v.defs.length === 0) refs.push(...v.references);
  return refs;
}

/** @type {import('eslint').Rule.RuleModule} */
const layering = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Every file belongs to a tier chosen by its path; enforce what each tier may import (docs/architecture.md)',
    },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' } },
        additionalProperties: false,
      },
    ],
    messages: { layering: '{{message}}' },
  },
  create(context) {
    const root = path.resolve(context.options[0]?.root ?? context.cwd);
    const file = path.resolve(root, context.physicalFilename ?? context.filename);
    const rel = toPosix(path.relative(root, file));
    const found = tierOfPath(rel);
    const from = found.tier ? BY_NAME.get(found.tier) : null;
    const say = (node, message) =>
      context.report({ node, messageId: 'layering', data: { message } });

    if (!from) {
      return {
        Program(node) {
          if (found.matches.length === 0) {
            say(
              node,
              `${rel} belongs to no tier: add its path to TIERS in eslint-rules/layering.js`,
            );
          } else {
            say(
              node,
              `${rel} is claimed by tiers ${quote(found.matches)} alike: make TIERS unambiguous`,
            );
          }
        },
      };
    }

    function report(node, spec) {
      if (typeof spec !== 'string') return;
      const message = check(from, classify(spec, file, root), spec);
      if (message) say(node, message);
    }

    const forbidden = FORBIDDEN_GLOBALS[from.globals];
    const globalText =
      from.globals === 'es'
        ? `a Node or DOM global; tier '${from.name}' is pure: no Node, no DOM, no I/O`
        : `a Node global; tier '${from.name}' runs in the browser`;

    const literal = (n) =>
      n && n.type === 'Literal' && typeof n.value === 'string' ? n.value : null;
    const template = (n) =>
      n && n.type === 'TemplateLiteral' && n.expressions.length === 0
        ? n.quasis[0].value.cooked
        : null;

    return {
      ImportDeclaration(node) {
        report(node.source, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source) report(node.source, node.source.value);
      },
      ExportAllDeclaration(node) {
        report(node.source, node.source.value);
      },
      ImportExpression(node) {
        const spec = literal(node.source) ?? template(node.source);
        if (spec !== null) report(node.source, spec);
      },
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments.length >= 1
        ) {
          const spec = literal(node.arguments[0]) ?? template(node.arguments[0]);
          if (spec !== null) report(node.arguments[0], spec);
        }
      },
      // `import x = require('y')` (TypeScript)
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref.type !== 'TSExternalModuleReference') return;
        const spec = literal(ref.expression);
        if (spec !== null) report(ref.expression, spec);
      },
      // `typeof import('y')` in a type position
      TSImportType(node) {
        const arg = node.argument;
        const spec = arg?.type === 'TSLiteralType' ? literal(arg.literal) : literal(arg);
        if (spec !== null) report(node, spec);
      },
      // `globalThis.process`: the same global by another road.
      MemberExpression(node) {
        if (forbidden.size === 0) return;
        const { object, property } = node;
        if (object.type !== 'Identifier' || object.name !== 'globalThis') return;
        const name = node.computed ? literal(property) : property.name;
        if (name && forbidden.has(name)) {
          say(node, `tier '${from.name}' may not use the global '${name}' (${globalText})`);
        }
      },
      'Program:exit'(node) {
        if (forbidden.size === 0) return;
        for (const ref of globalReferences(context.sourceCode.getScope(node))) {
          const name = ref.identifier.name;
          if (forbidden.has(name)) {
            say(
              ref.identifier,
              `tier '${from.name}' may not use the global '${name}' (${globalText})`,
            );
          }
        }
      },
    };
  },
};

export default { meta: { name: 'local' }, rules: { layering } };
