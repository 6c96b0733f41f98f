import { randomBytes, randomFillSync } from 'node:crypto';

// Random bits come from a pool refilled 4 KiB at a time: one getrandom call per ~400 ids
// instead of one per id (a payment takes three ids).
const pool = Buffer.alloc(4096);
let poolUsed = pool.length;

function randomTen(): Buffer {
  if (poolUsed + 10 > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const out = Buffer.from(pool.subarray(poolUsed, poolUsed + 10));
  poolUsed += 10;
  return out;
}

let lastMs = 0;
let lastRand: Buffer = Buffer.alloc(10);

/** RFC 9562 UUIDv7: 48-bit Unix ms, then random bits; monotonic within one process. */
export function uuidv7(now: number = Date.now()): string {
  const bytes = Buffer.alloc(16);
  let rand: Buffer;
  if (now <= lastMs) {
    now = lastMs;
    rand = Buffer.from(lastRand);
    for (let i = rand.length - 1; i >= 0; i--) {
      rand[i] = (rand[i]! + 1) & 0xff;
      if (rand[i] !== 0) break;
    }
  } else {
    rand = randomTen();
  }
  lastMs = now;
  lastRand = rand;
  bytes.writeUIntBE(now, 0, 6);
  rand.copy(bytes, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
