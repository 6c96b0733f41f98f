import * as crypto from 'node:crypto';
import type { Sha256Hex } from '@heating-cashier/core/hash-chain';

/** node:crypto's one-shot hash (Node ≥ 20.12): ~35 % faster than createHash on event-sized input. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
  .hash;

/** node:crypto's SHA-256 for the ledger's hot paths (append, verify); the core's portable one is slower. */
export const sha256Hex: Sha256Hex = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
