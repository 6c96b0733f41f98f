import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export type PrintJobState = 'queued' | 'sending' | 'done' | 'unknown' | 'superseded';

export interface PrintJobRow {
  num: number;
  id: string;
  template: string;
  subject_id: string | null;
  label: string;
  data: string;
  drawer_kick: number;
  state: PrintJobState;
  attempts: number;
  reason: string | null;
  reason_at: string | null;
  created_at: string;
  sent_at: string | null;
  done_at: string | null;
  replaces_id: string | null;
  event_seq: number | null;
}

export interface NewPrintJob {
  id: string;
  template: string;
  subjectId: string | null;
  label: string;
  data: unknown;
  drawerKick: boolean;
  createdAt: string;
  replacesId?: string | null;
  eventSeq?: number | null;
}

export function insertPrintJob(db: Db, j: NewPrintJob): void {
  stmt(
    db,
    `INSERT INTO print_jobs (id, template, subject_id, label, data, drawer_kick, created_at, replaces_id, event_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    j.id,
    j.template,
    j.subjectId,
    j.label,
    JSON.stringify(j.data),
    j.drawerKick ? 1 : 0,
    j.createdAt,
    j.replacesId ?? null,
    j.eventSeq ?? null,
  );
}

export function printJobById(db: Db, id: string): PrintJobRow | null {
  return (
    (stmt(db, 'SELECT * FROM print_jobs WHERE id = ?').get(id) as PrintJobRow | undefined) ?? null
  );
}

export function nextQueuedJob(db: Db): PrintJobRow | null {
  return (
    (stmt(db, "SELECT * FROM print_jobs WHERE state = 'queued' ORDER BY num LIMIT 1").get() as
      PrintJobRow | undefined) ?? null
  );
}

export function recentPrintJobs(db: Db, limit: number, openOnly: boolean): PrintJobRow[] {
  return stmt(
    db,
    openOnly
      ? "SELECT * FROM print_jobs WHERE state IN ('queued', 'sending', 'unknown') ORDER BY num DESC LIMIT ?"
      : 'SELECT * FROM print_jobs ORDER BY num DESC LIMIT ?',
  ).all(limit) as PrintJobRow[];
}

export function printJobsOf(db: Db, subjectId: string): PrintJobRow[] {
  return stmt(db, 'SELECT * FROM print_jobs WHERE subject_id = ? ORDER BY num').all(
    subjectId,
  ) as PrintJobRow[];
}

export function queueCounts(db: Db): { queued: number; unknown: number; sending: number } {
  const rows = stmt(
    db,
    "SELECT state, count(*) AS n FROM print_jobs WHERE state IN ('queued', 'sending', 'unknown') GROUP BY state",
  ).all() as { state: PrintJobState; n: number }[];
  const count = (s: PrintJobState) => rows.find((r) => r.state === s)?.n ?? 0;
  return { queued: count('queued'), unknown: count('unknown'), sending: count('sending') };
}

export function markSending(db: Db, id: string, now: string): void {
  stmt(
    db,
    "UPDATE print_jobs SET state = 'sending', attempts = attempts + 1, sent_at = ? WHERE id = ? AND state = 'queued'",
  ).run(now, id);
}

export function markDone(db: Db, id: string, now: string): void {
  stmt(db, "UPDATE print_jobs SET state = 'done', done_at = ?, reason = NULL WHERE id = ?").run(
    now,
    id,
  );
}

/** Back to the queue with a visible reason (nothing reached the printer). */
export function markWaiting(
  db: Db,
  id: string,
  reason: string,
  now: string,
  sending: boolean,
): void {
  stmt(
    db,
    `UPDATE print_jobs SET state = 'queued', reason = ?, reason_at = ?,
       attempts = attempts + ? WHERE id = ? AND state IN ('queued', 'sending')`,
  ).run(reason, now, sending ? 0 : 1, id);
}

export function markUnknown(db: Db, id: string, reason: string, now: string): void {
  stmt(
    db,
    "UPDATE print_jobs SET state = 'unknown', reason = ?, reason_at = ? WHERE id = ? AND state IN ('queued', 'sending')",
  ).run(reason, now, id);
}

export function markSuperseded(db: Db, id: string): void {
  stmt(db, "UPDATE print_jobs SET state = 'superseded' WHERE id = ? AND state = 'unknown'").run(id);
}

export function setReplacesId(db: Db, id: string, replacesId: string): void {
  stmt(db, 'UPDATE print_jobs SET replaces_id = ? WHERE id = ?').run(replacesId, id);
}

/** After a crash: a job that was being sent has an unknown outcome. */
export function recoverInterrupted(db: Db, now: string): number {
  return stmt(
    db,
    "UPDATE print_jobs SET state = 'unknown', reason = 'interrupted', reason_at = ? WHERE state = 'sending'",
  ).run(now).changes;
}

export interface PrinterSettingsRow {
  interface: string;
  width: number;
  encoding: string;
  company_name: string;
  drawer_kick: string;
  print_stub: number;
  /** 'native' (GS ( k) or 'raster' (image); migration 0012. */
  qr_mode?: string;
  /** Parts of the 一式三联 receipt printed, 1–3 (migration 0019); print_stub follows it. */
  receipt_parts?: number;
  updated_at: string;
  updated_by: string | null;
}

export function printerSettingsRow(db: Db): PrinterSettingsRow | null {
  return (
    (stmt(db, 'SELECT * FROM printer_settings WHERE singleton = 1').get() as
      PrinterSettingsRow | undefined) ?? null
  );
}

export function savePrinterSettings(db: Db, s: PrinterSettingsRow): void {
  stmt(
    db,
    `INSERT INTO printer_settings (singleton, interface, width, encoding, company_name, drawer_kick, print_stub, qr_mode, receipt_parts, updated_at, updated_by)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (singleton) DO UPDATE SET interface = excluded.interface, width = excluded.width,
       encoding = excluded.encoding, company_name = excluded.company_name, drawer_kick = excluded.drawer_kick,
       print_stub = excluded.print_stub, qr_mode = excluded.qr_mode, receipt_parts = excluded.receipt_parts,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(
    s.interface,
    s.width,
    s.encoding,
    s.company_name,
    s.drawer_kick,
    s.receipt_parts === undefined ? s.print_stub : s.receipt_parts >= 2 ? 1 : 0,
    s.qr_mode ?? 'native',
    s.receipt_parts ?? (s.print_stub === 1 ? 3 : 1),
    s.updated_at,
    s.updated_by,
  );
}

// ---------------------------------------------------------------------------------------------
// Receipt print cursor (migration 0012): how far in the event log receipts have been queued.

export function receiptPrintCursor(db: Db): number {
  const row = stmt(db, 'SELECT through_seq FROM receipt_print_cursor WHERE singleton = 1').get() as
    { through_seq: number } | undefined;
  return row?.through_seq ?? 0;
}

export function setReceiptPrintCursor(db: Db, seq: number): void {
  stmt(db, 'UPDATE receipt_print_cursor SET through_seq = ? WHERE singleton = 1').run(seq);
}

/** The receipts issued after `seq`, oldest first (a rowid range on the event log). */
export function receiptsIssuedAfter(db: Db, seq: number): { seq: number; receiptId: string }[] {
  return stmt(
    db,
    `SELECT seq, json_extract(payload, '$.receiptId') AS receiptId FROM events
     WHERE seq > ? AND type = 'receipt.issued' ORDER BY seq`,
  ).all(seq) as { seq: number; receiptId: string }[];
}
