/**
 * Fills a printer template (receiptline markup with mustache-like placeholders) with data.
 * Pure code: no I/O. Templates are data in `printer-templates/`; they never contain logic beyond
 *   {{name}}            a value, escaped so it prints literally (no markup injection)
 *   {{{name}}}          a value inserted as markup (only for values built by our own fillers)
 *   {{#name}}…{{/name}} a section: repeated per array item (item fields in scope), once if truthy
 *   {{^name}}…{{/name}} an inverted section: once if the value is falsy or an empty array
 * Names may be dotted (`household.name`). Lines that hold only a section tag vanish.
 */

export type TemplateValue =
  string | number | boolean | null | undefined | TemplateScope | readonly TemplateScope[];
export interface TemplateScope {
  readonly [key: string]: TemplateValue;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const SPECIAL = /[\\|{}~_"`^=-]/g;

/** Makes any text print literally in receiptline: special characters escaped, controls removed. */
export function escapeMarkup(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(SPECIAL, (c) => `\\${c}`)
  );
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; raw: boolean }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[] };

const TAG = /\{\{(\{)?\s*([#^/]?)\s*([A-Za-z0-9_.]+)\s*\}?\}\}/g;

function parse(template: string): Node[] {
  // A line that holds nothing but one section tag disappears with its newline.
  const source = template.replace(/^[ \t]*(\{\{[#^/][^}]+\}\})[ \t]*\r?\n/gm, '$1');
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const top = stack[stack.length - 1]!;
    if (m.index > last) top.children.push({ kind: 'text', text: source.slice(last, m.index) });
    last = m.index + m[0].length;
    const [, brace, sigil, name] = m as unknown as [string, string | undefined, string, string];
    if (sigil === '#' || sigil === '^') {
      const node: Node = { kind: 'section', name, inverted: sigil === '^', children: [] };
      top.children.push(node);
      stack.push({ name, children: node.children });
    } else if (sigil === '/') {
      if (stack.length === 1 || top.name !== name) {
        throw new TemplateError(`unexpected {{/${name}}}`);
      }
      stack.pop();
    } else {
      top.children.push({ kind: 'var', name, raw: brace === '{' });
    }
  }
  if (stack.length > 1) throw new TemplateError(`unclosed {{#${stack[stack.length - 1]!.name}}}`);
  if (last < source.length) root.push({ kind: 'text', text: source.slice(last) });
  return root;
}

function lookup(scopes: readonly TemplateScope[], name: string): TemplateValue {
  const [head, ...rest] = name.split('.');
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i]!;
    if (head !== undefined && Object.hasOwn(scope, head)) {
      let value: TemplateValue = scope[head];
      for (const part of rest) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
        value = Object.hasOwn(value, part) ? (value as TemplateScope)[part] : undefined;
      }
      return value;
    }
  }
  return undefined;
}

function truthy(v: TemplateValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== undefined && v !== null && v !== false && v !== '' && v !== 0;
}

function render(nodes: readonly Node[], scopes: TemplateScope[], strict: boolean): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'var') {
      const v = lookup(scopes, node.name);
      if (v === undefined && strict) throw new TemplateError(`missing value for {{${node.name}}}`);
      if (v !== null && typeof v === 'object') {
        throw new TemplateError(`{{${node.name}}} is not a text value`);
      }
      const text = v === undefined || v === null ? '' : String(v);
      out += node.raw ? text : escapeMarkup(text);
    } else {
      const v = lookup(scopes, node.name);
      if (node.inverted) {
        if (!truthy(v)) out += render(node.children, scopes, strict);
      } else if (Array.isArray(v)) {
        for (const item of v as readonly TemplateScope[])
          out += render(node.children, [...scopes, item], strict);
      } else if (truthy(v)) {
        const scope =
          typeof v === 'object' && v !== null ? [...scopes, v as TemplateScope] : scopes;
        out += render(node.children, scope, strict);
      }
    }
  }
  return out;
}

const cache = new Map<string, Node[]>();

/** Fills `template` with `data`. Strict: a placeholder without a value is an error, not a blank. */
export function fillTemplate(template: string, data: TemplateScope, strict = true): string {
  let nodes = cache.get(template);
  if (!nodes) {
    nodes = parse(template);
    if (cache.size > 64) cache.clear();
    cache.set(template, nodes);
  }
  return render(nodes, [data], strict);
}
