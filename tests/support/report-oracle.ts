// Straightforward recomputations, in TypeScript from the base tables, of what the report aggregates
// of migration 0022 keep (season_totals, households.overdue_seasons / overdue_fen, arrears_totals),
// for the tests that compare the kept figures with them.
import type Database from 'better-sqlite3';

type Db = Database.Database;

interface ChargeRow {
  household_id: string;
  season_id: string;
  charge_fen: number;
  paid_elsewhere_fen: number;
}

const key = (h: string, s: string) => `${h}|${s}`;

function byKey<T extends { household_id: string; season_id: string }>(rows: T[]): Map<string, T> {
  return new Map(rows.map((r) => [key(r.household_id, r.season_id), r]));
}

/** Per household and season: charge, adjustments, subsidy share, paid here, and the balance. */
export function seasonBalances(db: Db) {
  const charges = db.prepare('SELECT * FROM charges').all() as ChargeRow[];
  const adj = byKey(
    db.prepare('SELECT * FROM season_adjustments').all() as {
      household_id: string;
      season_id: string;
      adjust_fen: number;
    }[],
  );
  const share = byKey(
    db.prepare('SELECT * FROM subsidy_receivables').all() as {
      household_id: string;
      season_id: string;
      share_fen: number;
    }[],
  );
  const paid = byKey(
    db.prepare('SELECT * FROM season_payments').all() as {
      household_id: string;
      season_id: string;
      paid_fen: number;
    }[],
  );
  return charges.map((c) => {
    const k = key(c.household_id, c.season_id);
    const a = adj.get(k)?.adjust_fen ?? 0;
    const s = share.get(k)?.share_fen ?? 0;
    const p = paid.get(k)?.paid_fen ?? 0;
    return {
      ...c,
      receivable: Math.max(0, c.charge_fen + a + s),
      balance: Math.max(0, Math.max(0, c.charge_fen + a) - c.paid_elsewhere_fen - p),
    };
  });
}

/** season_totals as it must be: one row per season with anything to sum, sorted by season id. */
export function seasonTotalsOracle(db: Db) {
  const totals = new Map<string, Record<string, number>>();
  const of = (season: string) => {
    let t = totals.get(season);
    if (!t) {
      t = {
        charge_fen: 0,
        paid_elsewhere_fen: 0,
        receivable_fen: 0,
        subsidy_share_fen: 0,
        subsidy_received_fen: 0,
        subsidy_receipts_fen: 0,
      };
      totals.set(season, t);
    }
    return t;
  };
  for (const b of seasonBalances(db)) {
    const t = of(b.season_id);
    t.charge_fen! += b.charge_fen;
    t.paid_elsewhere_fen! += b.paid_elsewhere_fen;
    t.receivable_fen! += b.receivable;
  }
  for (const r of db.prepare('SELECT * FROM subsidy_receivables').all() as {
    season_id: string;
    share_fen: number;
    received_fen: number;
  }[]) {
    of(r.season_id).subsidy_share_fen! += r.share_fen;
    of(r.season_id).subsidy_received_fen! += r.received_fen;
  }
  for (const r of db.prepare('SELECT * FROM subsidy_receipts').all() as {
    season_id: string;
    amount_fen: number;
  }[])
    of(r.season_id).subsidy_receipts_fen! += r.amount_fen;
  return [...totals.entries()]
    .map(([season_id, t]) => ({ season_id, ...t }))
    .sort((a, b) => a.season_id.localeCompare(b.season_id));
}

/** season_totals as kept, without all-zero rows (a season whose rows all went away). */
export function seasonTotalsKept(db: Db) {
  return (
    db.prepare('SELECT * FROM season_totals ORDER BY season_id').all() as ({
      season_id: string;
    } & Record<string, number>)[]
  ).filter((r) => Object.entries(r).some(([k, v]) => k !== 'season_id' && Number(v) !== 0));
}

/** The same, the oracle's all-zero rows left out too. */
export function seasonTotalsExpected(db: Db) {
  return seasonTotalsOracle(db).filter((r) =>
    Object.entries(r).some(([k, v]) => k !== 'season_id' && Number(v) !== 0),
  );
}

/** Per household: seasons before the newest with a balance > 0, and their sum. */
export function overdueOracle(db: Db): Map<string, { n: number; fen: number }> {
  const newest = (db.prepare('SELECT max(code) AS c FROM seasons').get() as { c: string | null }).c;
  const code = new Map(
    (db.prepare('SELECT id, code FROM seasons').all() as { id: string; code: string }[]).map(
      (s) => [s.id, s.code],
    ),
  );
  const out = new Map<string, { n: number; fen: number }>();
  for (const b of seasonBalances(db)) {
    if (newest === null || b.balance <= 0 || code.get(b.season_id)! >= newest) continue;
    const o = out.get(b.household_id) ?? { n: 0, fen: 0 };
    o.n += 1;
    o.fen += b.balance;
    out.set(b.household_id, o);
  }
  return out;
}

/** Households whose kept overdue columns differ from the oracle (empty when all agree). */
export function overdueMismatches(db: Db) {
  const oracle = overdueOracle(db);
  return (
    db.prepare('SELECT id, overdue_seasons, overdue_fen FROM households').all() as {
      id: string;
      overdue_seasons: number;
      overdue_fen: number;
    }[]
  )
    .map((h) => ({ id: h.id, kept: [h.overdue_seasons, h.overdue_fen], want: oracle.get(h.id) }))
    .filter((x) => x.kept[0] !== (x.want?.n ?? 0) || x.kept[1] !== (x.want?.fen ?? 0));
}

/** arrears_totals as it must be (households owing anything, per community and seasons overdue). */
export function arrearsTotalsOracle(db: Db) {
  const oracle = overdueOracle(db);
  const owed = new Map<string, number>();
  for (const b of seasonBalances(db))
    owed.set(b.household_id, (owed.get(b.household_id) ?? 0) + b.balance);
  const totals = new Map<string, { households: number; owed_fen: number }>();
  for (const h of db.prepare('SELECT id, community FROM households').all() as {
    id: string;
    community: string;
  }[]) {
    const o = owed.get(h.id) ?? 0;
    if (o <= 0) continue;
    const k = `${h.community}|${oracle.get(h.id)?.n ?? 0}`;
    const t = totals.get(k) ?? { households: 0, owed_fen: 0 };
    t.households += 1;
    t.owed_fen += o;
    totals.set(k, t);
  }
  return [...totals.entries()].map(([k, t]) => `${k}|${t.households}|${t.owed_fen}`).sort();
}

/** arrears_totals as kept, empty buckets left out. */
export function arrearsTotalsKept(db: Db) {
  return (
    db.prepare('SELECT * FROM arrears_totals WHERE households <> 0 OR owed_fen <> 0').all() as {
      community: string;
      overdue_seasons: number;
      households: number;
      owed_fen: number;
    }[]
  )
    .map((r) => `${r.community}|${r.overdue_seasons}|${r.households}|${r.owed_fen}`)
    .sort();
}
