import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from '@heating-cashier/core/canonical-json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const jsonArb: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Same value, every object rebuilt with its keys inserted in the reverse order. */
function reverseKeyOrder(value: Json): Json {
  if (Array.isArray(value)) return value.map(reverseKeyOrder);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).reverse()) out[key] = reverseKeyOrder(value[key] ?? null);
    return out;
  }
  return value;
}

/**
 * The canonical form written the plainest way (arrays of parts joined): what the writer, tuned for
 * head office's ingest, must produce byte for byte.
 */
function plainCanonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(plainCanonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${plainCanonical(value[k] ?? null)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

describe('canonicalJson', () => {
  it('property: byte for byte the plain recursive form', () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        expect(canonicalJson(value)).toBe(plainCanonical(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the path of the offending value', () => {
    expect(() => canonicalJson({ a: [1, { b: 1.5 }] })).toThrow('$.a[1].b is not a safe integer');
    expect(() => canonicalJson({ x: { y: [0, undefined] } })).toThrow('$.x.y[1] is undefined');
    const cyclic: Record<string, unknown> = { list: [] };
    (cyclic.list as unknown[]).push(cyclic);
    expect(() => canonicalJson(cyclic)).toThrow('$.list[0] is circular');
  });

  it('sorts keys, drops whitespace, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, 1, 2], c: { z: null, y: true, x: 'é' } })).toBe(
      '{"a":[3,1,2],"b":1,"c":{"x":"é","y":true,"z":null}}',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // JSON.parse + Object.keys would list "1" first (integer-like keys), so read the text itself.
    const keys = [...canonicalJson(value).matchAll(/"([^"]*)":/g)].map(
      (m) => JSON.parse(`"${m[1]}"`) as string,
    );
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('orders numeric-looking keys as strings, not as array indices', () => {
    expect(canonicalJson({ 10: 'a', 9: 'b', 1: 'c' })).toBe('{"1":"c","10":"a","9":"b"}');
  });

  it('omits undefined members and escapes strings like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 'line\n"quoted"\u0001\\' })).toBe(
      `{"b":${JSON.stringify('line\n"quoted"\u0001\\')}}`,
    );
    expect(canonicalJson({ 'k"ey': 1 })).toBe('{"k\\"ey":1}');
  });

  it('writes scalars and empty containers', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(-42)).toBe('-42');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(canonicalJson('供热')).toBe('"供热"');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(Object.create(null) as object)).toBe('{}');
  });

  it.each([
    ['a float', 1.5],
    ['a float inside', { amount: 12.34 }],
    ['NaN', Number.NaN],
    ['Infinity', [Infinity]],
    ['an unsafe integer', 2 ** 53],
    ['a bigint', { n: 1n }],
    ['a function', { f: () => 1 }],
    ['a symbol', { s: Symbol('x') }],
    ['a Date', { at: new Date(0) }],
    ['a Map', new Map()],
    ['a class instance', new (class Event {})()],
    ['undefined at the top', undefined],
    ['undefined in an array', [1, undefined]],
    ['a hole in an array', [1, , 3]], // eslint-disable-line no-sparse-arrays
  ])('throws TypeError for %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('throws TypeError on cycles but accepts shared (non-circular) references', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });

  it('property: independent of key insertion order', () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        expect(canonicalJson(reverseKeyOrder(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: parses back to the same value, with sorted keys and no whitespace outside strings', () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: rejects any non-integer number anywhere', () => {
    fc.assert(
      fc.property(
        jsonArb,
        fc.double().filter((d) => !Number.isSafeInteger(d)),
        (value, bad) => {
          expect(() => canonicalJson({ value, bad })).toThrow(TypeError);
          expect(() => canonicalJson([value, [bad]])).toThrow(TypeError);
        },
      ),
    );
  });
});
