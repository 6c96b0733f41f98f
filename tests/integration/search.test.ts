import { join } from 'node:path';
import { pinyin } from 'pinyin-pro';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  householdById,
  insertHousehold,
  type Household,
} from '../../src-main/features/households/households.store';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;

const special: Household = {
  id: 'H-special',
  accountNo: '20269999',
  name: '单田芳',
  phone: '13912345678',
  community: '幸福里',
  building: '3',
  unit: '2',
  room: '501',
  areaHundredths: 8523,
  category: 'residential',
  subsidised: false,
  noHeat: false,
  blacklisted: true,
  legalAction: false,
  isDemo: false,
};

beforeAll(async () => {
  dir = tempDir();
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 2000 });
  insertHousehold(t.ctx.db, special);
  session = await t.login();
});
afterAll(() => {
  t.close();
  dir.cleanup();
});

async function search(query: string, limit = 20) {
  return (await t.must('household.search', { session, query, limit })).results;
}

describe('household search', () => {
  it.each([
    ['account no. (exact)', '20269999'],
    ['account no. prefix', '2026'],
    ['Chinese name', '单田芳'],
    ['Chinese name substring', '田芳'],
    ['pinyin initials (polyphonic surname 单 = shan)', 'stf'],
    ['full pinyin', 'shantianfang'],
    ['full pinyin prefix', 'shantian'],
    ['one syllable of the given name', 'tianfang'],
    ['address building-unit-room', '3-2-501'],
    ['address with full-width dash', '3－2－501'],
    ['community + address', '幸福里 3-2-501'],
    ['phone last 4', '5678'],
    ['name + phone', '单田芳 5678'],
  ])('finds the household by %s', async (_kind, query) => {
    const results = await search(query);
    expect(results.map((r) => r.id)).toContain('H-special');
  });

  it('ranks an exact match first', async () => {
    expect((await search('20269999'))[0]!.id).toBe('H-special');
    expect((await search('3-2-501'))[0]!.address).toContain('3-2-501');
    const byName = await search('单田芳');
    expect(byName[0]!.name).toBe('单田芳');
  });

  it('returns at most the limit (20 by default) and summaries with the amount owed and flags', async () => {
    const results = await search('1000');
    expect(results).toHaveLength(20);
    const one = (await search('20269999'))[0]!;
    expect(one).toMatchObject({
      accountNo: '20269999',
      phoneLast4: '5678',
      address: '幸福里 3-2-501',
      flags: { blacklisted: true },
    });
  });

  it('finds demo households by each of their own attributes', async () => {
    const sample = t.ctx.db
      .prepare('SELECT id FROM households WHERE is_demo = 1 ORDER BY num LIMIT 25 OFFSET 300')
      .all() as { id: string }[];
    for (const { id } of sample) {
      const h = householdById(t.ctx.db, id)!;
      const initials = pinyin(h.name, {
        pattern: 'first',
        toneType: 'none',
        type: 'array',
        surname: 'head',
      }).join('');
      for (const query of [
        h.accountNo,
        h.name,
        initials + ' ' + h.phone.slice(-4),
        `${h.building}-${h.unit}-${h.room} ${h.community}`,
      ]) {
        const ids = (await search(query, 50)).map((r) => r.id);
        expect(ids, `${query} → ${h.name}`).toContain(h.id);
      }
    }
  });

  it('treats punctuation, FTS operators and SQL as plain text and never fails', async () => {
    for (const q of [
      '',
      '   ',
      '"',
      '*',
      'NEAR(',
      "'; DROP TABLE households; --",
      'a OR b',
      '-',
      '---',
      '((',
      '张*',
      '^',
    ]) {
      const r = await t.call('household.search', { session, query: q });
      expect(r.ok, q).toBe(true);
    }
    expect(await search('')).toEqual([]);
  });
});
