import { z } from 'zod';
import { authed, command, householdInput, supervisor } from './command';
import {
  complaintCategory,
  complaintStatus,
  contactChannel,
  contactOutcome,
  householdFlag,
  importKind,
  outdoorTenthsC,
  tenthsC,
} from './dunning-events';
import { tenderTotals } from './events';
import { dateOnly, fen, id, isoTime, shortText, totalFen, uuid } from './primitives';
import { householdSummary } from './schemas';
import { serviceKpiReport } from './service-commands';

/** The free-text note of a log entry (contact, reading, valve operation); may be empty. */
const logNote = z.string().trim().max(500).default('');

const arrearsFilters = {
  community: shortText(60).optional(),
  building: shortText(20).optional(),
  /** Only households owing at least this much (default ¥0.01). */
  minOwedFen: fen.default(1),
  /** Only households with at least this many past seasons unpaid. */
  minSeasonsOverdue: z.number().int().min(0).max(50).default(0),
};

const contactEntry = z.object({
  id,
  channel: contactChannel,
  outcome: contactOutcome,
  promisedOn: dateOnly.nullable(),
  note: z.string(),
  clerkName: z.string().nullable(),
  occurredAt: isoTime,
});

const xlsxFile = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  contentBase64: z.string(),
  rows: z.number().int().min(0),
});

const complaintEntry = z.object({
  id,
  category: complaintCategory,
  text: z.string(),
  status: complaintStatus,
  openedAt: isoTime,
  openedBy: z.string().nullable(),
  updatedAt: isoTime,
  updates: z.array(
    z.object({
      status: complaintStatus,
      note: z.string(),
      clerkName: z.string().nullable(),
      at: isoTime,
    }),
  ),
});

const valveEntry = z.object({
  id,
  action: z.enum(['lock', 'unlock']),
  keyNo: z.string(),
  operator: z.string(),
  note: z.string(),
  clerkName: z.string().nullable(),
  occurredAt: isoTime,
});

const temperatureEntry = z.object({
  id,
  room: z.string(),
  tenthsC,
  outdoorTenthsC: outdoorTenthsC.nullable(),
  note: z.string(),
  clerkName: z.string().nullable(),
  measuredAt: isoTime,
});

export const importRowError = z.object({
  /** 1-based line in the file (header = 1); 0 = the file as a whole. */
  row: z.number().int().min(0),
  column: z.string().nullable(),
  message: z.string(),
});

export const importState = z.enum([
  'uploading',
  'reading',
  'validating',
  'writing',
  'done',
  'rejected',
  'failed',
]);

const importStatus = z.object({
  importId: uuid,
  kind: importKind.nullable(),
  fileName: z.string().nullable(),
  state: importState,
  bytesReceived: z.number().int().min(0),
  rowsRead: z.number().int().min(0),
  rowsValidated: z.number().int().min(0),
  rowsWritten: z.number().int().min(0),
  /** Every bad row with the reason (up to 5,000); nothing is written when there is any. */
  errors: z.array(importRowError),
  errorCount: z.number().int().min(0),
  /** Fields edited at this counter that the households file differs on: kept, or overwritten. */
  notices: z.array(importRowError),
  noticeCount: z.number().int().min(0),
  /** The import was told to let the file win over this counter's edits. */
  overwriteCounterEdits: z.boolean(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  elapsedMs: z.number().int().min(0),
});

const collectorLine = z.object({
  clerkId: id,
  clerkCode: z.string(),
  clerkName: z.string(),
  receiptCount: z.number().int(),
  voidCount: z.number().int(),
  /** Cash + card + QR/transfer of valid receipts by payment date, plus cheques cleared in the period. */
  collectedFen: totalFen,
  byTender: tenderTotals,
  /** Cheques taken in the period (on their payment day they are not collected). */
  chequePendingFen: totalFen,
  /** This clerk's cheques whose clearance was recorded in the period: part of collectedFen. */
  chequeClearedFen: totalFen,
  /** 财政补贴 received by this clerk in the period: a separate line, never inside collectedFen. */
  subsidyCount: z.number().int(),
  subsidyReceivedFen: totalFen,
});

/** 催缴 (dunning), the household service log, imports at the counter and the collector report. */
export const dunningCommands = {
  'dunning.list': command({
    summary:
      'Arrears list (催缴): filters community, building, min amount, seasons overdue; biggest first',
    input: z
      .object({
        ...authed,
        ...arrearsFilters,
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      })
      .strict(),
    output: z.object({
      currentSeason: z.string().nullable(),
      total: z.object({ count: z.number().int(), owedFen: totalFen }),
      rows: z.array(
        z.object({
          household: householdSummary,
          seasonsOverdue: z.number().int(),
          arrearsFen: fen,
          lastContactAt: isoTime.nullable(),
          lastContactOutcome: contactOutcome.nullable(),
          notices: z.number().int(),
        }),
      ),
      elapsedMs: z.number().int().min(0),
    }),
  }),
  'dunning.export': command({
    summary: 'The arrears list (same filters, up to 100,000 rows) as an Excel file',
    input: z.object({ ...authed, ...arrearsFilters }).strict(),
    output: xlsxFile,
  }),
  'dunning.contact': command({
    summary: 'Record a dunning contact: phone / SMS / visit, outcome, note',
    input: z
      .object({
        ...authed,
        householdId: id,
        channel: contactChannel,
        outcome: contactOutcome,
        promisedOn: dateOnly.optional(),
        note: logNote,
      })
      .strict(),
    output: contactEntry,
  }),
  'dunning.history': command({
    summary: 'Dunning history of a household: contacts, notices, blacklist / legal-action changes',
    input: householdInput,
    output: z.object({
      household: householdSummary,
      contacts: z.array(contactEntry),
      notices: z.array(
        z.object({
          noticeNo: z.string(),
          format: z.enum(['thermal', 'a4']),
          totalFen: fen,
          dueDate: dateOnly,
          issuedAt: isoTime,
        }),
      ),
      flagChanges: z.array(
        z.object({
          flag: householdFlag,
          value: z.boolean(),
          reason: z.string(),
          approvedBy: z.string().nullable(),
          changedAt: isoTime,
        }),
      ),
    }),
  }),
  'dunning.flag': command({
    summary: 'Set or clear the blacklist / legal-action flag of a household (supervisor PIN)',
    input: z
      .object({
        ...authed,
        householdId: id,
        flag: householdFlag,
        value: z.boolean(),
        reason: shortText(200),
        ...supervisor,
      })
      .strict(),
    output: householdSummary,
  }),
  'dunning.notice': command({
    summary:
      'Issue a dunning notice (催缴通知单): thermal (print queue) or A4 (HTML / PDF), with the account no. as CODE128',
    input: z
      .object({
        ...authed,
        householdId: id,
        format: z.enum(['thermal', 'a4']),
        dueDate: dateOnly.optional(),
      })
      .strict(),
    output: z.object({
      noticeNo: z.string(),
      totalFen: fen,
      dueDate: dateOnly,
      printJobId: id.nullable(),
      html: z.string().nullable(),
      pdfBase64: z.string().nullable(),
    }),
  }),
  'service.log': command({
    summary: 'Service log of a household: temperatures, complaints, valve lock / unlock records',
    input: householdInput,
    output: z.object({
      household: householdSummary,
      temperatures: z.array(temperatureEntry),
      complaints: z.array(complaintEntry),
      valves: z.array(valveEntry),
      valveState: z.enum(['lock', 'unlock']).nullable(),
    }),
  }),
  'service.temperature': command({
    summary: 'Record a room-temperature reading (测温) in tenths of °C',
    input: z
      .object({
        ...authed,
        householdId: id,
        room: shortText(40),
        tenthsC,
        outdoorTenthsC: outdoorTenthsC.optional(),
        note: logNote,
      })
      .strict(),
    output: temperatureEntry,
  }),
  'service.complaint': command({
    summary: 'Open a complaint (投诉) for a household',
    input: z
      .object({ ...authed, householdId: id, category: complaintCategory, text: shortText(500) })
      .strict(),
    output: complaintEntry,
  }),
  'service.complaintStatus': command({
    summary: 'Move a complaint to in progress / closed (or reopen it) with a note',
    input: z
      .object({ ...authed, complaintId: id, status: complaintStatus, note: shortText(500) })
      .strict(),
    output: complaintEntry,
  }),
  'service.valve': command({
    summary: 'Record a valve lock / unlock (锁闭阀): key no., who operated it',
    input: z
      .object({
        ...authed,
        householdId: id,
        action: z.enum(['lock', 'unlock']),
        keyNo: shortText(40),
        operator: shortText(40).optional(),
        note: logNote,
      })
      .strict(),
    output: valveEntry,
  }),
  'service.export': command({
    summary: 'The service log of a household as an Excel file',
    input: householdInput,
    output: xlsxFile,
  }),
  'import.upload': command({
    summary:
      'Upload one chunk (≤ 512 KiB, base64) of a CSV / XLSX file to import (supervisor); 50 MiB at most',
    input: z
      .object({
        ...authed,
        importId: uuid,
        chunkIndex: z.number().int().min(0).max(199),
        chunkCount: z.number().int().min(1).max(200),
        dataBase64: z
          .string()
          .max(700_000)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
      })
      .strict()
      .refine((v) => v.chunkIndex < v.chunkCount, 'chunkIndex must be < chunkCount'),
    output: z.object({
      importId: uuid,
      chunksReceived: z.number().int(),
      bytesReceived: z.number().int(),
    }),
  }),
  'import.start': command({
    summary:
      'Import the uploaded households / charges file: every row validated, then all written in one transaction or none',
    input: z
      .object({
        ...authed,
        importId: uuid,
        kind: importKind,
        format: z.enum(['csv', 'xlsx']),
        fileName: shortText(200),
        /** Let the file's values win over this counter's own edits (reported as notices). */
        overwriteCounterEdits: z.boolean().optional(),
      })
      .strict(),
    output: importStatus,
  }),
  'import.progress': command({
    summary: 'Progress and row-level report of an import',
    input: z.object({ ...authed, importId: uuid }).strict(),
    output: importStatus,
  }),
  'report.collector': command({
    summary:
      'Collector performance (提成 basis) per clerk and period by payment date; subsidy receipts separately',
    input: z
      .object({ ...authed, from: dateOnly, to: dateOnly })
      .strict()
      .refine((v) => v.from <= v.to, 'from must not be after to'),
    output: z.object({
      from: dateOnly,
      to: dateOnly,
      clerks: z.array(collectorLine),
      total: collectorLine.omit({ clerkId: true, clerkCode: true, clerkName: true }),
      subsidy: z.object({
        /** False until the subsidy events exist in this build (they are another area's). */
        tracked: z.boolean(),
        count: z.number().int(),
        receivedFen: totalFen,
      }),
      /** The seed's service KPIs of the period, per collector (clerk) and per area (issue 22). */
      serviceKpis: serviceKpiReport,
    }),
  }),
} as const;
