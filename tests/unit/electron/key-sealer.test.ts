// The terminal key sealed through Electron's safeStorage (src-main/electron/key-sealer.ts), with a
// stand-in for safeStorage: what lands on disk is not the PEM, and it loads back as the same key.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { safeStorageSealer, type SafeStorageLike } from '../../../src-main/electron/key-sealer';
import { fileKeyStorage, generateSigningKey } from '../../../src-main/ledger/signing';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

/** A reversible stand-in for the OS-backed encryption (a keyed byte mask with a header). */
function fakeSafeStorage(available = true): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  const mask = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ (0x5a + (i % 7))));
  return {
    calls,
    isEncryptionAvailable: () => available,
    encryptString: (plain) => {
      calls.push('encrypt');
      return Buffer.concat([Buffer.from('v10'), mask(Buffer.from(plain, 'utf8'))]);
    },
    decryptString: (sealed) => {
      calls.push('decrypt');
      if (sealed.subarray(0, 3).toString() !== 'v10') throw new Error('not sealed by us');
      return mask(sealed.subarray(3)).toString('utf8');
    },
  };
}

describe('the safeStorage sealer', () => {
  it('seals the key file; it loads back as the same key', () => {
    const storage = fakeSafeStorage();
    const sealer = safeStorageSealer(storage);
    expect(sealer).not.toBeNull();
    const path = file('terminal.db.key');
    const keys = fileKeyStorage(path, sealer);
    expect(keys.describe()).toEqual({ path, sealed: true });
    const { pem, signer } = generateSigningKey();
    keys.save(pem);
    const onDisk = readFileSync(path);
    expect(onDisk.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    expect(keys.load()?.publicKey).toBe(signer.publicKey);
    expect(storage.calls).toEqual(['encrypt', 'decrypt']);
    expect(() => keys.save(pem)).toThrow(/refusing to overwrite/);
  });

  it('reads a key written before sealing was available (a plain PEM)', () => {
    const path = file('terminal.db.key');
    const { pem, signer } = generateSigningKey();
    writeFileSync(path, pem, { mode: 0o600 });
    const storage = fakeSafeStorage();
    expect(fileKeyStorage(path, safeStorageSealer(storage)).load()?.publicKey).toBe(
      signer.publicKey,
    );
    expect(storage.calls).toEqual([]);
  });

  it('no platform encryption: no sealer, the plain 0600 file', () => {
    expect(safeStorageSealer(fakeSafeStorage(false))).toBeNull();
  });
});
