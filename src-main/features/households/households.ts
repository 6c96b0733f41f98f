import { currentSeasonCode, seasonAccounts } from './accounts.store';
import { householdById, searchHouseholds } from './households.store';
import { receiptsOfHousehold } from '../receipts/receipts.store';
import { ServiceError, type ServiceContext } from '../../services/context';
import { today } from '../../ledger/transaction';
import { householdSummary, receiptSummaryView } from '../receipts/views';
import { startService } from '../service/service-clock';

export function searchHouseholdSummaries(ctx: ServiceContext, query: string, limit: number) {
  return {
    results: searchHouseholds(ctx.db, query, limit).map((row) =>
      householdSummary(ctx.db, row, row.owed_fen),
    ),
  };
}

export function requireHousehold(ctx: ServiceContext, householdId: string) {
  const household = householdById(ctx.db, householdId);
  if (!household) throw new ServiceError('HOUSEHOLD_NOT_FOUND');
  return household;
}

export function householdAccount(ctx: ServiceContext, householdId: string) {
  const household = requireHousehold(ctx, householdId);
  const current = currentSeasonCode(ctx.db, today(ctx));
  const seasons = seasonAccounts(ctx.db, householdId).map((s) => ({
    ...s,
    inArrears: s.balanceFen > 0 && current !== null && s.seasonCode < current,
  }));
  const owed = seasons.reduce((sum, s) => sum + s.balanceFen, 0);
  return {
    household: { ...householdSummary(ctx.db, household), phone: household.phone },
    seasons,
    owedFen: owed,
    arrearsFen: seasons.filter((s) => s.inArrears).reduce((sum, s) => sum + s.balanceFen, 0),
    receipts: receiptsOfHousehold(ctx.db, householdId).map(receiptSummaryView),
  };
}

/** A clerk opens a household's account (`household.account`): the account, and its service time starts. */
export function openHouseholdAccount(ctx: ServiceContext, clerkId: string, householdId: string) {
  const account = householdAccount(ctx, householdId);
  startService(ctx, clerkId, householdId);
  return account;
}
