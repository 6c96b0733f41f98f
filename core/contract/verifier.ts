import { z } from 'zod';
import { verifierVersionMessage } from '../signing';
import { sha256HexPortable, type Sha256Hex } from '../hash-chain';

/**
 * Names the version of an approver's PIN verifier that accepted an approval: the first 16 hex of
 * SHA-256 over core/signing verifierVersionMessage(clerkId, pinHash). Head office computes the same
 * from the clerk records it issued, so an approval accepted by a PIN hash head office never issued
 * (a clerk row altered in the terminal's SQLite) stands out. The approval events carry it since
 * issue 17; their schemas keep it optional for the events older ledgers already hold.
 */
export const verifierVersion = z.string().regex(/^[0-9a-f]{16}$/, 'verifier version (16 hex)');

export function verifierVersionOf(
  clerkId: string,
  pinHash: string,
  sha256Hex: Sha256Hex = sha256HexPortable,
): string {
  return sha256Hex(verifierVersionMessage(clerkId, pinHash)).slice(0, 16);
}
