import type { ServiceContext } from '../../services/context';
import type { ComponentStatus } from '@heating-cashier/core/contract/commands';
import { ServiceError } from '../../services/context';
import { today } from '../../ledger/transaction';
import {
  currentSeasonCode,
  seasonAccounts,
  type SeasonAccountRow,
} from '../households/accounts.store';
import { clerkById } from '../session/clerks.store';
import type { Db } from '../../ledger/db';
import { chainHead } from '../../ledger/event-log';
import { formatAddress, householdById, type Household } from '../households/households.store';
import { uuidv7 } from '../../ledger/ids';
import {
  insertPrintJob,
  markDone,
  markSending,
  markSuperseded,
  markUnknown,
  markWaiting,
  nextQueuedJob,
  printerSettingsRow,
  printJobById,
  printJobsOf,
  queueCounts,
  receiptPrintCursor,
  receiptsIssuedAfter,
  recoverInterrupted,
  setReceiptPrintCursor,
  type PrintJobRow,
} from './print-jobs.store';
import {
  issuingEventAt,
  receiptById,
  receiptLines,
  receiptTenders,
  type ReceiptLineRow,
} from '../receipts/receipts.store';
import type { TenderRecord } from '@heating-cashier/core/contract/events';
import { paperCodeOf } from '../receipts/paper-code';
import { inDrawer } from '@heating-cashier/core/tenders';
import {
  canPrint,
  parseDrawerKick,
  printerState,
  STATE_TEXT,
  UNREACHABLE,
  type PrinterState,
  type PrinterStatus,
} from '../../devices/printer/escpos';
import { EscPosPrinter, type PrinterPort } from '../../devices/printer/printer';
import {
  renderEscPos,
  type PrinterEncoding,
  type PrinterWidth,
  type QrMode,
} from '../../devices/printer/render';
import {
  RECEIPT_PARTS,
  type ReceiptData,
  type ReceiptPart,
  type TemplateInput,
  type TemplateName,
  type VoidNoticeData,
} from '../../devices/printer/template-data';

/** Effective printer settings: the saved settings row, with CASHIER_PRINTER* env vars on top. */
export interface PrinterSettings {
  interface: string;
  width: PrinterWidth;
  encoding: PrinterEncoding;
  companyName: string;
  drawerKick: string;
  /** How many parts of the 一式三联 receipt print: 3 = 客户联, 存根联 and 记账联 (the default). */
  receiptParts: 1 | 2 | 3;
  /** QR as the printer's own symbol (native) or as an image (raster). */
  qrMode: QrMode;
  /** Where `interface` came from. */
  source: 'env' | 'settings' | 'default';
}

/**
 * The printer settings in effect: what a supervisor saved on the printer screen (the row exists once
 * saved) wins; only while nothing is saved do the env vars CASHIER_PRINTER (+ _WIDTH, _ENCODING,
 * CASHIER_COMPANY_NAME) set them — for tests and IT, never needed on a clerk's PC.
 */
export function printerSettings(db: Db, env: NodeJS.ProcessEnv = process.env): PrinterSettings {
  const row = printerSettingsRow(db);
  const width = Number(row ? row.width : (env.CASHIER_PRINTER_WIDTH ?? 48));
  const encoding = row ? row.encoding : (env.CASHIER_PRINTER_ENCODING ?? 'gb18030');
  return {
    interface: row ? row.interface : (env.CASHIER_PRINTER ?? 'none'),
    width: width === 32 ? 32 : 48,
    encoding: encoding === 'cp936' ? 'cp936' : 'gb18030',
    companyName: row ? row.company_name : (env.CASHIER_COMPANY_NAME ?? '供热公司'),
    drawerKick: row?.drawer_kick ?? '1b 70 00 19 fa',
    receiptParts: receiptPartsOf(row),
    qrMode: row?.qr_mode === 'raster' ? 'raster' : 'native',
    source: row ? 'settings' : env.CASHIER_PRINTER ? 'env' : 'default',
  };
}

/** The saved number of receipt parts (migration 0019); a row saved before it: stub on = 3. */
function receiptPartsOf(row: ReturnType<typeof printerSettingsRow>): 1 | 2 | 3 {
  const parts = row?.receipt_parts ?? ((row?.print_stub ?? 1) === 1 ? 3 : 1);
  return parts === 1 || parts === 2 ? parts : 3;
}

/** What every print template's data starts with: company, terminal, its time zone, demo or not. */
export function templateHead(ctx: ServiceContext, settings = printerSettings(ctx.db)) {
  return {
    company: settings.companyName,
    terminalName: ctx.terminal.name,
    timeZone: ctx.terminal.timeZone,
    isDemo: ctx.terminal.isDemo,
  };
}

// ---------------------------------------------------------------------------------------------
// This terminal's printing state: `ctx.runtime.printing`.

/** The print queue worker (when a printer is attached) and whether this terminal's shell prints. */
export class Printing {
  /** The running queue, or null (no printer set up, or a one-shot CLI call). */
  queue: PrintQueue | null = null;
  /** Set by a long-running shell (`enablePrinting`): settings changes start/switch/stop the queue. */
  shell: PrintQueueOptions | null = null;
}

// ---------------------------------------------------------------------------------------------
// Enqueueing: called INSIDE the business transaction, so the job commits with the event or not at all.

/** After the surrounding transaction commits, wake the attached print queue (if any). */
function scheduleKick(ctx: ServiceContext): void {
  const queue = ctx.runtime.printing.queue;
  if (queue)
    setImmediate(() => {
      if (!queue.stopped) void queue.kick();
    });
}

interface PrintJobInput<T extends TemplateName> {
  template: T;
  subjectId: string | null;
  label: string;
  data: TemplateInput<T>;
  drawerKick?: boolean;
  replacesId?: string | null;
  /** The ledger event that caused the paper; default: the chain head. */
  eventSeq?: number;
}

/** Queues one paper. Receipts committed before it are queued first, so paper keeps ledger order. */
export function enqueuePrintJob<T extends TemplateName>(
  ctx: ServiceContext,
  job: PrintJobInput<T>,
): string {
  queueCommittedReceipts(ctx);
  return insertJob(ctx, job);
}

function insertJob<T extends TemplateName>(ctx: ServiceContext, job: PrintJobInput<T>): string {
  const id = uuidv7(ctx.clock().getTime());
  insertPrintJob(ctx.db, {
    id,
    template: job.template,
    subjectId: job.subjectId,
    label: job.label,
    data: job.data,
    drawerKick: job.drawerKick ?? false,
    createdAt: ctx.clock().toISOString(),
    replacesId: job.replacesId ?? null,
    eventSeq: (job.eventSeq ?? chainHead(ctx.db).seq) || null,
  });
  scheduleKick(ctx);
  return id;
}

/** What a printed receipt is made of; the payment path has it in memory, a reprint reads it back. */
export interface ReceiptPrintParts {
  receipt: {
    id: string;
    label: string;
    totalFen: number;
    changeFen: number;
    issuedAt: string;
    eventHash: string;
    /** The signed QR text (receipts/paper-code.ts). */
    paperCode: string;
  };
  household: Household;
  clerk: { name: string; code: string } | null;
  lines: readonly ReceiptLineRow[];
  tenders: TenderRecord[];
  /** The household's seasons as they stand after this payment (rate + balance). */
  accountsAfter: readonly Pick<
    SeasonAccountRow,
    'seasonId' | 'seasonCode' | 'rateFenPerM2' | 'balanceFen'
  >[];
  currentSeason: string | null;
}

/** The receipt template's typed input, from its parts (pure). */
export function receiptPrintDataOf(
  ctx: ServiceContext,
  parts: ReceiptPrintParts,
  copy: ReceiptPart,
  settings: PrinterSettings = printerSettings(ctx.db),
): TemplateInput<'receipt'> {
  const { receipt: r, household, clerk, accountsAfter, currentSeason: current } = parts;
  const rateOf = new Map(accountsAfter.map((a) => [a.seasonId, a.rateFenPerM2]));
  return {
    ...templateHead(ctx, settings),
    receiptId: r.id,
    receiptLabel: r.label,
    accountNo: household.accountNo,
    name: household.name,
    address: formatAddress(household),
    areaHundredths: household.areaHundredths,
    lines: parts.lines.map((l) => ({
      seasonCode: l.seasonCode,
      amountFen: l.amountFen,
      chargeFen: l.chargeFen,
      pctTenths: l.pctTenths,
      rateFenPerM2: rateOf.get(l.seasonId) ?? 0,
      arrears: current !== null && l.seasonCode < current,
      balanceAfterFen: l.balanceAfterFen,
    })),
    outstanding: accountsAfter
      .filter((a) => a.balanceFen > 0)
      .map((a) => ({ seasonCode: a.seasonCode, balanceFen: a.balanceFen })),
    totalFen: r.totalFen,
    tenders: parts.tenders,
    changeFen: r.changeFen,
    clerkName: clerk?.name ?? '',
    clerkCode: clerk?.code ?? '',
    issuedAt: r.issuedAt,
    eventHash: r.eventHash,
    paperCode: r.paperCode,
    copy,
    terminalSlip: terminalSlipOf(ctx, parts.tenders),
  };
}

/**
 * The card terminal's own print lines (ZVT `06 D1`/`06 D3`) kept with the card payment
 * (`card_payments.print_lines`, card-payments service), for the tenders that came through it.
 */
function terminalSlipOf(
  ctx: ServiceContext,
  tenders: readonly { kind: string; detail: Record<string, string> }[],
): string[] {
  const lines: string[] = [];
  for (const t of tenders) {
    const intentId = t.kind === 'card' ? t.detail.cardIntentId : undefined;
    if (!intentId) continue;
    const row = ctx.db
      .prepare('SELECT print_lines FROM card_payments WHERE id = ?')
      .get(intentId) as { print_lines: string } | undefined;
    const kept = row ? (JSON.parse(row.print_lines) as unknown) : [];
    if (Array.isArray(kept))
      for (const l of kept) if (typeof l === 'string') lines.push(l.slice(0, 120));
  }
  return lines.slice(0, 100);
}

/** The receipt as printed: ledger rows → the receipt template's typed input. */
export function receiptPrintData(
  ctx: ServiceContext,
  receiptId: string,
  copy: ReceiptPart,
): TemplateInput<'receipt'> {
  const r = receiptById(ctx.db, receiptId);
  if (!r) throw new ServiceError('RECEIPT_NOT_FOUND');
  const household = householdById(ctx.db, r.household_id);
  if (!household) throw new Error(`receipt ${r.id} names a missing household`);
  const issuing = issuingEventAt(ctx.db, r.issued_seq);
  return receiptPrintDataOf(
    ctx,
    {
      receipt: {
        id: r.id,
        label: r.receipt_label,
        totalFen: r.total_fen,
        changeFen: r.change_fen,
        issuedAt: r.issued_at,
        eventHash: issuing.hash,
        paperCode: paperCodeOf(ctx.db, {
          terminalId: issuing.terminalId,
          seq: r.issued_seq,
          receiptLabel: r.receipt_label,
          totalFen: r.total_fen,
          businessDate: issuing.businessDate,
        }),
      },
      household,
      clerk: clerkById(ctx.db, r.clerk_id),
      lines: receiptLines(ctx.db, r.id),
      tenders: receiptTenders(ctx.db, r.id),
      accountsAfter: seasonAccounts(ctx.db, household.id),
      currentSeason: currentSeasonCode(ctx.db, today(ctx, new Date(r.issued_at))),
    },
    copy,
  );
}

/** The part's name in the queue list: 'A000123 客户联'. */
const COPY_LABEL: Record<ReceiptPart, string> = {
  customer: '客户联',
  stub: '存根联',
  accounting: '记账联',
};

/**
 * The parts of the 一式三联 receipt the settings print, in order: 客户联 (with the drawer kick when
 * cash was taken), 存根联, 记账联.
 * `parts` lets the payment path hand over what it already holds instead of reading it back.
 */
function enqueueReceiptCopies(
  ctx: ServiceContext,
  receiptId: string,
  eventSeq: number,
  parts: ReceiptPrintParts | undefined,
): void {
  const settings = printerSettings(ctx.db);
  const copies = RECEIPT_PARTS.slice(0, settings.receiptParts);
  const customer = parts
    ? receiptPrintDataOf(ctx, parts, 'customer', settings)
    : receiptPrintData(ctx, receiptId, 'customer');
  for (const copy of copies) {
    const data = { ...customer, copy };
    insertJob(ctx, {
      template: 'receipt',
      subjectId: receiptId,
      label: `${data.receiptLabel} ${COPY_LABEL[copy]}`,
      data,
      drawerKick: copy === 'customer' && data.tenders.some((t) => inDrawer(t.kind)),
      eventSeq,
    });
  }
}

/**
 * Called by the payment path inside its transaction: the receipt's copies are queued in that same
 * transaction, from the data the payment already holds (the paper shows the balances right after
 * this payment), and the print cursor moves past it. One commit holds the receipt and its paper:
 * a crash leaves both or neither, and a rolled-back payment leaves no paper. Receipts committed
 * before it and not queued yet (another connection, a ledger from a build that queued them in a
 * second commit) are queued first, from the ledger, so paper keeps ledger order.
 */
export function queueReceiptWithPayment(
  ctx: ServiceContext,
  receiptId: string,
  parts: ReceiptPrintParts,
): void {
  if (!ctx.db.inTransaction) throw new Error('queueReceiptWithPayment must run inside the payment');
  queueCommittedReceipts(ctx, { receiptId, parts });
}

/**
 * Queues the copies of every committed receipt after the print cursor, oldest first, and moves
 * the cursor in the same transaction (the caller's, or one of its own): each receipt is queued
 * exactly once, whoever gets here first (the payment itself, the print queue's pass, a queue
 * read, a backup, the next start or the close). `held` is the receipt the caller holds in memory.
 * Returns how many receipts were queued.
 */
export function queueCommittedReceipts(
  ctx: ServiceContext,
  held?: { receiptId: string; parts: ReceiptPrintParts },
): number {
  const { db } = ctx;
  if (receiptPrintCursor(db) >= chainHead(db).seq) return 0;
  const catchUp = () => {
    const receipts = receiptsIssuedAfter(db, receiptPrintCursor(db));
    for (const r of receipts)
      enqueueReceiptCopies(
        ctx,
        r.receiptId,
        r.seq,
        r.receiptId === held?.receiptId ? held.parts : undefined,
      );
    setReceiptPrintCursor(db, chainHead(db).seq);
    return receipts.length;
  };
  if (db.inTransaction) return catchUp(); // queued with the caller's transaction, or not at all
  return db.transaction(catchUp).immediate();
}

/** How many committed receipts still wait for their copies to be queued (normally none). */
export function receiptsAwaitingQueue(ctx: ServiceContext): number {
  const cursor = receiptPrintCursor(ctx.db);
  return cursor >= chainHead(ctx.db).seq ? 0 : receiptsIssuedAfter(ctx.db, cursor).length;
}

/**
 * A clerk's reprint: the data first printed for this receipt, marked 补打 with the counter. The
 * customer copy, unless a given part is reprinted (a 存根联 or 记账联 job whose outcome was unknown).
 */
export function enqueueReceiptReprint(
  ctx: ServiceContext,
  receiptId: string,
  reprintNo: number,
  replacesId: string | null = null,
  copy: ReceiptPart = 'customer',
): string {
  queueCommittedReceipts(ctx);
  const original = printJobsOf(ctx.db, receiptId).find(
    (j) => j.template === 'receipt' && j.replaces_id === null,
  );
  const base = original
    ? (JSON.parse(original.data) as TemplateInput<'receipt'>)
    : receiptPrintData(ctx, receiptId, 'customer');
  const data: TemplateInput<'receipt'> = { ...base, copy, reprintNo };
  return enqueuePrintJob(ctx, {
    template: 'receipt',
    subjectId: receiptId,
    label: `${data.receiptLabel}${copy === 'customer' ? '' : ` ${COPY_LABEL[copy]}`} 补打${reprintNo > 0 ? ` 第${reprintNo}次` : ''}`,
    data,
    replacesId,
  });
}

/**
 * A copy (补打) of a non-receipt job: after an unknown outcome, or a plain second copy. An unknown
 * job is marked superseded in the same transaction, so it is never printed twice silently.
 * (Receipts go through the receipt.reprint use case: ledger event + counter.)
 */
export function reprintOtherJob(ctx: ServiceContext, job: PrintJobRow): string {
  if (job.state === 'unknown') markSuperseded(ctx.db, job.id);
  const data = JSON.parse(job.data) as Record<string, unknown>;
  // papers that carry the mark (the written statement, the book return list) print it: 补打 COPY
  if (typeof data.reprint === 'boolean') data.reprint = true;
  return enqueuePrintJob(ctx, {
    template: job.template as TemplateName,
    subjectId: job.subject_id,
    label: job.label.endsWith(' 补打') ? job.label : `${job.label} 补打`,
    data: data as never,
    replacesId: job.id,
  });
}

// ---------------------------------------------------------------------------------------------
// The worker: prints queued jobs after commit, one at a time, checking the printer first.

export interface PrintQueueOptions {
  /** How often the printer status is polled (and stuck jobs retried). */
  pollMs?: number;
  env?: NodeJS.ProcessEnv;
  log?: (message: string, data?: Record<string, unknown>) => void;
}

export interface QueueSummary {
  status: ComponentStatus;
  queued: number;
  unknown: number;
  lastReason: string | null;
}

export class PrintQueue {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private lastStatus: PrinterStatus | null = null;
  private lastFault: string | null = null;
  private busy = false;
  stopped = false;

  constructor(
    private readonly ctx: ServiceContext,
    readonly printer: PrinterPort,
    private readonly options: PrintQueueOptions = {},
  ) {}

  start(): void {
    const recovered = recoverInterrupted(this.ctx.db, this.ctx.clock().toISOString());
    if (recovered > 0) this.options.log?.('print jobs interrupted by a restart', { recovered });
    const poll = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(poll, this.options.pollMs ?? 3000);
      this.timer.unref();
    };
    poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass now (or right after the one in progress). */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } catch (e) {
        this.options.log?.('print queue pass failed', { error: String(e) });
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      queueCommittedReceipts(this.ctx);
    } catch (e) {
      this.options.log?.('receipts could not be queued for printing yet', { error: String(e) });
    }
    const status = await this.printer.status();
    this.lastStatus = status;
    let state = printerState(status);
    for (
      let job = nextQueuedJob(this.ctx.db);
      job && !this.stopped;
      job = nextQueuedJob(this.ctx.db)
    ) {
      const now = () => this.ctx.clock().toISOString();
      if (!canPrint(state)) {
        // Checked before the job: nothing sent, the job waits with the reason shown.
        markWaiting(this.ctx.db, job.id, state, now(), false);
        this.lastFault = state;
        return;
      }
      let bytes: Buffer;
      try {
        bytes = this.render(job);
      } catch (e) {
        markUnknown(this.ctx.db, job.id, 'render_failed', now());
        this.options.log?.('print job could not be rendered', { job: job.id, error: String(e) });
        continue;
      }
      markSending(this.ctx.db, job.id, now());
      this.busy = true;
      const outcome = await this.printer.print(bytes).finally(() => {
        this.busy = false;
      });
      if (outcome.kind === 'printed') {
        markDone(this.ctx.db, job.id, now());
        this.lastFault = null;
        if (outcome.paperNearEnd) state = 'paper_near_end';
      } else if (outcome.kind === 'not_sent') {
        markWaiting(this.ctx.db, job.id, outcome.reason, now(), true);
        this.lastFault = outcome.reason;
        this.lastStatus = UNREACHABLE;
        return;
      } else {
        markUnknown(this.ctx.db, job.id, outcome.reason, now());
        this.lastFault = outcome.reason;
        // Find out why before the next job.
        this.lastStatus = await this.printer.status();
        state = printerState(this.lastStatus);
      }
    }
  }

  private render(job: PrintJobRow): Buffer {
    const settings = printerSettings(this.ctx.db, this.options.env);
    const kick = job.drawer_kick === 1 ? parseDrawerKick(settings.drawerKick) : null;
    return renderEscPos(job.template as TemplateName, JSON.parse(job.data), {
      width: settings.width,
      encoding: settings.encoding,
      qrMode: settings.qrMode,
      drawerKick: kick,
    });
  }

  /** For the status bar: the printer's state, plus what is waiting and why. */
  componentStatus(): ComponentStatus {
    const counts = queueCounts(this.ctx.db);
    if (!this.lastStatus) {
      return { state: 'busy', detail: { 'zh-CN': '正在检查打印机…', en: 'Checking the printer…' } };
    }
    const state: PrinterState = printerState(this.lastStatus);
    const base = STATE_TEXT[state];
    const waiting = counts.queued + counts.sending;
    const extra = {
      zh: [
        waiting > 0 ? `${waiting} 张待打印` : '',
        counts.unknown > 0 ? `${counts.unknown} 张打印结果不明，请补打` : '',
      ]
        .filter(Boolean)
        .join('，'),
      en: [
        waiting > 0 ? `${waiting} waiting to print` : '',
        counts.unknown > 0 ? `${counts.unknown} with unknown outcome: reprint (补打)` : '',
      ]
        .filter(Boolean)
        .join(', '),
    };
    return {
      state: this.busy && state === 'ready' ? 'busy' : state,
      detail: {
        'zh-CN': extra.zh ? `${base['zh-CN']}（${extra.zh}）` : base['zh-CN'],
        en: extra.en ? `${base.en} (${extra.en})` : base.en,
      },
    };
  }

  summary(): QueueSummary {
    const counts = queueCounts(this.ctx.db);
    return {
      status: this.componentStatus(),
      queued: counts.queued + counts.sending,
      unknown: counts.unknown,
      lastReason: this.lastFault,
    };
  }
}

/** Registers the queue with the terminal: status bar provider, post-commit kicks. */
export function attachPrintQueue(
  ctx: ServiceContext,
  printer: PrinterPort,
  options: PrintQueueOptions = {},
): PrintQueue {
  void ctx.runtime.printing.queue?.stop();
  const queue = new PrintQueue(ctx, printer, options);
  ctx.runtime.printing.queue = queue;
  ctx.status = { ...ctx.status, printer: () => queue.componentStatus() };
  queue.start();
  return queue;
}

export async function detachPrintQueue(ctx: ServiceContext): Promise<void> {
  const queue = ctx.runtime.printing.queue;
  ctx.runtime.printing.queue = null;
  if (ctx.status) delete ctx.status.printer;
  await queue?.stop();
}

/**
 * Called by long-running shells: prints from now on with the settings in effect (or waits for a
 * printer to be set up), and follows later `printer.settings.set` changes without a restart.
 */
export function enablePrinting(
  ctx: ServiceContext,
  options: PrintQueueOptions = {},
): string | null {
  ctx.runtime.printing.shell = options;
  const settings = printerSettings(ctx.db, options.env);
  if (settings.interface === 'none') return null;
  attachPrintQueue(ctx, new EscPosPrinter({ interface: settings.interface }), options);
  return settings.interface;
}

export async function disablePrinting(ctx: ServiceContext): Promise<void> {
  ctx.runtime.printing.shell = null;
  await detachPrintQueue(ctx);
}

/**
 * After a settings change: a printing shell (or a running queue) switches to the new interface,
 * starts printing when a printer was set up, or stops for 'none'. One-shot CLI calls only save.
 */
export async function applyPrinterSettings(ctx: ServiceContext): Promise<void> {
  const { shell, queue } = ctx.runtime.printing;
  if (!shell && !queue) return;
  const options = shell ?? {};
  await detachPrintQueue(ctx);
  const settings = printerSettings(ctx.db, options.env);
  if (settings.interface !== 'none') {
    attachPrintQueue(ctx, new EscPosPrinter({ interface: settings.interface }), options);
  }
}

export function printQueueOf(ctx: ServiceContext): PrintQueue | null {
  return ctx.runtime.printing.queue;
}

export function requirePrintJob(ctx: ServiceContext, id: string): PrintJobRow {
  const job = printJobById(ctx.db, id);
  if (!job) throw new ServiceError('PRINT_JOB_NOT_FOUND');
  return job;
}

export type { ReceiptData, VoidNoticeData };
