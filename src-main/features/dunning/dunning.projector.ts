import { clearCounterEdits, settleCounterEdits } from '../households/counter-edits.store';
import type { dunningEventPayloads } from '@heating-cashier/core/contract/dunning-events';
import type { EventPayload, LedgerEvent } from '@heating-cashier/core/contract/events';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

type DunningEventType = keyof typeof dunningEventPayloads;
type Handler<T extends DunningEventType> = (db: Db, e: LedgerEvent<T>, p: EventPayload<T>) => void;

/** The columns every log row takes from its event: who wrote it, when, and its ledger seq. */
function logged(e: LedgerEvent) {
  return { clerkId: e.clerkId, occurredAt: e.occurredAt, seq: e.seq };
}

/** A projection that inserts one row: the payload's fields (`@field` in `sql`) and `logged(e)`. */
function insertRow<T extends DunningEventType>(sql: string, extra: object = {}): Handler<T> {
  return (db, e, p) => {
    stmt(db, sql).run({ ...p, ...extra, ...logged(e) });
  };
}

function valve(action: 'lock' | 'unlock'): Handler<'valve.locked' | 'valve.unlocked'> {
  return insertRow(
    `INSERT INTO valve_operations (id, household_id, action, key_no, operator, note, clerk_id, occurred_at, seq)
     VALUES (@valveOpId, @householdId, @action, @keyNo, @operator, @note, @clerkId, @occurredAt, @seq)`,
    { action },
  );
}

/** Projections of the dunning / service-log events (migration 0009). */
export const dunningProjectors: { [T in DunningEventType]: Handler<T> } = {
  'dunning.contacted': insertRow(
    `INSERT INTO dunning_contacts (id, household_id, channel, outcome, promised_on, note, clerk_id, occurred_at, seq)
     VALUES (@contactId, @householdId, @channel, @outcome, @promisedOn, @note, @clerkId, @occurredAt, @seq)`,
  ),
  'dunning.noticeIssued': insertRow(
    `INSERT INTO dunning_notices (notice_no, household_id, format, total_fen, due_date, clerk_id, issued_at, seq)
     VALUES (@noticeNo, @householdId, @format, @totalFen, @dueDate, @clerkId, @occurredAt, @seq)`,
  ),
  'household.flagged': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO household_flag_changes (seq, household_id, flag, value, reason, approved_by, changed_at)
       VALUES (@seq, @householdId, @flag, @value, @reason, @approvedBy, @occurredAt)`,
    ).run({ ...p, value: Number(p.value), ...logged(e) });
    const column = p.flag === 'blacklisted' ? 'blacklisted' : 'legal_action';
    stmt(db, `UPDATE households SET ${column} = ? WHERE id = ?`).run(
      Number(p.value),
      p.householdId,
    );
  },
  'service.temperatureRecorded': insertRow(
    `INSERT INTO temperature_readings (id, household_id, room, tenths_c, outdoor_tenths_c, note, clerk_id, measured_at, seq)
     VALUES (@readingId, @householdId, @room, @tenthsC, @outdoorTenthsC, @note, @clerkId, @occurredAt, @seq)`,
  ),
  'service.complaintOpened': insertRow(
    `INSERT INTO complaints (id, household_id, category, text, status, opened_at, opened_by, updated_at, seq)
     VALUES (@complaintId, @householdId, @category, @text, 'open', @occurredAt, @clerkId, @occurredAt, @seq)`,
  ),
  'service.complaintUpdated': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO complaint_updates (seq, complaint_id, status, note, clerk_id, updated_at)
       VALUES (@seq, @complaintId, @status, @note, @clerkId, @occurredAt)`,
    ).run({ ...p, ...logged(e) });
    stmt(db, 'UPDATE complaints SET status = ?, updated_at = ? WHERE id = ?').run(
      p.status,
      e.occurredAt,
      p.complaintId,
    );
  },
  'valve.locked': valve('lock'),
  'valve.unlocked': valve('unlock'),
  'master.imported': (db, _e, p) => {
    if (p.kind !== 'households') return;
    if (p.settledEdits === undefined) clearCounterEdits(db);
    else settleCounterEdits(db, p.settledEdits);
  },
};

/** Projection tables of migration 0009, for rebuild and the rebuild == live check. */
export const DUNNING_PROJECTION_TABLES = [
  { table: 'dunning_contacts', order: 'id' },
  { table: 'dunning_notices', order: 'notice_no' },
  { table: 'household_flag_changes', order: 'seq' },
  { table: 'temperature_readings', order: 'id' },
  { table: 'complaints', order: 'id' },
  { table: 'complaint_updates', order: 'seq' },
  { table: 'valve_operations', order: 'id' },
] as const;
