// The decisions of counter updates (src-main/features/updates/update-policy.ts), pure.
import { createHash, generateKeyPairSync, sign as edSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { feedDocument, releaseMessage, type ReleaseClaim } from '@heating-cashier/core/release';
import {
  betweenCustomers,
  isNewerVersion,
  judgeDownload,
  judgeOffer,
  type CounterActivity,
} from '../../../src-main/features/updates/update-policy';
import { createVerifier } from '../../../src-main/ledger/signing';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const hoKey = publicKey.export({ format: 'jwk' }).x as string;
const other = generateKeyPairSync('ed25519');
const sha = (s: string) => createHash('sha512').update(s).digest('base64');

const claim: ReleaseClaim = {
  channel: 'latest',
  version: '1.2.0',
  releaseDate: '2026-12-07T08:00:00.000Z',
  files: [{ url: 'HeatingCashier-Setup-1.2.0.exe', sha512: sha('installer'), size: 9 }],
  ledgerSchema: 20,
  publishedAt: '2026-12-07T09:00:00.000Z',
};
const signWith = (key: typeof privateKey, c: ReleaseClaim) =>
  edSign(null, Buffer.from(releaseMessage(c)), key).toString('base64url');
const signed = (c: ReleaseClaim = claim, key = privateKey) => feedDocument(c, signWith(key, c));
const ctx = { headOfficeKey: hoKey, ledgerSchema: 20, verify: createVerifier() };

describe('judgeOffer', () => {
  it('accepts head office’s signed release for this ledger schema or a newer one', () => {
    expect(judgeOffer(signed(), ctx)).toEqual({ ok: true, claim });
    expect(judgeOffer(signed({ ...claim, ledgerSchema: 24 }), ctx).ok).toBe(true);
  });

  it('refuses a schema downgrade, naming both schemas', () => {
    expect(judgeOffer(signed(), { ...ctx, ledgerSchema: 21 })).toEqual({
      ok: false,
      refusal: 'schema_downgrade',
      detail: 'release ships ledger schema 20, this ledger is at 21',
    });
  });

  it('refuses an unsigned yml, another key’s signature, and any signed field edited', () => {
    const { hcRelease: _h, ...bare } = signed();
    expect(judgeOffer(bare, ctx)).toMatchObject({ ok: false, refusal: 'unsigned' });
    expect(judgeOffer(signed(claim, other.privateKey), ctx)).toMatchObject({
      refusal: 'bad_signature',
    });
    const doc = signed() as { files: { sha512: string }[]; version: string };
    for (const edit of [
      { version: '1.3.0' },
      { files: [{ ...doc.files[0]!, sha512: sha('evil') }], sha512: sha('evil') },
      { files: [{ ...doc.files[0]!, size: 10 }] },
      { releaseDate: '2027-01-01T00:00:00.000Z' },
    ])
      expect(judgeOffer({ ...doc, ...edit }, ctx)).toMatchObject({ refusal: 'bad_signature' });
    // the schema in hcRelease is signed too: raising it to pass the downgrade check breaks it
    const lowered = signed({ ...claim, ledgerSchema: 19 }) as { hcRelease: object };
    expect(
      judgeOffer({ ...lowered, hcRelease: { ...lowered.hcRelease, ledgerSchema: 20 } }, ctx),
    ).toMatchObject({ refusal: 'bad_signature' });
    // path/sha512 (older updaters read them) must be the signed first file
    expect(judgeOffer({ ...doc, path: 'other.exe' }, ctx)).toMatchObject({
      refusal: 'bad_signature',
    });
  });

  it('refuses before enrollment, a web installer and a malformed file', () => {
    expect(judgeOffer(signed(), { ...ctx, headOfficeKey: null })).toMatchObject({
      refusal: 'not_enrolled',
    });
    expect(judgeOffer({ ...signed(), packages: { x64: {} } }, ctx)).toMatchObject({
      refusal: 'web_installer',
    });
    expect(judgeOffer({ version: '1.2.0' }, ctx)).toMatchObject({ refusal: 'malformed' });
    expect(judgeOffer(null, ctx)).toMatchObject({ refusal: 'malformed' });
  });
});

describe('judgeDownload', () => {
  it('accepts only the signed file with its sha512 and size', () => {
    const file = { name: 'HeatingCashier-Setup-1.2.0.exe', sha512: sha('installer'), size: 9 };
    expect(judgeDownload(claim, file).ok).toBe(true);
    expect(judgeDownload(claim, { ...file, sha512: sha('installeR') })).toMatchObject({
      refusal: 'sha512_mismatch',
    });
    expect(judgeDownload(claim, { ...file, size: 10 })).toMatchObject({
      refusal: 'sha512_mismatch',
    });
    expect(judgeDownload(claim, { ...file, name: 'other.exe' })).toMatchObject({
      refusal: 'sha512_mismatch',
    });
  });
});

describe('betweenCustomers', () => {
  const idle: CounterActivity = {
    openCardIntents: 0,
    cardSaleInFlight: false,
    openQrIntents: 0,
    customersBeingServed: 0,
    printsInProgress: 0,
    receiptsAwaitingPrint: 0,
  };
  it('is true only when nothing is open, and names everything it waits for', () => {
    expect(betweenCustomers(idle)).toEqual({ ok: true });
    expect(betweenCustomers({ ...idle, openCardIntents: 1 })).toEqual({
      ok: false,
      waitingFor: ['card'],
    });
    expect(betweenCustomers({ ...idle, cardSaleInFlight: true }).ok).toBe(false);
    expect(betweenCustomers({ ...idle, openQrIntents: 1 })).toEqual({
      ok: false,
      waitingFor: ['qr'],
    });
    expect(betweenCustomers({ ...idle, receiptsAwaitingPrint: 1 })).toEqual({
      ok: false,
      waitingFor: ['print'],
    });
    expect(
      betweenCustomers({
        ...idle,
        customersBeingServed: 2,
        printsInProgress: 1,
        openCardIntents: 1,
      }),
    ).toEqual({ ok: false, waitingFor: ['card', 'customer', 'print'] });
  });
});

describe('isNewerVersion', () => {
  it('orders versions as semver does: never an equal or older one', () => {
    const newer: [string, string][] = [
      ['1.2.1', '1.2.0'],
      ['1.10.0', '1.9.9'],
      ['2.0.0', '1.99.99'],
      ['1.2.0', '1.2.0-beta.2'],
      ['1.2.0-beta.10', '1.2.0-beta.2'],
      ['1.2.0-beta', '1.2.0-alpha'],
      ['1.2.0-beta.1', '1.2.0-beta'],
      ['1.2.0-alpha', '1.2.0-1'],
    ];
    for (const [a, b] of newer) {
      expect(isNewerVersion(a, b), `${a} > ${b}`).toBe(true);
      expect(isNewerVersion(b, a), `${b} < ${a}`).toBe(false);
    }
    expect(isNewerVersion('1.2.0', '1.2.0')).toBe(false);
    expect(isNewerVersion('1.2.0+build.7', '1.2.0')).toBe(false);
    expect(isNewerVersion('v1.3', '1.2.0')).toBe(false);
  });
});
