/**
 * The payment floor: the smallest transaction DESIGN.md §3 allows for a payment, on a file of its
 * own. The real input schema (zod), one hash-chained event (the real canonical JSON and hash, the
 * append-only and chain triggers), the balance projection and the shift total updated in the same
 * transaction, the receipt number taken from a book, WAL + synchronous=FULL. Nothing else: no
 * receipt rows or their indexes, lines, tenders, day or owed aggregates, session, reply view or
 * output validation. A diagnostic for `npm run bench`: how far the full payment is from what the
 * design cannot do without, on the same machine in the same run.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { commands } from '@heating-cashier/core/contract/commands';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import { eventHashWithPayloadJson, GENESIS_HASH } from '@heating-cashier/core/hash-chain';
import { sha256Hex } from '../src-main/ledger/sha256';
import { uuidv7 } from '../src-main/ledger/ids';

const SCHEMA = `
CREATE TABLE events (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, terminal_id TEXT NOT NULL, type TEXT NOT NULL,
  occurred_at TEXT NOT NULL, business_date TEXT NOT NULL, clerk_id TEXT, payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER events_chain_link BEFORE INSERT ON events
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM events)
  OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM events ORDER BY seq DESC LIMIT 1), '${GENESIS_HASH}')
BEGIN SELECT RAISE(ABORT, 'chain'); END;
CREATE TABLE balances (household_id TEXT NOT NULL, season_id TEXT NOT NULL,
  charge_fen INTEGER NOT NULL, paid_fen INTEGER NOT NULL,
  PRIMARY KEY (household_id, season_id)) WITHOUT ROWID;
CREATE TABLE shift_totals (shift_id TEXT PRIMARY KEY, receipts INTEGER NOT NULL,
  cash_fen INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE books (id TEXT PRIMARY KEY, next_no INTEGER NOT NULL, last_no INTEGER NOT NULL) WITHOUT ROWID;`;

const SEASONS = ['2025-2026', '2026-2027'] as const;

export interface PaymentFloor {
  /** One floor payment, timed (ms) from input parsing to the durable commit. */
  pay(): number;
  readonly file: string;
  close(): void;
}

export function openPaymentFloor(file: string, households: number): PaymentFloor {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  const ids: string[] = [];
  db.transaction(() => {
    const add = db.prepare('INSERT INTO balances VALUES (?, ?, ?, 0)');
    for (let i = 0; i < households; i++) {
      const id = randomUUID();
      ids.push(id);
      for (const s of SEASONS) add.run(id, s, 1_000_000_000); // never paid off within a bench
    }
    db.prepare("INSERT INTO books VALUES ('B1', 1, 100000000)").run();
    db.prepare("INSERT INTO shift_totals VALUES ('S1', 0, 0)").run();
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');

  const head = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
  const balances = db.prepare(
    'SELECT season_id, charge_fen, paid_fen FROM balances WHERE household_id = ? ORDER BY season_id',
  );
  const takeNumber = db.prepare(
    'UPDATE books SET next_no = next_no + 1 WHERE id = ? AND next_no <= last_no RETURNING next_no - 1 AS no',
  );
  const insertEvent = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const addPaid = db.prepare(
    'UPDATE balances SET paid_fen = paid_fen + ? WHERE household_id = ? AND season_id = ?',
  );
  const addToShift = db.prepare(
    'UPDATE shift_totals SET receipts = receipts + 1, cash_fen = cash_fen + ? WHERE shift_id = ?',
  );
  const inputSchema = commands['payment.take'].input;
  const commit = db.transaction((householdId: string, amountFen: number, requestId: string) => {
    const h = head.get() as { seq: number; hash: string } | undefined;
    const rows = balances.all(householdId) as {
      season_id: string;
      charge_fen: number;
      paid_fen: number;
    }[];
    const owing = rows.find((r) => r.charge_fen - r.paid_fen >= amountFen);
    if (!owing) throw new Error('floor: nothing owed');
    const { no } = takeNumber.get('B1') as { no: number };
    const payloadJson = canonicalJson({
      requestId,
      receiptNo: no,
      householdId,
      totalFen: amountFen,
      lines: [{ seasonId: owing.season_id, amountFen }],
      tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen }],
    });
    const now = new Date();
    const event = {
      seq: (h?.seq ?? 0) + 1,
      id: uuidv7(now.getTime()),
      terminalId: 'FLOOR',
      type: 'receipt.issued',
      occurredAt: now.toISOString(),
      businessDate: now.toISOString().slice(0, 10),
      clerkId: 'C1',
      prevHash: h?.hash ?? GENESIS_HASH,
    };
    insertEvent.run(
      event.seq,
      event.id,
      event.terminalId,
      event.type,
      event.occurredAt,
      event.businessDate,
      event.clerkId,
      payloadJson,
      event.prevHash,
      eventHashWithPayloadJson(event, payloadJson, sha256Hex),
    );
    addPaid.run(amountFen, householdId, owing.season_id);
    addToShift.run(amountFen, 'S1');
  });

  let next = 0;
  const session = 'f'.repeat(43);
  return {
    file,
    pay() {
      const householdId = ids[(next++ * 7919) % ids.length]!;
      const t0 = performance.now();
      const input = inputSchema.parse({
        session,
        requestId: randomUUID(),
        householdId,
        amountFen: 100,
        tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
      });
      commit(input.householdId, input.amountFen, input.requestId);
      return performance.now() - t0;
    },
    close: () => db.close(),
  };
}
