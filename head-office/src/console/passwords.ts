// Operator passwords: scrypt (memory-hard, node:crypto). The stored string names the KDF and its
// parameters, so they can be raised later while old hashes still verify:
//   scrypt$N=32768,r=8,p=1$<16-byte salt, base64url>$<32-byte key, base64url>
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, keylen, opts, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** 128·N·r bytes are needed; twice that is allowed. */
const maxmem = (N: number, r: number) => 256 * N * r;

const STORED = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;
const stored = z
  .string()
  .regex(STORED)
  .transform((s) => {
    const [, n, r, p, salt, key] = STORED.exec(s)!;
    return {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      salt: Buffer.from(salt!, 'base64url'),
      key: Buffer.from(key!, 'base64url'),
    };
  })
  .refine(
    (h) =>
      h.N >= 2 ** 10 &&
      h.N <= 2 ** 22 &&
      (h.N & (h.N - 1)) === 0 &&
      h.r >= 1 &&
      h.r <= 32 &&
      h.p >= 1 &&
      h.p <= 16,
    'scrypt parameters out of range',
  );

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT_PARAMS;
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches the stored hash (with the parameters it was made with). */
export async function verifyPassword(password: string, storedHash: string): Promise<boolean> {
  const h = stored.safeParse(storedHash);
  if (!h.success || h.data.key.length < 16) return false;
  const { N, r, p, salt, key } = h.data;
  const candidate = await scrypt(password, salt, key.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(candidate, key);
}

let dummy: Promise<string> | null = null;
/** Makes the dummy hash ahead of the first unknown username (so that one is not slower either). */
export function warmDummy(): void {
  dummy ??= hashPassword(randomBytes(12).toString('base64url'));
}
/** The same work as a real check, for an unknown username (answers like a wrong password). */
export async function dummyVerify(password: string): Promise<false> {
  warmDummy();
  await verifyPassword(password, await dummy!);
  return false;
}

/** Why a new password is refused (zh-CN, then en), or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if ([...password].length < 10)
    return '密码至少 10 个字符，请换一个更长的密码 / the password needs at least 10 characters';
  if (password.trim().toLowerCase() === username.trim().toLowerCase())
    return '密码不能与用户名相同，请换一个 / the password must differ from the username';
  return null;
}

/** A one-time password to hand over (20 characters, no look-alikes). */
export function oneTimePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  let out = '';
  while (out.length < 20)
    for (const b of randomBytes(32)) {
      // 224 = 4 · 56: values above are dropped so every character is equally likely
      if (b < 224 && out.length < 20) out += alphabet[b % alphabet.length];
    }
  return out.replace(/(.{5})(?=.)/g, '$1-');
}
