import type { backupCommands } from '@heating-cashier/core/contract/backup-commands';
import {
  withClerk,
  withSupervisor,
  withSupervisorSession,
  type HandlerTable,
} from '../../api/handler';
import {
  backupNow,
  backupStatus,
  restoreBackup,
  saveBackupSettings,
  testBackupDir,
  verifyBackup,
} from './backups';
import { exportDiagnosticBundle, recentErrors } from '../terminal/diagnostics';

export const backupHandlers = {
  'backup.status': withClerk((ctx) => backupStatus(ctx)),
  'backup.now': withClerk((ctx) => backupNow(ctx, 'manual')),
  'backup.settings.set': withSupervisor((ctx, input) => saveBackupSettings(ctx, input)),
  'backup.testDir': withSupervisorSession((ctx, input) => testBackupDir(ctx, input.dir)),
  'backup.verify': withClerk((ctx, input) => verifyBackup(ctx, input.file)),
  'backup.restore': withSupervisor((ctx, input) =>
    restoreBackup(ctx, input.file, { acceptLoss: input.acceptLoss }),
  ),
  'diagnostics.errors': withClerk((ctx, input) => ({ entries: recentErrors(ctx, input.limit) })),
  'diagnostics.export': withClerk((ctx) => exportDiagnosticBundle(ctx)),
} satisfies HandlerTable<keyof typeof backupCommands>;
