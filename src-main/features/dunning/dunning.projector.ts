import { clearCounterEdits, settleCounterEdits } from '../households/counter-edits.store';
import type { dunningEventPayloads } from '@heating-cashier/core/contract/dunning-events';
import type { EventPayload, LedgerEvent } from '@heating-cashier/core/contract/events';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

type DunningEventType = keyof typeof dunningEventPayloads;
type Handler<T extends DunningEventType> = (db: Db, e: LedgerEvent<T>, p: EventPayload<T>) => void;

function valve(action: 'lock' | 'unlock'): Handler<'valve.locked' | 'valve.unlocked'> {
  return (db, e, p) => {
    stmt(
      db,
      `INSERT INTO valve_operations (id, household_id, action, key_no, operator, note, clerk_id, occurred_at, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.valveOpId,
      p.householdId,
      action,
      p.keyNo,
      p.operator,
      p.note,
      e.clerkId,
      e.occurredAt,
      e.seq,
    );
  };
}

/** Projections of the dunning / service-log events (migration 0009). */
export const dunningProjectors: { [T in DunningEventType]: Handler<T> } = {
  'dunning.contacted': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO dunning_contacts (id, household_id, channel, outcome, promised_on, note, clerk_id, occurred_at, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.contactId,
      p.householdId,
      p.channel,
      p.outcome,
      p.promisedOn,
      p.note,
      e.clerkId,
      e.occurredAt,
      e.seq,
    );
  },
  'dunning.noticeIssued': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO dunning_notices (notice_no, household_id, format, total_fen, due_date, clerk_id, issued_at, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.noticeNo,
      p.householdId,
      p.format,
      p.totalFen,
      p.dueDate,
      e.clerkId,
      e.occurredAt,
      e.seq,
    );
  },
  'household.flagged': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO household_flag_changes (seq, household_id, flag, value, reason, approved_by, changed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(e.seq, p.householdId, p.flag, Number(p.value), p.reason, p.approvedBy, e.occurredAt);
    const column = p.flag === 'blacklisted' ? 'blacklisted' : 'legal_action';
    stmt(db, `UPDATE households SET ${column} = ? WHERE id = ?`).run(
      Number(p.value),
      p.householdId,
    );
  },
  'service.temperatureRecorded': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO temperature_readings (id, household_id, room, tenths_c, outdoor_tenths_c, note, clerk_id, measured_at, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.readingId,
      p.householdId,
      p.room,
      p.tenthsC,
      p.outdoorTenthsC,
      p.note,
      e.clerkId,
      e.occurredAt,
      e.seq,
    );
  },
  'service.complaintOpened': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO complaints (id, household_id, category, text, status, opened_at, opened_by, updated_at, seq)
       VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
    ).run(
      p.complaintId,
      p.householdId,
      p.category,
      p.text,
      e.occurredAt,
      e.clerkId,
      e.occurredAt,
      e.seq,
    );
  },
  'service.complaintUpdated': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO complaint_updates (seq, complaint_id, status, note, clerk_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(e.seq, p.complaintId, p.status, p.note, e.clerkId, e.occurredAt);
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
