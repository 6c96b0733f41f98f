import { randomBytes, scryptSync } from 'node:crypto';
import { parseHundredths, type Row } from '@heating-cashier/core/tabular';
import { INITIAL_PIN_MARK } from '@heating-cashier/core/contract/trust-events';
import type { HoDb, Queryable } from './db';
import { counterEditsOf, forgetCounterEdits, type CounterEdit } from './households';
import { masterSchemas, upsertMaster, type MasterItem, type MasterRecord } from './master';
import { readTabular } from './tabular';

export { parseHundredths };

export const IMPORT_KINDS = [
  'households',
  'seasons',
  'charges',
  'clerks',
  'books',
  'payments',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface RowError {
  row: number; // 1-based line in the file, header = 1
  column: string | null;
  message: string;
}

export interface ImportReport {
  kind: ImportKind;
  fileName: string;
  accepted: boolean;
  rows: number;
  written: number;
  errors: RowError[];
  /** Not errors: counter edits kept back (or overwritten) against the file's values. */
  notices: RowError[];
}

export interface ImportOptions {
  /** The file's household values replace counter edits (default: the counter's values stay). */
  overwriteCounterEdits?: boolean;
}

/** The file column of each household wire field a counter can edit. */
const HOUSEHOLD_COLUMN: Record<string, string> = {
  name: 'name',
  phone: 'phone',
  areaHundredths: 'area_m2',
  category: 'category',
  subsidised: 'subsidised',
  blacklisted: 'blacklisted',
  legalAction: 'legal_action',
};

/**
 * Household rows against the counters' edits: a file value equal to a counter edit means the
 * billing system has caught up (the edit record goes); a different one is replaced by the
 * counter's value and reported, unless the operator asked to overwrite (then the file wins and the
 * edit record goes). Changes `items` in place.
 */
async function reconcileCounterEdits(
  q: Queryable,
  items: readonly { item: MasterItem; row: number }[],
  overwrite: boolean,
): Promise<RowError[]> {
  const households = items.flatMap(({ item, row }) =>
    item.kind === 'household' ? [{ h: item.data, row }] : [],
  );
  const edits = await counterEditsOf(
    q,
    households.map((x) => x.h.id),
  );
  const notices: RowError[] = [];
  const settled: CounterEdit[] = [];
  for (const { h, row } of households) {
    for (const e of edits.get(h.id) ?? []) {
      const field = e.field as keyof MasterRecord<'household'>;
      const fileValue = JSON.stringify(h[field]);
      if (fileValue === e.value) {
        settled.push(e);
        continue;
      }
      const column = HOUSEHOLD_COLUMN[e.field] ?? e.field;
      const edit = `the counter's edit of ${e.editedAt} (${e.value}, terminal ${e.terminalId})`;
      if (overwrite) {
        settled.push(e);
        notices.push({ row, column, message: `overwrote ${edit} with the file's ${fileValue}` });
      } else {
        (h as Record<string, unknown>)[field] = JSON.parse(e.value) as unknown;
        notices.push({
          row,
          column,
          message: `kept ${edit}; the file has ${fileValue} (import with overwriteCounterEdits to use the file's value)`,
        });
      }
    }
  }
  await forgetCounterEdits(q, settled);
  return notices;
}

const flag = (v: string | undefined) => /^(1|y|yes|true|是)$/i.test((v ?? '').trim());

/** Same PIN hash format as the terminal (scrypt N=16384, r=8, p=1). */
export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** CSV / XLSX rows, read with the counter import's conventions (@heating-cashier/core/tabular). */
async function readRows(format: 'csv' | 'xlsx', bytes: Buffer): Promise<Row[]> {
  return (await readTabular(format, bytes)).rows.map((r) => r.cells);
}

interface Lookups {
  householdByAccount: Map<string, string>;
  seasonByCode: Map<string, string>;
}

async function lookups(q: Queryable): Promise<Lookups> {
  const hh = await q.query<{ id: string; account_no: string }>(
    'SELECT id, account_no FROM ho_households',
  );
  const ss = await q.query<{ id: string; code: string }>('SELECT id, code FROM ho_seasons');
  return {
    householdByAccount: new Map(hh.map((r) => [r.account_no, r.id])),
    seasonByCode: new Map(ss.map((r) => [r.code, r.id])),
  };
}

/** Turns one row into master records, or explains what is wrong with it. */
function toItems(kind: ImportKind, r: Row, L: Lookups): MasterItem[] | RowError[] {
  const errs: RowError[] = [];
  const need = (col: string) => {
    const v = r[col];
    if (v === undefined || v === '') errs.push({ row: 0, column: col, message: 'required' });
    return v ?? '';
  };
  const money = (col: string, required = true) => {
    const v = r[col] ?? '';
    if (v === '' && !required) return 0;
    const h = parseHundredths(v);
    if (h === null) errs.push({ row: 0, column: col, message: `not an amount: "${v}"` });
    return h ?? 0;
  };
  const household = (col: string) => {
    const acct = need(col);
    const id = L.householdByAccount.get(acct);
    if (acct && !id) errs.push({ row: 0, column: col, message: `unknown account ${acct}` });
    return id ?? '';
  };
  const season = (col: string) => {
    const code = need(col);
    const id = L.seasonByCode.get(code);
    if (code && !id) errs.push({ row: 0, column: col, message: `unknown season ${code}` });
    return id ?? '';
  };
  let items: MasterItem[] = [];
  switch (kind) {
    case 'households': {
      const acct = need('account_no');
      items = [
        {
          kind: 'household',
          data: {
            id: r.id || `H${acct}`,
            accountNo: acct,
            name: need('name'),
            phone: r.phone ?? '',
            community: need('community'),
            building: need('building'),
            unit: need('unit'),
            room: need('room'),
            areaHundredths: money('area_m2'),
            category: (r.category || 'residential') as 'residential',
            subsidised: flag(r.subsidised),
            noHeat: flag(r.no_heat),
            blacklisted: flag(r.blacklisted),
            legalAction: flag(r.legal_action),
          },
        },
      ];
      L.householdByAccount.set(acct, r.id || `H${acct}`);
      break;
    }
    case 'seasons': {
      const code = need('code');
      const id = r.id || `S${code.slice(0, 4)}`;
      items = [
        {
          kind: 'season',
          data: {
            id,
            code,
            startsOn: need('starts_on'),
            endsOn: need('ends_on'),
            noHeatDeadline: r.no_heat_deadline || null,
            noHeatRatioPct: Number(r.no_heat_ratio_pct || '50'),
          },
        },
        ...(['residential', 'commercial', 'public'] as const).map(
          (category) =>
            ({
              kind: 'rate',
              data: { seasonId: id, category, rateFenPerM2: money(`rate_${category}`) },
            }) as MasterItem,
        ),
      ];
      L.seasonByCode.set(code, id);
      break;
    }
    case 'charges':
      items = [
        {
          kind: 'charge',
          data: {
            householdId: household('account_no'),
            seasonId: season('season'),
            chargeFen: money('charge'),
            paidBeforeFen: money('paid_before', false),
          },
        },
      ];
      break;
    case 'clerks': {
      const pin = need('pin');
      if (pin && !/^\d{4,12}$/.test(pin))
        errs.push({ row: 0, column: 'pin', message: '4-12 digits' });
      const code = need('code');
      items = [
        {
          kind: 'clerk',
          data: {
            id: r.id || `C${code}`,
            code,
            name: need('name'),
            role: (r.role || 'clerk') as 'clerk',
            // a PIN issued here is an initial one: the clerk sets a new one at the first log-in
            pinHash: errs.length === 0 ? `${hashPin(pin)}${INITIAL_PIN_MARK}` : 'scrypt$',
            active: r.active === undefined || r.active === '' ? true : flag(r.active),
          },
        },
      ];
      break;
    }
    case 'books': {
      const series = need('series');
      const firstNo = Number(need('first_no'));
      const lastNo = Number(need('last_no'));
      if (lastNo < firstNo) errs.push({ row: 0, column: 'last_no', message: 'before first_no' });
      items = [
        {
          kind: 'book',
          data: {
            id: r.id || `${r.terminal_id}:${series}:${firstNo}`,
            terminalId: need('terminal_id'),
            clerkCode: need('clerk_code'),
            series,
            firstNo,
            lastNo,
          },
        },
      ];
      break;
    }
    case 'payments': {
      const source = (r.source || 'bank') as 'bank';
      const reference = need('reference');
      const seasonId = season('season');
      items = [
        {
          kind: 'payment',
          data: {
            id: `${source}:${reference}:${seasonId}`,
            householdId: household('account_no'),
            seasonId,
            amountFen: money('amount'),
            source,
            originTerminalId: null,
            reference,
            paidAt: r.paid_at || null,
          },
        },
      ];
      if (!['bank', 'online', 'cheque'].includes(source))
        errs.push({ row: 0, column: 'source', message: 'bank, online or cheque' });
      break;
    }
  }
  if (errs.length > 0) return errs;
  for (const item of items) {
    const check = masterSchemas[item.kind].safeParse(item.data);
    if (!check.success)
      return check.error.issues.map((i) => ({
        row: 0,
        column: i.path.join('.') || null,
        message: i.message,
      }));
  }
  return items;
}

/**
 * Validates every row, then writes all of them in ONE transaction, or none: a file with any bad
 * row is refused whole and the report names each bad row and column.
 */
export async function importFile(
  db: HoDb,
  kind: ImportKind,
  format: 'csv' | 'xlsx',
  bytes: Buffer,
  fileName: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  let rows: Row[];
  const errors: RowError[] = [];
  try {
    rows = await readRows(format, bytes);
  } catch (e) {
    rows = [];
    errors.push({ row: 0, column: null, message: `unreadable ${format}: ${(e as Error).message}` });
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: 0, column: null, message: 'no data rows' });
  let written = 0;
  const report = await db.tx(async (q) => {
    const L = await lookups(q);
    const items: { item: MasterItem; row: number }[] = [];
    let notices: RowError[] = [];
    rows.forEach((r, i) => {
      const out = toItems(kind, r, L);
      if (out.length > 0 && 'message' in out[0]!)
        errors.push(...(out as RowError[]).map((e) => ({ ...e, row: i + 2 })));
      else items.push(...(out as MasterItem[]).map((item) => ({ item, row: i + 2 })));
    });
    if (errors.length === 0) {
      try {
        await q.query('SAVEPOINT import_rows');
        notices = await reconcileCounterEdits(q, items, options.overwriteCounterEdits === true);
        await upsertMaster(
          q,
          items.map((x) => x.item),
        );
        written = items.length;
      } catch (e) {
        await q.query('ROLLBACK TO SAVEPOINT import_rows');
        errors.push({ row: 0, column: null, message: (e as Error).message });
      }
    }
    const rep: ImportReport = {
      kind,
      fileName,
      accepted: errors.length === 0,
      rows: rows.length,
      written: errors.length === 0 ? written : 0,
      errors: errors.slice(0, 1000),
      notices: errors.length === 0 ? notices.slice(0, 1000) : [],
    };
    await q.query(
      'INSERT INTO ho_imports (kind, file_name, accepted, rows, report) VALUES ($1, $2, $3, $4, $5)',
      [kind, fileName, rep.accepted, rows.length, JSON.stringify(rep)],
    );
    return rep;
  });
  return report;
}
