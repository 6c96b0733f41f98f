import type { backupCommands } from '@heating-cashier/core/contract/backup-commands';
import { requireClerk, requireSupervisor } from '../session/auth';
import {
  backupNow,
  backupStatus,
  restoreBackup,
  saveBackupSettings,
  verifyBackup,
} from './backups';
import { exportDiagnosticBundle, recentErrors } from '../terminal/diagnostics';
import type { HandlerTable } from '../../api/handlers';

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
