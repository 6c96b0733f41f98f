import { z } from 'zod';
import { backupCommands } from './backup-commands';
import { cardCommands } from './card-commands';
import { qrCommands } from './qr-commands';
import { cashCommands } from './cash-commands';
import { chequeCommands } from './cheque-commands';
import { rulesCommands } from './rules-commands';
import { dunningCommands } from './dunning-commands';
import { printerCommands } from './printer-commands';
import { poleCommands } from './pole-commands';
import { syncCommands, syncFreshnessFields } from './sync-commands';
import { pinCommands, setupCommands } from './setup-commands';
import { customerCommands } from './customer-commands';
import { serviceCommands } from './service-commands';
import { updateCommands, updateNotice } from './update-commands';
import { authed, command, householdInput, supervisor } from './command';
import {
  allocationLine,
  bookInfo,
  clerkInfo,
  componentStatus,
  explicitAllocation,
  householdSummary,
  integrityStatus,
  receiptDetail,
  receiptSummary,
  seasonAccount,
  shiftInfo,
  tenderInput,
  verifyReport,
} from './schemas';
import {
  clerkCode,
  dateOnly,
  fen,
  id,
  isoTime,
  pin,
  positiveFen,
  sessionToken,
  shortText,
  uuid,
} from './primitives';

export * from './schemas';

/** Core counter commands: sessions, shifts, households, payments, receipts, books, verify. */
const coreCommands = {
  'terminal.info': command({
    summary: 'Terminal identity, demo flag, schema version, event count',
    input: z.object({}).strict(),
    output: z.object({
      terminalId: z.string(),
      name: z.string(),
      timeZone: z.string(),
      isDemo: z.boolean(),
      schemaVersion: z.number().int(),
      eventCount: z.number().int(),
      businessDate: dateOnly,
      now: isoTime,
    }),
  }),
  'terminal.status': command({
    summary:
      'Status bar: printer, card terminal, sync (pending, last success), the PC clock check and the ledger integrity',
    input: z.object({}).strict(),
    output: z.object({
      printer: componentStatus,
      cardTerminal: componentStatus,
      /** The pole display (客显), only while one is switched on. */
      poleDisplay: componentStatus.optional(),
      sync: componentStatus.extend({
        pendingEvents: z.number().int().min(0),
        lastSuccessAt: isoTime.nullable(),
        ...syncFreshnessFields,
      }),
      clock: z.object({ ok: z.boolean(), now: isoTime, lastEventAt: isoTime.nullable() }),
      integrity: integrityStatus,
      update: updateNotice.optional(),
    }),
  }),
  'session.login': command({
    summary: 'Clerk login with clerk code and PIN; returns a session token',
    input: z.object({ clerkCode, pin }).strict(),
    output: z.object({
      session: sessionToken,
      expiresAt: isoTime,
      clerk: clerkInfo,
      openShift: shiftInfo.nullable(),
      book: bookInfo.nullable(),
      /** Head office issued this PIN: nothing else runs until the clerk sets a new one (session.changePin). */
      mustChangePin: z.boolean(),
    }),
  }),
  'session.logout': command({
    summary: 'End the session',
    input: z.object(authed).strict(),
    output: z.object({ loggedOut: z.literal(true) }),
  }),
  'clerk.add': command({
    summary:
      'Add a clerk or supervisor (code, name, role, initial PIN) on a standalone terminal, approved by a supervisor; an enrolled terminal gets its clerks from head office',
    input: z
      .object({
        ...authed,
        code: clerkCode,
        name: shortText(20),
        role: z.enum(['clerk', 'supervisor']),
        pin,
        ...supervisor,
      })
      .strict(),
    output: clerkInfo,
  }),
  'shift.current': command({
    summary: 'The open shift on this counter, if any, and the clerk’s current receipt book',
    input: z.object(authed).strict(),
    output: z.object({ shift: shiftInfo.nullable(), book: bookInfo.nullable() }),
  }),
  'shift.open': command({
    summary: 'Open a shift with the opening float (备用金)',
    input: z.object({ ...authed, openingFloatFen: fen }).strict(),
    output: shiftInfo,
  }),
  'household.search': command({
    summary:
      'Search households: account no., name, pinyin, address (3-2-501), community, phone last 4',
    input: z
      .object({
        ...authed,
        query: z.string().max(100),
        limit: z.number().int().min(1).max(50).default(20),
      })
      .strict(),
    output: z.object({ results: z.array(householdSummary) }),
  }),
  'household.account': command({
    summary: 'Household account: identity, seasons (charge, paid, balance), arrears, receipts',
    input: householdInput,
    output: z.object({
      household: householdSummary.extend({ phone: z.string() }),
      seasons: z.array(seasonAccount),
      owedFen: fen,
      arrearsFen: fen,
      receipts: z.array(receiptSummary),
    }),
  }),
  'payment.preview': command({
    summary: 'Allocation preview: oldest season first unless an explicit allocation is given',
    input: z
      .object({
        ...authed,
        householdId: id,
        amountFen: positiveFen.optional(),
        allocation: explicitAllocation.optional(),
      })
      .strict(),
    output: z.object({ amountFen: fen, owedFen: fen, lines: z.array(allocationLine) }),
  }),
  'payment.take': command({
    summary: 'Take a payment: one receipt per household per visit; idempotent by requestId',
    input: z
      .object({
        ...authed,
        requestId: uuid,
        householdId: id,
        amountFen: positiveFen,
        allocation: explicitAllocation.optional(),
        tenders: z.array(tenderInput).min(1).max(6),
      })
      .strict(),
    output: receiptDetail.extend({ replayed: z.boolean() }),
  }),
  'receipt.find': command({
    summary: 'Look a receipt up by its number (label) or id',
    input: z
      .object({
        ...authed,
        receiptLabel: z.string().trim().max(40).optional(),
        receiptId: id.optional(),
      })
      .strict()
      .refine(
        (v) => v.receiptLabel !== undefined || v.receiptId !== undefined,
        'receiptLabel or receiptId',
      ),
    output: receiptDetail,
  }),
  'receipt.void': command({
    summary: 'Void a receipt of the current shift (reason + supervisor PIN)',
    input: z
      .object({
        ...authed,
        receiptId: id,
        reason: shortText(200),
        ...supervisor,
      })
      .strict(),
    output: receiptSummary,
  }),
  'receipt.reprint': command({
    summary: 'Reprint a receipt as a marked copy; increments its reprint counter',
    input: z.object({ ...authed, receiptId: id }).strict(),
    output: receiptDetail,
  }),
  'book.issue': command({
    summary: 'Issue a receipt book (series + number range) to a clerk (supervisor PIN)',
    input: z
      .object({
        ...authed,
        series: z.string().regex(/^[A-Z0-9]{1,12}$/),
        firstNo: z.number().int().min(1).max(99_999_999),
        lastNo: z.number().int().min(1).max(99_999_999),
        clerkCode,
        ...supervisor,
      })
      .strict()
      .refine((v) => v.lastNo >= v.firstNo, 'lastNo must be ≥ firstNo'),
    output: bookInfo,
  }),
  'ledger.verify': command({
    summary: 'Recompute the hash chain and projections; names the first bad seq',
    input: z.object(authed).strict(),
    output: verifyReport,
  }),
} as const;

/**
 * The one command table every transport serves (CLI, WebSocket host, Electron IPC).
 * Each feature area keeps its commands in its own `*-commands.ts` file and is spread in here.
 */
export const commands = {
  ...dunningCommands,
  ...coreCommands,
  ...backupCommands,
  ...cardCommands,
  ...qrCommands,
  ...cashCommands,
  ...rulesCommands,
  ...printerCommands,
  ...poleCommands,
  ...syncCommands,
  ...setupCommands,
  ...pinCommands,
  ...chequeCommands,
  ...customerCommands,
  ...serviceCommands,
  ...updateCommands,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type ParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;
export type TenderInput = z.infer<typeof tenderInput>;
export type HouseholdSummary = z.infer<typeof householdSummary>;
export type ReceiptDetail = z.infer<typeof receiptDetail>;
export type AllocationLineOut = z.infer<typeof allocationLine>;
export type VerifyReport = z.infer<typeof verifyReport>;
export type ShiftInfo = z.infer<typeof shiftInfo>;
export type BookInfo = z.infer<typeof bookInfo>;
export type ClerkInfo = z.infer<typeof clerkInfo>;
/** What a device or the sync worker reports for the status bar; `detail` is for the clerk. */
export type ComponentStatus = z.infer<typeof componentStatus>;
