import { z } from 'zod';
import { id, isoTime } from './primitives';
import { publicKeyText, signatureText } from '../signing';

/**
 * The trust events (issue 17): which key signs this terminal's events, and head office's
 * certificate for it. Both are signed like every other event, by the key they name.
 */
export const trustEventPayloads = {
  /**
   * A signing key takes over from this event on (the event is the first it signs). `first`: the
   * ledger's first key; `replaced`: the previous key was lost, so this one is not trusted until
   * head office certifies it at a re-enrollment.
   */
  'terminal.keyed': z.object({
    keyNo: z.number().int().min(1),
    publicKey: publicKeyText,
    reason: z.enum(['first', 'replaced']),
  }),
  /** Head office enrolled this terminal: its key certificate and head office's own public key. */
  'terminal.enrolled': z.object({
    terminalId: id,
    keyNo: z.number().int().min(1),
    publicKey: publicKeyText,
    fromSeq: z.number().int().min(1),
    issuedAt: isoTime,
    certificate: signatureText,
    headOfficeKey: publicKeyText,
  }),
  /**
   * A clerk replaced the PIN (issue 19: the first log-in after head office issued an initial PIN,
   * whose hash ends in INITIAL_PIN_MARK). The new PIN's scrypt hash: head office takes it over for
   * this clerk and sends it back as the clerk's master row, so no pull brings the initial PIN back.
   */
  'clerk.pin_changed': z.object({
    clerkId: id,
    pinHash: z.string().regex(/^scrypt\$[^$]+\$[^$]+\$[^$]+\$[^$]+\$[^$]+$/, 'scrypt PIN hash'),
  }),
} as const;

/**
 * The mark head office puts on the hash of a PIN it issued (a clerk's first PIN): `<scrypt hash>$initial`.
 * It is part of the signed clerk record; the counter makes the clerk set a new PIN at the first log-in.
 */
export const INITIAL_PIN_MARK = '$initial';

export function isInitialPinHash(pinHash: string): boolean {
  return pinHash.endsWith(INITIAL_PIN_MARK);
}
