// Signed master rows (issue 17, docs/trust.md "Master rows on the terminal"). Clerks (with their PIN
// verifier), seasons, rates, charges, payments elsewhere and households carry `sig`, an Ed25519 signature over
// core masterRecordMessage(kind, record), and `signed_by`: head office (every pulled change, checked
// under the pinned head-office key before it is applied) or this terminal (the demo district, a
// counter import, clerks added here, season configuration, advance charges, rows from before the
// upgrade). The record is the row re-expressed in its core record schema's shape, so head office's
// signature over a pulled change verifies against the stored row as long as nobody altered it.
//
// This file holds the one mapping row ↔ record, the writers of those tables' signed columns and the
// checks: one row (log-in), one household's money rows (a payment), every row (the full verify).
import { masterRecordMessage, type VerifySignature } from '@heating-cashier/core/signing';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';
// A cycle with households.store (its writers sign here); only functions cross it, at call time.
import { rowToHousehold, type Household, type HouseholdRow } from '../households/households.store';

export const MASTER_TABLES = [
  'clerks',
  'seasons',
  'rates',
  'charges',
  'payments_elsewhere',
  'households',
] as const;
export type MasterTable = (typeof MASTER_TABLES)[number];

// The records in the shape of core/contract/sync-wire's record schemas (clerkRecord, seasonRecord,
// rateRecord, chargeRecord, paymentRecord): what head office signs after parsing them.
export interface ClerkRecord {
  id: string;
  code: string;
  name: string;
  role: 'clerk' | 'supervisor';
  pinHash: string;
  active: boolean;
}
export interface SeasonRecord {
  id: string;
  code: string;
  startsOn: string;
  endsOn: string;
  noHeatDeadline: string | null;
  noHeatRatioPct: number;
}
export interface RateRecord {
  seasonId: string;
  category: 'residential' | 'commercial' | 'public';
  rateFenPerM2: number;
}
export interface ChargeRecord {
  householdId: string;
  seasonId: string;
  chargeFen: number;
  paidBeforeFen: number;
}
export interface PaymentRecord {
  id: string;
  householdId: string;
  seasonId: string;
  amountFen: number;
  source: 'counter' | 'bank' | 'online' | 'cheque';
  originTerminalId: string | null;
  reference: string | null;
  paidAt: string | null;
}

/**
 * A household's master fields as the terminal signs them (households are always signed by the
 * terminal: head office's signature over its full record is checked on pull, but the row also
 * carries no-heat, blacklist and legal-action flags that the counter's own signed events move, so
 * it could not keep verifying under head office's key). The flags are projections of those events
 * and are checked by the projection replay instead.
 */
export type HouseholdMasterRecord = Pick<
  Household,
  | 'id'
  | 'accountNo'
  | 'name'
  | 'phone'
  | 'community'
  | 'building'
  | 'unit'
  | 'room'
  | 'areaHundredths'
  | 'category'
  | 'subsidised'
>;

export type SignedBy = 'head-office' | 'terminal';
export interface RowSignature {
  sig: string;
  signedBy: SignedBy;
}

/** What is wrong with a row (core/contract/errors MASTER_ROW_INVALID words each one). */
export type MasterRowProblemKind =
  'unsigned' | 'altered' | 'unknown-signer' | 'paid-elsewhere-mismatch';

export interface MasterRowProblem {
  table: MasterTable;
  /** The row's key as a person reads it: clerk code, season code, `household/season`, payment id. */
  key: string;
  problem: MasterRowProblemKind;
}

interface Signed {
  sig: string | null;
  signed_by: SignedBy | null;
}
interface ClerkRowCols extends Signed {
  id: string;
  code: string;
  name: string;
  role: 'clerk' | 'supervisor';
  pin_hash: string;
  active: number;
}
interface SeasonRowCols extends Signed {
  id: string;
  code: string;
  starts_on: string;
  ends_on: string;
  no_heat_deadline: string | null;
  no_heat_ratio_pct: number;
}
interface RateRowCols extends Signed {
  season_id: string;
  category: RateRecord['category'];
  rate_fen_per_m2: number;
}
interface ChargeRowCols extends Signed {
  household_id: string;
  season_id: string;
  charge_fen: number;
  paid_before_fen: number;
  paid_elsewhere_fen: number;
}
interface PaymentRowCols extends Signed {
  id: string;
  household_id: string;
  season_id: string;
  amount_fen: number;
  source: PaymentRecord['source'];
  origin_terminal_id: string | null;
  reference: string | null;
  paid_at: string | null;
}

type HouseholdRowCols = HouseholdRow & Signed;

interface RowsOf {
  clerks: ClerkRowCols;
  seasons: SeasonRowCols;
  rates: RateRowCols;
  charges: ChargeRowCols;
  payments_elsewhere: PaymentRowCols;
  households: HouseholdRowCols;
}
export type MasterRow<T extends MasterTable = MasterTable> = RowsOf[T];

/** Each table's master kind (the `kind` head office signs with), record and readable key. */
const SPEC: {
  [T in MasterTable]: {
    kind: 'clerk' | 'season' | 'rate' | 'charge' | 'payment' | 'household';
    record: (row: RowsOf[T]) => object;
    key: (row: RowsOf[T]) => string;
  };
} = {
  clerks: {
    kind: 'clerk',
    record: (r): ClerkRecord => ({
      id: r.id,
      code: r.code,
      name: r.name,
      role: r.role,
      pinHash: r.pin_hash,
      active: r.active === 1,
    }),
    key: (r) => r.code,
  },
  seasons: {
    kind: 'season',
    record: (r): SeasonRecord => ({
      id: r.id,
      code: r.code,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      noHeatDeadline: r.no_heat_deadline,
      noHeatRatioPct: r.no_heat_ratio_pct,
    }),
    key: (r) => r.code,
  },
  rates: {
    kind: 'rate',
    record: (r): RateRecord => ({
      seasonId: r.season_id,
      category: r.category,
      rateFenPerM2: r.rate_fen_per_m2,
    }),
    key: (r) => `${r.season_id}/${r.category}`,
  },
  charges: {
    kind: 'charge',
    record: (r): ChargeRecord => ({
      householdId: r.household_id,
      seasonId: r.season_id,
      chargeFen: r.charge_fen,
      paidBeforeFen: r.paid_before_fen,
    }),
    key: (r) => `${r.household_id}/${r.season_id}`,
  },
  payments_elsewhere: {
    kind: 'payment',
    record: (r): PaymentRecord => ({
      id: r.id,
      householdId: r.household_id,
      seasonId: r.season_id,
      amountFen: r.amount_fen,
      source: r.source,
      originTerminalId: r.origin_terminal_id,
      reference: r.reference,
      paidAt: r.paid_at,
    }),
    key: (r) => r.id,
  },
  households: {
    kind: 'household',
    record: (r) => householdMasterRecord(rowToHousehold(r)),
    key: (r) => r.account_no,
  },
};

/** The message a row's signature covers: masterRecordMessage(kind, the row as its record). */
export function masterRowMessage<T extends MasterTable>(table: T, row: RowsOf[T]): string {
  return masterRecordMessage(SPEC[table].kind, SPEC[table].record(row));
}

export function masterRowKey<T extends MasterTable>(table: T, row: RowsOf[T]): string {
  return SPEC[table].key(row);
}

// ---- signing -------------------------------------------------------------------------------------

const KIND_OF: { [T in MasterTable]: string } = {
  clerks: 'clerk',
  seasons: 'season',
  rates: 'rate',
  charges: 'charge',
  payments_elsewhere: 'payment',
  households: 'household',
};

/** The terminal key's signature over a record it writes; null on a connection without the key. */
export function terminalSignatureIfKeyed(
  db: Db,
  table: MasterTable,
  record: object,
): RowSignature | null {
  const signer = db.cache.signer;
  if (!signer) return null;
  return { sig: signer.sign(masterRecordMessage(KIND_OF[table], record)), signedBy: 'terminal' };
}

/** The terminal key's signature over a record it writes; a row is never written unsigned. */
export function terminalSignature(db: Db, table: MasterTable, record: object): RowSignature {
  const signature = terminalSignatureIfKeyed(db, table, record);
  if (!signature)
    throw new Error(`the terminal key is not loaded: cannot sign a ${KIND_OF[table]} row`);
  return signature;
}

/** The signed part of a household (any object with at least its master fields). */
export function householdMasterRecord(h: HouseholdMasterRecord): HouseholdMasterRecord {
  return {
    id: h.id,
    accountNo: h.accountNo,
    name: h.name,
    phone: h.phone,
    community: h.community,
    building: h.building,
    unit: h.unit,
    room: h.room,
    areaHundredths: h.areaHundredths,
    category: h.category,
    subsidised: h.subsidised,
  };
}

/**
 * The terminal's signature over a household it writes, or null on a connection without the key
 * (a projector replaying on a verify copy: the stored signature is kept, see upsertHousehold).
 */
export function householdSignatureIfKeyed(db: Db, h: HouseholdMasterRecord): RowSignature | null {
  return terminalSignatureIfKeyed(db, 'households', householdMasterRecord(h));
}

// ---- writers -------------------------------------------------------------------------------------

/** Inserts or replaces a clerk with its signature (failed-PIN counters are kept). */
export function writeClerk(db: Db, c: ClerkRecord, s: RowSignature): void {
  stmt(
    db,
    `INSERT INTO clerks (id, code, name, role, pin_hash, active, sig, signed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, role = excluded.role,
       pin_hash = excluded.pin_hash, active = excluded.active, sig = excluded.sig, signed_by = excluded.signed_by`,
  ).run(c.id, c.code, c.name, c.role, c.pinHash, Number(c.active), s.sig, s.signedBy);
}

/**
 * Inserts or updates a season. `s` null (a projector replaying on a connection without the key)
 * keeps the stored signature: it still verifies when the season did not change, and is reported
 * when it did.
 */
export function writeSeason(db: Db, r: SeasonRecord, s: RowSignature | null): void {
  stmt(
    db,
    `INSERT INTO seasons (id, code, starts_on, ends_on, no_heat_deadline, no_heat_ratio_pct, sig, signed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, starts_on = excluded.starts_on,
       ends_on = excluded.ends_on, no_heat_deadline = excluded.no_heat_deadline,
       no_heat_ratio_pct = excluded.no_heat_ratio_pct,
       sig = coalesce(excluded.sig, seasons.sig), signed_by = coalesce(excluded.signed_by, seasons.signed_by)`,
  ).run(
    r.id,
    r.code,
    r.startsOn,
    r.endsOn,
    r.noHeatDeadline,
    r.noHeatRatioPct,
    s?.sig ?? null,
    s?.signedBy ?? null,
  );
}

/** Inserts or updates one rate; `s` null as for writeSeason. */
export function writeRate(db: Db, r: RateRecord, s: RowSignature | null): void {
  stmt(
    db,
    `INSERT INTO rates (season_id, category, rate_fen_per_m2, sig, signed_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (season_id, category) DO UPDATE SET rate_fen_per_m2 = excluded.rate_fen_per_m2,
       sig = coalesce(excluded.sig, rates.sig), signed_by = coalesce(excluded.signed_by, rates.signed_by)`,
  ).run(r.seasonId, r.category, r.rateFenPerM2, s?.sig ?? null, s?.signedBy ?? null);
}

/**
 * A charge: head office's (or the import's) figure of what was paid before plus the payments
 * elsewhere already recorded for that household and season give `paid_elsewhere_fen`, the rule
 * the checks re-verify. `existing: 'keep'` leaves a charge already there untouched (an advance
 * charge assessed at the counter never overrides one head office sent).
 */
export function writeCharge(
  db: Db,
  c: ChargeRecord,
  s: RowSignature | null,
  existing: 'replace' | 'keep' = 'replace',
): void {
  const elsewhere = stmt(
    db,
    'SELECT coalesce(sum(amount_fen), 0) AS fen FROM payments_elsewhere WHERE household_id = ? AND season_id = ?',
  ).get(c.householdId, c.seasonId) as { fen: number };
  stmt(
    db,
    existing === 'keep'
      ? `INSERT INTO charges (household_id, season_id, charge_fen, paid_before_fen, paid_elsewhere_fen, sig, signed_by)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (household_id, season_id) DO NOTHING`
      : `INSERT INTO charges (household_id, season_id, charge_fen, paid_before_fen, paid_elsewhere_fen, sig, signed_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (household_id, season_id) DO UPDATE SET charge_fen = excluded.charge_fen,
           paid_before_fen = excluded.paid_before_fen, paid_elsewhere_fen = excluded.paid_elsewhere_fen,
           sig = excluded.sig, signed_by = excluded.signed_by`,
  ).run(
    c.householdId,
    c.seasonId,
    c.chargeFen,
    c.paidBeforeFen,
    c.paidBeforeFen + elsewhere.fen,
    s?.sig ?? null,
    s?.signedBy ?? null,
  );
}

/**
 * A payment made elsewhere (head office's record, its signature and change seq); the charge's
 * `paid_elsewhere_fen` moves by the difference, so the rule checked above keeps holding.
 */
export function writePaymentElsewhere(
  db: Db,
  p: PaymentRecord,
  s: RowSignature,
  changeSeq: number,
): void {
  const old = stmt(
    db,
    'SELECT household_id, season_id, amount_fen FROM payments_elsewhere WHERE id = ?',
  ).get(p.id) as { household_id: string; season_id: string; amount_fen: number } | undefined;
  stmt(
    db,
    `INSERT INTO payments_elsewhere (id, household_id, season_id, amount_fen, source, origin_terminal_id,
                                     reference, paid_at, change_seq, sig, signed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET household_id = excluded.household_id, season_id = excluded.season_id,
       amount_fen = excluded.amount_fen, source = excluded.source,
       origin_terminal_id = excluded.origin_terminal_id, reference = excluded.reference,
       paid_at = excluded.paid_at, change_seq = excluded.change_seq, sig = excluded.sig,
       signed_by = excluded.signed_by`,
  ).run(
    p.id,
    p.householdId,
    p.seasonId,
    p.amountFen,
    p.source,
    p.originTerminalId,
    p.reference,
    p.paidAt,
    changeSeq,
    s.sig,
    s.signedBy,
  );
  const move = (householdId: string, seasonId: string, fen: number) => {
    if (fen !== 0)
      stmt(
        db,
        `UPDATE charges SET paid_elsewhere_fen = paid_elsewhere_fen + ?
         WHERE household_id = ? AND season_id = ?`,
      ).run(fen, householdId, seasonId);
  };
  if (old && (old.household_id !== p.householdId || old.season_id !== p.seasonId)) {
    move(old.household_id, old.season_id, -old.amount_fen);
    move(p.householdId, p.seasonId, p.amountFen);
  } else move(p.householdId, p.seasonId, p.amountFen - (old?.amount_fen ?? 0));
}

// ---- keys ----------------------------------------------------------------------------------------

export interface MasterKeys {
  /** Head office's key named by the newest enrollment, or null before the terminal is enrolled. */
  headOffice: string | null;
  /** Every key this terminal has signed with. */
  terminal: string[];
}

/**
 * The keys master rows may be signed by, read from the signed events themselves (terminal.keyed,
 * terminal.enrolled) that the terminal_keys projection points at: two lookups by seq. A projection
 * row pointing elsewhere yields no key, so editing the projection can only make rows fail.
 */
export function masterKeys(db: Db): MasterKeys {
  // Keys change only with a terminal.keyed / terminal.enrolled event, which moves the projection:
  // its state is the cache stamp (an edited projection only makes the keys be read again).
  const state = stmt(
    db,
    'SELECT count(*) AS n, max(from_seq) AS f, max(certified_seq) AS c FROM terminal_keys',
  ).get() as { n: number; f: number | null; c: number | null };
  const stamp = `${state.n}:${state.f}:${state.c}`;
  const cached = db.cache.masterKeys;
  if (cached?.stamp === stamp) return { headOffice: cached.headOffice, terminal: cached.terminal };
  const keyed = stmt(
    db,
    `SELECT e.payload FROM terminal_keys k JOIN events e ON e.seq = k.from_seq
     WHERE e.type = 'terminal.keyed' ORDER BY k.key_no`,
  ).all() as { payload: string }[];
  const enrolled = stmt(
    db,
    `SELECT e.payload FROM terminal_keys k JOIN events e ON e.seq = k.certified_seq
     WHERE e.type = 'terminal.enrolled' ORDER BY k.certified_seq DESC LIMIT 1`,
  ).get() as { payload: string } | undefined;
  const field = (json: string, name: string): string | null => {
    const v = (JSON.parse(json) as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : null;
  };
  const keys = {
    headOffice: enrolled ? field(enrolled.payload, 'headOfficeKey') : null,
    terminal: keyed.map((r) => field(r.payload, 'publicKey')).filter((k) => k !== null),
  };
  db.cache.masterKeys = { stamp, ...keys };
  return keys;
}

// ---- checks --------------------------------------------------------------------------------------

/** How many verified rows a connection remembers before it starts over (~200 B each). */
const VERIFIED_ROWS_MAX = 50_000;

export interface RowCheck {
  verify: VerifySignature;
  keys: MasterKeys;
  /** Remember rows found good on the connection (use-time checks); the full verify does not. */
  remember: boolean;
}

/** The signature problem of one row, or null when it verifies under a key it may be signed by. */
export function masterRowProblem<T extends MasterTable>(
  db: Db,
  table: T,
  row: RowsOf[T],
  check: RowCheck,
): MasterRowProblemKind | null {
  if (row.sig === null || row.signed_by === null) return 'unsigned';
  const candidates =
    row.signed_by === 'head-office'
      ? check.keys.headOffice
        ? [check.keys.headOffice]
        : []
      : check.keys.terminal;
  if (candidates.length === 0) return 'unknown-signer';
  const message = masterRowMessage(table, row);
  const seen = db.cache.verifiedRows;
  for (const key of candidates) {
    const memo = `${key}\n${row.sig}\n${message}`;
    if (seen.has(memo)) return null;
    if (check.verify(key, message, row.sig)) {
      if (check.remember) {
        if (seen.size >= VERIFIED_ROWS_MAX) seen.clear();
        seen.add(memo);
      }
      return null;
    }
  }
  return 'altered';
}

const chargeProblem = (row: ChargeRowCols & { elsewhere: number }): MasterRowProblemKind | null =>
  row.paid_elsewhere_fen === row.paid_before_fen + row.elsewhere ? null : 'paid-elsewhere-mismatch';

/** A clerk row's problem (log-in, session, supervisor approval), or null. */
export function clerkRowProblem(
  db: Db,
  clerkId: string,
  verify: VerifySignature,
): MasterRowProblem | null {
  const row = stmt(db, 'SELECT * FROM clerks WHERE id = ?').get(clerkId) as
    ClerkRowCols | undefined;
  if (!row) return null;
  const problem = masterRowProblem(db, 'clerks', row, {
    verify,
    keys: masterKeys(db),
    remember: true,
  });
  return problem ? { table: 'clerks', key: row.code, problem } : null;
}

/**
 * The first problem among the rows a payment for this household reads: its charges (signature, and
 * paid elsewhere = paid before + its payments) and its payments elsewhere. Rows found good are
 * remembered on the connection, so the next payment checks only what changed.
 */
export function householdRowProblem(
  db: Db,
  householdId: string,
  verify: VerifySignature,
): MasterRowProblem | null {
  const check: RowCheck = { verify, keys: masterKeys(db), remember: true };
  const household = stmt(db, 'SELECT * FROM households WHERE id = ?').get(householdId) as
    HouseholdRowCols | undefined;
  if (household) {
    const problem = masterRowProblem(db, 'households', household, check);
    if (problem) return { table: 'households', key: household.account_no, problem };
  }
  const charges = stmt(
    db,
    `SELECT c.*, (SELECT coalesce(sum(p.amount_fen), 0) FROM payments_elsewhere p
                  WHERE p.household_id = c.household_id AND p.season_id = c.season_id) AS elsewhere
     FROM charges c WHERE c.household_id = ?`,
  ).all(householdId) as (ChargeRowCols & { elsewhere: number })[];
  const payments = stmt(db, 'SELECT * FROM payments_elsewhere WHERE household_id = ?').all(
    householdId,
  ) as PaymentRowCols[];
  for (const row of charges) {
    const problem = masterRowProblem(db, 'charges', row, check) ?? chargeProblem(row);
    if (problem) return { table: 'charges', key: SPEC.charges.key(row), problem };
  }
  for (const row of payments) {
    const problem = masterRowProblem(db, 'payments_elsewhere', row, check);
    if (problem) return { table: 'payments_elsewhere', key: row.id, problem };
  }
  return null;
}

const ALL_ROWS: { [T in MasterTable]: string } = {
  clerks: 'SELECT * FROM clerks ORDER BY code',
  seasons: 'SELECT * FROM seasons ORDER BY code',
  rates: 'SELECT * FROM rates ORDER BY season_id, category',
  charges: `SELECT c.*, coalesce(p.fen, 0) AS elsewhere FROM charges c
            LEFT JOIN (SELECT household_id, season_id, sum(amount_fen) AS fen FROM payments_elsewhere
                       GROUP BY household_id, season_id) p
              ON p.household_id = c.household_id AND p.season_id = c.season_id
            ORDER BY c.household_id, c.season_id`,
  payments_elsewhere: 'SELECT * FROM payments_elsewhere ORDER BY id',
  households: 'SELECT * FROM households ORDER BY id',
};

/** At most this many problems are listed (the count of checked rows is always complete). */
export const MASTER_PROBLEMS_LISTED = 1000;

/**
 * The full check of every master row (the ledger's full verify runs it): each signature under
 * the key it may be signed by, and each charge's paid-elsewhere rule. ~150 µs a row (Ed25519
 * verify), so it belongs in the background verify, not on a start-up path: it yields every
 * `chunk` rows so the caller can give the event loop back (1M charges take minutes).
 */
export function* masterRowChecks(
  db: Db,
  verify: VerifySignature,
  chunk = 2_000,
): Generator<void, { checked: number; problems: MasterRowProblem[] }, void> {
  const check: RowCheck = { verify, keys: masterKeys(db), remember: false };
  const problems: MasterRowProblem[] = [];
  let checked = 0;
  for (const table of MASTER_TABLES) {
    for (const row of db.prepare(ALL_ROWS[table]).iterate() as IterableIterator<
      RowsOf[typeof table]
    >) {
      const problem =
        masterRowProblem(db, table, row, check) ??
        (table === 'charges' ? chargeProblem(row as ChargeRowCols & { elsewhere: number }) : null);
      checked++;
      if (problem && problems.length < MASTER_PROBLEMS_LISTED)
        problems.push({ table, key: SPEC[table].key(row as never), problem });
      if (checked % chunk === 0) yield;
    }
  }
  return { checked, problems };
}

/** `masterRowChecks` in one go (tests, the CLI). */
export function verifyMasterRows(
  db: Db,
  verify: VerifySignature,
): { checked: number; problems: MasterRowProblem[] } {
  const steps = masterRowChecks(db, verify);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

const PRIMARY_KEY_COLUMNS: { [T in MasterTable]: string } = {
  clerks: 'id',
  seasons: 'id',
  rates: 'season_id, category',
  charges: 'household_id, season_id',
  payments_elsewhere: 'id',
  households: 'id',
};

/**
 * One page of rows without a signature, in primary-key order after `after` (the previous page's
 * last key; null for the first page). The first start after the upgrade signs them (master-rows.ts).
 */
export function unsignedRowsPage<T extends MasterTable>(
  db: Db,
  table: T,
  after: unknown[] | null,
  limit: number,
): RowsOf[T][] {
  const cols = PRIMARY_KEY_COLUMNS[table];
  const marks = cols
    .split(',')
    .map(() => '?')
    .join(', ');
  const where = after ? `AND (${cols}) > (${marks})` : '';
  return stmt(db, `SELECT * FROM ${table} WHERE sig IS NULL ${where} ORDER BY ${cols} LIMIT ?`).all(
    ...(after ?? []),
    limit,
  ) as RowsOf[T][];
}

const SET_SIGNATURE: { [T in MasterTable]: string } = {
  clerks: 'UPDATE clerks SET sig = ?, signed_by = ? WHERE id = ?',
  seasons: 'UPDATE seasons SET sig = ?, signed_by = ? WHERE id = ?',
  rates: 'UPDATE rates SET sig = ?, signed_by = ? WHERE season_id = ? AND category = ?',
  charges: 'UPDATE charges SET sig = ?, signed_by = ? WHERE household_id = ? AND season_id = ?',
  payments_elsewhere: 'UPDATE payments_elsewhere SET sig = ?, signed_by = ? WHERE id = ?',
  households: 'UPDATE households SET sig = ?, signed_by = ? WHERE id = ?',
};

export const PRIMARY_KEY: { [T in MasterTable]: (row: RowsOf[T]) => unknown[] } = {
  clerks: (r) => [r.id],
  seasons: (r) => [r.id],
  rates: (r) => [r.season_id, r.category],
  charges: (r) => [r.household_id, r.season_id],
  payments_elsewhere: (r) => [r.id],
  households: (r) => [r.id],
};

/** Stores a signature for a row as it is (the upgrade signing). */
export function setRowSignature<T extends MasterTable>(
  db: Db,
  table: T,
  row: RowsOf[T],
  s: RowSignature,
): void {
  stmt(db, SET_SIGNATURE[table]).run(s.sig, s.signedBy, ...PRIMARY_KEY[table](row));
}

/** True once on the connection that ran migration 0016 or 0017 (their TEMP marker), until cleared. */
export function masterRowsUpgradePending(db: Db): boolean {
  const t = db
    .prepare(
      "SELECT 1 FROM sqlite_temp_master WHERE type = 'table' AND name = 'master_rows_upgrade'",
    )
    .get();
  return t !== undefined;
}

export function clearMasterRowsUpgrade(db: Db): void {
  db.prepare('DROP TABLE IF EXISTS temp.master_rows_upgrade').run();
}

/** Signs a row as it stands with the terminal key (the upgrade signing). */
export function signRowAsTerminal<T extends MasterTable>(
  db: Db,
  table: T,
  row: RowsOf[T],
): RowSignature {
  return terminalSignature(db, table, SPEC[table].record(row));
}
