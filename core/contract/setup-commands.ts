// First run (issue 19): an empty ledger in a production build answers only these commands until it is
// set up — by enrolling with head office, by restoring a backup, or (asked for) as a demo ledger.
import { z } from 'zod';
import { command } from './command';
import { id, isoTime, pin, sessionToken } from './primitives';
import { enrollmentCode } from './sync-wire';

const headOfficeUrl = z
  .string()
  .max(200)
  .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'http(s)://host[:port]');

/** What a finished setup brought into the ledger (the setup screen's last words). */
const ledgerCounts = z.object({
  clerks: z.number().int().min(0),
  households: z.number().int().min(0),
  seasons: z.number().int().min(0),
  books: z.number().int().min(0),
});

export const setupView = z.object({
  /** True while the ledger is empty and not set up: every other command is refused (SETUP_REQUIRED). */
  required: z.boolean(),
  terminalId: id,
  terminalName: z.string(),
  /** Enrolled with head office, but its master data has not arrived yet (retry the download). */
  enrolled: z.boolean(),
  headOfficeUrl: z.string().nullable(),
  /** Where to look for backups first (the configured backup folder). */
  backupDir: z.string().nullable(),
});

export const setupCommands = {
  'setup.status': command({
    summary: 'First run: is the ledger still to be set up (enroll, restore a backup, or demo)?',
    input: z.object({}).strict(),
    output: setupView,
  }),
  'setup.enroll': command({
    summary:
      'First run: enroll with head office (URL + one-time code) and download clerks, receipt books, households, seasons and rates; again after enrollment: retry the download',
    input: z.object({ url: headOfficeUrl, code: enrollmentCode }).strict(),
    output: ledgerCounts.extend({ terminalId: id, headOfficeUrl: z.string() }),
  }),
  'setup.backups': command({
    summary: 'First run: the backup files in a folder (default: the backup folder), newest first',
    input: z.object({ dir: z.string().min(1).max(400).optional() }).strict(),
    output: z.object({
      dir: z.string().nullable(),
      files: z.array(
        z.object({
          name: z.string(),
          takenAt: isoTime,
          kind: z.string(),
          bytes: z.number().int().min(0),
        }),
      ),
    }),
  }),
  'setup.restore': command({
    summary:
      'First run: verify a backup file (checksum, integrity, hash chain, projections) and restore it as this ledger',
    input: z.object({ dir: z.string().min(1).max(400), file: z.string().min(1).max(200) }).strict(),
    output: ledgerCounts.extend({
      terminalId: id,
      terminalName: z.string(),
      headSeq: z.number().int().min(0),
      verified: z.boolean(),
    }),
  }),
  'setup.demo': command({
    summary: 'First run: make this a DEMO ledger (a small demo district, marked DEMO everywhere)',
    input: z.object({ confirm: z.literal('DEMO') }).strict(),
    output: ledgerCounts.extend({ terminalId: id }),
  }),
};

/** The first log-in with a PIN head office issued: the clerk sets a new one (typed twice). */
export const pinCommands = {
  'session.changePin': command({
    summary:
      'Set a new PIN (current PIN, the new one twice); required at the first log-in after head office issued an initial PIN',
    input: z.object({ session: sessionToken, pin, newPin: pin, newPinAgain: pin }).strict(),
    output: z.object({ changed: z.literal(true) }),
  }),
};
