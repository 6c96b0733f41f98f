import { z } from 'zod';
import { category, dateOnly, fen, id, positiveFen } from './primitives';
import { verifierVersion } from './verifier';

/**
 * Ledger events of the heating-fee rules (issue 8). They travel to head office unchanged; every
 * approval carries the approvers' ids so head office can verify them (distinct supervisors, count).
 */
const signedFen = z.number().int().min(-10_000_000_000).max(10_000_000_000);
const approvers = z.array(id).max(10);

export const seasonRulesRecord = z.object({
  lateFee: z
    .object({
      startsAfter: dateOnly,
      dailyPermyriad: z.number().int().min(0).max(10_000),
      capPct: z.number().int().min(0).max(100),
    })
    .nullable(),
  earlyDiscount: z.object({ until: dateOnly, pct: z.number().int().min(0).max(100) }).nullable(),
});

export const ruleSettingsRecord = z.object({
  /** Distinct supervisors needed for a reduction or write-off (seed: company + supervising manager). */
  reliefApprovals: z.number().int().min(1).max(5),
  /** Seed region practice: old arrears must be paid before a no-heat application. */
  noHeatRequiresArrearsCleared: z.boolean(),
  /** 预交: the next season's charge may be assessed at the counter and paid in advance. */
  advancePayment: z.boolean(),
});
export type RuleSettings = z.infer<typeof ruleSettingsRecord>;
export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  reliefApprovals: 2,
  noHeatRequiresArrearsCleared: true,
  advancePayment: false,
};

export const rulesEventPayloads = {
  'season.configured': z.object({
    seasonId: id,
    code: z.string().max(20),
    startsOn: dateOnly,
    endsOn: dateOnly,
    noHeatDeadline: dateOnly.nullable(),
    noHeatRatioPct: z.number().int().min(0).max(100),
    rates: z.record(category, fen),
    rules: seasonRulesRecord,
    approvedBy: id,
  }),
  'rules.settingsChanged': ruleSettingsRecord.extend({ approvedBy: id }),
  'noheat.applied': z.object({
    applicationId: id,
    householdId: id,
    seasonId: id,
    chargeFen: fen,
    ratioPct: z.number().int().min(0).max(100),
    noHeatChargeFen: fen,
    adjustmentFen: signedFen,
    onTime: z.boolean(),
    deadline: dateOnly.nullable(),
    lateApprovedBy: id.nullable(),
    reason: z.string().max(200),
  }),
  'noheat.resumed': z.object({
    applicationId: id,
    householdId: id,
    seasonId: id,
    adjustmentFen: signedFen,
    reason: z.string().max(200),
  }),
  'relief.granted': z.object({
    reliefId: id,
    kind: z.enum(['reduction', 'write_off']),
    householdId: id,
    seasonId: id,
    amountFen: positiveFen,
    reason: z.string().max(200),
    requiredApprovals: z.number().int().min(1).max(5),
    approvers,
    /** Each approver's verifier version (core/contract/verifier), by approver id; since issue 17. */
    verifiers: z.record(id, verifierVersion).optional(),
  }),
  'household.updated': z.object({
    householdId: id,
    changes: z.record(
      z.string().max(32),
      z.object({
        from: z.union([z.string().max(200), z.number(), z.boolean()]),
        to: z.union([z.string().max(200), z.number(), z.boolean()]),
      }),
    ),
    reason: z.string().max(200),
    approvedBy: id.nullable(),
    rerate: z.array(
      z.object({
        adjustmentId: id,
        seasonId: id,
        oldBaseFen: fen,
        newBaseFen: fen,
        adjustmentFen: signedFen,
        /** Keeps a no-heat season at ratio × the new base (kind no_heat). */
        noHeatCorrectionFen: signedFen,
      }),
    ),
  }),
  'inspection.recorded': z.object({
    inspectionId: id,
    householdId: id,
    seasonId: id,
    finding: z.string().max(200),
    drawingHeat: z.boolean(),
    backChargeFen: fen,
    approvedBy: id.nullable(),
  }),
  'subsidy.assigned': z.object({
    adjustmentId: id,
    householdId: id,
    seasonId: id,
    shareFen: fen,
    previousShareFen: fen,
    reason: z.string().max(200),
    approvedBy: id,
  }),
  'subsidy.received': z.object({
    subsidyReceiptId: id,
    householdId: id,
    seasonId: id,
    amountFen: positiveFen,
    reference: z.string().max(64),
  }),
  'charge.assessed': z.object({
    householdId: id,
    seasonId: id,
    chargeFen: fen,
    areaHundredths: z.number().int().positive(),
    rateFenPerM2: fen,
    reason: z.enum(['advance']),
  }),
  'credit.applied': z.object({
    householdId: id,
    transfers: z
      .array(
        z.object({ adjustmentId: id, fromSeasonId: id, toSeasonId: id, amountFen: positiveFen }),
      )
      .min(1)
      .max(20),
  }),
  'fee.assessed': z.object({
    adjustmentId: id,
    kind: z.enum(['late_fee', 'early_discount']),
    householdId: id,
    seasonId: id,
    amountFen: signedFen,
    asOf: dateOnly,
  }),
} as const;
