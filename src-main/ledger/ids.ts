import { randomBytes, randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// uuid's v7 draws its 16 random bytes with one crypto.getRandomValues call per id (~2.7 µs, four
// times the rest); a pool refilled 4 KiB at a time feeds it instead (a payment takes three ids).
const pool = new Uint8Array(4096);
let poolUsed = pool.length;

function random16(): Uint8Array {
  if (poolUsed + 16 > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  return pool.subarray(poolUsed, (poolUsed += 16));
}

// uuid keeps ids monotonic only on Date.now(); these carry the caller's clock (the context's), so
// the millisecond and the counter within it are kept here and handed to uuid, which lays out the id.
let lastMs = -Infinity;
let seq = 0;

/**
 * RFC 9562 UUIDv7: 48-bit Unix ms, a 32-bit counter seeded at random in each new millisecond, then
 * random bits; monotonic within one process, also when the clock steps back.
 */
export function uuidv7(now: number = Date.now()): string {
  const random = random16();
  if (now > lastMs) {
    lastMs = now;
    // 31 random bits: the top one stays clear so the counter has room to count up
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++;
  }
  return v7({ msecs: lastMs, seq, random });
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
