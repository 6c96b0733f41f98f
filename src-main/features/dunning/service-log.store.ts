import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

/** A room temperature reading as the service log shows it. */
export interface TemperatureEntry {
  id: string;
  room: string;
  tenthsC: number;
  outdoorTenthsC: number | null;
  note: string;
  clerkName: string | null;
  measuredAt: string;
}

export interface ComplaintRow {
  id: string;
  household_id: string;
  category: 'not_warm' | 'leak' | 'noise' | 'billing' | 'service' | 'other';
  text: string;
  status: 'open' | 'in_progress' | 'closed';
  opened_at: string;
  opener_name: string | null;
  updated_at: string;
  seq: number;
}

export interface ComplaintUpdateRow {
  seq: number;
  complaint_id: string;
  status: 'open' | 'in_progress' | 'closed';
  note: string;
  clerk_name: string | null;
  updated_at: string;
}

/** A valve lock / unlock record as the service log shows it. */
export interface ValveEntry {
  id: string;
  action: 'lock' | 'unlock';
  keyNo: string;
  operator: string;
  note: string;
  clerkName: string | null;
  occurredAt: string;
}

/**
 * The newest `limit` rows of one household in a log table (`t`), with the columns `select` names;
 * `k` is the clerk in the row's `clerkColumn`.
 */
export function householdLog<T>(
  db: Db,
  table: string,
  select: string,
  householdId: string,
  limit: number,
  clerkColumn = 'clerk_id',
): T[] {
  return stmt(
    db,
    `SELECT ${select} FROM ${table} t LEFT JOIN clerks k ON k.id = t.${clerkColumn}
     WHERE t.household_id = ? ORDER BY t.seq DESC LIMIT ?`,
  ).all(householdId, limit) as T[];
}

export function temperaturesOf(db: Db, householdId: string, limit = 200): TemperatureEntry[] {
  const entry = `t.id, t.room, t.tenths_c AS tenthsC, t.outdoor_tenths_c AS outdoorTenthsC, t.note,
                 k.name AS clerkName, t.measured_at AS measuredAt`;
  return householdLog(db, 'temperature_readings', entry, householdId, limit);
}

export function complaintsOf(db: Db, householdId: string, limit = 200): ComplaintRow[] {
  const row = 't.*, k.name AS opener_name';
  return householdLog(db, 'complaints', row, householdId, limit, 'opened_by');
}

export function complaintById(db: Db, id: string): ComplaintRow | null {
  return (
    (stmt(db, 'SELECT c.*, NULL AS opener_name FROM complaints c WHERE c.id = ?').get(id) as
      ComplaintRow | undefined) ?? null
  );
}

export function complaintUpdatesOf(db: Db, householdId: string): ComplaintUpdateRow[] {
  return stmt(
    db,
    `SELECT u.*, k.name AS clerk_name FROM complaint_updates u
     JOIN complaints c ON c.id = u.complaint_id LEFT JOIN clerks k ON k.id = u.clerk_id
     WHERE c.household_id = ? ORDER BY u.seq`,
  ).all(householdId) as ComplaintUpdateRow[];
}

export function valveOperationsOf(db: Db, householdId: string, limit = 200): ValveEntry[] {
  const entry = `t.id, t.action, t.key_no AS keyNo, t.operator, t.note, k.name AS clerkName,
                 t.occurred_at AS occurredAt`;
  return householdLog(db, 'valve_operations', entry, householdId, limit);
}

/** The valve's state after the last recorded operation, or null when none was recorded. */
export function lastValveAction(db: Db, householdId: string): 'lock' | 'unlock' | null {
  const row = stmt(
    db,
    'SELECT action FROM valve_operations WHERE household_id = ? ORDER BY seq DESC LIMIT 1',
  ).get(householdId) as { action: 'lock' | 'unlock' } | undefined;
  return row?.action ?? null;
}
