// `npm run cli -- verify-receipt '<QR text>' --key <terminal public key>`: the offline check of a
// paper receipt's QR (docs/trust.md): decode it and verify the terminal's signature over it.
import {
  decodePaperReceipt,
  paperReceiptMessage,
  publicKeyText,
  type PaperReceipt,
  type VerifySignature,
} from '@heating-cashier/core/signing';

export type PaperVerdict =
  | { genuine: true; receipt: PaperReceipt }
  | { genuine: false; receipt: PaperReceipt | null; problem: string };

/** Genuine: the code decodes and the signature is the key's over exactly these fields. */
export function verifyReceiptCode(
  qr: string,
  publicKey: string,
  verify: VerifySignature,
): PaperVerdict {
  if (!publicKeyText.safeParse(publicKey).success)
    return {
      genuine: false,
      receipt: null,
      problem: 'the key is not an Ed25519 public key (43 base64url characters)',
    };
  const decoded = decodePaperReceipt(qr);
  if (!decoded.ok) return { genuine: false, receipt: null, problem: decoded.problem };
  return verify(publicKey, paperReceiptMessage(decoded.receipt), decoded.signature)
    ? { genuine: true, receipt: decoded.receipt }
    : {
        genuine: false,
        receipt: decoded.receipt,
        problem: 'the signature does not verify under this key (altered, or another terminal)',
      };
}
