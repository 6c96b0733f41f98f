import type { domainCommands } from '@heating-cashier/core/contract/rules-commands';
import { requireClerk } from '../session/auth';
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
import type { HandlerTable } from '../../api/handlers';

export const domainHandlers = {
  'rules.get': (ctx, input) => {
    requireClerk(ctx, input.session);
    return rulesOverview(ctx);
  },
  'rules.season.set': (ctx, input) => configureSeason(ctx, requireClerk(ctx, input.session), input),
  'rules.settings.set': (ctx, input) =>
    changeRuleSettings(ctx, requireClerk(ctx, input.session), input),
  'noheat.apply': (ctx, input) => applyNoHeat(ctx, requireClerk(ctx, input.session), input),
  'noheat.resume': (ctx, input) => resumeHeating(ctx, requireClerk(ctx, input.session), input),
  'relief.grant': (ctx, input) => grantRelief(ctx, requireClerk(ctx, input.session), input),
  'household.update': (ctx, input) => updateHousehold(ctx, requireClerk(ctx, input.session), input),
  'household.rules': (ctx, input) =>
    householdRules(ctx, requireClerk(ctx, input.session), input.householdId),
  'inspection.record': (ctx, input) =>
    recordInspection(ctx, requireClerk(ctx, input.session), input),
  'subsidy.assign': (ctx, input) => assignSubsidy(ctx, requireClerk(ctx, input.session), input),
  'subsidy.receive': (ctx, input) => receiveSubsidy(ctx, requireClerk(ctx, input.session), input),
  'report.subsidy': (ctx, input) => {
    requireClerk(ctx, input.session);
    return subsidyReport(ctx, input);
  },
  'report.relief': (ctx, input) => {
    requireClerk(ctx, input.session);
    return reliefReport(ctx, input);
  },
  'charge.assessAdvance': (ctx, input) =>
    assessAdvance(ctx, requireClerk(ctx, input.session), input.householdId),
  'credit.apply': (ctx, input) =>
    applyCredit(ctx, requireClerk(ctx, input.session), input.householdId),
  'fee.assess': (ctx, input) => assessFee(ctx, requireClerk(ctx, input.session), input),
} satisfies HandlerTable<keyof typeof domainCommands>;
