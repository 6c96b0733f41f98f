import type { dunningCommands } from '@heating-cashier/core/contract/dunning-commands';
import { withClerk, type HandlerTable } from '../../api/handler';
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

export const dunningHandlers = {
  'dunning.list': withClerk((ctx, input) => arrearsList(ctx, input, input.limit, input.offset)),
  'dunning.export': withClerk((ctx, input) => exportArrears(ctx, input)),
  'dunning.contact': withClerk((ctx, input, clerk) => recordContact(ctx, clerk, input)),
  'dunning.history': withClerk((ctx, input) => dunningHistory(ctx, input.householdId)),
  'dunning.flag': withClerk((ctx, input, clerk) => setHouseholdFlag(ctx, clerk, input)),
  'dunning.notice': withClerk((ctx, input, clerk) => issueNotice(ctx, clerk, input)),
  'service.log': withClerk((ctx, input) => serviceLog(ctx, input.householdId)),
  'service.temperature': withClerk((ctx, input, clerk) => recordTemperature(ctx, clerk, input)),
  'service.complaint': withClerk((ctx, input, clerk) => openComplaint(ctx, clerk, input)),
  'service.complaintStatus': withClerk((ctx, input, clerk) => updateComplaint(ctx, clerk, input)),
  'service.valve': withClerk((ctx, input, clerk) => recordValve(ctx, clerk, input)),
  'service.export': withClerk((ctx, input) => exportServiceLog(ctx, input.householdId)),
  'import.upload': withClerk((ctx, input, clerk) => uploadChunk(ctx, clerk, input)),
  'import.start': withClerk((ctx, input, clerk) => startImport(ctx, clerk, input)),
  'import.progress': withClerk((ctx, input) => importProgress(ctx, input.importId)),
  'report.collector': withClerk((ctx, input) => collectorReport(ctx, input.from, input.to)),
} satisfies HandlerTable<keyof typeof dunningCommands>;
