import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import {
  eventHash,
  eventHashWithPayloadJson,
  sha256HexPortable,
  type HashedEventFields,
} from '@heating-cashier/core/hash-chain';
import { sha256Hex } from '../../../src-main/ledger/sha256';

/** The definition the ledger and head office agree on: SHA-256 of the canonical row. */
function referenceHash(e: HashedEventFields): string {
  const row = {
    seq: e.seq,
    id: e.id,
    terminal_id: e.terminalId,
    type: e.type,
    occurred_at: e.occurredAt,
    business_date: e.businessDate,
    clerk_id: e.clerkId,
    payload: e.payload,
    prev_hash: e.prevHash,
  };
  return createHash('sha256').update(canonicalJson(row), 'utf8').digest('hex');
}

const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.maxSafeInteger(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const fields = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  id: fc.string({ unit: 'binary' }),
  terminalId: fc.string({ unit: 'binary' }),
  type: fc.string({ unit: 'binary' }),
  occurredAt: fc.string({ unit: 'binary' }),
  businessDate: fc.string({ unit: 'binary' }),
  clerkId: fc.option(fc.string({ unit: 'binary' }), { nil: null }),
  payload: fc.dictionary(fc.string({ unit: 'binary' }), jsonValue, { maxKeys: 6 }),
  prevHash: fc.string({ unit: 'binary' }),
});

describe('event hash', () => {
  it('the append path (payload serialised once) hashes exactly like the canonical row', () => {
    fc.assert(
      fc.property(fields, (e) => {
        const expected = referenceHash(e);
        expect(eventHash(e)).toBe(expected);
        expect(eventHashWithPayloadJson(e, canonicalJson(e.payload))).toBe(expected);
        expect(eventHashWithPayloadJson(e, canonicalJson(e.payload), sha256Hex)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("the core's portable SHA-256 and the ledger's node:crypto one agree on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
        expect(sha256HexPortable(text)).toBe(sha256Hex(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('a known event keeps its known hash (head office computes the same)', () => {
    const e: HashedEventFields = {
      seq: 7,
      id: '0190f0e0-0000-7000-8000-000000000007',
      terminalId: 'T1',
      type: 'receipt.issued',
      occurredAt: '2026-11-26T08:00:00.000Z',
      businessDate: '2026-11-26',
      clerkId: null,
      payload: { totalFen: 123456, name: '张三 "quoted"' },
      prevHash: '0'.repeat(64),
    };
    expect(eventHash(e)).toBe(referenceHash(e));
    expect(eventHash({ ...e, clerkId: 'c1' })).not.toBe(eventHash(e));
  });

  it('refuses a seq that is not a safe integer', () => {
    expect(() => eventHashWithPayloadJson({ ...base(), seq: 1.5 }, '{}')).toThrow(/safe integer/);
  });
});

function base(): Omit<HashedEventFields, 'payload'> {
  return {
    seq: 1,
    id: 'a',
    terminalId: 'T',
    type: 't',
    occurredAt: 'x',
    businessDate: 'y',
    clerkId: null,
    prevHash: 'p',
  };
}
