import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/api/dispatch';
import { commands, type CommandName } from '@heating-cashier/core/contract/commands';
import { errorCodes } from '@heating-cashier/core/contract/errors';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const HOSTILE_VALUES: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['true', true],
  ['empty string', ''],
  ['10 MB string', TEN_MB],
  ['SQL injection', "'; DROP TABLE events; --"],
  ['SQL in quotes', '" OR 1=1 --'],
  ['FTS syntax', 'NEAR(a b) OR * ^ "'],
  ['zero', 0],
  ['negative', -100],
  ['fraction', 12.5],
  ['huge', 1e20],
  ['over MAX_FEN', 10_000_000_001],
  ['unsafe integer', 2 ** 53 + 2],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['object', { $gt: '' }],
  ['array', ['a', 1]],
  ['prototype pollution', JSON.parse('{"__proto__":{"polluted":true}}')],
];

/** Inputs that pass validation must still fail or change nothing: nonexistent ids, no open shift, a stranger as supervisor. */
function baseInputs(): Record<CommandName, Record<string, unknown>> {
  return {
    'terminal.info': {},
    'terminal.status': {},
    'session.login': { clerkCode: 'NOBODY', pin: '123456' },
    'session.logout': { session },
    'clerk.add': {
      session,
      code: 'X1',
      name: '测试',
      role: 'supervisor',
      pin: '123456',
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    'shift.current': { session },
    'shift.open': { session: 'A'.repeat(40), openingFloatFen: 100 },
    'shift.close': { session: 'A'.repeat(40), denominations: { '100': 1 } },
    'shift.xReport': { session: 'A'.repeat(40) },
    'shift.handInSlip': { session, shiftId: 'S-none' },
    'cash.move': { session, kind: 'cash_in', amountFen: 100, reason: '测试' },
    'receipt.spoil': { session, reason: '卡纸' },
    'book.return': { session, bookId: 'B-none', supervisorCode: 'NOBODY', supervisorPin: '123456' },
    'day.close': {
      session,
      businessDate: '2026-01-01',
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    'report.daily': { session, businessDate: '2026-01-01' },
    'report.monthly': { session, month: '2026-01' },
    'shift.slipPreview': { session, shiftId: 'S-none', copy: 'finance' },
    'shift.printX': { session: 'A'.repeat(40) },
    'report.export': {
      session: 'A'.repeat(40),
      report: 'daily',
      businessDate: '2026-01-01',
      format: 'xlsx',
    },
    'household.search': { session, query: '张', limit: 5 },
    'household.account': { session, householdId: 'H-none' },
    'payment.preview': { session, householdId: 'H-none', amountFen: 100 },
    'payment.take': {
      session,
      requestId: '0190a000-0000-7000-8000-00000000beef',
      householdId: 'H-none',
      amountFen: 100,
      tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
    },
    'receipt.find': { session, receiptLabel: 'Z999999' },
    'receipt.void': {
      session,
      receiptId: 'R-none',
      reason: '测试',
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    'receipt.reprint': { session, receiptId: 'R-none' },
    'receipt.statement': { session, receiptLabel: 'Z-NONE' },
    'book.issue': {
      session,
      series: 'Q',
      firstNo: 1,
      lastNo: 10,
      clerkCode: '1001',
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    'ledger.verify': { session: 'A'.repeat(40) },
    // printer: a stranger's session — validation passes, nothing may change.
    'printer.status': { session: 'A'.repeat(40) },
    'printer.jobs': { session: 'A'.repeat(40), openOnly: true, limit: 10 },
    'printer.retry': { session: 'A'.repeat(40) },
    'printer.reprint': { session, jobId: 'J-none' },
    'printer.preview': { session, receiptId: 'R-none', copy: 'customer' },
    'printer.settings.get': { session: 'A'.repeat(40) },
    'printer.settings.set': {
      session,
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
      interface: 'tcp://127.0.0.1:9100',
      width: 48,
      encoding: 'gb18030',
      companyName: '测试热力',
      drawerKick: '1b 70 00 19 fa',
      printStub: true,
    },
    'printer.testPrint': { session: 'A'.repeat(40) },
    // pole display: a stranger's session or supervisor — validation passes, nothing may change.
    'pole.settings.get': { session: 'A'.repeat(40) },
    'pole.settings.set': {
      session,
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
      enabled: true,
      path: '/dev/ttyUSB0',
      baudRate: 2400,
    },
    'pole.test': { session: 'A'.repeat(40) },
    'card.sale': {
      session,
      requestId: '0190a5e4-9999-7222-8333-444455556666',
      householdId: 'H-none',
      amountFen: 100,
    },
    'qr.sale': {
      session,
      requestId: '0190a5e4-9997-7222-8333-444455556666',
      householdId: 'H-none',
      amountFen: 100,
      code: '281234567890123456',
    },
    'qr.pending': { session },
    'qr.resolve': { session, intentId: 'I-none' },
    'qr.cancel': { session, intentId: 'I-none' },
    'card.progress': { session },
    'card.abort': { session },
    'card.reconnect': { session },
    'card.pending': { session },
    'card.inspect': { session, intentId: 'I-none' },
    'card.resolve': { session, intentId: 'I-none', action: 'fail' },
    'card.manual': {
      session,
      requestId: '0190a5e4-9998-7222-8333-444455556666',
      householdId: 'H-none',
      amountFen: 100,
      terminalRef: 'T1',
      authCode: 'A1',
    },
    'card.report': { session, businessDate: '2026-01-01' },
    'card.endOfDay': { session },
    'backup.testDir': { session, dir: '/nonexistent-disk/backups' },
    'sync.test': { session, url: 'http://127.0.0.1:1' },
    'card.ports': { session },
    'card.settings.get': { session },
    'card.settings.test': { session, settings: { path: '/nonexistent/ttyZVT' } },
    'card.settings.set': {
      session,
      enabled: true,
      settings: { path: '/nonexistent/ttyZVT' },
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    // backups: no backup folder in this test (BACKUP_NOT_CONFIGURED), a stranger's session for the
    // supervisor ones, no log folder (DIAGNOSTICS_UNAVAILABLE).
    'backup.status': { session },
    'backup.now': { session },
    'backup.settings.set': {
      session: 'A'.repeat(40),
      supervisorCode: '9001',
      supervisorPin: '888888',
      dir: '/tmp/cashier-bad-input-backups',
      intervalHours: 24,
      enabled: true,
    },
    'backup.verify': { session, file: 'cashier-abcd1234-20260101T000000000Z-manual.sqlite' },
    'backup.restore': {
      session: 'A'.repeat(40),
      supervisorCode: '9001',
      supervisorPin: '888888',
      file: 'cashier-abcd1234-20260101T000000000Z-manual.sqlite',
      acceptLoss: false,
    },
    'diagnostics.errors': { session, limit: 10 },
    'diagnostics.export': { session },
    // dunning / service log / import / collector report: unknown ids, a stranger's session, or read-only
    'dunning.list': {
      session,
      community: '幸福里',
      minOwedFen: 100,
      minSeasonsOverdue: 1,
      limit: 5,
    },
    'dunning.export': { session, community: '幸福里', minOwedFen: 100, minSeasonsOverdue: 1 },
    'dunning.contact': {
      session,
      householdId: 'H-none',
      channel: 'phone',
      outcome: 'reached',
      note: '测试',
    },
    'dunning.history': { session, householdId: 'H-none' },
    'dunning.flag': {
      session,
      householdId: 'H-none',
      flag: 'blacklisted',
      value: true,
      reason: '测试',
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    'dunning.notice': { session, householdId: 'H-none', format: 'thermal', dueDate: '2026-12-31' },
    'service.log': { session, householdId: 'H-none' },
    'service.temperature': { session, householdId: 'H-none', room: '客厅', tenthsC: 180 },
    'service.complaint': { session, householdId: 'H-none', category: 'other', text: '测试' },
    'service.complaintStatus': { session, complaintId: 'C-none', status: 'closed', note: '测试' },
    'service.rate': { session, receiptId: 'R-none', score: 5, source: 'keypad' },
    'service.overdueComplaints': { session },
    'service.valve': { session, householdId: 'H-none', action: 'lock', keyNo: 'K1' },
    'service.export': { session, householdId: 'H-none' },
    'import.upload': {
      session: 'A'.repeat(40),
      importId: '0190a000-0000-7000-8000-00000000cafe',
      chunkIndex: 0,
      chunkCount: 1,
      dataBase64: 'QQ==',
    },
    'import.start': {
      session: 'A'.repeat(40),
      importId: '0190a000-0000-7000-8000-00000000cafe',
      kind: 'households',
      format: 'csv',
      fileName: 'x.csv',
    },
    'import.progress': { session, importId: '0190a000-0000-7000-8000-00000000cafe' },
    'report.collector': { session, from: '2026-01-01', to: '2026-01-31' },
    'sync.status': { session },
    'sync.unsynced': { session },
    // counter updates: read-only status; a check by a stranger's session does nothing
    'update.status': { session },
    'update.check': { session: 'A'.repeat(40), supervisorCode: '9001', supervisorPin: '888888' },
    'cheque.list': { session },
    'cheque.clear': { session, receiptId: 'R-none', position: 0 },
    'cheque.bounce': { session, receiptId: 'R-none', position: 0, reason: '余额不足' },
    // heating-fee rules: unknown households or a stranger's session — nothing may change.
    'rules.get': { session: 'A'.repeat(40) },
    'rules.season.set': {
      session: 'A'.repeat(40),
      seasonId: 'S2030',
      code: '2030-2031',
      startsOn: '2030-11-15',
      endsOn: '2031-03-15',
      rates: { residential: 2500, commercial: 3600, public: 3000 },
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    'rules.settings.set': {
      session: 'A'.repeat(40),
      reliefApprovals: 2,
      noHeatRequiresArrearsCleared: true,
      advancePayment: false,
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    'noheat.apply': { session, householdId: 'H-none', reason: '测试' },
    'noheat.resume': { session, householdId: 'H-none', reason: '测试' },
    'relief.grant': {
      session,
      householdId: 'H-none',
      seasonId: 'S2026',
      kind: 'reduction',
      amountFen: 100,
      reason: '测试',
      approvals: [{ supervisorCode: 'NOBODY', supervisorPin: '123456' }],
    },
    'household.update': { session, householdId: 'H-none', reason: '测试', phone: '13800000000' },
    'household.rules': { session, householdId: 'H-none' },
    'inspection.record': { session, householdId: 'H-none', finding: '测试', drawingHeat: false },
    'subsidy.assign': {
      session,
      householdId: 'H-none',
      seasonId: 'S2026',
      shareFen: 100,
      reason: '测试',
      supervisorCode: 'NOBODY',
      supervisorPin: '123456',
    },
    'subsidy.receive': {
      session,
      householdId: 'H-none',
      seasonId: 'S2026',
      amountFen: 100,
      reference: 'R1',
    },
    'report.subsidy': { session: 'A'.repeat(40) },
    'report.relief': { session: 'A'.repeat(40), from: '2026-01-01', to: '2026-12-31' },
    'charge.assessAdvance': { session, householdId: 'H-none' },
    'credit.apply': { session, householdId: 'H-none' },
    'fee.assess': { session, householdId: 'H-none', seasonId: 'S2026', kind: 'late_fee' },
    'sync.configure': {
      session: 'A'.repeat(40),
      url: 'http://127.0.0.1:5480',
      token: `hot_${'x'.repeat(40)}`,
      supervisorCode: '9001',
      supervisorPin: '888888',
    },
    'customer.show': { session, screen: { phase: 'account', householdId: 'H-none' } },
    'customer.pairingCode': { session: 'A'.repeat(40) },
    'customer.pair': { code: '000000' },
    'customer.current': {},
    'customer.rate': { score: 5 },
    'sync.enroll': {
      session: 'A'.repeat(40),
      url: 'http://127.0.0.1:1',
      code: 'ABCD-EFGH-JKMN-PQRS',
      supervisorCode: '9001',
      supervisorPin: '888888',
    },
    // a set-up ledger: every setup command but the status is SETUP_DONE
    'setup.status': {},
    'setup.enroll': { url: 'http://127.0.0.1:1', code: 'ABCD-EFGH-JKMN-PQRS' },
    'setup.backups': { dir: '/nonexistent' },
    'setup.restore': { dir: '/nonexistent', file: 'x.db' },
    'setup.demo': { confirm: 'DEMO' },
    'session.changePin': { session, pin: '000000', newPin: '583326', newPinAgain: '583326' },
  };
}

/** Everything a hostile call could have changed: the log, the projections, master data, sessions. */
function fingerprint(): string {
  const hash = createHash('sha256');
  for (const table of [
    'events',
    'receipts',
    'receipt_lines',
    'receipt_tenders',
    'season_payments',
    'shifts',
    'receipt_books',
    'clerks',
    'households',
    'charges',
    'sessions',
  ]) {
    hash.update(JSON.stringify(t.ctx.db.prepare(`SELECT * FROM ${table}`).all()));
  }
  return hash.digest('hex');
}

beforeAll(async () => {
  dir = tempDir();
  t = openTestTerminal(join(dir.dir, 'ledger.db'));
  session = await t.login();
});
afterAll(() => {
  t.close();
  dir.cleanup();
});

describe('hostile input to every command', () => {
  it('covers every command of the contract', () => {
    expect(Object.keys(baseInputs()).sort()).toEqual(Object.keys(commands).sort());
  });

  it('answers every mutated field with a structured error or a harmless success, and changes nothing', async () => {
    const before = fingerprint();
    let cases = 0;
    for (const [name, base] of Object.entries(baseInputs()) as [
      CommandName,
      Record<string, unknown>,
    ][]) {
      const variants: [string, unknown][] = [
        ['no input', undefined],
        ['null input', null],
        ['array input', []],
        ['string input', 'input'],
        ['unknown key', { ...base, extra: 1 }],
      ];
      for (const key of Object.keys(base)) {
        for (const [label, value] of HOSTILE_VALUES)
          variants.push([`${key} = ${label}`, { ...base, [key]: value }]);
        const { [key]: _dropped, ...without } = base;
        variants.push([`without ${key}`, without]);
      }
      if (name === 'payment.take') {
        for (const [label, value] of HOSTILE_VALUES) {
          variants.push([
            `tender.amountFen = ${label}`,
            { ...base, tenders: [{ kind: 'cash', amountFen: value, tenderedFen: 100 }] },
          ]);
          variants.push([
            `tender.kind = ${label}`,
            { ...base, tenders: [{ kind: value, amountFen: 100, tenderedFen: 100 }] },
          ]);
        }
        variants.push([
          '50 tenders',
          {
            ...base,
            tenders: Array.from({ length: 50 }, () => ({
              kind: 'cash',
              amountFen: 2,
              tenderedFen: 2,
            })),
          },
        ]);
      }
      for (const [label, input] of variants) {
        cases++;
        const result = await dispatch(t.ctx, name, input, () => {});
        const where = `${name} with ${label}`;
        if (result.ok) {
          expect(
            [
              'household.search',
              'terminal.info',
              'terminal.status',
              'report.daily',
              'report.monthly',
              'card.report',
              'dunning.list',
              'dunning.export',
              'report.collector',
              'setup.status', // reads only
            ],
            where,
          ).toContain(name);
        } else {
          expect(errorCodes, where).toContain(result.error.code);
          expect(result.error.code, where).not.toBe('INTERNAL');
          expect(result.error.message['zh-CN'].length, where).toBeGreaterThan(0);
          expect(result.error.message.en.length, where).toBeGreaterThan(0);
          expect(JSON.stringify(result.error).length, where).toBeLessThan(2000);
        }
      }
    }
    expect(cases).toBeGreaterThan(800);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fingerprint()).toBe(before);
  });

  it.each([
    ['unknown.command'],
    ['__proto__'],
    ['constructor'],
    ['toString'],
    [''],
    [42],
    [null],
    ['x'.repeat(10_000)],
  ])('refuses command name %s as UNKNOWN_COMMAND', async (name) => {
    const result = await dispatch(t.ctx, name, {}, () => {});
    expect(!result.ok && result.error.code).toBe('UNKNOWN_COMMAND');
    expect(JSON.stringify(result).length).toBeLessThan(1000);
  });
});
