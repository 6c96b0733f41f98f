import { computeChargeFen } from '@heating-cashier/core/fees';
import { insertClerk } from '../features/session/clerks.store';
import {
  insertHousehold,
  type Category,
  type Household,
} from '../features/households/households.store';
import { isEmptyLedger } from '../features/terminal/terminal.store';
import { hashPin } from '../features/session/auth';
import { recordBookIssue } from '../features/receipts/books';
import { ServiceError, type ServiceContext } from '../services/context';
import { clerkByCode } from '../features/session/clerks.store';
import { COMMUNITIES, GIVEN_CHARS, SURNAMES } from './names';
import {
  terminalSignature,
  writeRate,
  writeSeason,
  type ChargeRecord,
} from '../features/sync/master-rows.store';
import { createRandom, type Random } from './random';

export interface DemoOptions {
  households: number;
  seed: number;
  /**
   * How many heating seasons of charges and rates: 2 (default: 2025-2026 and 2026-2027, the demo
   * district) or 5 (2022-2023 … 2026-2027, the season-volume benchmark ledger, bench/season-ledger.ts,
   * where payments elsewhere settle most household-seasons and the counter's own receipts the rest).
   */
  seasons?: 2 | 5;
  onProgress?: (done: number, total: number) => void;
}

export const DEMO_CLERKS = [
  {
    code: '1001',
    name: '张丽',
    role: 'clerk',
    pin: '123456',
    series: 'A',
    firstNo: 1,
    lastNo: 500,
  },
  {
    code: '1002',
    name: '王强',
    role: 'clerk',
    pin: '123456',
    series: 'B',
    firstNo: 1,
    lastNo: 500,
  },
  {
    code: '9001',
    name: '李主管',
    role: 'supervisor',
    pin: '888888',
    series: null,
    firstNo: 0,
    lastNo: 0,
  },
  // A second supervisor: reductions and write-offs need two different ones (rule setting).
  {
    code: '9009',
    name: '周经理',
    role: 'supervisor',
    pin: '999999',
    series: null,
    firstNo: 0,
    lastNo: 0,
  },
] as const;

/** The three seasons before the demo's two, for the five-season ledger (`seasons: 5`). */
const EARLIER_SEASONS = [
  {
    id: 'S2022',
    code: '2022-2023',
    startsOn: '2022-11-15',
    endsOn: '2023-03-15',
    deadline: '2022-10-15',
  },
  {
    id: 'S2023',
    code: '2023-2024',
    startsOn: '2023-11-15',
    endsOn: '2024-03-15',
    deadline: '2023-10-15',
  },
  {
    id: 'S2024',
    code: '2024-2025',
    startsOn: '2024-11-15',
    endsOn: '2025-03-15',
    deadline: '2024-10-15',
  },
] as const;

const SEASONS = [
  {
    id: 'S2025',
    code: '2025-2026',
    startsOn: '2025-11-15',
    endsOn: '2026-03-15',
    deadline: '2025-10-15',
  },
  {
    id: 'S2026',
    code: '2026-2027',
    startsOn: '2026-11-15',
    endsOn: '2027-03-15',
    deadline: '2026-10-15',
  },
] as const;

const RATES: Record<string, Record<Category, number>> = {
  S2022: { residential: 2200, commercial: 3300, public: 2800 },
  S2023: { residential: 2300, commercial: 3400, public: 2900 },
  S2024: { residential: 2400, commercial: 3500, public: 2900 },
  S2025: { residential: 2500, commercial: 3600, public: 3000 },
  S2026: { residential: 2580, commercial: 3700, public: 3100 },
};

const NO_HEAT_RATIO_PCT = 50;
const BATCH = 5000;

function demoHousehold(r: Random, i: number): Household {
  const given = Array.from({ length: r.chance(0.7) ? 2 : 1 }, () => r.pick(GIVEN_CHARS)).join('');
  const roll = r.next();
  const category: Category = roll < 0.88 ? 'residential' : roll < 0.96 ? 'commercial' : 'public';
  return {
    id: `H${10000001 + i}`,
    accountNo: String(10000001 + i),
    name: r.pick(SURNAMES) + given,
    phone: `1${r.pick(['3', '5', '8', '9'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`,
    community: r.pick(COMMUNITIES),
    building: String(r.int(1, 30)),
    unit: String(r.int(1, 6)),
    room: String(r.int(1, 18) * 100 + r.int(1, 4)),
    areaHundredths: r.int(4000, 18000),
    category,
    // The finance office subsidises people's homes (the seed: 家庭经济状况、是否属于财政补贴热费范围), never
    // a shop or an office: only residential households. The draw stays, so the district is otherwise
    // the same household for household.
    subsidised: r.chance(0.05) && category === 'residential',
    noHeat: r.chance(0.02),
    blacklisted: r.chance(0.005),
    legalAction: r.chance(0.003),
    isDemo: true,
  };
}

/** What was paid before this ledger: ~20 % owe something for the previous season; ~35 % paid this one online. */
function paidElsewhere(r: Random, seasonIndex: number, chargeFen: number): number {
  if (seasonIndex === 0) {
    if (!r.chance(0.2)) return chargeFen;
    return r.chance(0.5) ? 0 : Math.floor((chargeFen * r.int(10, 90)) / 100);
  }
  return r.chance(0.35) ? chargeFen : 0;
}

/**
 * Five seasons (the season-volume ledger): payments elsewhere (bank, online, the other counters)
 * settled ~80 % of every household-season, part of ~4 %; the rest is left to this counter's receipts
 * (bench/season-ledger.ts) and, what they do not pay, to the dunning list.
 */
function paidElsewhereOfFive(r: Random, chargeFen: number): number {
  if (r.chance(0.8)) return chargeFen;
  return r.chance(0.2) ? Math.floor((chargeFen * r.int(10, 90)) / 100) : 0;
}

/**
 * Fills an EMPTY ledger with a deterministic demo district: clerks, two (or five) seasons with rates,
 * households with charges and arrears, and a receipt book per demo clerk (as ledger events).
 */
export function seedDemo(ctx: ServiceContext, options: DemoOptions): { households: number } {
  const { db } = ctx;
  if (!isEmptyLedger(db)) throw new ServiceError('DEMO_NOT_EMPTY');
  const r = createRandom(options.seed);
  const seasons = options.seasons === 5 ? [...EARLIER_SEASONS, ...SEASONS] : SEASONS;
  db.transaction(() => {
    db.prepare('UPDATE terminal SET is_demo = 1').run();
    for (const c of DEMO_CLERKS) {
      insertClerk(db, {
        id: `C${c.code}`,
        code: c.code,
        name: c.name,
        role: c.role,
        pin_hash: hashPin(c.pin),
      });
    }
    // Master rows the terminal makes itself carry its signature (sync/master-rows.store.ts).
    for (const s of seasons) {
      const season = {
        id: s.id,
        code: s.code,
        startsOn: s.startsOn,
        endsOn: s.endsOn,
        noHeatDeadline: s.deadline,
        noHeatRatioPct: NO_HEAT_RATIO_PCT,
      };
      writeSeason(db, season, terminalSignature(db, 'seasons', season));
      for (const [category, rate] of Object.entries(RATES[s.id]!) as [Category, number][]) {
        const record = { seasonId: s.id, category, rateFenPerM2: rate };
        writeRate(db, record, terminalSignature(db, 'rates', record));
      }
    }
  })();
  // No payments elsewhere exist yet: paid elsewhere is all paid before (the charge rule holds).
  const charge = db.prepare(
    `INSERT INTO charges (household_id, season_id, charge_fen, paid_before_fen, paid_elsewhere_fen, sig, signed_by)
     VALUES (?, ?, ?, ?, ?, ?, 'terminal')`,
  );
  const signCharge = (record: ChargeRecord) => terminalSignature(db, 'charges', record).sig;
  for (let start = 0; start < options.households; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(start + BATCH, options.households); i++) {
        const h = demoHousehold(r, i);
        insertHousehold(db, h);
        seasons.forEach((s, index) => {
          const full = computeChargeFen(h.areaHundredths, RATES[s.id]![h.category]);
          const due = h.noHeat ? Math.floor((full * NO_HEAT_RATIO_PCT + 50) / 100) : full;
          const paid =
            options.seasons === 5 ? paidElsewhereOfFive(r, due) : paidElsewhere(r, index, due);
          const sig = signCharge({
            householdId: h.id,
            seasonId: s.id,
            chargeFen: due,
            paidBeforeFen: paid,
          });
          charge.run(h.id, s.id, due, paid, paid, sig);
        });
      }
    })();
    options.onProgress?.(Math.min(start + BATCH, options.households), options.households);
  }
  const supervisor = clerkByCode(db, '9001')!;
  for (const c of DEMO_CLERKS) {
    if (c.series === null) continue;
    recordBookIssue(ctx, supervisor, supervisor, {
      series: c.series,
      firstNo: c.firstNo,
      lastNo: c.lastNo,
      clerkCode: c.code,
    });
  }
  return { households: options.households };
}
