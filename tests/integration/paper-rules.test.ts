// Issue 21, the seed's paper rules on a real terminal (SQLite file, dispatch like every transport):
// receipts in three parts (一式三联, configurable), the season note and the tender channel as the
// payment path queues them, the written statement (一式四份) queued by the void and by the spoil in
// their own transaction, printed again from the receipt screen's command, and the book return list.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src-main/devices/printer/render';
import type { TemplateName } from '../../src-main/devices/printer/template-data';
import {
  markUnknown,
  printJobsOf,
  type PrintJobRow,
} from '../../src-main/features/printing/print-jobs.store';
import { queueCommittedReceipts } from '../../src-main/features/printing/print-queue';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let payers: string[];
const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };

beforeAll(async () => {
  dir = tempDir('paper-rules-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 60 });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 10_000 });
  payers = householdsOwing(t, 20_000, 20);
});
afterAll(() => {
  t.close();
  dir.cleanup();
});

function jobs(subjectId: string, template: TemplateName): PrintJobRow[] {
  queueCommittedReceipts(t.ctx);
  return printJobsOf(t.ctx.db, subjectId).filter((j) => j.template === template);
}
const text = (j: PrintJobRow, width: 32 | 48 = 48) =>
  renderText(j.template as TemplateName, JSON.parse(j.data), { width });
const copyOf = (j: PrintJobRow) => (JSON.parse(j.data) as { copy: string }).copy;

function pay(householdId: string, amountFen: number, tender: Record<string, unknown> = {}) {
  return t.must('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen,
    tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen, ...tender }],
  });
}

async function setParts(parts: Record<string, unknown>) {
  await t.must('printer.settings.set', {
    session,
    ...SUPERVISOR,
    interface: 'none',
    width: 48,
    encoding: 'gb18030',
    companyName: '阳光热力有限公司',
    drawerKick: 'off',
    ...parts,
  });
}

describe('receipts in three parts (一式三联)', () => {
  it('by default 第一联 客户联, 第二联 存根联 and 第三联 记账联 print, each named', async () => {
    expect((await t.must('printer.settings.get', { session })).receiptParts).toBe(3);
    const r = await pay(payers[0]!, 5_000);
    const copies = jobs(r.id, 'receipt');
    expect(copies.map((j) => j.label)).toEqual([
      `${r.receiptLabel} 客户联`,
      `${r.receiptLabel} 存根联`,
      `${r.receiptLabel} 记账联`,
    ]);
    expect(copies.map(copyOf)).toEqual(['customer', 'stub', 'accounting']);
    expect(text(copies[2]!)).toContain('第三联 记账联');
    expect(copies.map((j) => j.drawer_kick)).toEqual([1, 0, 0]); // cash: the customer copy opens it
  });

  it('the setting prints fewer parts; an older client’s printStub false prints the customer copy only', async () => {
    await setParts({ receiptParts: 2 });
    expect((await t.must('printer.settings.get', { session })).receiptParts).toBe(2);
    const two = await pay(payers[1]!, 5_000);
    expect(jobs(two.id, 'receipt').map(copyOf)).toEqual(['customer', 'stub']);
    await setParts({ printStub: false });
    const one = await pay(payers[2]!, 5_000);
    expect(jobs(one.id, 'receipt').map(copyOf)).toEqual(['customer']);
    await setParts({ receiptParts: 3 });
  });

  it('a part reprinted from the queue stays that part, marked 补打 with the counter', async () => {
    const r = await pay(payers[3]!, 5_000);
    const stub = jobs(r.id, 'receipt').find((j) => copyOf(j) === 'stub')!;
    markUnknown(t.ctx.db, stub.id, 'connection_dropped', new Date().toISOString());
    const again = await t.must('printer.reprint', { session, jobId: stub.id });
    const job = printJobsOf(t.ctx.db, r.id).find((j) => j.id === again.job.id)!;
    expect(copyOf(job)).toBe('stub');
    expect(job.label).toBe(`${r.receiptLabel} 存根联 补打 第1次`);
    expect(text(job)).toContain('第二联 存根联');
    expect(text(job)).toContain('补  打    C O P Y   第  1 次');
  });
});

describe('receipt wording as the payment path prints it', () => {
  it('the payment that settles a season after a partial one prints 结清, not 部分缴费', async () => {
    const householdId = payers[4]!;
    const account = await t.must('household.account', { session, householdId });
    const oldest = account.seasons.find((s) => s.balanceFen > 0)!;
    const half = Math.floor(oldest.balanceFen / 2);
    const first = await pay(householdId, half);
    const rest = await pay(householdId, oldest.balanceFen - half);
    const noteOf = (receiptId: string) => {
      const lines = text(jobs(receiptId, 'receipt')[0]!).split('\n');
      const at = lines.findIndex((l) => l.startsWith(oldest.seasonCode));
      return lines[at + 2]!.trim();
    };
    expect(noteOf(first.id)).toMatch(/^部分缴费 占本季应收\d+\.\d%$/);
    expect(noteOf(rest.id)).toMatch(/^结清( 本次占本季应收\d+\.\d%)?$/);
    expect(text(jobs(rest.id, 'receipt')[0]!)).not.toContain('部分缴费');
  });

  it('a QR/transfer payment prints its channel and reference on every part', async () => {
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: payers[5]!,
      amountFen: 7_000,
      tenders: [{ kind: 'qr', amountFen: 7_000, channel: 'transfer', reference: 'TRX-778' }],
    });
    for (const copy of jobs(r.id, 'receipt')) {
      const lines = text(copy, 32).split('\n');
      expect(lines.find((l) => l.startsWith('银行转账'))).toContain('￥70.00');
      expect(lines).toContain('  交易号 TRX-778');
    }
  });
});

const HOLDERS = ['第一份 收费员自留', '第二份 报财务部', '第三份 报供热台账', '第四份 报供热组长'];

describe('the written statement on a voided or spoiled receipt (一式四份)', () => {
  it('the void queues four copies with the void event, each named for its holder', async () => {
    const r = await pay(payers[6]!, 12_345);
    await t.must('receipt.void', { session, receiptId: r.id, reason: '收错户', ...SUPERVISOR });
    const voidSeq = (
      t.ctx.db
        .prepare("SELECT max(seq) AS seq FROM events WHERE type = 'receipt.voided'")
        .get() as { seq: number }
    ).seq;
    const copies = jobs(r.id, 'void-statement');
    expect(copies.map(copyOf)).toEqual(['clerk', 'finance', 'ledger', 'leader']);
    // committed in the void's transaction: caused by the void event
    expect(copies.map((j) => j.event_seq)).toEqual([voidSeq, voidSeq, voidSeq, voidSeq]);
    copies.forEach((j, i) => {
      expect(j.label).toBe(`${r.receiptLabel} 作废说明 ${HOLDERS[i]}`);
      const paper = text(j);
      expect(paper.split('\n').filter((l) => l.trim() === HOLDERS[i])).toHaveLength(2);
      for (const part of [
        `收据号     ${r.receiptLabel}`,
        `户号       ${r.household.accountNo}`,
        `户名       ${r.household.name}`,
        '金额       ￥123.45',
        '原因       收错户',
        '审批主管   李主管',
        '收费员     张丽（1001）',
        '作废时间',
        '收费员签字',
        '审批主管签字',
      ]) {
        expect(paper, `${HOLDERS[i]}: ${part}`).toContain(part);
      }
    });
  });

  it('the spoil queues four copies of the 废票 statement', async () => {
    const spoiled = await t.must('receipt.spoil', { session, reason: '卡纸' });
    const copies = jobs(spoiled.receiptLabel, 'void-statement');
    expect(copies.map((j) => j.label)).toEqual(
      HOLDERS.map((h) => `${spoiled.receiptLabel} 废票说明 ${h}`),
    );
    const paper = text(copies[1]!);
    expect(paper).toContain(`收据号     ${spoiled.receiptLabel}`);
    expect(paper).toContain('空白票据损坏（废票），未开具');
    expect(paper).toContain('原因       卡纸');
    expect(paper).toContain('第二份 报财务部');
    // a copy lost (e.g. paper out mid-job) is printed again from the print queue, marked 补打
    markUnknown(t.ctx.db, copies[1]!.id, 'paper_out', new Date().toISOString());
    const again = await t.must('printer.reprint', { session, jobId: copies[1]!.id });
    expect(again.job.label).toBe(`${spoiled.receiptLabel} 废票说明 第二份 报财务部 补打`);
    const reprinted = jobs(spoiled.receiptLabel, 'void-statement').find(
      (j) => j.id === again.job.id,
    )!;
    expect(text(reprinted)).toContain('补  打    C O P Y');
    expect(text(reprinted)).toContain('第二份 报财务部');
  });

  it('printed again from the receipt screen: four copies marked 补打; a valid receipt has none', async () => {
    const r = await pay(payers[7]!, 5_000);
    const refused = await t.call('receipt.statement', { session, receiptLabel: r.receiptLabel });
    expect(refused.ok ? null : refused.error.code).toBe('STATEMENT_NOT_VOID');
    await t.must('receipt.void', { session, receiptId: r.id, reason: '重复收费', ...SUPERVISOR });
    const again = await t.must('receipt.statement', {
      session,
      receiptLabel: r.receiptLabel.toLowerCase(),
    });
    expect(again.jobs.map((j) => j.label)).toEqual(
      HOLDERS.map((h) => `${r.receiptLabel} 作废说明 ${h} 补打`),
    );
    const reprinted = jobs(r.id, 'void-statement').slice(4);
    expect(reprinted.map((j) => j.id)).toEqual(again.jobs.map((j) => j.id));
    expect(text(reprinted[0]!)).toContain('补  打    C O P Y');
    expect(text(jobs(r.id, 'void-statement')[0]!)).not.toContain('补');
  });
});

describe('the book return list', () => {
  it('lists every number of the book: issued (未交款 while the shift is open), voided, spoiled, unused', async () => {
    const r = await pay(payers[8]!, 5_000);
    const receipt = await t.must('receipt.find', { session, receiptLabel: r.receiptLabel });
    const book = t.ctx.db
      .prepare('SELECT series, first_no, last_no, next_no FROM receipt_books WHERE id = ?')
      .get(receipt.bookId) as {
      series: string;
      first_no: number;
      last_no: number;
      next_no: number;
    };
    await t.must('book.return', { session, bookId: receipt.bookId, ...SUPERVISOR });
    const copies = jobs(receipt.bookId, 'book-return');
    expect(copies.map(copyOf)).toEqual(['finance', 'clerk']);
    const rows = text(copies[0]!)
      .split('\n')
      .map((l) => l.replace(/\s+/g, ' ').trim());
    const states = t.ctx.db
      .prepare(
        `SELECT receipt_label AS label, total_fen AS fen, voided_seq IS NOT NULL AS voided
         FROM receipts WHERE book_id = ? ORDER BY receipt_no`,
      )
      .all(receipt.bookId) as { label: string; fen: number; voided: number }[];
    const yuan = (fen: number) =>
      `￥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    for (const s of states) {
      expect(rows, s.label).toContain(
        s.voided ? `${s.label} 作废 ${yuan(s.fen)}` : `${s.label} 开出未交款 ${yuan(s.fen)}`,
      );
    }
    const spoiled = t.ctx.db
      .prepare('SELECT receipt_label AS label FROM spoiled_receipts WHERE book_id = ?')
      .all(receipt.bookId) as { label: string }[];
    expect(spoiled.length).toBeGreaterThan(0);
    for (const s of spoiled) expect(rows).toContain(`${s.label} 废票`);
    const unused = book.last_no - book.next_no + 1;
    const label = (no: number) => `${book.series}${String(no).padStart(6, '0')}`;
    expect(rows).toContain(`${label(book.next_no)}—${label(book.last_no)} 未用交回 ${unused}张`);
    // every number accounted for: used ones one per row, the unused run once
    expect(states.length + spoiled.length + unused).toBe(book.last_no - book.first_no + 1);
    expect(rows).toContain(`未用交回 ${unused}张`);
    expect(text(copies[1]!)).toContain('收费员留存');
  });
});
