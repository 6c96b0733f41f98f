import { withClerk, type HandlerTable } from '../../api/handler';
import { openHouseholdAccount, searchHouseholdSummaries } from './households';

export const householdHandlers = {
  'household.search': withClerk((ctx, input) =>
    searchHouseholdSummaries(ctx, input.query, input.limit),
  ),
  'household.account': withClerk((ctx, input, clerk) =>
    openHouseholdAccount(ctx, clerk.id, input.householdId),
  ),
} satisfies HandlerTable<'household.search' | 'household.account'>;
