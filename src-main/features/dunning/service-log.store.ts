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

export function temperaturesOf(db: Db, householdId: string, limit = 200): TemperatureRow[] {
  return stmt(
    db,
    `SELECT t.*, k.name AS clerk_name FROM temperature_readings t LEFT JOIN clerks k ON k.id = t.clerk_id
     WHERE t.household_id = ? ORDER BY t.seq DESC LIMIT ?`,
  ).all(householdId, limit) as TemperatureRow[];
}

export function complaintsOf(db: Db, householdId: string, limit = 200): ComplaintRow[] {
  return stmt(
    db,
    `SELECT c.*, k.name AS opener_name FROM complaints c LEFT JOIN clerks k ON k.id = c.opened_by
     WHERE c.household_id = ? ORDER BY c.seq DESC LIMIT ?`,
  ).all(householdId, limit) as ComplaintRow[];
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
  return stmt(
    db,
    `SELECT v.*, k.name AS clerk_name FROM valve_operations v LEFT JOIN clerks k ON k.id = v.clerk_id
     WHERE v.household_id = ? ORDER BY v.seq DESC LIMIT ?`,
  ).all(householdId, limit) as ValveRow[];
}

/** The valve's state after the last recorded operation, or null when none was recorded. */
export function lastValveAction(db: Db, householdId: string): 'lock' | 'unlock' | null {
  const row = stmt(
    db,
    'SELECT action FROM valve_operations WHERE household_id = ? ORDER BY seq DESC LIMIT 1',
  ).get(householdId) as { action: 'lock' | 'unlock' } | undefined;
  return row?.action ?? null;
}
