import { createHash } from 'node:crypto';
import type { ClerkRow } from '../session/clerks.store';
import { requireSupervisorSession } from '../session/auth';
import { appendEvent } from '../../ledger/event-log';
import { householdById, upsertHousehold, type Household } from '../households/households.store';
import {
  householdIdsByAccount,
  insertHouseholdsBulk,
  seasonIdsByCode,
  upsertImportedCharge,
} from './master-import.store';
import {
  counterEditsByHousehold,
  type CounterEdit,
  type CounterEditField,
} from '../households/counter-edits.store';
import { ServiceError, type ServiceContext } from '../../services/context';
import { writeTransaction } from '../../ledger/transaction';
import { reconcileCounterEdits } from '../households/counter-edits';
import {
  parseFlag,
  parseHundredths,
  TabularError,
  type Row,
  type Table,
} from '@heating-cashier/core/tabular';
import { readTabular } from './tabular';

/**
 * Excel / CSV import of households and charges at the counter (standalone sites). The file arrives
 * in chunks (`import.upload`, each ≤ 512 KiB so it fits any transport), then `import.start` reads,
 * validates every row and — only when no row is bad — writes everything in ONE transaction together
 * with a `master.imported` event (file digest). A file with any bad row writes nothing; the report
 * names every bad row, column and reason. `import.progress` is polled by the screen meanwhile.
 */

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
const MAX_REPORTED_ERRORS = 5000;
const MAX_ROWS = 500_000;

export type ImportKind = 'households' | 'charges';
type State = 'uploading' | 'reading' | 'validating' | 'writing' | 'done' | 'rejected' | 'failed';

interface RowError {
  row: number;
  column: string | null;
  message: string;
}

interface ImportJob {
  importId: string;
  clerkId: string;
  kind: ImportKind | null;
  fileName: string | null;
  state: State;
  chunks: (Buffer | undefined)[];
  bytesReceived: number;
  rowsRead: number;
  rowsValidated: number;
  rowsWritten: number;
  errors: RowError[];
  errorCount: number;
  /** Counter edits a households file met: kept, or overwritten when told to (rows still written). */
  notices: RowError[];
  noticeCount: number;
  overwriteCounterEdits: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  startedMs: number;
  finishedMs: number | null;
  /** Resolves when the job has finished (tests and the bench wait on it). */
  done: Promise<void> | null;
}

/** `ctx.runtime.imports`: the staged and running imports of this terminal, by importId. */
export class ImportJobs extends Map<string, ImportJob> {}

function jobs(ctx: ServiceContext): ImportJobs {
  return ctx.runtime.imports;
}

function requireJob(ctx: ServiceContext, importId: string): ImportJob {
  const job = jobs(ctx).get(importId);
  if (!job) throw new ServiceError('IMPORT_NOT_FOUND');
  return job;
}

export function importStatus(job: ImportJob) {
  const end = job.finishedMs ?? performance.now();
  return {
    importId: job.importId,
    kind: job.kind,
    fileName: job.fileName,
    state: job.state,
    bytesReceived: job.bytesReceived,
    rowsRead: job.rowsRead,
    rowsValidated: job.rowsValidated,
    rowsWritten: job.rowsWritten,
    errors: job.errors,
    errorCount: job.errorCount,
    notices: job.notices,
    noticeCount: job.noticeCount,
    overwriteCounterEdits: job.overwriteCounterEdits,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    elapsedMs: job.startedAt === null ? 0 : Math.max(0, Math.round(end - job.startedMs)),
  };
}

export function uploadChunk(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: { importId: string; chunkIndex: number; chunkCount: number; dataBase64: string },
) {
  requireSupervisorSession(clerk);
  const all = jobs(ctx);
  let job = all.get(input.importId);
  if (!job) {
    if (all.size >= 20) {
      // forget finished jobs first; never more than 20 staged files in memory
      for (const [k, j] of all) if (j.state !== 'uploading' && j.done === null) all.delete(k);
      for (const [k, j] of all)
        if (['done', 'rejected', 'failed'].includes(j.state) && all.size >= 20) all.delete(k);
      if (all.size >= 20) throw new ServiceError('IMPORT_BUSY');
    }
    job = {
      importId: input.importId,
      clerkId: clerk.id,
      kind: null,
      fileName: null,
      state: 'uploading',
      chunks: new Array<Buffer | undefined>(input.chunkCount),
      bytesReceived: 0,
      rowsRead: 0,
      rowsValidated: 0,
      rowsWritten: 0,
      errors: [],
      errorCount: 0,
      notices: [],
      noticeCount: 0,
      overwriteCounterEdits: false,
      startedAt: null,
      finishedAt: null,
      startedMs: 0,
      finishedMs: null,
      done: null,
    };
    all.set(input.importId, job);
  }
  if (job.state !== 'uploading' || job.chunks.length !== input.chunkCount) {
    throw new ServiceError('IMPORT_CHUNK_INVALID', { chunk: input.chunkIndex });
  }
  const data = Buffer.from(input.dataBase64, 'base64');
  const previous = job.chunks[input.chunkIndex];
  const bytes = job.bytesReceived - (previous?.length ?? 0) + data.length;
  if (bytes > MAX_IMPORT_BYTES) {
    all.delete(input.importId);
    throw new ServiceError('IMPORT_TOO_LARGE', { maxMb: MAX_IMPORT_BYTES / 2 ** 20 });
  }
  job.chunks[input.chunkIndex] = data;
  job.bytesReceived = bytes;
  return {
    importId: job.importId,
    chunksReceived: job.chunks.filter((c) => c !== undefined).length,
    bytesReceived: job.bytesReceived,
  };
}

/** Files up to this size are imported before `import.start` answers (no progress needed). */
const WAIT_BELOW_BYTES = 256 * 1024;

export async function startImport(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: {
    importId: string;
    kind: ImportKind;
    format: 'csv' | 'xlsx';
    fileName: string;
    overwriteCounterEdits?: boolean | undefined;
  },
) {
  requireSupervisorSession(clerk);
  const job = requireJob(ctx, input.importId);
  if (job.state !== 'uploading') return importStatus(job); // started already: same answer
  const missing = job.chunks.findIndex((c) => c === undefined);
  if (missing >= 0) throw new ServiceError('IMPORT_CHUNK_INVALID', { chunk: missing });
  for (const other of jobs(ctx).values()) {
    if (other !== job && ['reading', 'validating', 'writing'].includes(other.state)) {
      throw new ServiceError('IMPORT_BUSY');
    }
  }
  const bytes = Buffer.concat(job.chunks as Buffer[]);
  job.chunks = [];
  job.kind = input.kind;
  job.fileName = input.fileName;
  job.overwriteCounterEdits = input.overwriteCounterEdits === true;
  job.state = 'reading';
  job.startedAt = ctx.clock().toISOString();
  job.startedMs = performance.now();
  job.done = runImport(ctx, job, input.format, bytes)
    .catch((e: unknown) => {
      job.state = 'failed';
      job.errors = [{ row: 0, column: null, message: e instanceof Error ? e.message : String(e) }];
      job.errorCount = 1;
    })
    .finally(() => {
      job.finishedAt = ctx.clock().toISOString();
      job.finishedMs = performance.now();
    });
  if (bytes.length <= WAIT_BELOW_BYTES) await job.done;
  return importStatus(job);
}

export function importProgress(ctx: ServiceContext, importId: string) {
  return importStatus(requireJob(ctx, importId));
}

/** For tests and the bench: wait until the import has finished, then its status. */
export async function importFinished(ctx: ServiceContext, importId: string) {
  const job = requireJob(ctx, importId);
  await job.done;
  return importStatus(job);
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Validated =
  | {
      kind: 'households';
      items: Household[];
      existing: Set<string>;
      settledEdits: { householdId: string; field: CounterEditField }[];
      notices: RowError[];
    }
  | {
      kind: 'charges';
      items: { householdId: string; seasonId: string; chargeFen: number; paidBeforeFen: number }[];
    };

const ACCOUNT = /^[0-9A-Za-z-]{1,32}$/;
const PHONE = /^[0-9+\- ]{0,20}$/;
const CATEGORY: Record<string, Household['category']> = {
  residential: 'residential',
  居民: 'residential',
  commercial: 'commercial',
  商业: 'commercial',
  非居民: 'commercial',
  public: 'public',
  公建: 'public',
};

async function runImport(
  ctx: ServiceContext,
  job: ImportJob,
  format: 'csv' | 'xlsx',
  bytes: Buffer,
): Promise<void> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let table: Table;
  try {
    // Reading the file (CSV / XLSX parsing) in a ledger worker when they run; the validation
    // reads and the one write transaction stay on the writer connection.
    table = ctx.runtime.offload
      ? await ctx.runtime.offload.readTabular(format, bytes)
      : await readTabular(format, bytes, (n) => {
          job.rowsRead = n;
        });
  } catch (e) {
    if (!(e instanceof TabularError)) throw e;
    return reject(ctx, job, [{ row: 0, column: null, message: e.message }]);
  }
  job.rowsRead = table.rows.length;
  if (table.rows.length === 0) {
    return reject(ctx, job, [
      { row: 0, column: null, message: 'no data rows (nothing to import)' },
    ]);
  }
  if (table.rows.length > MAX_ROWS) {
    return reject(ctx, job, [
      { row: 0, column: null, message: `more than ${MAX_ROWS} rows: split the file` },
    ]);
  }
  const required =
    job.kind === 'households'
      ? ['account_no', 'name', 'community', 'building', 'unit', 'room', 'area_m2']
      : ['account_no', 'season', 'charge'];
  const missing = required.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    return reject(
      ctx,
      job,
      missing.map((c) => ({ row: 1, column: c, message: 'column missing in the header' })),
    );
  }
  job.state = 'validating';
  const errors: RowError[] = [];
  const validated = await validate(ctx, job, table.rows, errors);
  if (errors.length > 0) return reject(ctx, job, errors);

  job.state = 'writing';
  await yieldToLoop(); // let a progress poll see 'writing'
  // a bigger page cache for the bulk write (B-tree + FTS pages stay in memory), restored afterwards
  const cacheSize = ctx.db.pragma('cache_size', { simple: true }) as number;
  ctx.db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    writeImport(ctx, job, validated, sha256);
  } finally {
    ctx.db.pragma(`cache_size = ${cacheSize}`);
  }
  job.rowsWritten = validated.items.length;
  if (validated.kind === 'households') {
    job.noticeCount = validated.notices.length;
    job.notices = validated.notices.slice(0, MAX_REPORTED_ERRORS);
  }
  job.state = 'done';
}

const IMPORT_CACHE_KIB = 256 * 1024;

function writeImport(
  ctx: ServiceContext,
  job: ImportJob,
  validated: Validated,
  sha256: string,
): void {
  writeTransaction(ctx, (append) => {
    if (validated.kind === 'households') {
      const fresh: Household[] = [];
      for (const h of validated.items) {
        if (validated.existing.has(h.id)) upsertHousehold(ctx.db, h);
        else fresh.push(h); // new: no lookup first
      }
      insertHouseholdsBulk(ctx.db, fresh);
    } else {
      for (const c of validated.items) upsertImportedCharge(ctx.db, c);
    }
    appendEvent(
      append,
      'master.imported',
      {
        importId: job.importId,
        kind: validated.kind,
        fileName: (job.fileName ?? '').slice(0, 200),
        rows: validated.items.length,
        sha256,
        ...(validated.kind === 'households' ? { settledEdits: validated.settledEdits } : {}),
      },
      job.clerkId,
    );
  });
}

function reject(_ctx: ServiceContext, job: ImportJob, errors: RowError[]): void {
  job.errorCount = errors.length;
  job.errors = errors.slice(0, MAX_REPORTED_ERRORS);
  job.state = 'rejected';
}

async function validate(
  ctx: ServiceContext,
  job: ImportJob,
  rows: { line: number; cells: Row }[],
  errors: RowError[],
): Promise<Validated> {
  const byAccount = householdIdsByAccount(ctx.db);
  const seasons = seasonIdsByCode(ctx.db);
  const edits =
    job.kind === 'households' ? counterEditsByHousehold(ctx.db) : new Map<string, CounterEdit[]>();
  const settledEdits: { householdId: string; field: CounterEditField }[] = [];
  const notices: RowError[] = [];
  const seen = new Map<string, number>();
  const households: Household[] = [];
  const existingIds = new Set<string>();
  const charges: Extract<Validated, { kind: 'charges' }>['items'] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i % 2000 === 1999) {
      job.rowsValidated = i;
      await yieldToLoop();
    }
    const { line, cells } = rows[i]!;
    const bad = (column: string | null, message: string) =>
      errors.push({ row: line, column, message });
    const text = (col: string, max: number, required = true) => {
      const v = cells[col] ?? '';
      if (required && v === '') bad(col, 'required');
      else if (v.length > max) bad(col, `longer than ${max} characters`);
      return v;
    };
    const account = text('account_no', 32);
    if (account !== '' && !ACCOUNT.test(account))
      bad('account_no', `not an account no.: "${account.slice(0, 40)}"`);
    if (job.kind === 'households') {
      const dup = seen.get(account);
      if (account !== '' && dup !== undefined) bad('account_no', `duplicate of line ${dup}`);
      seen.set(account, line);
      const name = text('name', 60);
      const phone = text('phone', 20, false);
      if (!PHONE.test(phone)) bad('phone', `not a phone number: "${phone.slice(0, 40)}"`);
      const community = text('community', 60);
      const building = text('building', 20);
      const unit = text('unit', 20);
      const room = text('room', 20);
      const areaText = cells.area_m2 ?? '';
      const area = parseHundredths(areaText);
      if (area === null || area <= 0)
        bad('area_m2', `not an area in m²: "${areaText.slice(0, 40)}"`);
      const categoryText = (cells.category ?? '').trim();
      const category = categoryText === '' ? 'residential' : CATEGORY[categoryText.toLowerCase()];
      if (!category)
        bad('category', `residential, commercial or public, not "${categoryText.slice(0, 40)}"`);
      const flags = {} as Record<
        'subsidised' | 'no_heat' | 'blacklisted' | 'legal_action',
        boolean | undefined
      >;
      for (const f of ['subsidised', 'no_heat', 'blacklisted', 'legal_action'] as const) {
        if (!(f in cells)) continue;
        const v = parseFlag(cells[f]);
        if (v === null) bad(f, `yes/no (是/否, 1/0), not "${(cells[f] ?? '').slice(0, 20)}"`);
        else flags[f] = v;
      }
      const existing = byAccount.get(account);
      const current = existing ? householdById(ctx.db, existing.id) : null;
      if (existing) existingIds.add(existing.id);
      const fileRow: Household = {
        id: existing?.id ?? `H${account}`,
        accountNo: account,
        name,
        phone,
        community,
        building,
        unit,
        room,
        areaHundredths: area ?? 0,
        category: category ?? 'residential',
        subsidised: flags.subsidised ?? current?.subsidised ?? false,
        noHeat: flags.no_heat ?? current?.noHeat ?? false,
        blacklisted: flags.blacklisted ?? current?.blacklisted ?? false,
        legalAction: flags.legal_action ?? current?.legalAction ?? false,
        isDemo: current?.isDemo ?? false,
      };
      const edited = existing ? edits.get(existing.id) : undefined;
      if (!edited) households.push(fileRow);
      else {
        const inFile = new Set<CounterEditField>(['name', 'phone', 'areaHundredths', 'category']);
        if ('subsidised' in cells) inFile.add('subsidised');
        const r = reconcileCounterEdits(fileRow, line, edited, inFile, job.overwriteCounterEdits);
        households.push(r.household);
        for (const field of r.settled) settledEdits.push({ householdId: fileRow.id, field });
        notices.push(...r.notices);
      }
    } else {
      const household = byAccount.get(account);
      if (account !== '' && ACCOUNT.test(account) && !household)
        bad('account_no', `unknown account no. ${account}`);
      const code = text('season', 20);
      const seasonId = seasons.get(code);
      if (code !== '' && !seasonId) bad('season', `unknown season ${code.slice(0, 20)}`);
      const key = `${account}|${code}`;
      const dup = seen.get(key);
      if (dup !== undefined) bad('season', `duplicate of line ${dup} (same account and season)`);
      seen.set(key, line);
      const chargeText = cells.charge ?? '';
      const charge = parseHundredths(chargeText);
      if (charge === null) bad('charge', `not an amount: "${chargeText.slice(0, 40)}"`);
      const paidText = cells.paid_before ?? '';
      const paid = paidText === '' ? 0 : parseHundredths(paidText);
      if (paid === null) bad('paid_before', `not an amount: "${paidText.slice(0, 40)}"`);
      else if (charge !== null && paid > charge) bad('paid_before', 'more than the charge');
      charges.push({
        householdId: household?.id ?? '',
        seasonId: seasonId ?? '',
        chargeFen: charge ?? 0,
        paidBeforeFen: paid ?? 0,
      });
    }
  }
  job.rowsValidated = rows.length;
  return job.kind === 'households'
    ? { kind: 'households', items: households, existing: existingIds, settledEdits, notices }
    : { kind: 'charges', items: charges };
}
