import { z } from 'zod';
import { BACKUP_PROBLEM_KINDS } from './backup-problems';
import { authed, command, supervisor } from './command';
import { isoTime } from './primitives';

/** A backup file as named in the backup folder (never a path: the folder is the setting). */
export const backupFileName = z
  .string()
  .max(120)
  .regex(
    /^cashier-[a-z0-9]{4,16}-\d{8}T\d{9}Z-(auto|manual|pre-restore)\.sqlite$/,
    'backup file name',
  );

const backupFile = z.object({
  name: z.string(),
  takenAt: isoTime,
  kind: z.enum(['auto', 'manual', 'pre-restore']),
  bytes: z.number().int().min(0),
  ownTerminal: z.boolean(),
  hasChecksum: z.boolean(),
});

const settings = z.object({
  dir: z.string().nullable(),
  source: z.enum(['settings', 'default', 'none']),
  intervalHours: z.number().int(),
  enabled: z.boolean(),
});

const errorEntry = z.object({
  t: isoTime,
  level: z.enum(['error', 'warn']),
  message: z.string(),
  ref: z.string().nullable(),
  command: z.string().nullable(),
  detail: z.string().nullable(),
});

/** Backups (scheduled, manual, restore drill, restore) and diagnostics for the supervisor screen. */
export const backupCommands = {
  'backup.status': command({
    summary: 'Backup folder, schedule, last backup or failure, and the backups in the folder',
    input: z.object(authed).strict(),
    output: z.object({
      settings,
      last: z.object({
        at: isoTime.nullable(),
        file: z.string().nullable(),
        error: z.string().nullable(),
        errorAt: isoTime.nullable(),
      }),
      nextDueAt: isoTime.nullable(),
      files: z.array(backupFile),
    }),
  }),
  'backup.now': command({
    summary: 'Back up the ledger now (online backup API) and rotate: daily × 30, monthly × 12',
    input: z.object(authed).strict(),
    output: z.object({ file: backupFile, removed: z.array(z.string()) }),
  }),
  'backup.settings.set': command({
    summary:
      'Set the backup folder (absolute path: USB disk, network share), interval, on/off (supervisor PIN)',
    input: z
      .object({
        ...authed,
        ...supervisor,
        dir: z
          .string()
          .trim()
          .min(1)
          .max(400)
          .refine((d) => !d.includes('\0'), 'dir: no NUL'),
        intervalHours: z.number().int().min(1).max(168),
        enabled: z.boolean(),
      })
      .strict(),
    output: settings,
  }),
  'backup.testDir': command({
    summary:
      'Check a backup folder as a backup would use it (created where its parent exists, a probe file written and removed); nothing saved (supervisor login)',
    input: z
      .object({
        ...authed,
        dir: z
          .string()
          .trim()
          .min(1)
          .max(400)
          .refine((d) => !d.includes('\0'), 'dir: no NUL'),
      })
      .strict(),
    output: z.object({
      dir: z.string(),
      created: z.boolean(),
      /** On the ledger's own disk: a disk failure would take both (a warning, not a refusal). */
      sameDiskAsLedger: z.boolean(),
      message: z.object({ 'zh-CN': z.string(), en: z.string() }),
    }),
  }),
  'backup.verify': command({
    summary: 'Restore drill without restoring: checksum, integrity_check, hash chain, projections',
    input: z.object({ ...authed, file: backupFileName }).strict(),
    output: z.object({
      file: z.string(),
      ok: z.boolean(),
      /** Why the copy is unfit, as a code the UI words (`problem` is the technical detail). */
      problemKind: z.enum(BACKUP_PROBLEM_KINDS).nullable(),
      problemText: z.object({ 'zh-CN': z.string(), en: z.string() }).nullable(),
      problem: z.string().nullable(),
      terminalId: z.string().nullable(),
      terminalName: z.string().nullable(),
      schemaVersion: z.number().int().nullable(),
      headSeq: z.number().int().nullable(),
      headHash: z.string().nullable(),
    }),
  }),
  'backup.restore': command({
    summary:
      'Replace the ledger with a verified backup (supervisor PIN); a safety copy is taken first',
    input: z
      .object({
        ...authed,
        ...supervisor,
        file: backupFileName,
        acceptLoss: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      file: z.string(),
      safetyCopy: z.string(),
      headSeq: z.number().int(),
      headHash: z.string(),
      eventsLost: z.number().int().min(0),
      verified: z.boolean(),
    }),
  }),
  'diagnostics.errors': command({
    summary: 'Recent errors and warnings from the log (redacted), newest first',
    input: z.object({ ...authed, limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.object({ entries: z.array(errorEntry) }),
  }),
  'diagnostics.export': command({
    summary:
      'Write a diagnostic bundle (versions + redacted logs, no personal data); returns the file',
    input: z.object(authed).strict(),
    output: z.object({ file: z.string(), bytes: z.number().int(), logLines: z.number().int() }),
  }),
} as const;
