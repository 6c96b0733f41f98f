import { withClerk, type HandlerTable } from '../../api/handler';
import { householdAccount, searchHouseholdSummaries } from './households';
import { startService } from '../service/service-clock';

export const householdHandlers = {
  'household.search': withClerk((ctx, input) =>
    searchHouseholdSummaries(ctx, input.query, input.limit),
  ),
  'household.account': withClerk((ctx, input, clerk) => {
    const account = householdAccount(ctx, input.householdId);
    startService(ctx, clerk.id, input.householdId);
    return account;
  }),
} satisfies HandlerTable<'household.search' | 'household.account'>;
