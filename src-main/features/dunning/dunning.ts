import { createRequire } from 'node:module';
import type * as Receiptline from 'receiptline';
import { formatFen } from '@heating-cashier/core/money';
import { currentSeasonCode, seasonAccounts } from '../households/accounts.store';
import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import type { ClerkRow } from '../session/clerks.store';
import {
  arrearsPageAndTotals,
  contactsOf,
  flagChangesOf,
  noticesOf,
  noticesWithPrefix,
  type ArrearsFilter,
  type ArrearsRow,
  type ContactEntry,
} from './dunning.store';
import { appendEvent } from '../../ledger/event-log';
import { formatAddress, householdById } from '../households/households.store';
import { requireSupervisor } from '../session/auth';
import { ServiceError, type ServiceContext } from '../../services/context';
import { today, writeTransaction } from '../../ledger/transaction';
import { escapeHtml, docToHtml } from '../reports/documents/html';
import type { Doc } from '../reports/documents/model';
import { requireHousehold } from '../households/households';
import { enqueuePrintJob, printerSettings, templateHead } from '../printing/print-queue';
import { householdSummary } from '../receipts/views';
import { recordHouseholdEvent } from './household-event';
import { docBase, xlsxFile } from './documents';

export interface ArrearsQuery {
  community?: string | undefined;
  building?: string | undefined;
  minOwedFen: number;
  minSeasonsOverdue: number;
}

function filterOf(ctx: ServiceContext, q: ArrearsQuery): ArrearsFilter {
  return {
    community: q.community,
    building: q.building,
    minOwedFen: q.minOwedFen,
    minSeasonsOverdue: q.minSeasonsOverdue,
    // no season yet: nothing is overdue ('' sorts before every code)
    currentSeasonCode: currentSeasonCode(ctx.db, today(ctx)) ?? '',
  };
}

function arrearsRowView(ctx: ServiceContext, r: ArrearsRow) {
  return {
    household: householdSummary(ctx.db, r, r.owed_fen),
    seasonsOverdue: r.seasons_overdue,
    arrearsFen: r.arrears_fen,
    lastContactAt: r.last_contact_at,
    lastContactOutcome: r.last_contact_outcome as ContactEntry['outcome'] | null,
    notices: r.notices,
  };
}

/** 催缴 list: biggest amount owed first, with overdue seasons, last contact and notices printed. */
export function arrearsList(ctx: ServiceContext, q: ArrearsQuery, limit: number, offset: number) {
  const started = performance.now();
  const f = filterOf(ctx, q);
  const page = arrearsPageAndTotals(ctx.db, f, limit, offset);
  return {
    currentSeason: f.currentSeasonCode || null,
    total: page.totals,
    rows: page.rows.map((r) => arrearsRowView(ctx, r)),
    elapsedMs: Math.round(performance.now() - started),
  };
}

const OUTCOME_ZH: Record<ContactEntry['outcome'], string> = {
  reached: '已联系',
  no_answer: '无人接听',
  promised: '承诺缴费',
  refused: '拒缴',
  wrong_number: '号码错误',
  other: '其他',
};

/** Up to 100,000 rows of the arrears list as an .xlsx workbook. */
export async function exportArrears(ctx: ServiceContext, q: ArrearsQuery) {
  const f = filterOf(ctx, q);
  const { rows, totals: total } = arrearsPageAndTotals(ctx.db, f, 100_000, 0);
  const filters = [
    q.community ? `小区 ${q.community}` : null,
    q.building ? `楼 ${q.building}` : null,
    q.minOwedFen > 1 ? `欠费 ≥ ${formatFen(q.minOwedFen)}` : null,
    q.minSeasonsOverdue > 0 ? `欠费季 ≥ ${q.minSeasonsOverdue}` : null,
  ].filter((x): x is string => x !== null);
  const doc: Doc = {
    ...docBase(ctx),
    fileBase: `arrears-${today(ctx)}`,
    title: '欠费催缴清单',
    meta: [
      ['营业日', today(ctx)],
      ['筛选', filters.join('，') || '全部欠费户'],
      ['户数', String(total.count)],
    ],
    sections: [
      {
        kind: 'table',
        title: '欠费户',
        columns: [
          { label: '户号' },
          { label: '户名' },
          { label: '地址', width: 2 },
          { label: '电话' },
          { label: '欠费合计' },
          { label: '陈欠' },
          { label: '欠费季数' },
          { label: '黑名单' },
          { label: '起诉' },
          { label: '最近联系' },
          { label: '通知单' },
        ],
        rows: rows.map((r) => [
          r.account_no,
          r.name,
          formatAddress(r),
          r.phone,
          { fen: r.owed_fen },
          { fen: r.arrears_fen },
          { int: r.seasons_overdue },
          r.blacklisted ? '是' : '',
          r.legal_action ? '是' : '',
          r.last_contact_at
            ? `${r.last_contact_at.slice(0, 10)} ${OUTCOME_ZH[r.last_contact_outcome as ContactEntry['outcome']] ?? ''}`
            : '',
          { int: r.notices },
        ]),
        foot: ['合计', `${total.count}户`, '', '', { fen: total.owedFen }],
        empty: '没有符合条件的欠费户',
      },
    ],
  };
  return xlsxFile(doc, rows.length);
}

export function recordContact(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'dunning.contact'>,
) {
  const { householdId, channel, outcome } = input;
  recordHouseholdEvent(ctx, clerk, householdId, 'dunning.contacted', (contactId) => ({
    contactId,
    householdId,
    channel,
    outcome,
    promisedOn: input.promisedOn ?? null,
    note: input.note,
  }));
  return contactsOf(ctx.db, householdId, 1)[0]!;
}

export function dunningHistory(ctx: ServiceContext, householdId: string) {
  const h = requireHousehold(ctx, householdId);
  return {
    household: householdSummary(ctx.db, h),
    contacts: contactsOf(ctx.db, householdId),
    notices: noticesOf(ctx.db, householdId).map((n) => ({
      noticeNo: n.notice_no,
      format: n.format,
      totalFen: n.total_fen,
      dueDate: n.due_date,
      issuedAt: n.issued_at,
    })),
    flagChanges: flagChangesOf(ctx.db, householdId).map((f) => ({
      flag: f.flag,
      value: f.value === 1,
      reason: f.reason,
      approvedBy: f.approver_name,
      changedAt: f.changed_at,
    })),
  };
}

/** Blacklist / legal action: a supervisor's code + PIN approves each change; the event syncs. */
export function setHouseholdFlag(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'dunning.flag'>,
) {
  requireHousehold(ctx, input.householdId);
  const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  writeTransaction(ctx, (append) =>
    appendEvent(
      append,
      'household.flagged',
      {
        householdId: input.householdId,
        flag: input.flag,
        value: input.value,
        reason: input.reason,
        approvedBy: supervisor.id,
      },
      clerk.id,
    ),
  );
  return householdSummary(ctx.db, requireHousehold(ctx, input.householdId));
}

/** Default due date: 15 days after the business date. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** What the notice lists: every season with a balance, oldest first. */
function noticeArrears(ctx: ServiceContext, householdId: string) {
  const seasons = seasonAccounts(ctx.db, householdId).filter((s) => s.balanceFen > 0);
  return {
    arrears: seasons.map((s) => ({
      seasonCode: s.seasonCode,
      chargeFen: s.chargeFen,
      paidFen: s.paidElsewhereFen + s.paidHereFen,
      balanceFen: s.balanceFen,
    })),
    totalFen: seasons.reduce((n, s) => n + s.balanceFen, 0),
  };
}

const requirePackage = createRequire(import.meta.url);
let receiptline: typeof Receiptline | null = null;

/** The account number as a CODE128 barcode in SVG (receiptline draws it the way the printer does). */
export function barcodeSvg(accountNo: string): string {
  const data = accountNo.replace(/[^0-9A-Za-z-]/g, '');
  // receiptline is loaded with the first notice: the counter's start does not wait for it.
  receiptline ??= requirePackage('receiptline') as typeof Receiptline;
  const svg = receiptline.transform(`{code:${data}; option:code128,2,72,hri}`, {
    command: 'svg',
    cpl: 32,
  });
  return svg;
}

const CONTACT_PHONE = process.env.CASHIER_CONTACT_PHONE ?? '';

function a4NoticeHtml(
  ctx: ServiceContext,
  n: {
    noticeNo: string;
    household: NonNullable<ReturnType<typeof householdById>>;
    arrears: ReturnType<typeof noticeArrears>;
    dueDate: string;
  },
): string {
  const h = n.household;
  const doc: Doc = {
    ...docBase(ctx),
    fileBase: `dunning-${n.noticeNo}`,
    title: '催缴通知单',
    meta: [
      ['编号', n.noticeNo],
      ['户号', h.accountNo],
      ['户名', h.name],
      ['地址', formatAddress(h)],
      ['日期', today(ctx)],
    ],
    sections: [
      {
        kind: 'table',
        title: '尊敬的热用户：经核对，您尚有以下供热费未缴清',
        columns: [{ label: '供暖季' }, { label: '应收' }, { label: '已缴' }, { label: '欠费' }],
        rows: n.arrears.arrears.map((a) => [
          a.seasonCode,
          { fen: a.chargeFen },
          { fen: a.paidFen },
          { fen: a.balanceFen },
        ]),
        foot: ['欠费合计', '', '', { fen: n.arrears.totalFen }],
      },
      {
        kind: 'facts',
        title: '缴费须知',
        items: [
          ['缴费期限', `请于 ${n.dueDate} 前到收费大厅缴纳`],
          ['说明', '逾期未缴的，将依照供热合同及有关规定处理'],
          ...(CONTACT_PHONE ? ([['咨询电话', CONTACT_PHONE]] as [string, string][]) : []),
        ],
      },
    ],
    footer: `${ctx.terminal.name} · 凭本通知单条码（户号）到任一收费窗口扫码缴费`,
  };
  const barcode = `<div class="barcode" style="margin:8pt 0;text-align:center">${barcodeSvg(h.accountNo)}<div>户号 ${escapeHtml(h.accountNo)}</div></div>`;
  return docToHtml(doc).replace('</header>', `</header>${barcode}`);
}

/**
 * Issues a dunning notice: the event (numbered CJyyyymmdd-nnnn) and, for thermal, the print job
 * commit together; A4 comes back as HTML and, when a PDF renderer is attached, as a PDF.
 */
export async function issueNotice(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'dunning.notice'>,
) {
  const household = requireHousehold(ctx, input.householdId);
  const arrears = noticeArrears(ctx, household.id);
  if (arrears.totalFen === 0) throw new ServiceError('NOTHING_OWED');
  const dueDate = input.dueDate ?? addDays(today(ctx), 15);
  const settings = printerSettings(ctx.db);
  const { noticeNo, printJobId } = writeTransaction(ctx, (append) => {
    const prefix = `CJ${append.businessDate.replaceAll('-', '')}-`;
    const noticeNo = `${prefix}${String(noticesWithPrefix(ctx.db, prefix) + 1).padStart(4, '0')}`;
    appendEvent(
      append,
      'dunning.noticeIssued',
      {
        noticeNo,
        householdId: household.id,
        format: input.format,
        totalFen: arrears.totalFen,
        dueDate,
      },
      clerk.id,
    );
    const printJobId =
      input.format === 'thermal'
        ? enqueuePrintJob(ctx, {
            template: 'dunning-notice',
            subjectId: household.id,
            label: `催缴通知单 ${noticeNo} ${household.accountNo}`,
            data: {
              ...templateHead(ctx, settings),
              noticeNo,
              accountNo: household.accountNo,
              name: household.name,
              address: formatAddress(household),
              areaHundredths: household.areaHundredths,
              arrears: arrears.arrears.slice(0, 30),
              totalFen: arrears.totalFen,
              dueDate,
              issuedAt: append.now.toISOString(),
              contactPhone: CONTACT_PHONE,
              counterAddress: ctx.terminal.name,
            },
          })
        : null;
    return { noticeNo, printJobId };
  });
  let html: string | null = null;
  let pdfBase64: string | null = null;
  if (input.format === 'a4') {
    html = a4NoticeHtml(ctx, { noticeNo, household, arrears, dueDate });
    const renderer = ctx.runtime.documents.pdf;
    if (renderer) {
      try {
        pdfBase64 = Buffer.from(await renderer.htmlToPdf(html)).toString('base64');
      } catch {
        pdfBase64 = null; // the HTML is still returned; the screen prints it through the browser
      }
    }
  }
  return { noticeNo, totalFen: arrears.totalFen, dueDate, printJobId, html, pdfBase64 };
}
