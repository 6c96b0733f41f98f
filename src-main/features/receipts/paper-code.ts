import {
  encodePaperReceipt,
  paperReceiptBody,
  paperReceiptMessage,
  type PaperReceipt,
} from '@heating-cashier/core/signing';
import type { Db } from '../../ledger/db';

/**
 * The receipt's QR text (docs/trust.md): number, amount, seq, business date and terminal, signed by
 * the terminal key (core/signing paperReceiptMessage). Ed25519 is deterministic, so a reprint
 * carries the same code. Without a key in hand (the ledger is in alarm, its key withheld) the code
 * is printed unsigned: no checker takes it for genuine.
 */
export function paperCodeOf(db: Db, receipt: PaperReceipt): string {
  const signer = db.cache.signer;
  return signer
    ? encodePaperReceipt(receipt, signer.sign(paperReceiptMessage(receipt)))
    : paperReceiptBody(receipt);
}
