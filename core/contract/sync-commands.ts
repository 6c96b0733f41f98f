import { z } from 'zod';
import { authed, command, supervisor } from './command';
import { id, isoTime, localized } from './primitives';
import { enrollmentCode } from './sync-wire';
import { publicKeyText } from '../signing';

const headOfficeUrl = z
  .string()
  .max(200)
  .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'http(s)://host[:port]');

/** What the status bar adds to the sync part of terminal.status (absent when nothing reports it). */
export const syncFreshnessFields = {
  online: z.boolean().optional(),
  oldestPendingAt: isoTime.nullable().optional(),
  lastError: z.string().nullable().optional(),
  lastErrorAt: isoTime.nullable().optional(),
  balanceAsOf: isoTime.nullable().optional(),
  balanceStale: z.boolean().optional(),
  staleAfterMinutes: z.number().int().min(1).optional(),
};

/** What the status bar and the sync settings screen show; the token itself never leaves the main side. */
export const syncView = z.object({
  state: z.enum(['unavailable', 'ready', 'busy', 'offline', 'error']),
  detail: localized.nullable(),
  configured: z.boolean(),
  headOfficeUrl: z.string().nullable(),
  online: z.boolean(),
  pendingEvents: z.number().int().min(0),
  oldestPendingAt: isoTime.nullable(),
  lastSuccessAt: isoTime.nullable(),
  /** The last push head office acknowledged (lastSuccessAt may be a pull). */
  lastPushAt: isoTime.nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: isoTime.nullable(),
  /** Balances include payments made elsewhere up to this pull; shown when `balanceStale`. */
  balanceAsOf: isoTime.nullable(),
  balanceStale: z.boolean(),
  /** The threshold: the last pull is "old" after this many minutes (default 24 h). */
  staleAfterMinutes: z.number().int().min(1),
  rejectedChanges: z.number().int().min(0),
});

export const syncCommands = {
  'sync.status': command({
    summary:
      'Sync with head office: online, pending events, oldest pending, last success/error, balance as of',
    input: z.object(authed).strict(),
    output: syncView,
  }),
  'sync.configure': command({
    summary:
      'Set the head-office URL and this terminal’s token (supervisor PIN); clears a stop after 401',
    input: z
      .object({
        ...authed,
        url: headOfficeUrl,
        token: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, 'terminal token'),
        ...supervisor,
        /** Warn on the account screen when the last pull is older than this (1 min – 1 year). */
        balanceStaleMinutes: z.number().int().min(1).max(525_600).optional(),
      })
      .strict(),
    output: syncView,
  }),
  'sync.enroll': command({
    summary:
      'Enroll this terminal with head office (supervisor PIN): URL and the one-time enrollment code (入网码); head office certifies the terminal key and issues its token',
    input: z
      .object({
        ...authed,
        url: headOfficeUrl,
        code: enrollmentCode,
        ...supervisor,
      })
      .strict(),
    output: syncView.extend({
      enrollment: z.object({
        terminalId: id,
        keyNo: z.number().int().min(1),
        fromSeq: z.number().int().min(1),
        issuedAt: isoTime,
        headOfficeKey: publicKeyText,
        /** What head office already held of this ledger, and whether it is the same chain. */
        headOfficeSeq: z.number().int().min(0),
        chainMatches: z.boolean(),
      }),
    }),
  }),
  'sync.test': command({
    summary:
      'Test the head-office connection: a real request to the address, and whether head office accepts this terminal’s token; nothing changed (supervisor login)',
    input: z.object({ ...authed, url: headOfficeUrl }).strict(),
    output: z.object({
      url: z.string(),
      latencyMs: z.number().int().min(0),
      serverTime: isoTime,
      token: z.enum(['accepted', 'refused', 'not_enrolled', 'other_address']),
      message: localized,
    }),
  }),
  'sync.unsynced': command({
    summary: 'Events head office has not acknowledged yet (listed on the hand-in slip)',
    input: z.object(authed).strict(),
    output: z.object({
      total: z.number().int().min(0),
      events: z.array(z.object({ seq: z.number().int(), type: z.string(), occurredAt: isoTime })),
    }),
  }),
};
