import { z } from 'zod';
import { authed, command, supervisor } from './command';
import { isoTime } from './primitives';

/**
 * Counter updates (issue 19, README "Updates / 更新"): what the status bar and the supervisor's
 * settings screen show, and the supervisor's "check now".
 *
 * phase: unavailable (no updater: web host, CLI) · idle · checking · up_to_date · downloading ·
 * waiting (downloaded and verified, installs between customers) · installing · refused (bad
 * signature, tampered file, ledger schema downgrade: never installed) · error (feed unreachable).
 */
export const updateStatus = z.object({
  phase: z.enum([
    'unavailable',
    'idle',
    'checking',
    'up_to_date',
    'downloading',
    'waiting',
    'installing',
    'refused',
    'error',
  ]),
  currentVersion: z.string().nullable(),
  /** The accepted release being downloaded or waiting. */
  version: z.string().nullable(),
  ledgerSchema: z.number().int(),
  releaseSchema: z.number().int().nullable(),
  /** What the install waits for: a card transaction, a customer being served, a receipt printing. */
  waitingFor: z.array(z.enum(['card', 'qr', 'customer', 'print'])),
  refused: z
    .object({
      refusal: z.enum([
        'malformed',
        'not_enrolled',
        'unsigned',
        'bad_signature',
        'web_installer',
        'schema_downgrade',
        'sha512_mismatch',
      ]),
      version: z.string().nullable(),
      detail: z.string(),
      at: isoTime,
    })
    .nullable(),
  error: z.string().nullable(),
  lastCheckAt: isoTime.nullable(),
});
export type UpdateStatus = z.infer<typeof updateStatus>;

/** The status bar's part of it (terminal.status): shown while an update downloads, waits or was refused. */
export const updateNotice = updateStatus.pick({ phase: true, version: true, waitingFor: true });

export const updateCommands = {
  'update.status': command({
    summary: 'Counter update: phase, version waiting, what it waits for, the last refusal',
    input: z.object(authed).strict(),
    output: updateStatus,
  }),
  'update.check': command({
    summary: 'Check head office for an update now (supervisor PIN; desktop app only)',
    input: z.object({ ...authed, ...supervisor }).strict(),
    output: updateStatus,
  }),
};
