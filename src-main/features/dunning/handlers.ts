import type { dunningCommands } from '@heating-cashier/core/contract/dunning-commands';
import { requireClerk } from '../session/auth';
import { collectorReport } from '../reports/collector-report';
import {
  arrearsList,
  dunningHistory,
  exportArrears,
  issueNotice,
  recordContact,
  setHouseholdFlag,
} from './dunning';
import { importProgress, startImport, uploadChunk } from '../import/master-import';
import {
  exportServiceLog,
  openComplaint,
  recordTemperature,
  recordValve,
  serviceLog,
  updateComplaint,
} from './service-log';
import type { HandlerTable } from '../../api/handlers';

export const dunningHandlers = {
  'dunning.list': (ctx, input) => {
    requireClerk(ctx, input.session);
    return arrearsList(ctx, input, input.limit, input.offset);
  },
  'dunning.export': (ctx, input) => {
    requireClerk(ctx, input.session);
    return exportArrears(ctx, input);
  },
  'dunning.contact': (ctx, input) => recordContact(ctx, requireClerk(ctx, input.session), input),
  'dunning.history': (ctx, input) => {
    requireClerk(ctx, input.session);
    return dunningHistory(ctx, input.householdId);
  },
  'dunning.flag': (ctx, input) => setHouseholdFlag(ctx, requireClerk(ctx, input.session), input),
  'dunning.notice': (ctx, input) => issueNotice(ctx, requireClerk(ctx, input.session), input),
  'service.log': (ctx, input) => {
    requireClerk(ctx, input.session);
    return serviceLog(ctx, input.householdId);
  },
  'service.temperature': (ctx, input) =>
    recordTemperature(ctx, requireClerk(ctx, input.session), input),
  'service.complaint': (ctx, input) => openComplaint(ctx, requireClerk(ctx, input.session), input),
  'service.complaintStatus': (ctx, input) =>
    updateComplaint(ctx, requireClerk(ctx, input.session), input),
  'service.valve': (ctx, input) => recordValve(ctx, requireClerk(ctx, input.session), input),
  'service.export': (ctx, input) => {
    requireClerk(ctx, input.session);
    return exportServiceLog(ctx, input.householdId);
  },
  'import.upload': (ctx, input) => uploadChunk(ctx, requireClerk(ctx, input.session), input),
  'import.start': (ctx, input) => startImport(ctx, requireClerk(ctx, input.session), input),
  'import.progress': (ctx, input) => {
    requireClerk(ctx, input.session);
    return importProgress(ctx, input.importId);
  },
  'report.collector': (ctx, input) => {
    requireClerk(ctx, input.session);
    return collectorReport(ctx, input.from, input.to);
  },
} satisfies HandlerTable<keyof typeof dunningCommands>;
