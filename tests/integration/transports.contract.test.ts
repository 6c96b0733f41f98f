// Every command of the contract through every transport's code path, from the same starting
// state: dispatch directly, the WebSocket host (renderer client -> ws -> host -> dispatch), and
// the bridge client (renderer client -> preload-like bridge -> dispatch, as Electron IPC does).
// Same ok/error code and the same value shape on all three.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS, { WebSocketServer } from 'ws';
import { dispatch } from '../../src-main/api/dispatch';
import { commands, type CommandName } from '@heating-cashier/core/contract';
import { startHost, type Host } from '../../src-main/host/server';
import { createPreloadBridge } from '../../src-main/electron/bridge';
import { createIpcHandler } from '../../src-main/electron/ipc';
import {
  createBridgeClient,
  createWebSocketClient,
  type ApiClient,
  type ClientResult,
  type WebSocketConstructor,
} from '../../src-renderer/api/client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';
import { attachMemoryCardTerminal, startSimulator } from '../support/card';
import { startPtyPair, type PtyPair } from '../support/pty';
import { startHeadOffice, type TestHeadOffice } from '../support/head-office';
import { alipayConfig, createAlipayProvider } from '../../head-office/src/qr/alipay';
import { AlipaySimulator, generateRsaKeyPair } from '../../head-office/src/qr/alipay-simulator';

/** What a step may read from earlier replies on the same path. */
interface State {
  session: string;
  householdId: string;
  receiptId: string;
  receiptLabel: string;
  printJobId: string;
  shiftId: string;
  bookId: string;
  cardIntentId?: string;
  qrIntentId?: string;
  owingHouseholdId?: string;
  complaintId?: string;
  supervisorSession?: string;
  backupFile?: string;
  chequeReceiptIds?: string[];
  pairingCode?: string;
}

interface Step {
  name: CommandName | 'no.such.command';
  /** The code the step must end with on every path: 'ok' or an error code. */
  expect: string;
  input(s: State): unknown;
  remember?(value: Record<string, unknown>, s: State): void;
}

const REQUEST_ID = '0190a5e4-1111-7222-8333-444455556666';
/** A head office for sync.enroll: one one-time code per path, taken in path order. */
let ho: TestHeadOffice | undefined;
const enrollmentCodes: string[] = [];
const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };
/** card.settings.test registers with the ZVT simulator behind a socat pty pair. */
let zvtPty: PtyPair | undefined;
let zvtSim: Awaited<ReturnType<typeof startSimulator>> | undefined;
let alipaySim: AlipaySimulator | undefined;
const NEW_CLERK = { code: '1077', name: '孙丽', role: 'clerk', pin: '246810' };

const steps: Step[] = [
  { name: 'terminal.info', expect: 'ok', input: () => ({}) },
  { name: 'terminal.info', expect: 'BAD_INPUT', input: () => ({ unexpected: 1 }) },
  { name: 'terminal.status', expect: 'ok', input: () => ({}) },
  {
    name: 'session.login',
    expect: 'BAD_CREDENTIALS',
    input: () => ({ clerkCode: '1001', pin: '000000' }),
  },
  {
    name: 'session.login',
    expect: 'ok',
    input: () => ({ clerkCode: '1001', pin: '123456' }),
    remember: (v, s) => {
      s.session = v.session as string;
    },
  },
  { name: 'shift.current', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'clerk.add',
    expect: 'ok',
    input: (s) => ({ session: s.session, ...NEW_CLERK, ...SUPERVISOR }),
  },
  {
    name: 'clerk.add',
    expect: 'CLERK_CODE_TAKEN',
    input: (s) => ({ session: s.session, ...NEW_CLERK, ...SUPERVISOR }),
  },
  {
    name: 'shift.open',
    expect: 'ok',
    input: (s) => ({ session: s.session, openingFloatFen: 20_000 }),
    remember: (v, s) => {
      s.shiftId = v.id as string;
    },
  },
  {
    name: 'shift.current',
    expect: 'ok',
    input: (s) => ({ session: s.session }),
    remember: (v, s) => {
      s.bookId = (v.book as { id: string }).id;
    },
  },
  { name: 'shift.xReport', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'shift.printX', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'cash.move',
    expect: 'ok',
    input: (s) => ({ session: s.session, kind: 'cash_in', amountFen: 5000, reason: '备用零钱' }),
  },
  {
    name: 'cash.move',
    expect: 'NOT_SUPERVISOR',
    input: (s) => ({ session: s.session, kind: 'cash_out', amountFen: 100, reason: '找零' }),
  },
  { name: 'receipt.spoil', expect: 'ok', input: (s) => ({ session: s.session, reason: '卡纸' }) },
  {
    name: 'household.search',
    expect: 'ok',
    input: (s) => ({ session: s.session, query: '10000001' }),
    remember: (v, s) => {
      const results = v.results as { id: string }[];
      s.householdId = results[0]?.id ?? 'none';
    },
  },
  {
    name: 'household.account',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId }),
  },
  {
    name: 'household.account',
    expect: 'HOUSEHOLD_NOT_FOUND',
    input: (s) => ({ session: s.session, householdId: 'H00000000' }),
  },
  // dunning (催缴), service log, imports, collector report
  {
    name: 'dunning.list',
    expect: 'ok',
    input: (s) => ({ session: s.session, minSeasonsOverdue: 1, limit: 5 }),
    remember: (v, s) => {
      const rows = v.rows as { household: { id: string } }[];
      s.owingHouseholdId = rows[0]?.household.id ?? 'none';
    },
  },
  {
    name: 'dunning.export',
    expect: 'ok',
    input: (s) => ({ session: s.session, minOwedFen: 100_000 }),
  },
  {
    name: 'dunning.contact',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.owingHouseholdId,
      channel: 'phone',
      outcome: 'promised',
      promisedOn: '2026-12-01',
      note: '本月底缴',
    }),
  },
  {
    name: 'dunning.contact',
    expect: 'HOUSEHOLD_NOT_FOUND',
    input: (s) => ({
      session: s.session,
      householdId: 'H00000000',
      channel: 'sms',
      outcome: 'reached',
    }),
  },
  {
    name: 'dunning.flag',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.owingHouseholdId,
      flag: 'legalAction',
      value: true,
      reason: '移交法务',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'dunning.flag',
    expect: 'BAD_CREDENTIALS',
    input: (s) => ({
      session: s.session,
      householdId: s.owingHouseholdId,
      flag: 'blacklisted',
      value: true,
      reason: '拖欠',
      supervisorCode: '9001',
      supervisorPin: '000000',
    }),
  },
  {
    name: 'dunning.notice',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.owingHouseholdId, format: 'thermal' }),
  },
  {
    name: 'dunning.notice',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.owingHouseholdId,
      format: 'a4',
      dueDate: '2026-12-31',
    }),
  },
  {
    name: 'dunning.history',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.owingHouseholdId }),
  },
  {
    name: 'service.temperature',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId, room: '客厅', tenthsC: 172 }),
  },
  {
    name: 'service.complaint',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.householdId,
      category: 'not_warm',
      text: '不热',
    }),
    remember: (v, s) => {
      s.complaintId = v.id as string;
    },
  },
  {
    name: 'service.complaintStatus',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      complaintId: s.complaintId,
      status: 'closed',
      note: '已修复',
    }),
  },
  {
    name: 'service.complaintStatus',
    expect: 'COMPLAINT_NOT_FOUND',
    input: (s) => ({ session: s.session, complaintId: 'none', status: 'closed', note: 'x' }),
  },
  {
    name: 'service.valve',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId, action: 'lock', keyNo: 'K1' }),
  },
  {
    name: 'service.valve',
    expect: 'VALVE_ALREADY',
    input: (s) => ({ session: s.session, householdId: s.householdId, action: 'lock', keyNo: 'K1' }),
  },
  {
    name: 'service.log',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId }),
  },
  {
    name: 'service.export',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId }),
  },
  {
    name: 'import.upload',
    expect: 'SUPERVISOR_SESSION_REQUIRED',
    input: (s) => ({
      session: s.session,
      importId: REQUEST_ID,
      chunkIndex: 0,
      chunkCount: 1,
      dataBase64: '',
    }),
  },
  {
    name: 'session.login',
    expect: 'ok',
    input: () => ({ clerkCode: '9001', pin: '888888' }),
    remember: (v, s) => {
      s.supervisorSession = v.session as string;
    },
  },
  {
    name: 'import.upload',
    expect: 'ok',
    input: (s) => ({
      session: s.supervisorSession,
      importId: REQUEST_ID,
      chunkIndex: 0,
      chunkCount: 1,
      dataBase64: Buffer.from(
        'account_no,name,community,building,unit,room,area_m2\r\n77000001,新户,新村,1,1,101,60.5\r\n',
      ).toString('base64'),
    }),
  },
  {
    name: 'import.start',
    expect: 'ok',
    input: (s) => ({
      session: s.supervisorSession,
      importId: REQUEST_ID,
      kind: 'households',
      format: 'csv',
      fileName: 'new.csv',
    }),
  },
  {
    name: 'import.progress',
    expect: 'ok',
    input: (s) => ({ session: s.supervisorSession, importId: REQUEST_ID }),
  },
  {
    name: 'report.collector',
    expect: 'ok',
    input: (s) => ({ session: s.session, from: '2026-11-01', to: '2026-11-30' }),
  },
  {
    name: 'payment.preview',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId, amountFen: 10_000 }),
  },
  {
    name: 'payment.take',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: REQUEST_ID,
      householdId: s.householdId,
      amountFen: 10_000,
      tenders: [{ kind: 'cash', amountFen: 10_000, tenderedFen: 20_000 }],
    }),
    remember: (v, s) => {
      s.receiptId = v.id as string;
      s.receiptLabel = v.receiptLabel as string;
    },
  },
  {
    // The same request again is a replay, not a second payment.
    name: 'payment.take',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: REQUEST_ID,
      householdId: s.householdId,
      amountFen: 10_000,
      tenders: [{ kind: 'cash', amountFen: 10_000, tenderedFen: 20_000 }],
    }),
  },
  {
    name: 'receipt.find',
    expect: 'ok',
    input: (s) => ({ session: s.session, receiptLabel: s.receiptLabel }),
  },
  {
    name: 'receipt.reprint',
    expect: 'ok',
    input: (s) => ({ session: s.session, receiptId: s.receiptId }),
  },
  {
    name: 'service.rate',
    expect: 'ok',
    input: (s) => ({ session: s.session, receiptId: s.receiptId, score: 5, source: 'keypad' }),
  },
  {
    name: 'service.rate',
    expect: 'RATING_ALREADY_GIVEN',
    input: (s) => ({ session: s.session, receiptId: s.receiptId, score: 4, source: 'display' }),
  },
  {
    name: 'service.overdueComplaints',
    expect: 'ok',
    input: (s) => ({ session: s.session }),
  },
  {
    name: 'receipt.void',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      receiptId: s.receiptId,
      reason: '金额错误',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'receipt.void',
    expect: 'RECEIPT_ALREADY_VOID',
    input: (s) => ({ session: s.session, receiptId: s.receiptId, reason: '重复', ...SUPERVISOR }),
  },
  {
    name: 'receipt.statement',
    expect: 'ok',
    input: (s) => ({ session: s.session, receiptLabel: s.receiptLabel }),
  },
  {
    name: 'receipt.statement',
    expect: 'RECEIPT_NOT_FOUND',
    input: (s) => ({ session: s.session, receiptLabel: 'Z999999' }),
  },
  {
    name: 'book.issue',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      series: 'C',
      firstNo: 1,
      lastNo: 100,
      clerkCode: '1002',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'book.issue',
    expect: 'BOOK_OVERLAP',
    input: (s) => ({
      session: s.session,
      series: 'C',
      firstNo: 50,
      lastNo: 150,
      clerkCode: '1002',
      ...SUPERVISOR,
    }),
  },
  { name: 'ledger.verify', expect: 'ok', input: (s) => ({ session: s.session }) },
  // Heating-fee rules (the fixed clock is 2026-11-20, after the 2026-10-15 no-heat deadline).
  { name: 'rules.get', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'rules.settings.set',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      reliefApprovals: 1,
      noHeatRequiresArrearsCleared: false,
      advancePayment: true,
      ...SUPERVISOR,
    }),
  },
  {
    name: 'noheat.apply',
    expect: 'NO_HEAT_AFTER_DEADLINE',
    input: (s) => ({ session: s.session, householdId: s.householdId, reason: '空置' }),
  },
  {
    name: 'noheat.apply',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.householdId,
      reason: '空置',
      valveKey: 'K-1',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'noheat.resume',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId, reason: '入住' }),
  },
  {
    name: 'relief.grant',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.householdId,
      seasonId: 'S2026',
      kind: 'reduction',
      amountFen: 1,
      reason: '尾差',
      approvals: [SUPERVISOR],
    }),
  },
  {
    name: 'payment.take',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-1111-7222-8333-444455550026',
      householdId: s.householdId,
      amountFen: 100,
      allocation: [{ seasonId: 'S2026', amountFen: 100 }],
      tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
    }),
  },
  {
    // H10000001's 2026-2027 charge is ¥1,842.95, less the 1 fen reduction: fully subsidised
    name: 'subsidy.assign',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.householdId,
      seasonId: 'S2026',
      shareFen: 184_294,
      reason: '财政补贴',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'credit.apply',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId }),
  },
  {
    name: 'subsidy.receive',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.householdId,
      seasonId: 'S2026',
      amountFen: 1000,
      reference: '财拨-1',
    }),
  },
  { name: 'report.subsidy', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'report.relief',
    expect: 'ok',
    input: (s) => ({ session: s.session, from: '2026-11-01', to: '2026-11-30' }),
  },
  {
    name: 'household.update',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.householdId,
      phone: '13900001111',
      reason: '更新电话',
    }),
  },
  {
    name: 'household.rules',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId }),
  },
  {
    name: 'inspection.record',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.householdId,
      finding: '入户检查',
      drawingHeat: false,
    }),
  },
  {
    name: 'rules.season.set',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      seasonId: 'S2027',
      code: '2027-2028',
      startsOn: '2027-11-15',
      endsOn: '2028-03-15',
      noHeatDeadline: '2027-10-15',
      rates: { residential: 2650, commercial: 3800, public: 3200 },
      earlyDiscount: { until: '2027-11-30', pct: 5 },
      ...SUPERVISOR,
    }),
  },
  {
    name: 'charge.assessAdvance',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId }),
  },
  {
    name: 'fee.assess',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      householdId: s.householdId,
      seasonId: 'S2027',
      kind: 'early_discount',
    }),
  },
  // Card terminal (ZVT driver + simulator on an in-memory line).
  { name: 'card.reconnect', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'card.progress', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'card.abort', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'card.sale',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-2222-7222-8333-444455556666',
      householdId: s.householdId,
      amountFen: 1013,
    }),
    remember: (v, s) => {
      s.cardIntentId = (v.payment as { intentId: string }).intentId;
    },
  },
  {
    name: 'card.sale',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-3333-7222-8333-444455556666',
      householdId: s.householdId,
      amountFen: 1000,
    }),
  },
  {
    name: 'card.inspect',
    expect: 'ok',
    input: (s) => ({ session: s.session, intentId: s.cardIntentId }),
  },
  {
    name: 'card.resolve',
    expect: 'ok',
    input: (s) => ({ session: s.session, intentId: s.cardIntentId, action: 'fail' }),
  },
  {
    name: 'card.resolve',
    expect: 'CARD_ACTION_NOT_ALLOWED',
    input: (s) => ({ session: s.session, intentId: s.cardIntentId, action: 'record' }),
  },
  { name: 'card.pending', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'sync.status', expect: 'ok', input: (s) => ({ session: s.session }) },
  // first run: on a set-up ledger only the status answers; nothing is enrolled, restored or seeded
  { name: 'setup.status', expect: 'ok', input: () => ({}) },
  {
    name: 'setup.enroll',
    expect: 'SETUP_DONE',
    input: () => ({ url: 'http://127.0.0.1:1', code: 'ABCD-EFGH-JKMN-PQRS' }),
  },
  { name: 'setup.backups', expect: 'SETUP_DONE', input: () => ({}) },
  { name: 'setup.restore', expect: 'SETUP_DONE', input: () => ({ dir: '/tmp', file: 'x.db' }) },
  { name: 'setup.demo', expect: 'SETUP_DONE', input: () => ({ confirm: 'DEMO' }) },
  {
    name: 'session.changePin',
    expect: 'PIN_WEAK',
    input: (s) => ({ session: s.session, pin: '123456', newPin: '111111', newPinAgain: '111111' }),
  },
  { name: 'sync.unsynced', expect: 'ok', input: (s) => ({ session: s.session }) },
  // counter updates: no updater in these shells (desktop app only): the status says so
  { name: 'update.status', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'update.check', expect: 'BAD_INPUT', input: (s) => ({ session: s.session }) },
  { name: 'update.check', expect: 'ok', input: (s) => ({ session: s.session, ...SUPERVISOR }) },
  { name: 'cheque.list', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'cheque.clear',
    expect: 'NOT_SUPERVISOR',
    input: (s) => ({ session: s.session, receiptId: 'R-none', position: 0 }),
  },
  {
    name: 'cheque.bounce',
    expect: 'BAD_INPUT',
    input: (s) => ({ session: s.session, receiptId: 'R-none', position: 0, reason: '' }),
  },
  ...['0190a5e4-1111-7222-8333-4444555500c1', '0190a5e4-1111-7222-8333-4444555500c2'].map(
    (requestId): Step => ({
      name: 'payment.take',
      expect: 'ok',
      input: (s) => ({
        session: s.session,
        requestId,
        householdId: s.owingHouseholdId,
        amountFen: 100,
        tenders: [{ kind: 'cheque', amountFen: 100, chequeNo: 'ZP1', bank: '建设银行' }],
      }),
      remember: (v, s) => {
        s.chequeReceiptIds = [...(s.chequeReceiptIds ?? []), v.id as string];
      },
    }),
  ),
  {
    name: 'cheque.clear',
    expect: 'ok',
    input: (s) => ({
      session: s.supervisorSession,
      receiptId: s.chequeReceiptIds?.[0],
      position: 0,
    }),
  },
  {
    name: 'cheque.bounce',
    expect: 'CHEQUE_ALREADY_DECIDED',
    input: (s) => ({
      session: s.supervisorSession,
      receiptId: s.chequeReceiptIds?.[0],
      position: 0,
      reason: '余额不足',
    }),
  },
  {
    name: 'cheque.bounce',
    expect: 'ok',
    input: (s) => ({
      session: s.supervisorSession,
      receiptId: s.chequeReceiptIds?.[1],
      position: 0,
      reason: '余额不足',
    }),
  },
  {
    name: 'sync.configure',
    expect: 'BAD_INPUT',
    input: (s) => ({ session: s.session, url: 'ftp://x', token: 'short', ...SUPERVISOR }),
  },
  {
    name: 'sync.configure',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      url: 'http://127.0.0.1:5480',
      token: `hot_${'t'.repeat(40)}`,
      ...SUPERVISOR,
    }),
  },
  {
    name: 'sync.enroll',
    expect: 'ENROLL_REFUSED',
    input: (s) => ({
      session: s.session,
      url: ho?.url,
      code: '0000-0000-0000-0000',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'sync.enroll',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      url: ho?.url,
      code: enrollmentCodes.shift(),
      ...SUPERVISOR,
    }),
  },
  // QR sales through head office (enrolled just above) and its Alipay simulator
  {
    name: 'qr.sale',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-5555-7222-8333-444455556666',
      householdId: s.householdId,
      amountFen: 1200,
      code: '281234567890123456',
      source: 'scanner',
    }),
    remember: (v, s) => {
      s.qrIntentId = (v.payment as { intentId: string }).intentId;
    },
  },
  {
    name: 'qr.sale',
    expect: 'QR_CODE_INVALID',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-6666-7222-8333-444455556666',
      householdId: s.householdId,
      amountFen: 1200,
      code: '1234',
    }),
  },
  { name: 'qr.pending', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'qr.resolve',
    expect: 'ok',
    input: (s) => ({ session: s.session, intentId: s.qrIntentId }),
  },
  {
    name: 'qr.cancel',
    expect: 'ok',
    input: (s) => ({ session: s.session, intentId: s.qrIntentId }),
  },
  {
    name: 'qr.resolve',
    expect: 'QR_INTENT_NOT_FOUND',
    input: (s) => ({ session: s.session, intentId: 'I-none' }),
  },
  {
    name: 'card.manual',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-4444-7222-8333-444455556666',
      householdId: s.householdId,
      amountFen: 500,
      terminalRef: 'POS-778899',
      authCode: 'A1B2C3',
      maskedPan: '622588******1234',
    }),
  },
  { name: 'card.report', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'card.endOfDay', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'card.ports', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'card.settings.get', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'card.settings.test',
    expect: 'CARD_PORT_UNAVAILABLE',
    input: (s) => ({ session: s.supervisorSession, settings: { path: '/dev/ttyNOSUCH9' } }),
  },
  {
    name: 'card.settings.set',
    expect: 'CARD_PORT_UNAVAILABLE',
    input: (s) => ({
      session: s.session,
      ...SUPERVISOR,
      enabled: true,
      settings: { path: '/dev/ttyNOSUCH9' },
    }),
  },
  {
    name: 'card.settings.test',
    expect: 'ok',
    input: (s) => ({
      session: s.supervisorSession,
      settings: { path: zvtPty?.ecr, t3Ms: 1000, t4Ms: 3000 },
    }),
  },
  {
    name: 'card.settings.set',
    expect: 'ok',
    input: (s) => ({ session: s.session, ...SUPERVISOR, enabled: false }),
  },
  {
    name: 'backup.testDir',
    expect: 'ok',
    input: (s) => ({ session: s.supervisorSession, dir: tmpdir() }),
  },
  {
    name: 'backup.testDir',
    expect: 'BACKUP_DIR_INVALID',
    input: (s) => ({ session: s.supervisorSession, dir: '/nonexistent-disk/backups' }),
  },
  {
    name: 'sync.test',
    expect: 'ok',
    input: (s) => ({ session: s.supervisorSession, url: ho?.url }),
  },
  {
    name: 'sync.test',
    expect: 'HEAD_OFFICE_UNREACHABLE',
    input: (s) => ({ session: s.supervisorSession, url: 'http://127.0.0.1:1' }),
  },
  // Printer: no printer attached here, so jobs wait in the queue (printing is in printer tests).
  { name: 'printer.status', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'printer.jobs',
    expect: 'ok',
    input: (s) => ({ session: s.session }),
    remember: (v, s) => {
      s.printJobId = (v.jobs as { id: string }[])[0]?.id ?? 'none';
    },
  },
  { name: 'printer.retry', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'pole.settings.get', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'pole.settings.set',
    expect: 'ok',
    input: (s) => ({ session: s.session, ...SUPERVISOR, enabled: false, path: '', baudRate: 2400 }),
  },
  {
    name: 'pole.settings.set',
    expect: 'POLE_PORT_UNAVAILABLE',
    input: (s) => ({
      session: s.session,
      ...SUPERVISOR,
      enabled: true,
      path: '/dev/ttyNOSUCHPOLE',
      baudRate: 2400,
    }),
  },
  { name: 'pole.test', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'printer.reprint',
    expect: 'ok',
    input: (s) => ({ session: s.session, jobId: s.printJobId }),
  },
  {
    name: 'printer.reprint',
    expect: 'PRINT_JOB_NOT_FOUND',
    input: (s) => ({ session: s.session, jobId: 'J-none' }),
  },
  {
    name: 'printer.preview',
    expect: 'ok',
    input: (s) => ({ session: s.session, receiptId: s.receiptId }),
  },
  { name: 'printer.settings.get', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'printer.settings.set',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      ...SUPERVISOR,
      interface: 'none',
      width: 32,
      encoding: 'cp936',
      companyName: '测试热力',
      drawerKick: '1b 70 00 19 fa',
      printStub: false,
    }),
  },
  { name: 'printer.testPrint', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'shift.close',
    expect: 'VARIANCE_NEEDS_APPROVAL',
    input: (s) => ({ session: s.session, denominations: { '10': 1 } }),
  },
  {
    name: 'shift.close',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      denominations: { '100': 3 },
      varianceReason: '点钞短款，待查',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'shift.handInSlip',
    expect: 'ok',
    input: (s) => ({ session: s.session, shiftId: s.shiftId }),
  },
  {
    name: 'shift.slipPreview',
    expect: 'ok',
    input: (s) => ({ session: s.session, shiftId: s.shiftId, copy: 'clerk' }),
  },
  {
    name: 'report.export',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      report: 'handInSlip',
      shiftId: s.shiftId,
      format: 'html',
    }),
  },
  {
    name: 'report.export',
    expect: 'PDF_UNAVAILABLE',
    input: (s) => ({ session: s.session, report: 'monthly', month: '2026-11', format: 'pdf' }),
  },
  {
    name: 'report.daily',
    expect: 'ok',
    input: (s) => ({ session: s.session, businessDate: '2026-11-20' }),
  },
  {
    name: 'report.monthly',
    expect: 'ok',
    input: (s) => ({ session: s.session, month: '2026-11' }),
  },
  {
    name: 'day.close',
    expect: 'ok',
    input: (s) => ({ session: s.session, businessDate: '2026-11-20', ...SUPERVISOR }),
  },
  {
    name: 'day.close',
    expect: 'DAY_ALREADY_CLOSED',
    input: (s) => ({ session: s.session, businessDate: '2026-11-20', ...SUPERVISOR }),
  },
  {
    name: 'book.return',
    expect: 'ok',
    input: (s) => ({ session: s.session, bookId: s.bookId, ...SUPERVISOR }),
  },
  {
    name: 'book.return',
    expect: 'BOOK_NOT_RETURNABLE',
    input: (s) => ({ session: s.session, bookId: s.bookId, ...SUPERVISOR }),
  },
  // Backups and diagnostics (the restore replaces this path's ledger with its own backup taken just
  // before: same chain head, so the later steps see the same ledger on every path).
  { name: 'backup.now', expect: 'BACKUP_NOT_CONFIGURED', input: (s) => ({ session: s.session }) },
  {
    name: 'backup.settings.set',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      ...SUPERVISOR,
      dir: join(dir.dir, `backups-${s.session.slice(0, 12)}`),
      intervalHours: 24,
      enabled: true,
    }),
  },
  { name: 'backup.status', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'backup.now',
    expect: 'ok',
    input: (s) => ({ session: s.session }),
    remember: (v, s) => {
      s.backupFile = (v.file as { name: string }).name;
    },
  },
  {
    name: 'backup.verify',
    expect: 'ok',
    input: (s) => ({ session: s.session, file: s.backupFile }),
  },
  {
    name: 'backup.restore',
    expect: 'ok',
    input: (s) => ({ session: s.session, ...SUPERVISOR, file: s.backupFile }),
  },
  { name: 'diagnostics.errors', expect: 'ok', input: (s) => ({ session: s.session, limit: 5 }) },
  { name: 'diagnostics.export', expect: 'ok', input: (s) => ({ session: s.session }) },
  // The customer display: the clerk states the screen, a connection pairs and rates (at the end:
  // a paired connection runs the display's commands only).
  {
    name: 'customer.show',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      screen: { phase: 'account', householdId: s.owingHouseholdId },
    }),
  },
  {
    name: 'customer.show',
    expect: 'BAD_INPUT',
    input: (s) => ({
      session: s.session,
      screen: { phase: 'paid', householdId: s.owingHouseholdId },
    }),
  },
  {
    name: 'customer.show',
    expect: 'CUSTOMER_RECEIPT_MISMATCH',
    input: (s) => ({
      session: s.session,
      screen: { phase: 'paid', householdId: s.householdId, receiptId: s.chequeReceiptIds?.[0] },
    }),
  },
  {
    name: 'customer.show',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      screen: {
        phase: 'paid',
        householdId: s.owingHouseholdId,
        receiptId: s.chequeReceiptIds?.[0],
      },
    }),
  },
  {
    name: 'customer.pairingCode',
    expect: 'ok',
    input: (s) => ({ session: s.session }),
    remember: (v, s) => {
      s.pairingCode = v.code as string;
    },
  },
  { name: 'customer.current', expect: 'CUSTOMER_NOT_PAIRED', input: () => ({}) },
  { name: 'customer.rate', expect: 'CUSTOMER_NOT_PAIRED', input: () => ({ score: 5 }) },
  { name: 'session.logout', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'shift.current', expect: 'NOT_LOGGED_IN', input: (s) => ({ session: s.session }) },
  { name: 'no.such.command', expect: 'UNKNOWN_COMMAND', input: () => ({}) },
  {
    name: 'customer.pair',
    expect: 'CUSTOMER_PAIRING_WRONG',
    input: (s) => ({ code: String((Number(s.pairingCode) + 1) % 1_000_000).padStart(6, '0') }),
  },
  { name: 'customer.pair', expect: 'ok', input: (s) => ({ code: s.pairingCode }) },
  { name: 'customer.current', expect: 'ok', input: () => ({}) },
  { name: 'terminal.info', expect: 'CUSTOMER_DISPLAY_ONLY', input: () => ({}) },
  { name: 'customer.rate', expect: 'ok', input: () => ({ score: 4 }) },
  { name: 'customer.rate', expect: 'CUSTOMER_NOTHING_TO_RATE', input: () => ({ score: 4 }) },
];

/** The structure of a value: key sets and primitive types, recursively (JSON semantics). */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v)]),
    );
  }
  return typeof value;
}

type Invoke = (name: string, input: unknown) => Promise<ClientResult<unknown>>;
interface Path {
  label: string;
  invoke: Invoke;
  outcomes: { code: string; shape: unknown; errorDetailKeys?: string[] }[];
}

const fixedClock = () => new Date('2026-11-20T02:00:00.000Z');
let dir: ReturnType<typeof tempDir>;
const terminals: TestTerminal[] = [];
let host: Host;
const clients: ApiClient[] = [];
const paths: Path[] = [];

function asInvoke(client: ApiClient): Invoke {
  return client.invoke as unknown as Invoke;
}

beforeAll(async () => {
  dir = tempDir('cashier-contract-');
  // QR sales: head office settles through the Alipay provider against the simulator
  const app = generateRsaKeyPair('pkcs8');
  const alipay = generateRsaKeyPair('pkcs1');
  alipaySim = new AlipaySimulator({
    appId: '2021000000000001',
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    dir: join(dir.dir, 'alipay-sim'),
  });
  const alipayProvider = createAlipayProvider(
    alipayConfig.parse({
      appId: '2021000000000001',
      privateKey: app.privateKey,
      alipayPublicKey: alipay.publicKey,
      gateway: await alipaySim.start(),
      timeoutMs: 2000,
    }),
  );
  ho = await startHeadOffice('pglite', { qr: { providers: { alipay: alipayProvider } } });
  zvtPty = await startPtyPair(dir.dir);
  zvtSim = await startSimulator(zvtPty.pt, join(dir.dir, 'zvt-journal.json'));
  for (let i = 0; i < 3; i++) enrollmentCodes.push(await ho.enrollmentCode(`contract ${i}`));
  for (const name of ['direct', 'websocket', 'bridge']) {
    terminals.push(
      openTestTerminal(join(dir.dir, `${name}.db`), { households: 20, clock: fixedClock }),
    );
  }
  const [direct, viaWs, viaBridge] = terminals as [TestTerminal, TestTerminal, TestTerminal];
  // Card terminal: the real ZVT driver and simulator on an in-memory line (pty tests are separate).
  for (const t of terminals) attachMemoryCardTerminal(t.ctx);
  terminals.forEach((t, i) =>
    t.ctx.runtime.diagnostics.configure({
      logDir: join(dir.dir, `logs-${i}`),
      versions: { app: 'test' },
    }),
  );

  host = await startHost({ ctx: viaWs.ctx, port: 0, staticDir: join(dir.dir, 'no-renderer') });
  const wsClient = createWebSocketClient(`${host.url.replace(/^http/, 'ws')}/api`, {
    WebSocket: WS as unknown as WebSocketConstructor,
    timeoutMs: 10_000,
  });
  // Electron's path minus Electron: the real preload bridge (src-main/electron/bridge.ts) over an
  // ipcRenderer stand-in that copies with the structured clone algorithm, as IPC does, into the
  // real IPC handler (sender check, payload checks) that main.ts registers, then dispatch.
  const ipcHandler = createIpcHandler({
    dispatch: (name, input) => dispatch(viaBridge.ctx, name, input),
  });
  const appFrame = { senderFrame: { url: 'app://cashier/index.html', parent: null } };
  const bridgeClient = createBridgeClient(
    createPreloadBridge({
      invoke: async (_channel, ...args) =>
        structuredClone(await ipcHandler(appFrame, ...args.map((a) => structuredClone(a)))),
      on: () => undefined,
      removeListener: () => undefined,
    }),
  );
  clients.push(wsClient, bridgeClient);

  paths.push(
    {
      label: 'dispatch',
      invoke: (name, input) => dispatch(direct.ctx, name, input),
      outcomes: [],
    },
    { label: 'websocket', invoke: asInvoke(wsClient), outcomes: [] },
    { label: 'bridge', invoke: asInvoke(bridgeClient), outcomes: [] },
  );

  for (const path of paths) {
    const state: State = {
      session: '',
      householdId: '',
      receiptId: '',
      receiptLabel: '',
      printJobId: '',
      shiftId: '',
      bookId: '',
    };
    for (const step of steps) {
      const result = await path.invoke(step.name, step.input(state));
      if (result.ok) {
        step.remember?.(result.value as Record<string, unknown>, state);
        path.outcomes.push({ code: 'ok', shape: shape(result.value) });
      } else {
        path.outcomes.push({
          code: result.error.code,
          shape: shape(result.error),
          errorDetailKeys: Object.keys(result.error.details ?? {}).sort(),
        });
      }
    }
  }
});

afterAll(async () => {
  for (const client of clients) client.close();
  await host?.close();
  await ho?.close();
  await alipaySim?.close();
  for (const t of terminals) t.close();
  await zvtSim?.channel.close().catch(() => undefined);
  await zvtPty?.kill();
  dir?.cleanup();
});

describe('one command table, every transport', () => {
  it('the table covers every command of the contract', () => {
    const covered = new Set(steps.filter((s) => s.expect === 'ok').map((s) => s.name));
    // The first-run commands succeed only on an empty ledger, which each replaces (enrolled,
    // restored, seeded): their successes are in tests/integration/setup/first-run.test.ts; here
    // every transport gives the same SETUP_DONE.
    // session.changePin: its success changes a PIN the other steps log in with (first-run tests).
    for (const n of [
      'setup.enroll',
      'setup.backups',
      'setup.restore',
      'setup.demo',
      'session.changePin',
    ] as const)
      covered.add(n);
    const missing = (Object.keys(commands) as CommandName[]).filter((n) => !covered.has(n));
    expect(missing, 'add a successful step for each new command').toEqual([]);
  });

  it.each(steps.map((step, i) => [i, `${step.name} → ${step.expect}`] as const))(
    'step %i: %s is the same on dispatch, WebSocket and bridge',
    (i) => {
      const step = steps[i]!;
      for (const path of paths) {
        expect(path.outcomes[i]?.code, `${path.label}: ${step.name}`).toBe(step.expect);
      }
      const [reference, ...others] = paths as [Path, ...Path[]];
      for (const path of others) {
        expect(path.outcomes[i], `${path.label} vs dispatch: ${step.name}`).toEqual(
          reference.outcomes[i],
        );
      }
    },
  );

  it('the WebSocket client fails pending calls with a structured error when the host goes away', async () => {
    const t = openTestTerminal(join(dir.dir, 'drop.db'), { households: 5, clock: fixedClock });
    const h = await startHost({ ctx: t.ctx, port: 0, staticDir: join(dir.dir, 'no-renderer') });
    const client = createWebSocketClient(`${h.url.replace(/^http/, 'ws')}/api`, {
      WebSocket: WS as unknown as WebSocketConstructor,
      timeoutMs: 1_500,
      backoffBaseMs: 50,
      backoffMaxMs: 200,
    });
    try {
      expect((await client.invoke('terminal.info', {})).ok).toBe(true);
      expect(client.state()).toBe('open');
      const states: string[] = [];
      client.onStateChange((s) => states.push(s));
      await h.close();
      // Not connected: the call waits for a reconnect, then fails as OFFLINE (nothing was sent).
      const offline = await client.invoke('terminal.info', {});
      expect(offline.ok).toBe(false);
      if (!offline.ok) {
        expect(offline.error.code).toBe('OFFLINE');
        expect(offline.error.message['zh-CN']).toContain('操作未执行');
      }
      expect(states).toContain('closed');
    } finally {
      client.close();
      await h.close();
      t.close();
    }
  });

  it('a call in flight when the socket drops fails as CONNECTION_LOST, not a hang', async () => {
    // A server that accepts the socket and the call, then drops the connection without replying.
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (socket) => socket.on('message', () => socket.terminate()));
    const port = (server.address() as { port: number }).port;
    const client = createWebSocketClient(`ws://127.0.0.1:${port}/api`, {
      WebSocket: WS as unknown as WebSocketConstructor,
      timeoutMs: 5_000,
    });
    try {
      const result = await client.invoke('terminal.info', {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('CONNECTION_LOST');
    } finally {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a call the host never answers times out with TIMEOUT', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    const client = createWebSocketClient(`ws://127.0.0.1:${port}/api`, {
      WebSocket: WS as unknown as WebSocketConstructor,
      timeoutMs: 300,
    });
    try {
      const result = await client.invoke('terminal.info', {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('TIMEOUT');
    } finally {
      client.close();
      for (const socket of server.clients) socket.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the bridge client turns a rejected or malformed bridge reply into a structured error', async () => {
    const rejecting = createBridgeClient({
      invoke: () => Promise.reject(new Error('IPC channel refused')),
    });
    const r1 = await rejecting.invoke('terminal.info', {});
    expect(!r1.ok && r1.error.code).toBe('CONNECTION_LOST');
    const malformed = createBridgeClient({ invoke: async () => 'nonsense' });
    const r2 = await malformed.invoke('terminal.info', {});
    expect(!r2.ok && r2.error.code).toBe('CONNECTION_LOST');
    const hanging = createBridgeClient({ invoke: () => new Promise(() => {}) }, { timeoutMs: 50 });
    const r3 = await hanging.invoke('terminal.info', {});
    expect(!r3.ok && r3.error.code).toBe('TIMEOUT');
  });
});
