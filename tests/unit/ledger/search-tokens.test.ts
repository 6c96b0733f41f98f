import { describe, expect, it } from 'vitest';
import {
  ftsExpression,
  parseQuery,
  searchRow,
} from '../../../src-main/features/households/search-tokens.store';

describe('search tokens', () => {
  it('indexes a household for every query kind', () => {
    const row = searchRow({
      accountNo: '10000001',
      name: '曾小贤',
      community: '阳光花园',
      building: '3',
      unit: '2',
      room: '501',
      phone: '139-1234-5678',
    });
    expect(row).toEqual({
      acct: '10000001',
      name: '曾 小 贤',
      py: 'zengxiaoxian xiaoxian zeng xiao xian zxx',
      addr: '阳 光 花 园 3-2-501',
      phone4: '5678',
    });
  });

  it('classifies what the clerk types', () => {
    expect(parseQuery('  张三 zs 3-2-501 5678 ')).toEqual([
      { kind: 'han', text: '张三' },
      { kind: 'pinyin', text: 'zs' },
      { kind: 'address', text: '3-2-501' },
      { kind: 'digits', text: '5678' },
    ]);
    expect(parseQuery('ＺＳ　３－２－')).toEqual([
      { kind: 'pinyin', text: 'zs' },
      { kind: 'address', text: '3-2' },
    ]);
    expect(parseQuery('"; DROP TABLE x; -- * NEAR(')).toEqual([
      { kind: 'pinyin', text: 'drop' },
      { kind: 'pinyin', text: 'table' },
      { kind: 'pinyin', text: 'x' },
      { kind: 'pinyin', text: 'near' },
    ]);
    expect(parseQuery('a b c d e f g h')).toHaveLength(6);
  });

  it('builds MATCH expressions from classified terms only', () => {
    expect(ftsExpression(parseQuery('张三 5678'))).toBe(
      '{name addr}:"张 三" AND (acct:"5678"* OR phone4:"5678")',
    );
    expect(ftsExpression(parseQuery('100001'))).toBe('acct:"100001"*');
    expect(ftsExpression(parseQuery('zs 3-2'))).toBe('py:"zs"* AND addr:"3-2"*');
  });
});
