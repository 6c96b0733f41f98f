import type { rulesCommands } from '@heating-cashier/core/contract/rules-commands';
import { withClerk, type HandlerTable } from '../../api/handler';
import {
  applyCredit,
  applyNoHeat,
  assessAdvance,
  assessFee,
  assignSubsidy,
  changeRuleSettings,
  configureSeason,
  grantRelief,
  householdRules,
  receiveSubsidy,
  recordInspection,
  reliefReport,
  resumeHeating,
  rulesOverview,
  subsidyReport,
  updateHousehold,
} from './rules';

export const rulesHandlers = {
  'rules.get': withClerk((ctx) => rulesOverview(ctx)),
  'rules.season.set': withClerk((ctx, input, clerk) => configureSeason(ctx, clerk, input)),
  'rules.settings.set': withClerk((ctx, input, clerk) => changeRuleSettings(ctx, clerk, input)),
  'noheat.apply': withClerk((ctx, input, clerk) => applyNoHeat(ctx, clerk, input)),
  'noheat.resume': withClerk((ctx, input, clerk) => resumeHeating(ctx, clerk, input)),
  'relief.grant': withClerk((ctx, input, clerk) => grantRelief(ctx, clerk, input)),
  'household.update': withClerk((ctx, input, clerk) => updateHousehold(ctx, clerk, input)),
  'household.rules': withClerk((ctx, input, clerk) =>
    householdRules(ctx, clerk, input.householdId),
  ),
  'inspection.record': withClerk((ctx, input, clerk) => recordInspection(ctx, clerk, input)),
  'subsidy.assign': withClerk((ctx, input, clerk) => assignSubsidy(ctx, clerk, input)),
  'subsidy.receive': withClerk((ctx, input, clerk) => receiveSubsidy(ctx, clerk, input)),
  'report.subsidy': withClerk((ctx, input) => subsidyReport(ctx, input)),
  'report.relief': withClerk((ctx, input) => reliefReport(ctx, input)),
  'charge.assessAdvance': withClerk((ctx, input, clerk) =>
    assessAdvance(ctx, clerk, input.householdId),
  ),
  'credit.apply': withClerk((ctx, input, clerk) => applyCredit(ctx, clerk, input.householdId)),
  'fee.assess': withClerk((ctx, input, clerk) => assessFee(ctx, clerk, input)),
} satisfies HandlerTable<keyof typeof rulesCommands>;
