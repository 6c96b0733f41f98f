// The receipt-number report (docs/trust.md "Head office"): numbered paper is the customer's proof,
// so head office looks for numbers used twice, numbers outside the books it allocated to that
// terminal, numbers skipped inside a book, and paper that did not match the ledger.
import type { Queryable } from './db';

export type ReceiptNumberKind =
  'duplicate' | 'outside_book' | 'skipped' | 'paper_forged' | 'paper_mismatch';

export interface ReceiptNumberRow {
  kind: ReceiptNumberKind;
  terminalId: string | null;
  /** The event that used the number (null for a skipped number). */
  seq: number | null;
  receiptLabel: string | null;
  series: string | null;
  receiptNo: number | null;
  detail: string;
}

const LIMIT = 5000;

/** Every finding, by kind, then terminal, series and number (at most 5,000 of each kind). */
export async function receiptNumberReport(
  q: Queryable,
  filter: { terminalId?: string } = {},
): Promise<ReceiptNumberRow[]> {
  const t = filter.terminalId ?? null;
  // Numbers as the terminals used them: receipts issued and paper forms spoiled, with the series
  // of the book (the terminal's book.issued event) they came from.
  const used = `
    ev AS (
      SELECT terminal_id, seq, type, payload::jsonb AS p FROM ho_events
      WHERE type IN ('book.issued', 'receipt.issued', 'receipt.spoiled')),
    books AS (
      SELECT terminal_id, p->>'bookId' AS book_id, p->>'series' AS series,
             (p->>'firstNo')::bigint AS first_no, (p->>'lastNo')::bigint AS last_no
      FROM ev WHERE type = 'book.issued'),
    used AS (
      SELECT u.terminal_id, u.seq, u.type, u.p->>'bookId' AS book_id, (u.p->>'receiptNo')::bigint AS no,
             u.p->>'receiptLabel' AS label, b.series
      FROM ev u LEFT JOIN books b ON b.terminal_id = u.terminal_id AND b.book_id = u.p->>'bookId'
      WHERE u.type IN ('receipt.issued', 'receipt.spoiled'))`;
  const duplicates = await q.query<Row>(
    `WITH ${used},
     twice AS (SELECT series, no FROM used GROUP BY series, no HAVING count(*) > 1)
     SELECT 'duplicate' AS kind, u.terminal_id, u.seq, u.label, u.series, u.no,
            'used ' || (SELECT count(*) FROM used x WHERE x.series IS NOT DISTINCT FROM u.series AND x.no = u.no)
              || ' times: ' || (SELECT string_agg(x.terminal_id || ' seq ' || x.seq || ' (' || x.type || ')', ', '
                                                  ORDER BY x.terminal_id, x.seq)
                                FROM used x WHERE x.series IS NOT DISTINCT FROM u.series AND x.no = u.no) AS detail
     FROM used u JOIN twice w ON w.series IS NOT DISTINCT FROM u.series AND w.no = u.no
     WHERE $1::text IS NULL OR u.terminal_id = $1
     ORDER BY u.terminal_id, u.series, u.no, u.seq LIMIT ${LIMIT}`,
    [t],
  );
  const outside = await q.query<Row>(
    `WITH ${used}
     SELECT 'outside_book' AS kind, u.terminal_id, u.seq, u.label, u.series, u.no,
            'not inside any receipt book head office allocated to ' || u.terminal_id AS detail
     FROM used u
     WHERE u.type = 'receipt.issued' AND ($1::text IS NULL OR u.terminal_id = $1)
       AND NOT EXISTS (SELECT 1 FROM ho_books hb WHERE hb.terminal_id = u.terminal_id AND hb.series = u.series
                         AND u.no BETWEEN hb.first_no AND hb.last_no)
     ORDER BY u.terminal_id, u.series, u.no LIMIT ${LIMIT}`,
    [t],
  );
  // The label as the terminal prints it: series + the number zero-padded to max(6, digits of the
  // book's last number) (src-main/features/payments receiptLabel).
  const skipped = await q.query<Row>(
    `WITH ${used},
     top AS (SELECT terminal_id, book_id, max(no) AS hi FROM used GROUP BY terminal_id, book_id)
     SELECT 'skipped' AS kind, b.terminal_id, NULL::bigint AS seq,
            b.series || lpad(n::text, greatest(6, length(b.last_no::text)), '0') AS label, b.series, n AS no,
            'skipped inside book ' || b.series || ' ' || b.first_no || '-' || b.last_no
              || ': neither issued nor spoiled, and a later number was used' AS detail
     FROM books b JOIN top ON top.terminal_id = b.terminal_id AND top.book_id = b.book_id,
          generate_series(b.first_no, top.hi) AS n
     WHERE ($1::text IS NULL OR b.terminal_id = $1)
       AND NOT EXISTS (SELECT 1 FROM used u WHERE u.terminal_id = b.terminal_id AND u.book_id = b.book_id AND u.no = n)
     ORDER BY b.terminal_id, b.series, n LIMIT ${LIMIT}`,
    [t],
  );
  const paper = await q.query<Row>(
    `SELECT f.kind, f.terminal_id, f.seq, f.receipt_label AS label,
            (SELECT e.payload::jsonb->>'receiptNo' FROM ho_events e
             WHERE e.terminal_id = f.terminal_id AND e.seq = f.seq AND e.type = 'receipt.issued')::bigint AS no,
            NULL AS series, f.detail
     FROM ho_flags f
     WHERE f.kind IN ('paper_forged', 'paper_mismatch') AND f.resolved_at IS NULL
       AND ($1::text IS NULL OR f.terminal_id = $1)
     ORDER BY f.kind, f.terminal_id, f.seq LIMIT ${LIMIT}`,
    [t],
  );
  return [...duplicates, ...outside, ...skipped, ...paper].map((r) => ({
    kind: r.kind,
    terminalId: r.terminal_id,
    seq: r.seq,
    receiptLabel: r.label,
    series: r.series,
    receiptNo: r.no,
    detail: r.detail,
  }));
}

interface Row {
  kind: ReceiptNumberKind;
  terminal_id: string | null;
  seq: number | null;
  label: string | null;
  series: string | null;
  no: number | null;
  detail: string;
}
