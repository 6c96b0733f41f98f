// The pole display's settings row (`settings` table of migration 0005, key `poleDisplay`).
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export const POLE_SETTING = 'poleDisplay';

/** The stored JSON, or null when never saved (or on a ledger from before the settings table). */
export function readPoleSetting(db: Db): string | null {
  try {
    const row = stmt(db, 'SELECT value FROM settings WHERE key = ?').get(POLE_SETTING) as
      { value: string } | undefined;
    return row?.value ?? null;
  } catch {
    return null;
  }
}

export function writePoleSetting(db: Db, json: string): void {
  stmt(db, 'INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(POLE_SETTING, json);
}
