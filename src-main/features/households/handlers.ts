import { withClerk, type HandlerTable } from '../../api/handler';
import { householdAccount, searchHouseholdSummaries } from './households';

export const householdHandlers = {
  'household.search': withClerk((ctx, input) =>
    searchHouseholdSummaries(ctx, input.query, input.limit),
  ),
  'household.account': withClerk((ctx, input) => householdAccount(ctx, input.householdId)),
} satisfies HandlerTable<'household.search' | 'household.account'>;
