import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export interface BookRow {
  id: string;
  series: string;
  first_no: number;
  last_no: number;
  next_no: number;
  clerk_id: string;
}

export interface ShiftRow {
  id: string;
  clerk_id: string;
  clerk_name: string;
  business_date: string;
  opening_float_fen: number;
  opened_at: string;
  closed_at: string | null;
}

/** The clerk's book in use: the earliest-issued one that still has numbers left. */
export function currentBook(db: Db, clerkId: string): BookRow | null {
  return (
    (stmt(
      db,
      'SELECT * FROM receipt_books WHERE clerk_id = ? AND next_no <= last_no AND returned_seq IS NULL ORDER BY issued_seq LIMIT 1',
    ).get(clerkId) as BookRow | undefined) ?? null
  );
}

export function overlappingBook(
  db: Db,
  series: string,
  firstNo: number,
  lastNo: number,
): BookRow | null {
  return (
    (stmt(
      db,
      'SELECT * FROM receipt_books WHERE series = ? AND first_no <= ? AND last_no >= ? LIMIT 1',
    ).get(series, lastNo, firstNo) as BookRow | undefined) ?? null
  );
}

export function bookById(db: Db, id: string): BookRow | null {
  return (
    (stmt(db, 'SELECT * FROM receipt_books WHERE id = ?').get(id) as BookRow | undefined) ?? null
  );
}

const SHIFT_SELECT = `SELECT s.id, s.clerk_id, c.name AS clerk_name, s.business_date, s.opening_float_fen,
                             s.opened_at, s.closed_at
                      FROM shifts s JOIN clerks c ON c.id = s.clerk_id`;

export function openShift(db: Db): ShiftRow | null {
  return (
    (stmt(db, `${SHIFT_SELECT} WHERE s.closed_seq IS NULL`).get() as ShiftRow | undefined) ?? null
  );
}

export function shiftById(db: Db, id: string): ShiftRow | null {
  return (stmt(db, `${SHIFT_SELECT} WHERE s.id = ?`).get(id) as ShiftRow | undefined) ?? null;
}
