import type { backupCommands } from '../contract/backup-commands';
import { requireClerk, requireSupervisor } from '../services/auth';
import {
  backupNow,
  backupStatus,
  restoreBackup,
  saveBackupSettings,
  verifyBackup,
} from '../services/backups';
import { exportDiagnosticBundle, recentErrors } from '../services/diagnostics';
import type { HandlerTable } from './handlers';

export const backupHandlers = {
  'backup.status': (ctx, input) => {
    requireClerk(ctx, input.session);
    return backupStatus(ctx);
  },
  'backup.now': async (ctx, input) => {
    requireClerk(ctx, input.session);
    return backupNow(ctx, 'manual');
  },
  'backup.settings.set': (ctx, input) => {
    requireClerk(ctx, input.session);
    requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
    return saveBackupSettings(ctx, input);
  },
  'backup.verify': async (ctx, input) => {
    requireClerk(ctx, input.session);
    return verifyBackup(ctx, input.file);
  },
  'backup.restore': async (ctx, input) => {
    requireClerk(ctx, input.session);
    requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
    return restoreBackup(ctx, input.file, { acceptLoss: input.acceptLoss });
  },
  'diagnostics.errors': (ctx, input) => {
    requireClerk(ctx, input.session);
    return { entries: recentErrors(ctx, input.limit) };
  },
  'diagnostics.export': (ctx, input) => {
    requireClerk(ctx, input.session);
    return exportDiagnosticBundle(ctx);
  },
} satisfies HandlerTable<keyof typeof backupCommands>;
