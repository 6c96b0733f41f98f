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

/** SHA-256 of a UTF-8 text as lowercase hex. */
export type Sha256Hex = (text: string) => string;

/**
 * The portable SHA-256 (pure JavaScript, runs anywhere). Node callers on hot paths (appending,
 * verifying, head office's ingest) pass node:crypto's instead: ~5x faster; a test holds both equal.
 */
export const sha256HexPortable: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

export function eventHash(e: HashedEventFields, sha256Hex: Sha256Hex = sha256HexPortable): string {
  return eventHashWithPayloadJson(e, canonicalJson(e.payload), sha256Hex);
}

/**
 * The text that is hashed: `canonicalJson` of the row's columns written out in RFC 8785 key order,
 * with the payload's canonical JSON (already at hand on the append and ingest paths) spliced in, so
 * the payload is serialised once. A property test holds it equal to the generic form.
 */
export function eventPreimage(e: Omit<HashedEventFields, 'payload'>, payloadJson: string): string {
  if (!Number.isSafeInteger(e.seq))
    throw new TypeError(`event seq is not a safe integer: ${e.seq}`);
  const j = JSON.stringify;
  return (
    `{"business_date":${j(e.businessDate)},"clerk_id":${e.clerkId === null ? 'null' : j(e.clerkId)},` +
    `"id":${j(e.id)},"occurred_at":${j(e.occurredAt)},"payload":${payloadJson},` +
    `"prev_hash":${j(e.prevHash)},"seq":${e.seq},"terminal_id":${j(e.terminalId)},"type":${j(e.type)}}`
  );
}

/** The same hash when the payload's canonical JSON is already at hand. */
export function eventHashWithPayloadJson(
  e: Omit<HashedEventFields, 'payload'>,
  payloadJson: string,
  sha256Hex: Sha256Hex = sha256HexPortable,
): string {
  return sha256Hex(eventPreimage(e, payloadJson));
}
