// The first-run mark: a ledger opened empty by a production shell stays "to be set up" (a row in
// the operational settings table) until it is enrolled, restored or made a demo ledger, so a crash
// or a restart half-way through still opens the setup screen.
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';
import { readSetting, writeSettings } from '../backup/backup.store';

const PENDING = 'setup.pending';

export function setupPendingMark(db: Db): boolean {
  return readSetting(db, PENDING) === '1';
}

export function writeSetupPending(db: Db, pending: boolean): void {
  writeSettings(db, { [PENDING]: pending ? '1' : null });
}

/** What a counter needs to take a payment, counted (the setup screen's summary). */
export function ledgerCounts(db: Db) {
  return stmt(
    db,
    `SELECT (SELECT count(*) FROM clerks WHERE active = 1) AS clerks,
            (SELECT count(*) FROM households) AS households,
            (SELECT count(*) FROM seasons) AS seasons,
            (SELECT count(*) FROM receipt_books) AS books`,
  ).get() as { clerks: number; households: number; seasons: number; books: number };
}
