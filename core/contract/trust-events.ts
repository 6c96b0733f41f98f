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
} as const;
