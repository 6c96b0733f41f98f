// The terminal key sealed by the platform (docs/trust.md "Keys"): Electron's safeStorage encrypts
// it with DPAPI (Windows), the Keychain (macOS) or libsecret (Linux). Pure: main.ts hands in
// Electron's safeStorage; the tests hand in a stand-in with the same three calls.
import type { Sealer } from '../ledger/signing';

/** The part of Electron's `safeStorage` the sealer uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const PEM_START = '-----BEGIN ';

/**
 * A sealer over safeStorage, or null when the platform offers no encryption (the key file is then
 * kept as a plain PEM readable only by its owner, mode 0600). A key file written before sealing
 * was available (a plain PEM) is still read, so the counter keeps its key.
 */
export function safeStorageSealer(storage: SafeStorageLike): Sealer | null {
  if (!storage.isEncryptionAvailable()) return null;
  return {
    seal: (plain) => storage.encryptString(plain),
    unseal: (sealed) => {
      const head = sealed.subarray(0, PEM_START.length).toString('latin1');
      return head === PEM_START ? sealed.toString('utf8') : storage.decryptString(sealed);
    },
  };
}
