// Use-time checks of the signed master rows (docs/trust.md "Master rows on the terminal") and the
// one-time signing of the rows an upgraded ledger already held. The rows, their records and the
// signature checks themselves are in master-rows.store.ts.
import type { LedgerContext } from '../../ledger/transaction';
import { createVerifier } from '../../ledger/signing';
import { ServiceError } from '../../services/context';
import {
  MASTER_TABLES,
  PRIMARY_KEY,
  clearMasterRowsUpgrade,
  clerkRowProblem,
  householdRowProblem,
  masterRowsUpgradePending,
  setRowSignature,
  signRowAsTerminal,
  unsignedRowsPage,
  type MasterRow,
  type MasterRowProblem,
  type MasterTable,
} from './master-rows.store';
import type { Db } from '../../ledger/db';

function refuse(p: MasterRowProblem): never {
  throw new ServiceError('MASTER_ROW_INVALID', { table: p.table, key: p.key, problem: p.problem });
}

/**
 * A clerk's row must carry a valid signature (head office's, or this terminal's for clerks it
 * made) before their PIN is checked or their session used: an altered PIN hash, role or active
 * flag refuses with MASTER_ROW_INVALID naming the clerk. Checked once per process while unchanged.
 */
export function requireSignedClerk(ctx: Pick<LedgerContext, 'db'>, clerkId: string): void {
  const problem = clerkRowProblem(ctx.db, clerkId, createVerifier());
  if (problem) refuse(problem);
}

/** The household row and the charges and payments elsewhere a payment for it reads must verify. */
export function requireSignedHouseholdRows(
  ctx: Pick<LedgerContext, 'db'>,
  householdId: string,
): void {
  const problem = householdRowProblem(ctx.db, householdId, createVerifier());
  if (problem) refuse(problem);
}

const UPGRADE_PAGE = 5000;

function signUnsigned<T extends MasterTable>(db: Db, table: T): number {
  let signed = 0;
  let after: unknown[] | null = null;
  for (;;) {
    const page: MasterRow<T>[] = unsignedRowsPage(db, table, after, UPGRADE_PAGE);
    for (const row of page) setRowSignature(db, table, row, signRowAsTerminal(db, table, row));
    signed += page.length;
    if (page.length < UPGRADE_PAGE) return signed;
    after = PRIMARY_KEY[table](page[page.length - 1]!);
  }
}

/**
 * The first start after migration 0016/0017: every master row it found is signed with the terminal key
 * (signed_by 'terminal'), in one transaction. Runs only on the connection that ran the migration
 * (its TEMP marker), so a row whose signature was removed later is never signed again here: it
 * stays refused. ~50 µs a row (1 M charges ≈ 1 min, 500,000 households ≈ 35 s, once). Returns the rows signed.
 */
export function signMasterRowsAfterUpgrade(ctx: Pick<LedgerContext, 'db'>): number {
  const { db } = ctx;
  if (!masterRowsUpgradePending(db)) return 0;
  return db
    .transaction(() => {
      let signed = 0;
      for (const table of MASTER_TABLES) {
        signed += signUnsigned(db, table);
      }
      clearMasterRowsUpgrade(db);
      return signed;
    })
    .immediate();
}
