import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as edSign,
  verify as edVerify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  publicKeyText,
  signatureText,
  type Signer,
  type VerifySignature,
} from '@heating-cashier/core/signing';

/** An Ed25519 signer over node:crypto for a PKCS#8 PEM private key. */
export function signerFromPem(pem: string): Signer {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the terminal key is not Ed25519');
  const publicKey = createPublicKey(key).export({ format: 'jwk' }).x as string;
  return {
    publicKey,
    sign: (message) => edSign(null, Buffer.from(message, 'utf8'), key).toString('base64url'),
  };
}

/** A fresh Ed25519 key pair: the PEM to keep secret and its signer. */
export function generateSigningKey(): { pem: string; signer: Signer } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { pem, signer: signerFromPem(pem) };
}

/**
 * Verifies Ed25519 signatures with node:crypto (~150 µs each on our machines), caching the parsed
 * public keys per verifier instance. Malformed keys or signatures are simply not valid.
 */
export function createVerifier(): VerifySignature {
  const keys = new Map<string, KeyObject | null>();
  const keyFor = (publicKey: string): KeyObject | null => {
    let k = keys.get(publicKey);
    if (k === undefined) {
      try {
        k = publicKeyText.safeParse(publicKey).success
          ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' })
          : null;
      } catch {
        k = null;
      }
      keys.set(publicKey, k);
    }
    return k;
  };
  return (publicKey, message, signature) => {
    const key = keyFor(publicKey);
    if (!key || !signatureText.safeParse(signature).success) return false;
    return edVerify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64url'));
  };
}

/**
 * Where the terminal's private key is kept. `seal`/`unseal` wrap it where the platform offers a
 * sealed store (Electron safeStorage: DPAPI on Windows, Keychain on macOS, libsecret on Linux);
 * without them the PEM is written to a file only its owner (the service account) can read.
 */
export interface KeyStorage {
  /** The stored key's signer, or null when none is stored yet. Throws when it is unreadable. */
  load(): Signer | null;
  /** Stores a new key (never overwrites one silently: the caller checked `load()` is null). */
  save(pem: string): void;
  /** Where, for the README/diagnostics: a path, and whether the platform sealed it. */
  describe(): { path: string; sealed: boolean };
}

export interface Sealer {
  seal(plain: string): Buffer;
  unseal(sealed: Buffer): string;
}

/** The key file beside the ledger: `<ledger>.key` (mode 0600), sealed when a sealer is given. */
export function fileKeyStorage(path: string, sealer: Sealer | null = null): KeyStorage {
  return {
    load() {
      if (!existsSync(path)) return null;
      const bytes = readFileSync(path);
      const pem = sealer ? sealer.unseal(bytes) : bytes.toString('utf8');
      return signerFromPem(pem);
    },
    save(pem) {
      if (existsSync(path)) throw new Error(`refusing to overwrite the terminal key at ${path}`);
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, sealer ? sealer.seal(pem) : pem, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, path);
    },
    describe: () => ({ path, sealed: sealer !== null }),
  };
}
