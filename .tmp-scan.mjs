import { parse } from '@typescript-eslint/typescript-estree';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { builtinModules } from 'node:module';
const files = execSync("git ls-files -co --exclude-standard", {encoding:'utf8'}).split('\n').filter(f=>/\.(js|mjs|cjs|ts|mts|cts|tsx)$/.test(f) && !f.startsWith('tests/fixtures/'));
const out = [];
for (const f of files) {
  let src; try { src = readFileSync(f,'utf8'); } catch { continue; }
  let ast; try { ast = parse(src, {jsx: f.endsWith('x'), loc:true}); } catch(e) { console.error('PARSE', f, e.message); continue; }
  const specs = [];
  const walk = (n) => { if (!n || typeof n !== 'object') return; if (Array.isArray(n)) return n.forEach(walk);
    if ((n.type==='ImportDeclaration'||n.type==='ExportNamedDeclaration'||n.type==='ExportAllDeclaration') && n.source) specs.push([n.source.value, n.importKind||n.exportKind]);
    if (n.type==='ImportExpression' && n.source.type==='Literal') specs.push([n.source.value,'dyn']);
    if (n.type==='CallExpression' && n.callee.type==='Identifier' && n.callee.name==='require' && n.arguments[0]?.type==='Literal') specs.push([n.arguments[0].value,'req']);
    for (const k in n) if (k!=='parent' && k !== 'loc' && k!=='range') walk(n[k]); };
  walk(ast);
  for (const [s,k] of specs) out.push(`${f}\t${s}\t${k}`);
}
console.log(out.join('\n'));
