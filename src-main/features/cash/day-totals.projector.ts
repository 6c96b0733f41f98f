import type { EventPayload } from '@heating-cashier/core/contract/events';
import { isPending, sumByKind, TENDER_KINDS } from '@heating-cashier/core/tenders';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';
import { dayTotalColumn } from './cash.store';

const KIND_COLUMNS = TENDER_KINDS.map(dayTotalColumn);
const UPSERT_CLERK_TOTALS = `INSERT INTO daily_clerk_totals (business_date, clerk_id, receipts, voids, issued_fen, voided_fen, ${KIND_COLUMNS.join(', ')}, qr_confirmed_fen)
     VALUES (?, ?, ?, ?, ?, ?, ${KIND_COLUMNS.map(() => '?').join(', ')}, ?)
     ON CONFLICT (business_date, clerk_id) DO UPDATE SET
       receipts = receipts + excluded.receipts, voids = voids + excluded.voids,
       issued_fen = issued_fen + excluded.issued_fen, voided_fen = voided_fen + excluded.voided_fen,
       ${KIND_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
       qr_confirmed_fen = qr_confirmed_fen + excluded.qr_confirmed_fen`;

/** QR tenders settled through head office (qr.sale: detail.confirmation 'confirmed', 0021). */
export const isConfirmedQr = (t: { kind: string; detail?: Record<string, string> | undefined }) =>
  t.kind === 'qr' && t.detail?.confirmation === 'confirmed';

type Issued = EventPayload<'receipt.issued'>;

/**
 * Adds (sign +1) or removes (sign -1, on void) a receipt from the day aggregates. `voided` moves the
 * receipt from valid to voided without touching what was issued that day.
 */
export function applyReceiptToDayTotals(
  db: Db,
  businessDate: string,
  clerkId: string,
  p: Issued,
  voided: boolean,
): void {
  const sign = voided ? -1 : 1;
  const byKind = sumByKind(p.tenders);
  stmt(db, UPSERT_CLERK_TOTALS).run(
    businessDate,
    clerkId,
    voided ? 0 : 1,
    voided ? 1 : 0,
    voided ? 0 : p.totalFen,
    voided ? p.totalFen : 0,
    ...TENDER_KINDS.map((k) => byKind[k] * sign + 0), // + 0: never bind -0
    p.tenders.filter(isConfirmedQr).reduce((n, t) => n + t.amountFen, 0) * sign + 0,
  );
  // a receipt with a pending tender enters these totals when its last one is decided (cheques)
  if (p.tenders.some((t) => isPending(t.kind))) return;
  const season = stmt(
    db,
    `INSERT INTO daily_season_totals (business_date, season_id, amount_fen) VALUES (?, ?, ?)
     ON CONFLICT (business_date, season_id) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen`,
  );
  for (const l of p.lines) season.run(businessDate, l.seasonId, l.amountFen * sign);
  stmt(
    db,
    `INSERT INTO daily_community_totals (business_date, community, receipts, amount_fen)
     SELECT ?, community, ?, ? FROM households WHERE id = ?
     ON CONFLICT (business_date, community) DO UPDATE SET
       receipts = receipts + excluded.receipts, amount_fen = amount_fen + excluded.amount_fen`,
  ).run(businessDate, sign, p.totalFen * sign, p.householdId);
}

/** The issued event of a receipt, to take it out of the day totals when it is voided. */
export function issuedEventOf(
  db: Db,
  receiptId: string,
): { businessDate: string; clerkId: string; payload: Issued } {
  const row = stmt(
    db,
    `SELECT e.business_date, e.clerk_id, e.payload FROM receipts r JOIN events e ON e.seq = r.issued_seq WHERE r.id = ?`,
  ).get(receiptId) as { business_date: string; clerk_id: string; payload: string };
  return {
    businessDate: row.business_date,
    clerkId: row.clerk_id,
    payload: JSON.parse(row.payload) as Issued,
  };
}
