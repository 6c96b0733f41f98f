import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export interface TemperatureRow {
  id: string;
  room: string;
  tenths_c: number;
  outdoor_tenths_c: number | null;
  note: string;
  clerk_name: string | null;
  measured_at: string;
  seq: number;
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

export interface ValveRow {
  id: string;
  action: 'lock' | 'unlock';
  key_no: string;
  operator: string;
  note: string;
  clerk_name: string | null;
  occurred_at: string;
  seq: number;
}

/**
 * The newest `limit` rows of one household in a log table, each with the name of the clerk its
 * `by` column names (as `name`).
 */
export function householdLog<T>(
  db: Db,
  table: string,
  householdId: string,
  limit: number,
  clerk = { by: 'clerk_id', name: 'clerk_name' },
): T[] {
  return stmt(
    db,
    `SELECT t.*, k.name AS ${clerk.name} FROM ${table} t LEFT JOIN clerks k ON k.id = t.${clerk.by}
     WHERE t.household_id = ? ORDER BY t.seq DESC LIMIT ?`,
  ).all(householdId, limit) as T[];
}

export function temperaturesOf(db: Db, householdId: string, limit = 200): TemperatureRow[] {
  return householdLog(db, 'temperature_readings', householdId, limit);
}

export function complaintsOf(db: Db, householdId: string, limit = 200): ComplaintRow[] {
  const opener = { by: 'opened_by', name: 'opener_name' };
  return householdLog(db, 'complaints', householdId, limit, opener);
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

export function valveOperationsOf(db: Db, householdId: string, limit = 200): ValveRow[] {
  return householdLog(db, 'valve_operations', householdId, limit);
}

/** The valve's state after the last recorded operation, or null when none was recorded. */
export function lastValveAction(db: Db, householdId: string): 'lock' | 'unlock' | null {
  const row = stmt(
    db,
    'SELECT action FROM valve_operations WHERE household_id = ? ORDER BY seq DESC LIMIT 1',
  ).get(householdId) as { action: 'lock' | 'unlock' } | undefined;
  return row?.action ?? null;
}
