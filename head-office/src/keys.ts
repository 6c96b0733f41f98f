// Head office's Ed25519 key and signature checks (docs/trust.md "Keys"): node:crypto, the same
// calls as the terminal's src-main/ledger/signing.ts (head office imports only the core).
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as edSign,
  verify as edVerify,
  type KeyObject,
} from 'node:crypto';
import {
  masterRecordMessage,
  publicKeyText,
  signatureText,
  type Signer,
} from '@heating-cashier/core/signing';
import { normalizeMasterRecord, type MasterKind } from '@heating-cashier/core/contract/sync-wire';
import type { Queryable } from './db';

/** Head office's key: signs one message, or many at once on libuv's thread pool. */
export interface HoKey extends Signer {
  signMany(messages: readonly string[]): Promise<string[]>;
  /** The private key (PKCS#8 PEM), for the ingest worker threads that sign counter payments. */
  readonly pem: string;
}

export function signerFromPem(pem: string): HoKey {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('head-office key is not Ed25519');
  const publicKey = createPublicKey(key).export({ format: 'jwk' }).x as string;
  return {
    publicKey,
    pem,
    sign: (message) => edSign(null, Buffer.from(message, 'utf8'), key).toString('base64url'),
    signMany: (messages) =>
      Promise.all(
        messages.map(
          (m) =>
            new Promise<string>((resolve, reject) =>
              edSign(null, Buffer.from(m, 'utf8'), key, (err, sig) =>
                err ? reject(err) : resolve(sig.toString('base64url')),
              ),
            ),
        ),
      ),
  };
}

// Parsed keys by PEM: several head offices (tests) may share one process.
const signers = new Map<string, HoKey>();

/**
 * Head office's signer. The key is made at the first start (inside the caller's transaction or
 * on its own: concurrent starts race on the singleton row and all read the winner).
 */
export async function hoSigner(q: Queryable): Promise<HoKey> {
  let rows = await q.query<{ private_pem: string }>('SELECT private_pem FROM ho_signing_key');
  if (rows.length === 0) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await q.query(
      'INSERT INTO ho_signing_key (private_pem, public_key) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [pem, signerFromPem(pem).publicKey],
    );
    rows = await q.query<{ private_pem: string }>('SELECT private_pem FROM ho_signing_key');
  }
  const pem = rows[0]!.private_pem;
  let s = signers.get(pem);
  if (!s) {
    s = signerFromPem(pem);
    signers.set(pem, s);
  }
  return s;
}

const publicKeys = new Map<string, KeyObject | null>();
function keyObject(publicKey: string): KeyObject | null {
  let k = publicKeys.get(publicKey);
  if (k === undefined) {
    try {
      k = publicKeyText.safeParse(publicKey).success
        ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' })
        : null;
    } catch {
      k = null;
    }
    if (publicKeys.size > 10_000) publicKeys.clear();
    publicKeys.set(publicKey, k);
  }
  return k;
}

/** True when `signature` is `publicKey`'s Ed25519 signature over the UTF-8 `message`. */
export function verifySignature(publicKey: string, message: string, signature: string): boolean {
  const key = keyObject(publicKey);
  if (!key || !signatureText.safeParse(signature).success) return false;
  return edVerify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64url'));
}

/**
 * The same for many signatures at once, on libuv's thread pool (node:crypto's callback form), so a
 * push batch of 1,000 events uses every core while the event loop stays free.
 */
export function verifyMany(
  items: readonly { publicKey: string; message: string; signature: string }[],
): Promise<boolean[]> {
  return Promise.all(
    items.map(
      (it) =>
        new Promise<boolean>((resolve) => {
          const key = keyObject(it.publicKey);
          if (!key || !signatureText.safeParse(it.signature).success) return resolve(false);
          edVerify(
            null,
            Buffer.from(it.message, 'utf8'),
            key,
            Buffer.from(it.signature, 'base64url'),
            (err, ok) => resolve(!err && ok),
          );
        }),
    ),
  );
}

/** A master record as pulled: normalised by its kind's schema, its JSON and head office's signature. */
export function signMaster(
  signer: Signer,
  kind: MasterKind,
  data: unknown,
): { data: Record<string, unknown>; json: string; sig: string } {
  const normal = normalizeMasterRecord(kind, data);
  return {
    data: normal,
    json: JSON.stringify(normal),
    sig: signer.sign(masterRecordMessage(kind, normal)),
  };
}

/**
 * Signs the change-log rows written before head office had a key (an upgraded database), page by
 * page; a row whose data its kind's schema refuses keeps no signature (the terminal refuses it and
 * lists it in sync_rejects, as before). Answers how many rows were signed.
 */
export async function signUnsignedChanges(q: Queryable, signer: Signer): Promise<number> {
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await q.query<{ seq: number; kind: MasterKind; data: string }>(
      'SELECT seq, kind, data FROM ho_changes WHERE sig IS NULL AND seq > $1 ORDER BY seq LIMIT 1000',
      [after],
    );
    if (rows.length === 0) return done;
    after = rows[rows.length - 1]!.seq;
    const signed: { seq: number; data: string; sig: string }[] = [];
    for (const r of rows) {
      try {
        const s = signMaster(signer, r.kind, JSON.parse(r.data));
        signed.push({ seq: r.seq, data: s.json, sig: s.sig });
      } catch {
        // left unsigned: refused on the terminal, visible there
      }
    }
    if (signed.length > 0)
      await q.query(
        `UPDATE ho_changes c SET data = x.data, sig = x.sig
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(seq, data, sig) WHERE c.seq = x.seq`,
        [signed.map((s) => s.seq), signed.map((s) => s.data), signed.map((s) => s.sig)],
      );
    done += signed.length;
  }
}
