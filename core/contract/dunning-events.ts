import { z } from 'zod';
import { dateOnly, fen, id } from './primitives';

/** Ledger event payloads of dunning (催缴), the service log and master-data imports. */

export const contactChannel = z.enum(['phone', 'sms', 'visit']);
export const contactOutcome = z.enum([
  'reached',
  'no_answer',
  'promised',
  'refused',
  'wrong_number',
  'other',
]);
export const householdFlag = z.enum(['blacklisted', 'legalAction']);
export const complaintCategory = z.enum([
  'not_warm',
  'leak',
  'noise',
  'billing',
  'service',
  'other',
]);
export const complaintStatus = z.enum(['open', 'in_progress', 'closed']);
/** Room temperature in integer tenths of a degree Celsius (18.5 °C = 185). */
export const tenthsC = z.number().int().min(-500).max(600);
export const outdoorTenthsC = z.number().int().min(-600).max(500);
export const importKind = z.enum(['households', 'charges']);

const note = z.string().max(500);
const valvePayload = z.object({
  valveOpId: id,
  householdId: id,
  keyNo: z.string().max(40),
  operator: z.string().max(40),
  note,
});

export const dunningEventPayloads = {
  'dunning.contacted': z.object({
    contactId: id,
    householdId: id,
    channel: contactChannel,
    outcome: contactOutcome,
    promisedOn: dateOnly.nullable(),
    note,
  }),
  'dunning.noticeIssued': z.object({
    noticeNo: z.string().max(40),
    householdId: id,
    format: z.enum(['thermal', 'a4']),
    totalFen: fen,
    dueDate: dateOnly,
  }),
  'household.flagged': z.object({
    householdId: id,
    flag: householdFlag,
    value: z.boolean(),
    reason: z.string().max(200),
    approvedBy: id,
  }),
  'service.temperatureRecorded': z.object({
    readingId: id,
    householdId: id,
    room: z.string().max(40),
    tenthsC,
    outdoorTenthsC: outdoorTenthsC.nullable(),
    note,
  }),
  'service.complaintOpened': z.object({
    complaintId: id,
    householdId: id,
    category: complaintCategory,
    text: z.string().max(500),
  }),
  'service.complaintUpdated': z.object({
    complaintId: id,
    status: complaintStatus,
    note,
  }),
  'valve.locked': valvePayload,
  'valve.unlocked': valvePayload,
  /** Households or charges imported from a file at the counter (master data; the file's digest). */
  'master.imported': z.object({
    importId: id,
    kind: importKind,
    fileName: z.string().max(200),
    rows: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /**
     * Counter edits the file settled (it carried the counter's value, or was told to overwrite);
     * absent on imports before migration 0013, which overwrote every edit.
     */
    settledEdits: z
      .array(z.object({ householdId: id, field: z.string().max(32) }))
      .max(2_500_000)
      .optional(),
  }),
} as const;
