import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonical-json';

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
  return eventHashWithPayloadJson(e, canonicalJson(e.payload));
}

/**
 * The same hash when the payload's canonical JSON is already at hand (the append path stores it),
 * so the payload is serialised once. The envelope is `canonicalJson` of the row's columns written
 * out in RFC 8785 key order; a property test holds it equal to the generic form.
 */
export function eventHashWithPayloadJson(
  e: Omit<HashedEventFields, 'payload'>,
  payloadJson: string,
): string {
  if (!Number.isSafeInteger(e.seq))
    throw new TypeError(`event seq is not a safe integer: ${e.seq}`);
  const j = JSON.stringify;
  const canonical =
    `{"business_date":${j(e.businessDate)},"clerk_id":${e.clerkId === null ? 'null' : j(e.clerkId)},` +
    `"id":${j(e.id)},"occurred_at":${j(e.occurredAt)},"payload":${payloadJson},` +
    `"prev_hash":${j(e.prevHash)},"seq":${e.seq},"terminal_id":${j(e.terminalId)},"type":${j(e.type)}}`;
  return bytesToHex(sha256(utf8ToBytes(canonical)));
}
