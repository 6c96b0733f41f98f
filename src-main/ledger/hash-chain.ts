import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields that are hashed: every column of the event row except the hash itself. */
export interface HashedEventFields {
  seq: number;
  id: string;
  terminalId: string;
  type: string;
  occurredAt: string;
  businessDate: string;
  clerkId: string | null;
  payload: unknown;
  prevHash: string;
}

export function eventHash(e: HashedEventFields): string {
  const canonical = canonicalJson({
    seq: e.seq,
    id: e.id,
    terminal_id: e.terminalId,
    type: e.type,
    occurred_at: e.occurredAt,
    business_date: e.businessDate,
    clerk_id: e.clerkId,
    payload: e.payload,
    prev_hash: e.prevHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
