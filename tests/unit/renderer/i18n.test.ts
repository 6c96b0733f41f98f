// Every string exists in both languages, none is empty, and both use the same {{placeholders}}.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src-renderer/i18n/en';
import { zhCN } from '../../../src-renderer/i18n/zh-CN';

type Tree = { readonly [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const zh = leaves(zhCN);
const english = leaves(en);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it('have the same keys', () => {
    expect([...english.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it('are never empty and use the same placeholders', () => {
    for (const [key, text] of zh) {
      expect(text.trim(), key).not.toBe('');
      expect(english.get(key)?.trim(), key).not.toBe('');
      expect(placeholders(english.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('English has no Chinese except the language switch', () => {
    for (const [key, text] of english) {
      if (key === 'app.switchTo' || key === 'keys.language') continue;
      expect(/\p{Script=Han}/u.test(text), `${key}: ${text}`).toBe(false);
    }
  });

  it('every t("…") key used in the renderer exists', () => {
    const root = resolve(import.meta.dirname, '../../../src-renderer');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !p.includes(`${join('src-renderer', 'i18n')}`)) files.push(p);
      }
    };
    walk(root);
    const used = new Set<string>();
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      for (const m of src.matchAll(
        /key: '((?:payment|receipt|login|account|shift)\.[a-zA-Z0-9_.]+)'/g,
      ))
        used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    for (const key of used) expect(zh.has(key), key).toBe(true);
  });
});
