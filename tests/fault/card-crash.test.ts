import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedTotal, readJournal } from '../../src-main/devices/card-terminal/simulator';
import {
  attachCardTerminal,
  cardReport,
  pendingCardPayments,
} from '../../src-main/features/card/card-payments';
import { verifyLedger } from '../../src-main/ledger/verify';
import { ptyDriver, startSimulator } from '../support/card';
import { startPtyPair, type PtyPair } from '../support/pty';
import { householdsOwing, openTestTerminal, tempDir } from '../support/terminal';

/**
 * The cashier app is SIGKILLed in the middle of a card payment (a child process speaking ZVT to the
 * simulator over a socat pty pair). After each kill the app restarts on the same ledger file, finds
 * the intent, asks the terminal and resolves it: exactly one receipt or one clean failure, and the
 * ledger's terminal card total equals the simulator's approved total.
 */
let tmp: ReturnType<typeof tempDir>;
let pty: PtyPair;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let dbFile: string;
let journal: string;
let session: string;
let households: string[];

function runUntil(args: string[], marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'card-worker.ts'), ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker never printed ${marker}: ${out}`));
    }, 60_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const lines = out.split('\n');
      const bad = lines.find((l) => l.startsWith('DONE') || l.startsWith('ERR'));
      if (bad) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`worker finished before ${marker}: ${out}`));
        return;
      }
      const line = lines.find((l) => l.startsWith(marker));
      if (line) {
        child.kill('SIGKILL');
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(line);
        });
      }
    });
  });
}

async function waitIdle() {
  while (sim.sim.busy) await new Promise((r) => setTimeout(r, 50));
}

/** Restart of the app on the same ledger: reconnect, inspect, resolve with `action`. */
async function restartAndResolve(action: 'record' | 'reverse' | 'fail' | 'auto') {
  await waitIdle();
  const t = openTestTerminal(dbFile);
  const driver = ptyDriver(pty.ecr);
  attachCardTerminal(t.ctx, driver);
  try {
    const s = await t.login();
    const r = await t.must('card.reconnect', { session: s });
    expect(r.pending).toHaveLength(1);
    const id = r.pending[0]!.intentId;
    const facts = await t.must('card.inspect', { session: s, intentId: id });
    const chosen = action === 'auto' ? facts.allowed[0]! : action;
    expect(facts.allowed).toContain(chosen);
    const done = await t.must('card.resolve', { session: s, intentId: id, action: chosen });
    expect(pendingCardPayments(t.ctx)).toEqual([]);
    expect(cardReport(t.ctx).terminalFen).toBe(approvedTotal(readJournal(journal)));
    const report = verifyLedger(t.ctx.db, t.ctx.terminal.id);
    expect(report.ok, JSON.stringify(report)).toBe(true);
    return { facts, done };
  } finally {
    await driver.close();
    t.close();
  }
}

beforeAll(async () => {
  tmp = tempDir('card-crash-');
  dbFile = join(tmp.dir, 'ledger.db');
  journal = join(tmp.dir, 'journal.json');
  const t = openTestTerminal(dbFile);
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  households = householdsOwing(t, 50_000, 10);
  t.close();
  pty = await startPtyPair(tmp.dir);
  sim = await startSimulator(pty.pt, journal, {
    faults: [{ on: 'sale', nth: 2, fault: 'slow', ms: 1500 }],
  });
});
afterAll(async () => {
  await pty.kill();
  tmp.cleanup();
});

describe('app SIGKILLed mid card payment', { timeout: 90_000 }, () => {
  it('killed between approval and receipt commit → recovered as exactly one receipt', async () => {
    const line = await runUntil(
      [dbFile, pty.ecr, session, households[0]!, '3100', 'approved'],
      'APPROVED',
    );
    expect(line).toMatch(/^APPROVED /);
    const { facts, done } = await restartAndResolve('record');
    expect(facts.payment.state).toBe('approved');
    expect(done.receipt?.totalFen).toBe(3100);
    expect(done.receipt?.tenders[0]?.detail).toMatchObject({ mode: 'terminal' });
  });

  it('killed after the sale was sent, before the answer → terminal approved it → reversed on the terminal', async () => {
    await runUntil([dbFile, pty.ecr, session, households[1]!, '4200', 'sent'], 'SENT');
    const { facts, done } = await restartAndResolve('reverse');
    expect(facts.matches).toBe(true);
    expect(done.payment.state).toBe('reversed');
    expect(done.receipt).toBeNull();
  });

  it('killed again and recorded as paid: still one receipt per approval, books match the terminal', async () => {
    await runUntil([dbFile, pty.ecr, session, households[2]!, '5300', 'approved'], 'APPROVED');
    const { done } = await restartAndResolve('auto');
    expect(done.payment.state).toBe('completed');
    expect(readJournal(journal).transactions.filter((x) => x.status === 'approved')).toHaveLength(
      2,
    );
  });
});
