import { z } from 'zod';
import { authed, command, householdInput, optionalSupervisor, supervisor } from './command';
import { ruleSettingsRecord, seasonRulesRecord } from './rules-events';
import { category, dateOnly, fen, id, isoTime, positiveFen, shortText } from './primitives';

/** Heating-fee rules (issue 8): seasons and rates, no-heat, reductions/write-offs, household
 * maintenance, inspections, subsidies, advance payment and credit. */

const signedFen = z.number().int();
const rates = z.object({ residential: fen, commercial: fen, public: fen }).strict();
const valveKey = z.string().trim().min(1).max(40);

/** What a no-heat application and a resume both name: the household, season, reason, valve key. */
const noHeatFields = {
  ...authed,
  householdId: id,
  seasonId: id.optional(),
  reason: shortText(200),
  valveKey: valveKey.optional(),
};

export const seasonView = z.object({
  seasonId: id,
  code: z.string(),
  startsOn: dateOnly,
  endsOn: dateOnly,
  noHeatDeadline: dateOnly.nullable(),
  noHeatRatioPct: z.number().int(),
  rates,
  rules: seasonRulesRecord,
});

export const adjustmentView = z.object({
  id,
  seasonId: id,
  seasonCode: z.string(),
  kind: z.string(),
  amountFen: signedFen,
  reason: z.string(),
  approvedBy: z.array(z.object({ id, name: z.string() })),
  businessDate: dateOnly,
});

const personalFields = {
  occupation: z.string().trim().max(60).optional(),
  workUnit: z.string().trim().max(100).optional(),
  economicSituation: z.string().trim().max(100).optional(),
  subsidyEligible: z.boolean().optional(),
};

export const rulesCommands = {
  'rules.get': command({
    summary:
      'Seasons with dates, rates per category, no-heat deadline/ratio, late-fee and early-discount rules; rule settings',
    input: z.object(authed).strict(),
    output: z.object({
      seasons: z.array(seasonView),
      settings: ruleSettingsRecord,
      managedByHeadOffice: z.boolean(),
    }),
  }),
  'rules.season.set': command({
    summary:
      'Create or change a season and its rates/rules (supervisor; standalone terminals only)',
    input: z
      .object({
        ...authed,
        seasonId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
        code: z.string().regex(/^\d{4}-\d{4}$/),
        startsOn: dateOnly,
        endsOn: dateOnly,
        noHeatDeadline: dateOnly.nullable().default(null),
        noHeatRatioPct: z.number().int().min(0).max(100).default(50),
        rates,
        lateFee: seasonRulesRecord.shape.lateFee.default(null),
        earlyDiscount: seasonRulesRecord.shape.earlyDiscount.default(null),
        ...supervisor,
      })
      .strict()
      .refine((v) => v.endsOn > v.startsOn, 'endsOn must be after startsOn'),
    output: seasonView,
  }),
  'rules.settings.set': command({
    summary:
      'Approvals needed for reductions/write-offs, arrears-before-no-heat, advance payment (supervisor)',
    input: z.object({ ...authed, ...ruleSettingsRecord.shape, ...supervisor }).strict(),
    output: ruleSettingsRecord,
  }),
  'noheat.apply': command({
    summary:
      'No-heat application (停供申请): before the deadline the charge becomes the ratio; after it only with a supervisor',
    input: z.object({ ...noHeatFields, ...optionalSupervisor }).strict(),
    output: z.object({
      applicationId: id,
      seasonId: id,
      seasonCode: z.string(),
      chargeFen: fen,
      ratioPct: z.number().int(),
      noHeatChargeFen: fen,
      adjustmentFen: signedFen,
      onTime: z.boolean(),
      deadline: dateOnly.nullable(),
      lateApprovedBy: z.string().nullable(),
      balanceFen: fen,
      creditFen: fen,
    }),
  }),
  'noheat.resume': command({
    summary:
      'Resume heating (恢复供热): the season charge returns to the full charge; valve unlock record',
    input: z.object(noHeatFields).strict(),
    output: z.object({ seasonId: id, adjustmentFen: signedFen, chargeFen: fen, balanceFen: fen }),
  }),
  'relief.grant': command({
    summary:
      'Reduction (减免) or write-off (核销) of a season: amount, reason, N distinct supervisor approvals',
    input: z
      .object({
        ...authed,
        householdId: id,
        seasonId: id,
        kind: z.enum(['reduction', 'write_off']),
        amountFen: positiveFen,
        reason: shortText(200),
        approvals: z.array(z.object(supervisor).strict()).min(1).max(5),
      })
      .strict(),
    output: z.object({
      reliefId: id,
      kind: z.enum(['reduction', 'write_off']),
      amountFen: positiveFen,
      approvers: z.array(z.object({ id, name: z.string() })),
      balanceFen: fen,
    }),
  }),
  'household.update': command({
    summary:
      'Household maintenance: phone, owner change (过户), area/category (re-rates open charges), personal fields; audited',
    input: z
      .object({
        ...authed,
        householdId: id,
        reason: shortText(200),
        name: shortText(40).optional(),
        phone: z
          .string()
          .trim()
          .regex(/^[0-9+\- ]{0,20}$/)
          .optional(),
        areaHundredths: z.number().int().min(1).max(10_000_000).optional(),
        category: category.optional(),
        subsidised: z.boolean().optional(),
        ...personalFields,
        ...optionalSupervisor,
      })
      .strict(),
    output: z.object({
      householdId: id,
      changed: z.array(z.string()),
      rerate: z.array(
        z.object({ seasonId: id, oldBaseFen: fen, newBaseFen: fen, adjustmentFen: signedFen }),
      ),
    }),
  }),
  'household.rules': command({
    summary:
      'A household’s adjustments, no-heat status, credit, subsidy, inspections, change log; personal fields for supervisors',
    input: householdInput,
    output: z.object({
      householdId: id,
      creditFen: fen,
      adjustments: z.array(adjustmentView),
      noHeat: z.array(
        z.object({
          seasonId: id,
          seasonCode: z.string(),
          active: z.boolean(),
          ratioPct: z.number().int(),
          lateApprovedBy: z.string().nullable(),
        }),
      ),
      subsidy: z.array(
        z.object({ seasonId: id, seasonCode: z.string(), shareFen: fen, receivedFen: fen }),
      ),
      inspections: z.array(
        z.object({
          id,
          seasonId: id,
          finding: z.string(),
          drawingHeat: z.boolean(),
          backChargeFen: fen,
          inspectedOn: dateOnly,
        }),
      ),
      changes: z.array(
        z.object({
          seq: z.number().int(),
          at: isoTime,
          fields: z.array(z.string()),
          reason: z.string(),
          approvedBy: z.string().nullable(),
        }),
      ),
      lateFees: z.array(z.object({ seasonId: id, accruedFen: fen })),
      advance: z.object({ enabled: z.boolean(), seasonId: id.nullable(), assessed: z.boolean() }),
      personal: z
        .object({
          occupation: z.string(),
          workUnit: z.string(),
          economicSituation: z.string(),
          subsidyEligible: z.boolean(),
        })
        .nullable(),
    }),
  }),
  'inspection.record': command({
    summary: 'Inspection (稽查): a record; a back-charge only with a supervisor’s approval',
    input: z
      .object({
        ...authed,
        householdId: id,
        seasonId: id.optional(),
        finding: shortText(200),
        drawingHeat: z.boolean(),
        backChargeFen: fen.optional(),
        ...optionalSupervisor,
      })
      .strict(),
    output: z.object({ inspectionId: id, backChargeFen: fen, balanceFen: fen }),
  }),
  'subsidy.assign': command({
    summary:
      'Subsidy share (财政补贴) of a season charge, paid by the finance office, not the household (supervisor)',
    input: z
      .object({
        ...authed,
        householdId: id,
        seasonId: id,
        shareFen: fen,
        reason: shortText(200),
        ...supervisor,
      })
      .strict(),
    output: z.object({ shareFen: fen, receivedFen: fen, householdBalanceFen: fen }),
  }),
  'subsidy.receive': command({
    summary:
      'Subsidy received from the finance office: marks the receivable collected (counted on that day)',
    input: z
      .object({
        ...authed,
        householdId: id,
        seasonId: id,
        amountFen: positiveFen,
        reference: shortText(64),
      })
      .strict(),
    output: z.object({
      subsidyReceiptId: id,
      shareFen: fen,
      receivedFen: fen,
      outstandingFen: fen,
    }),
  }),
  'report.subsidy': command({
    summary: 'Subsidy receivable report: share, received and outstanding per household and season',
    input: z
      .object({ ...authed, seasonId: id.optional(), outstandingOnly: z.boolean().default(true) })
      .strict(),
    output: z.object({
      rows: z.array(
        z.object({
          householdId: id,
          accountNo: z.string(),
          name: z.string(),
          seasonId: id,
          seasonCode: z.string(),
          shareFen: fen,
          receivedFen: fen,
          outstandingFen: fen,
        }),
      ),
      totals: z.object({
        shareFen: z.number().int(),
        receivedFen: z.number().int(),
        outstandingFen: z.number().int(),
      }),
      receivedInPeriod: z.array(z.object({ businessDate: dateOnly, amountFen: z.number().int() })),
    }),
  }),
  'report.relief': command({
    summary: 'Reductions, write-offs, no-heat and back-charges booked in a period, with approvers',
    input: z.object({ ...authed, from: dateOnly, to: dateOnly }).strict(),
    output: z.object({
      rows: z.array(adjustmentView.extend({ householdId: id, accountNo: z.string() })),
      totals: z.record(z.string(), z.number().int()),
    }),
  }),
  'charge.assessAdvance': command({
    summary:
      'Advance payment (预交): assess next season’s charge (area × rate) so it can be paid now',
    input: householdInput,
    output: z.object({ seasonId: id, seasonCode: z.string(), chargeFen: fen }),
  }),
  'credit.apply': command({
    summary: 'Apply the household’s credit (overpayment) to seasons still owing, oldest first',
    input: householdInput,
    output: z.object({
      transfers: z.array(z.object({ fromSeasonId: id, toSeasonId: id, amountFen: positiveFen })),
      creditFen: fen,
      owedFen: fen,
    }),
  }),
  'fee.assess': command({
    summary:
      'Book the season’s late fee (if the rule is on and it accrued) or early-payment discount (if due)',
    input: z
      .object({
        ...authed,
        householdId: id,
        seasonId: id,
        kind: z.enum(['late_fee', 'early_discount']),
      })
      .strict(),
    output: z.object({ amountFen: signedFen, balanceFen: fen }),
  }),
} as const;
