import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdfRenderer, findChromium } from '../../src-main/devices/pdf/chromium';
import { EscPosPrinter } from '../../src-main/devices/printer/printer';
import { VirtualPrinter } from '../../src-main/devices/printer/virtual-printer';
import { seasonAccounts } from '../../src-main/features/households/accounts.store';
import { insertClerk } from '../../src-main/features/session/clerks.store';
import { projectionSnapshot } from '../../src-main/ledger/projector';
import { rebuildProjections } from '../../src-main/ledger/rebuild';
import { hashPin } from '../../src-main/features/session/auth';
import { attachPrintQueue, detachPrintQueue } from '../../src-main/features/printing/print-queue';
import { barcodesIn } from '../support/barcode';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;

beforeAll(async () => {
  dir = tempDir('cashier-dunning-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 300 });
  insertClerk(t.ctx.db, {
    id: 'C9002',
    code: '9002',
    name: '赵经理',
    role: 'supervisor',
    pin_hash: hashPin('777777'),
  });
  session = await t.login();
});

const S1 = { supervisorCode: '9001', supervisorPin: '888888' };
const S2 = { supervisorCode: '9002', supervisorPin: '777777' };
afterAll(() => {
  t.close();
  dir.cleanup();
});

/** Independent oracle of the arrears list from the raw tables. */
function oracle(f: { community?: string; building?: string; min?: number; seasons?: number }) {
  const current = (
    t.ctx.db
      .prepare("SELECT code FROM seasons WHERE starts_on <= date('now') ORDER BY code DESC LIMIT 1")
      .get() as { code: string }
  ).code;
  const rows = t.ctx.db
    .prepare(
      `SELECT h.id, h.community, h.building, c.charge_fen, coalesce(a.adjust_fen, 0) AS adj,
              c.paid_elsewhere_fen + coalesce(p.paid_fen, 0) AS paid, s.code
       FROM households h JOIN charges c ON c.household_id = h.id JOIN seasons s ON s.id = c.season_id
       LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
       LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id`,
    )
    .all() as {
    id: string;
    community: string;
    building: string;
    charge_fen: number;
    adj: number;
    paid: number;
    code: string;
  }[];
  const by = new Map<
    string,
    { owed: number; overdue: number; community: string; building: string }
  >();
  for (const r of rows) {
    const h = by.get(r.id) ?? { owed: 0, overdue: 0, community: r.community, building: r.building };
    // the adjusted balance (no-heat, reductions, write-offs, back-charges…), written out here
    const bal = Math.max(0, Math.max(0, r.charge_fen + r.adj) - r.paid);
    if (bal > 0) {
      h.owed += bal;
      if (r.code < current) h.overdue++;
    }
    by.set(r.id, h);
  }
  return [...by.entries()]
    .filter(
      ([, h]) =>
        h.owed > 0 &&
        h.owed >= (f.min ?? 1) &&
        h.overdue >= (f.seasons ?? 0) &&
        (f.community === undefined || h.community === f.community) &&
        (f.building === undefined || h.building === f.building),
    )
    .map(([id, h]) => ({ id, owed: h.owed }));
}

describe('arrears list (催缴)', () => {
  it('a past season written off, or on no-heat and reduced to nothing, is not overdue', async () => {
    const current = (
      t.ctx.db
        .prepare(
          "SELECT code FROM seasons WHERE starts_on <= date('now') ORDER BY code DESC LIMIT 1",
        )
        .get() as { code: string }
    ).code;
    const oldest = (
      t.ctx.db.prepare('SELECT code FROM seasons ORDER BY code LIMIT 1').get() as { code: string }
    ).code;
    expect(oldest < current).toBe(true);
    // households owing the oldest (past) season only, and the current one too
    const candidates = (
      t.ctx.db.prepare('SELECT id FROM households WHERE owed_fen > 0 ORDER BY num').all() as {
        id: string;
      }[]
    )
      .map((h) => ({ id: h.id, seasons: seasonAccounts(t.ctx.db, h.id) }))
      .filter(
        (h) =>
          h.seasons.filter((s) => s.seasonCode < current && s.balanceFen > 0).length === 1 &&
          h.seasons.some((s) => s.seasonCode === oldest && s.balanceFen > 0) &&
          h.seasons.some((s) => s.seasonCode === current && s.balanceFen > 0),
      );
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    const [a, b] = candidates as [(typeof candidates)[0], (typeof candidates)[0]];
    const past = (h: typeof a) =>
      seasonAccounts(t.ctx.db, h.id).find((s) => s.seasonCode === oldest)!;
    const overdueIds = async () =>
      (await t.must('dunning.list', { session, minSeasonsOverdue: 1, limit: 500 })).rows.map(
        (r) => r.household.id,
      );
    expect(await overdueIds()).toEqual(expect.arrayContaining([a.id, b.id]));

    // A: 核销 of the whole past balance (two supervisors)
    await t.must('relief.grant', {
      session,
      householdId: a.id,
      seasonId: past(a).seasonId,
      kind: 'write_off',
      amountFen: past(a).balanceFen,
      reason: '死账核销',
      approvals: [S1, S2],
    });
    // B: 停供 for the past season (late: a supervisor approves), then a 减免 of anything left
    await t.must('noheat.apply', {
      session,
      householdId: b.id,
      seasonId: past(b).seasonId,
      reason: '房屋空置（补办）',
      ...S1,
    });
    expect(past(b).adjustmentFen).toBeLessThan(0);
    if (past(b).balanceFen > 0) {
      // what was paid before already covers part of the ratio charge: a 减免 clears the rest
      await t.must('relief.grant', {
        session,
        householdId: b.id,
        seasonId: past(b).seasonId,
        kind: 'reduction',
        amountFen: past(b).balanceFen,
        reason: '困难户减免',
        approvals: [S1, S2],
      });
    }
    for (const h of [a, b]) {
      const s = past(h);
      expect(s.balanceFen).toBe(0);
      // the raw rule (charge − paid) would still count the season as overdue
      expect(s.baseChargeFen - s.paidElsewhereFen - s.paidHereFen).toBeGreaterThan(0);
    }
    const after = await overdueIds();
    expect(after).not.toContain(a.id);
    expect(after).not.toContain(b.id);
    // still in the list for what they owe this season, with nothing overdue
    const all = await t.must('dunning.list', { session, limit: 500 });
    for (const h of [a, b]) {
      const row = all.rows.find((r) => r.household.id === h.id)!;
      expect(row.seasonsOverdue).toBe(0);
      expect(row.arrearsFen).toBe(0);
      expect(row.household.owedFen).toBeGreaterThan(0);
    }
  });

  it('matches an independent oracle for every filter, biggest first, with totals', async () => {
    const some = t.ctx.db
      .prepare('SELECT id, community, building FROM households WHERE owed_fen > 0 LIMIT 1')
      .get() as { id: string; community: string; building: string };
    // a ledger write first: the first community + seasons case takes the correlated count, the
    // later ones the overdue set built by the whole-district seasons case
    await t.must('dunning.contact', {
      session,
      householdId: some.id,
      channel: 'sms',
      outcome: 'other',
    });
    const cases = [
      { community: some.community, seasons: 1, min: 50_000 },
      {},
      { min: 200_000 },
      { seasons: 1 },
      { community: some.community },
      { community: some.community, building: some.building },
      { community: some.community, seasons: 1, min: 50_000 },
      { community: some.community, building: some.building, seasons: 1 },
      { building: some.building, seasons: 1 },
    ];
    for (const f of cases) {
      const want = oracle(f);
      const got = await t.must('dunning.list', {
        session,
        ...(f.community ? { community: f.community } : {}),
        ...(f.building ? { building: f.building } : {}),
        ...(f.min ? { minOwedFen: f.min } : {}),
        ...(f.seasons ? { minSeasonsOverdue: f.seasons } : {}),
        limit: 500,
      });
      expect(got.total.count, JSON.stringify(f)).toBe(want.length);
      expect(got.total.owedFen).toBe(want.reduce((s, w) => s + w.owed, 0));
      expect(got.rows.map((r) => r.household.id).sort()).toEqual(want.map((w) => w.id).sort());
      const owed = got.rows.map((r) => r.household.owedFen);
      expect(owed).toEqual([...owed].sort((a, b) => b - a));
      if (f.seasons)
        expect(got.rows.every((r) => r.seasonsOverdue >= 1 && r.arrearsFen > 0)).toBe(true);
    }
    expect(oracle({ seasons: 1 }).length).toBeGreaterThan(0);
  });

  it('pages without overlap', async () => {
    const a = await t.must('dunning.list', { session, limit: 10, offset: 0 });
    const b = await t.must('dunning.list', { session, limit: 10, offset: 10 });
    const ids = new Set([...a.rows, ...b.rows].map((r) => r.household.id));
    expect(ids.size).toBe(20);
  });

  it('exports the list to Excel with every row', async () => {
    const list = await t.must('dunning.list', { session, minSeasonsOverdue: 1, limit: 500 });
    const file = await t.must('dunning.export', { session, minSeasonsOverdue: 1 });
    expect(file.rows).toBe(list.total.count);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ArrayBuffer);
    const text: string[] = [];
    wb.worksheets[0]!.eachRow((row) => text.push((row.values as unknown[]).join('|')));
    const all = text.join('\n');
    for (const r of list.rows.slice(0, 20)) expect(all).toContain(r.household.accountNo);
    expect(all).toContain('欠费催缴清单');
  });
});

describe('contact log, blacklist and legal action', () => {
  it('records contacts with outcome and shows the last one in the list', async () => {
    const [row] = (await t.must('dunning.list', { session, limit: 1 })).rows;
    const id = row!.household.id;
    await t.must('dunning.contact', {
      session,
      householdId: id,
      channel: 'phone',
      outcome: 'no_answer',
    });
    const c = await t.must('dunning.contact', {
      session,
      householdId: id,
      channel: 'visit',
      outcome: 'promised',
      promisedOn: '2026-12-20',
      note: '户主承诺月底前缴清',
    });
    expect(c).toMatchObject({ channel: 'visit', outcome: 'promised', clerkName: '张丽' });
    const h = await t.must('dunning.history', { session, householdId: id });
    expect(h.contacts.map((x) => x.outcome)).toEqual(['promised', 'no_answer']);
    const top = (await t.must('dunning.list', { session, limit: 1 })).rows[0]!;
    expect(top.lastContactOutcome).toBe('promised');
    const bad = await t.call('dunning.contact', {
      session,
      householdId: 'H-none',
      channel: 'sms',
      outcome: 'reached',
    });
    expect(!bad.ok && bad.error.code).toBe('HOUSEHOLD_NOT_FOUND');
  });

  it('sets the flags only with a supervisor PIN; search results and the account show them', async () => {
    const [row] = (await t.must('dunning.list', { session, minSeasonsOverdue: 1, limit: 1 })).rows;
    const h = row!.household;
    const refused = await t.call('dunning.flag', {
      session,
      householdId: h.id,
      flag: 'blacklisted',
      value: true,
      reason: '多年拖欠',
      supervisorCode: '1002',
      supervisorPin: '123456',
    });
    expect(!refused.ok && refused.error.code).toBe('NOT_SUPERVISOR');
    const flagged = await t.must('dunning.flag', {
      session,
      householdId: h.id,
      flag: 'blacklisted',
      value: true,
      reason: '多年拖欠',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    expect(flagged.flags.blacklisted).toBe(true);
    await t.must('dunning.flag', {
      session,
      householdId: h.id,
      flag: 'legalAction',
      value: true,
      reason: '已移交法务',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    const found = await t.must('household.search', { session, query: h.accountNo });
    expect(found.results[0]!.flags).toMatchObject({ blacklisted: true, legalAction: true });
    const account = await t.must('household.account', { session, householdId: h.id });
    expect(account.household.flags).toMatchObject({ blacklisted: true, legalAction: true });
    const history = await t.must('dunning.history', { session, householdId: h.id });
    const supervisorName = t.ctx.db
      .prepare("SELECT name FROM clerks WHERE code = '9001'")
      .pluck()
      .get();
    expect(history.flagChanges.map((f) => [f.flag, f.value, f.approvedBy])).toEqual([
      ['legalAction', true, supervisorName],
      ['blacklisted', true, supervisorName],
    ]);
    await t.must('dunning.flag', {
      session,
      householdId: h.id,
      flag: 'blacklisted',
      value: false,
      reason: '已缴清',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    const after = await t.must('household.search', { session, query: h.accountNo });
    expect(after.results[0]!.flags).toMatchObject({ blacklisted: false, legalAction: true });
  });
});

describe('dunning notices', () => {
  it('prints a thermal notice over TCP whose CODE128 barcode reads back as the account no.', async () => {
    const vp = new VirtualPrinter();
    await vp.start(0);
    attachPrintQueue(t.ctx, new EscPosPrinter({ interface: vp.url, timeoutMs: 800 }), {
      pollMs: 60_000,
    });
    try {
      const [row] = (await t.must('dunning.list', { session, minSeasonsOverdue: 1, limit: 1 }))
        .rows;
      const h = row!.household;
      const notice = await t.must('dunning.notice', {
        session,
        householdId: h.id,
        format: 'thermal',
        dueDate: '2026-12-31',
      });
      expect(notice.noticeNo).toMatch(/^CJ\d{8}-0001$/);
      expect(notice.totalFen).toBe(h.owedFen);
      expect(notice.printJobId).not.toBeNull();
      const deadline = Date.now() + 10_000;
      while (vp.jobs.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const job = vp.jobs[0]!;
      expect(job.cut).toBe(true);
      expect(job.text).toContain('催');
      expect(job.text).toContain(h.accountNo);
      expect(job.text).toContain('2026-12-31');
      expect(barcodesIn(job.bytes)).toEqual([{ type: 'CODE128', text: h.accountNo }]);
      // the scanned text finds exactly that household at the counter
      const found = await t.must('household.search', {
        session,
        query: barcodesIn(job.bytes)[0]!.text,
      });
      expect(found.results[0]!.id).toBe(h.id);
      const second = await t.must('dunning.notice', {
        session,
        householdId: h.id,
        format: 'thermal',
      });
      expect(second.noticeNo).toMatch(/-0002$/);
      const history = await t.must('dunning.history', { session, householdId: h.id });
      expect(history.notices.map((n) => n.noticeNo)).toEqual([second.noticeNo, notice.noticeNo]);
    } finally {
      await detachPrintQueue(t.ctx);
      await vp.stop();
    }
  });

  it('A4 notice: HTML with the barcode; a PDF through the attached Chromium renderer', async () => {
    const [row] = (await t.must('dunning.list', { session, limit: 3 })).rows.slice(2);
    const h = row!.household;
    const html = await t.must('dunning.notice', { session, householdId: h.id, format: 'a4' });
    expect(html.printJobId).toBeNull();
    expect(html.html).toContain('催缴通知单');
    expect(html.html).toContain(h.accountNo);
    expect(html.html).toContain('<svg');
    expect(html.pdfBase64).toBeNull(); // no renderer attached yet
    const chromium = findChromium();
    if (chromium) {
      const renderer = chromiumPdfRenderer(chromium);
      t.ctx.runtime.documents.pdf = renderer;
      try {
        const pdf = await t.must('dunning.notice', { session, householdId: h.id, format: 'a4' });
        const bytes = Buffer.from(pdf.pdfBase64!, 'base64');
        expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
        expect(bytes.length).toBeGreaterThan(2000);
      } finally {
        await renderer.close();
      }
    }
  }, 60_000);

  it('refuses a notice for a household that owes nothing', async () => {
    const paid = t.ctx.db.prepare('SELECT id FROM households WHERE owed_fen = 0 LIMIT 1').get() as
      { id: string } | undefined;
    if (!paid) return;
    const r = await t.call('dunning.notice', { session, householdId: paid.id, format: 'thermal' });
    expect(!r.ok && r.error.code).toBe('NOTHING_OWED');
  });
});

describe('service log (测温 / 投诉 / 锁闭阀)', () => {
  it('records temperatures, complaint status changes and valve operations; exports them', async () => {
    const id = (
      t.ctx.db.prepare('SELECT id FROM households LIMIT 1 OFFSET 7').get() as { id: string }
    ).id;
    const temp = await t.must('service.temperature', {
      session,
      householdId: id,
      room: '主卧',
      tenthsC: 165,
      outdoorTenthsC: -123,
      note: '低于18℃',
    });
    expect(temp).toMatchObject({ tenthsC: 165, outdoorTenthsC: -123, clerkName: '张丽' });
    const fraction = await t.call('service.temperature', {
      session,
      householdId: id,
      room: '客厅',
      tenthsC: 18.5,
    });
    expect(!fraction.ok && fraction.error.code).toBe('BAD_INPUT');
    const c = await t.must('service.complaint', {
      session,
      householdId: id,
      category: 'not_warm',
      text: '暖气不热',
    });
    expect(c.status).toBe('open');
    const same = await t.call('service.complaintStatus', {
      session,
      complaintId: c.id,
      status: 'open',
      note: 'x',
    });
    expect(!same.ok && same.error.code).toBe('COMPLAINT_STATUS_UNCHANGED');
    await t.must('service.complaintStatus', {
      session,
      complaintId: c.id,
      status: 'in_progress',
      note: '已派维修',
    });
    const closed = await t.must('service.complaintStatus', {
      session,
      complaintId: c.id,
      status: 'closed',
      note: '复测19.5℃',
    });
    expect(closed.updates.map((u) => u.status)).toEqual(['in_progress', 'closed']);
    const lock = await t.must('service.valve', {
      session,
      householdId: id,
      action: 'lock',
      keyNo: 'K-017',
    });
    expect(lock).toMatchObject({ action: 'lock', keyNo: 'K-017', operator: '张丽' });
    const again = await t.call('service.valve', {
      session,
      householdId: id,
      action: 'lock',
      keyNo: 'K-017',
    });
    expect(!again.ok && again.error.code).toBe('VALVE_ALREADY');
    await t.must('service.valve', {
      session,
      householdId: id,
      action: 'unlock',
      keyNo: 'K-017',
      operator: '李师傅',
    });
    const log = await t.must('service.log', { session, householdId: id });
    expect(log.temperatures).toHaveLength(1);
    expect(log.complaints[0]!.status).toBe('closed');
    expect(log.valves.map((v) => [v.action, v.operator])).toEqual([
      ['unlock', '李师傅'],
      ['lock', '张丽'],
    ]);
    expect(log.valveState).toBe('unlock');
    const file = await t.must('service.export', { session, householdId: id });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ArrayBuffer);
    const all: string[] = [];
    wb.worksheets[0]!.eachRow((row) => all.push((row.values as unknown[]).join('|')));
    expect(all.join('\n')).toContain('16.5℃');
    expect(all.join('\n')).toContain('暖气不热');
    expect(all.join('\n')).toContain('K-017');
  });
});

describe('collector report (提成 basis)', () => {
  it('per clerk by payment date; cheques pending are not collected; subsidy is its own line', async () => {
    const ids = (
      t.ctx.db
        .prepare('SELECT id FROM households WHERE owed_fen > 10000 ORDER BY id LIMIT 4')
        .all() as {
        id: string;
      }[]
    ).map((r) => r.id);
    const pay = (s: string, householdId: string, tender: Record<string, unknown>) =>
      t.must('payment.take', {
        session: s,
        requestId: randomUUID(),
        householdId,
        amountFen: 5000,
        tenders: [tender],
      });
    await t.must('shift.open', { session, openingFloatFen: 0 });
    await pay(session, ids[0]!, { kind: 'cash', amountFen: 5000, tenderedFen: 5000 });
    await pay(session, ids[1]!, { kind: 'cheque', amountFen: 5000, chequeNo: 'C1', bank: '工行' });
    const today = (await t.must('terminal.info', {})).businessDate;
    const r = await t.must('report.collector', { session, from: today, to: today });
    const zhang = r.clerks.find((c) => c.clerkCode === '1001')!;
    expect(zhang).toMatchObject({
      receiptCount: 2,
      collectedFen: 5000,
      chequePendingFen: 5000,
      chequeClearedFen: 0,
      byTender: { cash: 5000, cheque: 5000, card: 0, qr: 0 },
    });
    expect(r.total.collectedFen).toBe(r.clerks.reduce((s, c) => s + c.collectedFen, 0));
    expect(r.subsidy.count).toBe(r.clerks.reduce((s, c) => s + c.subsidyCount, 0));
    const none = await t.must('report.collector', {
      session,
      from: '2020-01-01',
      to: '2020-12-31',
    });
    expect(none.clerks).toEqual([]);
    const reversed = await t.call('report.collector', { session, from: today, to: '2020-01-01' });
    expect(!reversed.ok && reversed.error.code).toBe('BAD_INPUT');
  });
});

describe('projections', () => {
  it('rebuild from the log equals the live projections (contacts, notices, flags, service log)', async () => {
    const live = projectionSnapshot(t.ctx.db);
    expect((live.dunning_contacts ?? []).length).toBeGreaterThan(0);
    expect((live.valve_operations ?? []).length).toBe(2);
    const flags = t.ctx.db
      .prepare('SELECT id, blacklisted, legal_action FROM households ORDER BY id')
      .all();
    rebuildProjections(t.ctx.db);
    expect(projectionSnapshot(t.ctx.db)).toEqual(live);
    expect(
      t.ctx.db.prepare('SELECT id, blacklisted, legal_action FROM households ORDER BY id').all(),
    ).toEqual(flags);
    expect(await t.must('ledger.verify', { session })).toMatchObject({ ok: true });
  });
});
