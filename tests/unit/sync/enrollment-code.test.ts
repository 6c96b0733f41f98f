// The one-time enrollment code (core/enrollment-code.ts, head-office/src/enrollment.ts): Crockford
// base32 in four groups, read the same however a person types it; failed attempts limited per address.
import { describe, expect, it } from 'vitest';
import { normalizeEnrollmentCode } from '@heating-cashier/core/enrollment-code';
import { enrollRequest } from '@heating-cashier/core/contract/sync-wire';
import { EnrollThrottle, newEnrollmentCode } from '../../../head-office/src/enrollment';

const FORM = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

describe('enrollment codes', () => {
  it('are 16 Crockford characters in four groups, and do not repeat', () => {
    const codes = Array.from({ length: 2000 }, newEnrollmentCode);
    for (const c of codes) expect(c).toMatch(FORM);
    expect(new Set(codes).size).toBe(codes.length);
    // every character of the alphabet turns up (80 random bits, not a narrow range)
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('are read the same however they are typed; anything else is not a code', () => {
    expect(normalizeEnrollmentCode('7k3d 9qxa m2pf 8hzt')).toBe('7K3D-9QXA-M2PF-8HZT');
    expect(normalizeEnrollmentCode(' 7K3D-9QXA-M2PF-8HZT ')).toBe('7K3D-9QXA-M2PF-8HZT');
    expect(normalizeEnrollmentCode('OIL0-0000-0000-0000')).toBe('0110-0000-0000-0000');
    expect(normalizeEnrollmentCode('7K3D9QXAM2PF8HZT')).toBe('7K3D-9QXA-M2PF-8HZT');
    for (const bad of [
      '',
      '7K3D-9QXA-M2PF',
      '7K3D-9QXA-M2PF-8HZTX',
      'UUUU-0000-0000-0000',
      '7K3D_9QXA_M2PF_8HZT',
    ])
      expect(normalizeEnrollmentCode(bad)).toBeNull();
    const body = {
      code: '7k3d 9qxa m2pf 8hzt',
      terminalId: 'T1',
      name: '一号',
      keyNo: 1,
      publicKey: 'A'.repeat(43),
      keyFromSeq: 1,
      proof: 'A'.repeat(86),
    };
    expect(enrollRequest.parse(body).code).toBe('7K3D-9QXA-M2PF-8HZT');
    expect(enrollRequest.safeParse({ ...body, code: 'nope' }).success).toBe(false);
  });

  it('failed attempts are limited per address within the window', () => {
    const th = new EnrollThrottle(3, 1000);
    expect(th.blockedFor('a', 0)).toBe(0);
    th.fail('a', 0);
    th.fail('a', 100);
    th.fail('a', 200);
    expect(th.blockedFor('a', 300)).toBe(700); // until the oldest failure leaves the window
    expect(th.blockedFor('b', 300)).toBe(0);
    expect(th.blockedFor('a', 1001)).toBe(0);
  });
});
