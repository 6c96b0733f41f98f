import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ackMessage,
  chainHeadMessage,
  checkpointMessage,
  decodePaperReceipt,
  encodePaperReceipt,
  eventMessage,
  keyCertificateMessage,
  masterRecordMessage,
  paperReceiptMessage,
  type PaperReceipt,
} from '@heating-cashier/core/signing';
import { createVerifier, generateSigningKey } from '../../../src-main/ledger/signing';

const paper: PaperReceipt = {
  terminalId: '0193f0c2-7b1e-7000-8000-000000000001',
  seq: 4711,
  receiptLabel: 'A 00000123',
  totalFen: 352_000,
  businessDate: '2026-12-07',
};

describe('signed messages', () => {
  it('each kind of message has its own tag, so no signature is valid as another kind', () => {
    const h = 'a'.repeat(64);
    const claim = { terminalId: 't1', seq: 5, hash: h };
    const texts = [
      eventMessage(h),
      chainHeadMessage(claim),
      checkpointMessage({ ...claim, at: '2026-12-07T00:00:00.000Z', projectionDigest: h }),
      ackMessage({ ...claim, at: '2026-12-07T00:00:00.000Z' }),
      keyCertificateMessage({
        terminalId: 't1',
        publicKey: 'k'.repeat(43),
        fromSeq: 1,
        issuedAt: '2026-12-07T00:00:00.000Z',
      }),
      masterRecordMessage('charge', { seasonId: 's', householdId: 'h' }),
      paperReceiptMessage(paper),
    ];
    const tags = texts.map((t) => t.slice(0, t.indexOf(':')));
    expect(new Set(tags).size).toBe(texts.length);
  });

  it('master records sign their canonical form: key order does not matter, values do', () => {
    expect(masterRecordMessage('charge', { a: 1, b: 2 })).toBe(
      masterRecordMessage('charge', { b: 2, a: 1 }),
    );
    expect(masterRecordMessage('charge', { a: 1 })).not.toBe(masterRecordMessage('rate', { a: 1 }));
    expect(masterRecordMessage('charge', { a: 1 })).not.toBe(
      masterRecordMessage('charge', { a: 2 }),
    );
  });
});

describe('paper receipt QR', () => {
  const { signer } = generateSigningKey();
  const verify = createVerifier();

  it('round-trips and verifies with the public key alone; any changed field fails', () => {
    const qr = encodePaperReceipt(paper, signer.sign(paperReceiptMessage(paper)));
    const d = decodePaperReceipt(qr);
    expect(d).toMatchObject({ ok: true, receipt: paper });
    if (!d.ok) return;
    expect(verify(signer.publicKey, paperReceiptMessage(d.receipt), d.signature)).toBe(true);
    for (const change of [
      { totalFen: 352_001 },
      { seq: 4712 },
      { receiptLabel: 'A 00000124' },
      { businessDate: '2026-12-08' },
      { terminalId: 'another' },
    ]) {
      expect(
        verify(signer.publicKey, paperReceiptMessage({ ...d.receipt, ...change }), d.signature),
      ).toBe(false);
    }
    expect(
      verify(generateSigningKey().signer.publicKey, paperReceiptMessage(paper), d.signature),
    ).toBe(false);
  });

  it('labels with dots, spaces and Chinese survive the encoding', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (label) => {
        const p = { ...paper, receiptLabel: label };
        const d = decodePaperReceipt(encodePaperReceipt(p, 'A'.repeat(86)));
        expect(d).toMatchObject({ ok: true, receipt: { receiptLabel: label } });
      }),
      { numRuns: 200 },
    );
    expect(
      decodePaperReceipt(
        encodePaperReceipt({ ...paper, receiptLabel: '收据.第 5 号' }, 'A'.repeat(86)),
      ),
    ).toMatchObject({ ok: true, receipt: { receiptLabel: '收据.第 5 号' } });
  });

  it('refuses malformed codes with a reason and never throws', () => {
    const good = encodePaperReceipt(paper, 'A'.repeat(86));
    const bad: [string, RegExp][] = [
      ['', /not a HC2/],
      ['HR1:abc:def', /not a HC2/],
      [good.replace(/\.[^.]*$/, ''), /7 fields/],
      [good.replace('.4711.', '.-1.'), /whole numbers/],
      [good.replace('.4711.', '.1e3.'), /whole numbers/],
      [good.replace('.352000.', '.0.'), /totalFen/],
      [good.replace('2026-12-07', '07.12.2026'), /fields|businessDate/],
      [good.replace(/A{86}$/, 'A'.repeat(85)), /signature/],
      [good.replace('A%2000000123', '%E0%A4%A'), /percent-encoding/],
    ];
    for (const [text, problem] of bad) {
      const d = decodePaperReceipt(text);
      expect(d.ok, text).toBe(false);
      if (!d.ok) expect(d.problem).toMatch(problem);
    }
  });

  it('the verifier rejects malformed keys and signatures instead of throwing', () => {
    expect(verify('not-a-key', 'm', 'A'.repeat(86))).toBe(false);
    expect(verify(signer.publicKey, 'm', 'short')).toBe(false);
    expect(verify(signer.publicKey, 'm', 'A'.repeat(86))).toBe(false);
  });
});
