// The renderer names tender kinds through keys built from the core table (`cash.tenders.${k}` …),
// which the literal-key check in i18n.test.ts cannot see: every kind has them in both languages.
import { describe, expect, it } from 'vitest';
import { inDrawer, isPending, TENDER_KINDS } from '@heating-cashier/core/tenders';
import { en } from '../../../src-renderer/i18n/en';
import { zhCN } from '../../../src-renderer/i18n/zh-CN';

function lookup(tree: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[part]
          : undefined,
      tree,
    );
}

/** The keys each kind needs: its name (payment form, receipts, reports) and how the close checks it. */
function keysOf(k: (typeof TENDER_KINDS)[number]): string[] {
  const keys = [`payment.kinds.${k}`, `cash.tenders.${k}`];
  if (isPending(k)) keys.push(`cash.reports.${k}Pending`);
  // CloseShiftPage: the drawer is counted, the card terminal has its own check, the rest a note
  else if (!inDrawer(k) && k !== 'card') keys.push(`cash.close.${k}Note`);
  return keys;
}

describe('tender kind translations', () => {
  it.each(TENDER_KINDS)('%s has its texts in zh-CN and en', (k) => {
    for (const key of keysOf(k)) {
      expect(typeof lookup(zhCN, key), `zh-CN ${key}`).toBe('string');
      expect(typeof lookup(en, key), `en ${key}`).toBe('string');
    }
  });
});
