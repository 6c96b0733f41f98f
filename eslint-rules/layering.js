// Local ESLint plugin: `local/layering` enforces DESIGN.md §1 "Layout and who may import whom".
//
// The tables below ARE the rule. Change them together with DESIGN.md §1.
//
// A file's layer comes from its path relative to the repo root (the rule option `root`, else
// ESLint's cwd). An import's target is one of: a node builtin (`fs`, `node:fs`, `fs/promises`),
// a package (`zod`, `@scope/pkg/sub`), or a file (relative/absolute path, or a `src-main/...` /
// `src-renderer/...` specifier) whose layer comes from its path the same way.

import { builtinModules } from 'node:module';
import path from 'node:path';

/** Tiers of src-main/ layers, lowest first: a lower tier never imports a higher one. */
// prettier-ignore
export const TIERS = [
  ['contract'],                           // command table: zod schemas, events
  ['domain'],                             // pure rules, no I/O
  ['ledger', 'devices'],                  // SQLite store; printer / card-terminal ports + adapters
  ['services'],                           // use cases
  ['sync', 'api'],                        // head-office sync; dispatch(name, input)
  ['demo'],                               // demo data generator (a use of services/ledger)
  ['app'],                                // composition: open the ledger, build the service context
  ['host', 'cli', 'electron'],            // shells: may import anything below them
];
const ORDER = TIERS.flat();
const tierOf = (layer) => TIERS.findIndex((t) => t.includes(layer));

/** Node-side layer: node builtins and packages allowed (subject to the bans below). */
const NODE = { typeOnly: [], packages: 'any', builtins: true };

/**
 * What each src-main/<layer>/ may import.
 *   layers:   src-main layers it may import (values and types)
 *   typeOnly: src-main layers it may import with `import type` only
 *   packages: 'any' (subject to the bans below) or the list of allowed package names
 *   builtins: whether node builtins are allowed
 */
// prettier-ignore
export const LAYERS = {
  contract: { layers: ['contract'], typeOnly: [],           packages: ['zod'], builtins: false },
  domain:   { layers: ['domain'],   typeOnly: ['contract'], packages: [],      builtins: false },
  ledger:   { ...NODE, layers: ['ledger', 'domain', 'contract'] },
  devices:  { ...NODE, layers: ['devices', 'domain', 'contract'] },
  services: { ...NODE, layers: ['services', 'ledger', 'devices', 'domain', 'contract'] },
  sync:     { ...NODE, layers: ['sync', 'services', 'ledger', 'devices', 'domain', 'contract'] },
  api:      { ...NODE, layers: ['api', 'services', 'ledger', 'devices', 'domain', 'contract'] },
  demo:     { ...NODE, layers: ['demo', 'api', 'sync', 'services', 'ledger', 'devices', 'domain', 'contract'] },
  app:      { ...NODE, layers: ['app', 'demo', 'api', 'sync', 'services', 'ledger', 'devices', 'domain', 'contract'] },
  host:     { ...NODE, layers: ORDER.filter((l) => l !== 'electron' && l !== 'cli') },
  cli:      { ...NODE, layers: ORDER.filter((l) => l !== 'electron' && l !== 'host') },
  electron: { ...NODE, layers: ORDER.filter((l) => l !== 'host' && l !== 'cli') },
};

/** Packages only src-main/electron may import. */
export const ELECTRON_ONLY_PACKAGES = ['electron'];
/** Packages no file in src-main may import. */
export const BANNED_IN_MAIN_PACKAGES = ['react', 'react-dom'];
/** src-renderer/: src-main layers it may import with `import type` only. */
export const RENDERER_TYPE_ONLY_LAYERS = ['contract'];
/** Packages src-renderer/ may not import (Node/Electron-only). Node builtins are banned too. */
export const BANNED_IN_RENDERER_PACKAGES = [
  'electron',
  'better-sqlite3',
  'serialport',
  'ws',
  'node-thermal-printer',
];

// ---------------------------------------------------------------------------------------------

const BUILTINS = new Set(builtinModules);

const toPosix = (p) => p.split(path.sep).join('/');

/** Where a repo-relative posix path sits: { area, layer, label }. */
function locate(rel) {
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) {
    return { area: 'outside', layer: null, label: rel };
  }
  const parts = rel.split('/');
  if (parts[0] === 'src-main') {
    // src-main/<layer>[/...]; a file directly in src-main/ or in an unknown folder has no layer.
    const dir = parts.length > 1 ? parts[1] : '';
    const layer = Object.hasOwn(LAYERS, dir) ? dir : null;
    return { area: 'src-main', layer, label: parts.length > 2 ? `src-main/${dir}` : rel };
  }
  if (parts[0] === 'src-renderer')
    return { area: 'src-renderer', layer: null, label: 'src-renderer' };
  return { area: 'other', layer: null, label: parts[0] };
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Classify an import specifier seen in `file`. */
function classify(spec, file, root) {
  if (spec.startsWith('node:') || BUILTINS.has(spec)) {
    return { kind: 'builtin', name: spec };
  }
  let abs = null;
  if (spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../')) {
    abs = path.resolve(path.dirname(file), spec);
  } else if (spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec)) {
    abs = path.resolve(spec);
  } else if (/^(src-main|src-renderer)(\/|$)/.test(spec)) {
    abs = path.resolve(root, spec);
  }
  if (abs !== null) {
    return { kind: 'file', ...locate(toPosix(path.relative(root, abs))) };
  }
  return { kind: 'package', name: packageName(spec) };
}

function describe(target) {
  if (target.kind === 'builtin') return 'a node builtin';
  if (target.kind === 'package') return `package '${target.name}'`;
  return target.label;
}

const list = (xs) => xs.map((x) => `src-main/${x}`).join(', ') || 'nothing else';

/**
 * Decide one import. Returns a message (string) or null.
 * typeOnly: the import is erased at runtime (`import type`, or every specifier is `type`).
 */
function check(from, target, spec, typeOnly) {
  const q = `'${spec}'`;

  if (from.area === 'src-main') {
    const who = from.label;
    if (target.kind === 'package' && ELECTRON_ONLY_PACKAGES.includes(target.name)) {
      if (from.layer === 'electron') return null;
      return `${who} may not import ${q} (only src-main/electron may import electron)`;
    }
    if (target.kind === 'package' && BANNED_IN_MAIN_PACKAGES.includes(target.name)) {
      return `${who} may not import ${q} (nothing in src-main may import ${BANNED_IN_MAIN_PACKAGES.join('/')})`;
    }
    if (target.kind === 'file' && target.area === 'src-renderer') {
      return `${who} may not import ${q} from src-renderer (src-main never imports src-renderer)`;
    }
    const rules = from.layer ? LAYERS[from.layer] : null;
    if (!rules) return null; // a file outside the known layers: only the global bans apply

    if (target.kind === 'builtin') {
      if (rules.builtins) return null;
      return `${who} may not import ${q} (a node builtin; ${who} may import only ${allowedText(from.layer)})`;
    }
    if (target.kind === 'package') {
      if (rules.packages === 'any' || rules.packages.includes(target.name)) return null;
      return `${who} may not import ${q} (package '${target.name}'; ${who} may import only ${allowedText(from.layer)})`;
    }
    if (target.area !== 'src-main') return null; // e.g. a JSON file elsewhere in the repo
    if (target.layer && rules.layers.includes(target.layer)) return null;
    if (target.layer && rules.typeOnly.includes(target.layer)) {
      if (typeOnly) return null;
      return `${who} may import ${target.label} only with 'import type' (${q} is a value import)`;
    }
    const dir =
      target.layer && tierOf(target.layer) > tierOf(from.layer)
        ? 'an upward import'
        : 'not an allowed dependency';
    return `${who} may not import ${q} (${describe(target)}: ${dir}; ${who} may import only ${allowedText(from.layer)})`;
  }

  if (from.area === 'src-renderer') {
    const who = 'src-renderer';
    if (target.kind === 'builtin') {
      return `${who} may not import ${q} (a node builtin; the renderer never imports Node or Electron)`;
    }
    if (target.kind === 'package') {
      if (!BANNED_IN_RENDERER_PACKAGES.includes(target.name)) return null;
      return `${who} may not import ${q} (main-process package; the renderer never imports Node or Electron)`;
    }
    if (target.area !== 'src-main') return null;
    if (target.layer && RENDERER_TYPE_ONLY_LAYERS.includes(target.layer)) {
      if (typeOnly) return null;
      return `${who} may import ${target.label} only with 'import type' (${q} is a value import)`;
    }
    return `${who} may not import ${q} (${target.label}; the renderer may import only src-main/contract, type-only, and talks to main through its api client)`;
  }

  return null; // tests/, bench/, scripts/, head-office/, config files: unrestricted
}

function allowedText(layer) {
  const r = LAYERS[layer];
  const parts = [];
  if (r.layers.length) parts.push(list(r.layers));
  if (r.typeOnly.length) parts.push(`${list(r.typeOnly)} (import type only)`);
  if (r.packages === 'any') parts.push('packages (but not electron/react)');
  else if (r.packages.length) parts.push(r.packages.map((p) => `'${p}'`).join(', '));
  if (r.builtins) parts.push('node builtins');
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------

/** True when every specifier of an import/export is a type (and there is at least one). */
function allSpecifiersAreTypes(node, kindKey) {
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s[kindKey] === 'type');
}

/** @type {import('eslint').Rule.RuleModule} */
const layering = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Enforce the import layering of DESIGN.md §1 (who may import whom)',
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
    const from = locate(toPosix(path.relative(root, file)));
    if (from.area !== 'src-main' && from.area !== 'src-renderer') return {};

    function report(node, spec, typeOnly) {
      if (typeof spec !== 'string') return;
      const message = check(from, classify(spec, file, root), spec, typeOnly);
      if (message) context.report({ node, messageId: 'layering', data: { message } });
    }

    const literal = (n) =>
      n && n.type === 'Literal' && typeof n.value === 'string' ? n.value : null;
    const template = (n) =>
      n && n.type === 'TemplateLiteral' && n.expressions.length === 0
        ? n.quasis[0].value.cooked
        : null;

    return {
      ImportDeclaration(node) {
        const typeOnly = node.importKind === 'type' || allSpecifiersAreTypes(node, 'importKind');
        report(node.source, node.source.value, typeOnly);
      },
      ExportNamedDeclaration(node) {
        if (!node.source) return;
        const typeOnly = node.exportKind === 'type' || allSpecifiersAreTypes(node, 'exportKind');
        report(node.source, node.source.value, typeOnly);
      },
      ExportAllDeclaration(node) {
        report(node.source, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        const spec = literal(node.source) ?? template(node.source);
        if (spec !== null) report(node.source, spec, false);
      },
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments.length >= 1
        ) {
          const spec = literal(node.arguments[0]) ?? template(node.arguments[0]);
          if (spec !== null) report(node.arguments[0], spec, false);
        }
      },
      // `import x = require('y')` (TypeScript)
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref.type !== 'TSExternalModuleReference') return;
        const spec = literal(ref.expression);
        if (spec !== null) report(ref.expression, spec, node.importKind === 'type');
      },
    };
  },
};

export default { meta: { name: 'local' }, rules: { layering } };
