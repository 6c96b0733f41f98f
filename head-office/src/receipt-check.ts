// Paper receipts at head office (docs/trust.md "Head office"): is the paper a customer holds
// genuine (the terminal's signature in its QR, under the key head office certified for that seq),
// does head office hold the same receipt, and what became of it. Forged paper and paper that differs
// from the ledger are recorded in ho_flags; the receipt-number report lists them.
import { z } from 'zod';
import { decodePaperReceipt, paperReceiptMessage } from '@heating-cashier/core/signing';
import type { Queryable } from './db';
import { verifySignature } from './keys';
import { certifiedKeys, keyAt } from './store';

export const receiptCheckRequest = z.object({ qr: z.string().trim().min(1).max(2000) }).strict();

export type PaperStatus = 'valid' | 'voided' | 'not_yet_synced' | 'mismatch' | 'forged';

export interface ReceiptCheck {
  /** The terminal's signature over what the paper states verifies (the paper is what it printed). */
  genuine: boolean;
  signatureValid: boolean;
  /** Head office holds the event at the paper's seq. */
  atHeadOffice: boolean;
  /** That event is this receipt: same label, amount and business day. */
  matches: boolean;
  status: PaperStatus;
  terminalId: string | null;
  seq: number | null;
  receiptLabel: string | null;
  totalFen: number | null;
  receiptId: string | null;
  householdId: string | null;
  /** The receipt's cheques at head office: the worst state (a bounced cheque means it was not paid). */
  cheque: 'none' | 'pending' | 'cleared' | 'bounced';
  problems: string[];
}

interface IssuedPayload {
  receiptId: string;
  receiptLabel: string;
  householdId: string;
  totalFen: number;
}

/** Checks one scanned QR text; records forged or mismatching paper as a flag (once per QR). */
export async function checkReceipt(q: Queryable, qr: string): Promise<ReceiptCheck> {
  const decoded = decodePaperReceipt(qr);
  if (!decoded.ok)
    return {
      genuine: false,
      signatureValid: false,
      atHeadOffice: false,
      matches: false,
      status: 'forged',
      terminalId: null,
      seq: null,
      receiptLabel: null,
      totalFen: null,
      receiptId: null,
      householdId: null,
      cheque: 'none',
      problems: [`not a readable receipt code: ${decoded.problem}`],
    };
  const paper = decoded.receipt;
  const problems: string[] = [];
  const key = keyAt(await certifiedKeys(q, paper.terminalId), paper.seq);
  if (!key)
    problems.push(
      `head office holds no certified key for terminal ${paper.terminalId} at seq ${paper.seq}`,
    );
  const signatureValid =
    key !== null && verifySignature(key.public_key, paperReceiptMessage(paper), decoded.signature);
  if (key && !signatureValid)
    problems.push(`the signature does not verify under terminal key ${key.key_no}`);

  const event = (
    await q.query<{ type: string; business_date: string; payload: string }>(
      'SELECT type, business_date, payload FROM ho_events WHERE terminal_id = $1 AND seq = $2',
      [paper.terminalId, paper.seq],
    )
  )[0];
  let matches = false;
  let receiptId: string | null = null;
  let householdId: string | null = null;
  let voided = false;
  let cheque: ReceiptCheck['cheque'] = 'none';
  if (event) {
    if (event.type !== 'receipt.issued') {
      problems.push(`seq ${paper.seq} at head office is a ${event.type} event, not a receipt`);
    } else {
      const p = JSON.parse(event.payload) as IssuedPayload;
      receiptId = p.receiptId;
      householdId = p.householdId;
      if (p.receiptLabel !== paper.receiptLabel)
        problems.push(`receipt number: paper ${paper.receiptLabel}, ledger ${p.receiptLabel}`);
      if (p.totalFen !== paper.totalFen)
        problems.push(`amount (fen): paper ${paper.totalFen}, ledger ${p.totalFen}`);
      if (event.business_date !== paper.businessDate)
        problems.push(`business day: paper ${paper.businessDate}, ledger ${event.business_date}`);
      matches = problems.length === 0;
      const r = (
        await q.query<{ voided: boolean; cheques: string[] | null }>(
          `SELECT r.voided_seq IS NOT NULL AS voided,
                  (SELECT array_agg(c.status) FROM ho_cheques c WHERE c.receipt_id = r.receipt_id) AS cheques
           FROM ho_receipts r WHERE r.receipt_id = $1`,
          [p.receiptId],
        )
      )[0];
      voided = r?.voided ?? false;
      const states = r?.cheques ?? [];
      cheque = states.includes('bounced')
        ? 'bounced'
        : states.includes('pending')
          ? 'pending'
          : states.length > 0
            ? 'cleared'
            : 'none';
      if (voided) problems.push('the receipt was voided');
      if (cheque === 'bounced') problems.push('a cheque paying this receipt bounced');
    }
  }
  const status: PaperStatus = !signatureValid
    ? 'forged'
    : !event
      ? 'not_yet_synced'
      : !matches
        ? 'mismatch'
        : voided
          ? 'voided'
          : 'valid';
  if (status === 'forged' || status === 'mismatch')
    await q.query(
      `INSERT INTO ho_flags (kind, terminal_id, seq, receipt_label, detail, qr) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (kind, qr) DO NOTHING`,
      [
        status === 'forged' ? 'paper_forged' : 'paper_mismatch',
        paper.terminalId,
        paper.seq,
        paper.receiptLabel,
        problems.join('; '),
        qr.trim(),
      ],
    );
  return {
    genuine: signatureValid,
    signatureValid,
    atHeadOffice: event !== undefined,
    matches,
    status,
    terminalId: paper.terminalId,
    seq: paper.seq,
    receiptLabel: paper.receiptLabel,
    totalFen: paper.totalFen,
    receiptId,
    householdId,
    cheque,
    problems,
  };
}
