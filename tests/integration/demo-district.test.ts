// The demo district follows the domain's rules (issue 21, defect 9): only residential households are
// subsidised (财政补贴 is for people's homes), on a real generated ledger.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestTerminal, tempDir } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

describe('demo district', () => {
  it('subsidises residential households only', () => {
    const t = openTestTerminal(join(dir.dir, 'demo.db'), { households: 1000 });
    try {
      const byCategory = t.ctx.db
        .prepare(
          `SELECT category, count(*) AS n, sum(subsidised) AS subsidised FROM households
           GROUP BY category ORDER BY category`,
        )
        .all() as { category: string; n: number; subsidised: number }[];
      expect(byCategory.map((c) => c.category)).toEqual(['commercial', 'public', 'residential']);
      for (const c of byCategory) {
        if (c.category === 'residential') expect(c.subsidised).toBeGreaterThan(20);
        else expect(c.subsidised, c.category).toBe(0);
      }
      // The household the clerk found (10000055) is a shop, and no longer subsidised.
      expect(
        t.ctx.db
          .prepare('SELECT category, subsidised FROM households WHERE account_no = ?')
          .get('10000055'),
      ).toEqual({ category: 'commercial', subsidised: 0 });
    } finally {
      t.close();
    }
  });
});
