import { createHash } from 'node:crypto';
import type { Sha256Hex } from '@heating-cashier/core/hash-chain';

/** node:crypto's SHA-256 for the ledger's hot paths (append, verify); the core's portable one is slower. */
export const sha256Hex: Sha256Hex = (text) =>
  createHash('sha256').update(text, 'utf8').digest('hex');
