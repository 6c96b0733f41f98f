import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export interface TerminalRow {
  terminal_id: string;
  name: string;
  time_zone: string;
  is_demo: number;
  created_at: string;
}

export function terminalRow(db: Db): TerminalRow | null {
  return (
    (stmt(db, 'SELECT * FROM terminal WHERE singleton = 1').get() as TerminalRow | undefined) ??
    null
  );
}

export function insertTerminal(
  db: Db,
  t: Omit<TerminalRow, 'is_demo'> & { isDemo: boolean },
): void {
  stmt(
    db,
    'INSERT INTO terminal (singleton, terminal_id, name, time_zone, is_demo, created_at) VALUES (1, ?, ?, ?, ?, ?)',
  ).run(t.terminal_id, t.name, t.time_zone, Number(t.isDemo), t.created_at);
}

export function isEmptyLedger(db: Db): boolean {
  // EXISTS, not count(*): a season's ledger holds ~10^5 events and ~10^6 rows, and counting them
  // cost ~0.4 s of every start (issue 20).
  const row = stmt(
    db,
    `SELECT EXISTS (SELECT 1 FROM events WHERE type NOT IN ('terminal.keyed', 'terminal.enrolled'))
         OR EXISTS (SELECT 1 FROM households) OR EXISTS (SELECT 1 FROM clerks) AS n`,
  ).get() as { n: number };
  return row.n === 0;
}
