import { z } from 'zod';
import { canonicalJson } from './canonical-json';

/**
 * What the terminal and head office sign (Ed25519) and how it is written down. The keys and the
 * arithmetic live outside the core (node:crypto on both sides); the core fixes the messages, so the
 * signer and every verifier (terminal start-up, head office, the offline receipt checker) agree
 * byte for byte. Every message starts with its own tag, so a signature over one kind of message is
 * never valid as another kind.
 */

/** An Ed25519 public key: its 32 raw bytes, base64url without padding (the JWK `x`). */
export const publicKeyText = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Ed25519 public key');
/** An Ed25519 signature: its 64 bytes, base64url without padding. */
export const signatureText = z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'Ed25519 signature');

/** Signs a UTF-8 message with a key the caller never sees. */
export interface Signer {
  readonly publicKey: string;
  sign(message: string): string;
}

/** True when `signature` is `publicKey`'s signature over the UTF-8 `message`. */
export type VerifySignature = (publicKey: string, message: string, signature: string) => boolean;

/** An event's signature covers its hash; the hash covers the row and the previous hash. */
export const eventMessage = (hash: string): string => `hc.event.v1:${hash}`;

/** A signed chain head: the terminal says "my ledger at seq N ends in hash H". */
export interface ChainHeadClaim {
  terminalId: string;
  seq: number;
  hash: string;
}
export const chainHeadMessage = (h: ChainHeadClaim): string =>
  `hc.head.v1:${canonicalJson({ hash: h.hash, seq: h.seq, terminalId: h.terminalId })}`;

/**
 * A checkpoint the terminal writes every few thousand events and at every push: the chain head
 * plus digests of the projections at that seq, so start-up verifies only what came after it.
 */
export interface CheckpointClaim extends ChainHeadClaim {
  at: string;
  projectionDigest: string;
}
export const checkpointMessage = (c: CheckpointClaim): string =>
  `hc.checkpoint.v1:${canonicalJson({ at: c.at, hash: c.hash, projectionDigest: c.projectionDigest, seq: c.seq, terminalId: c.terminalId })}`;

/** Head office's acknowledgement of a push: "I hold this terminal's chain up to seq N, hash H". */
export interface AckClaim extends ChainHeadClaim {
  at: string;
}
export const ackMessage = (a: AckClaim): string =>
  `hc.ack.v1:${canonicalJson({ at: a.at, hash: a.hash, seq: a.seq, terminalId: a.terminalId })}`;

/**
 * Head office's certificate for a terminal key: this key signs for this terminal from `fromSeq`
 * on. Issued at enrollment; a re-enrollment issues a new one and never rewrites stored history.
 */
export interface KeyCertificateClaim {
  terminalId: string;
  publicKey: string;
  fromSeq: number;
  issuedAt: string;
}
export const keyCertificateMessage = (c: KeyCertificateClaim): string =>
  `hc.cert.v1:${canonicalJson({ fromSeq: c.fromSeq, issuedAt: c.issuedAt, publicKey: c.publicKey, terminalId: c.terminalId })}`;

/**
 * A master-data record signed by head office (household, season, rate, charge, payment elsewhere,
 * clerk with its PIN verifier, receipt book, cheque decision), or by the terminal itself for data
 * it made before enrollment (demo district, a counter import).
 */
export const masterRecordMessage = (kind: string, data: unknown): string =>
  `hc.master.v1:${kind}:${canonicalJson(data)}`;

/**
 * The proof an enrollment request carries: the terminal's signature, with the key it asks head
 * office to certify, over the one-time code (normalised, `XXXX-XXXX-XXXX-XXXX`) and its terminal
 * id, so the request shows it holds that key and cannot be replayed with another code or id.
 */
export const enrollMessage = (code: string, terminalId: string, publicKey: string): string =>
  `hc.enroll.v1:${code}:${terminalId}:${publicKey}`;

/** The digest that names one version of a clerk's PIN verifier (approval events carry it). */
export const verifierVersionMessage = (clerkId: string, pinHash: string): string =>
  `hc.verifier.v1:${clerkId}:${pinHash}`;

// ---- the paper receipt's QR ---------------------------------------------------------------------

/** What the receipt QR states; signed by the terminal key that signed the receipt's event. */
export const paperReceipt = z
  .object({
    terminalId: z.string().min(1).max(64),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    receiptLabel: z.string().min(1).max(40),
    totalFen: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  })
  .strict();
export type PaperReceipt = z.infer<typeof paperReceipt>;

const QR_PREFIX = 'HC2';

/** Percent-encoding that also escapes `.`, the field separator. */
const encodeField = (s: string): string => encodeURIComponent(s).replace(/\./g, '%2E');

/** The signed part of the QR text (everything before the last `.`). */
export function paperReceiptBody(p: PaperReceipt): string {
  return [
    QR_PREFIX,
    encodeField(p.terminalId),
    String(p.seq),
    encodeField(p.receiptLabel),
    String(p.totalFen),
    p.businessDate,
  ].join('.');
}

export const paperReceiptMessage = (p: PaperReceipt): string =>
  `hc.paper.v1:${paperReceiptBody(p)}`;

/** The QR text printed on the receipt: the fields and the full signature (a prefix cannot be verified). */
export function encodePaperReceipt(p: PaperReceipt, signature: string): string {
  return `${paperReceiptBody(p)}.${signature}`;
}

export type DecodedPaper =
  { ok: true; receipt: PaperReceipt; signature: string } | { ok: false; problem: string };

/** Reads a scanned QR text; never throws. */
export function decodePaperReceipt(text: string): DecodedPaper {
  const parts = text.trim().split('.');
  if (parts[0] !== QR_PREFIX) return { ok: false, problem: `not a ${QR_PREFIX} receipt code` };
  if (parts.length !== 7) return { ok: false, problem: `expected 7 fields, found ${parts.length}` };
  const [, terminal, seq, label, total, date, signature] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  let terminalId: string;
  let receiptLabel: string;
  try {
    terminalId = decodeURIComponent(terminal);
    receiptLabel = decodeURIComponent(label);
  } catch {
    return { ok: false, problem: 'bad percent-encoding' };
  }
  if (!/^\d{1,16}$/.test(seq) || !/^\d{1,16}$/.test(total))
    return { ok: false, problem: 'seq and amount must be whole numbers' };
  const receipt = paperReceipt.safeParse({
    terminalId,
    seq: Number(seq),
    receiptLabel,
    totalFen: Number(total),
    businessDate: date,
  });
  if (!receipt.success)
    return {
      ok: false,
      problem: receipt.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  if (!signatureText.safeParse(signature).success)
    return { ok: false, problem: 'signature is not 86 base64url characters' };
  return { ok: true, receipt: receipt.data, signature };
}
