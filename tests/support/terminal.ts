import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../src-main/api/dispatch';
import { openTerminal, type OpenTerminal } from '../../src-main/app/open-terminal';
import type { CommandName, CommandOutput } from '@heating-cashier/core/contract/commands';
import type { Result } from '@heating-cashier/core/contract/errors';

export function tempDir(prefix = 'cashier-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestTerminal extends OpenTerminal {
  dbFile: string;
  call<N extends CommandName>(
    name: N,
    input: Record<string, unknown>,
  ): Promise<Result<CommandOutput<N>>>;
  /** Calls a command that must succeed and returns its value. */
  must<N extends CommandName>(name: N, input: Record<string, unknown>): Promise<CommandOutput<N>>;
  login(code?: string, pin?: string): Promise<string>;
}

/** A terminal on a real SQLite file with the demo district; `call` goes through dispatch like every transport. */
export function openTestTerminal(
  dbFile: string,
  options: { households?: number; clock?: () => Date } = {},
): TestTerminal {
  const terminal = openTerminal({
    dbFile,
    demoIfEmpty: true,
    demoHouseholds: options.households ?? 50,
    timeZone: 'Asia/Shanghai',
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return asTestTerminal(terminal, dbFile);
}

/** Gives a terminal opened elsewhere (e.g. on a tampered copy) the test handles. */
export function asTestTerminal(terminal: OpenTerminal, dbFile: string): TestTerminal {
  const call = async <N extends CommandName>(name: N, input: Record<string, unknown>) =>
    (await dispatch(terminal.ctx, name, input)) as Result<CommandOutput<N>>;
  const must = async <N extends CommandName>(name: N, input: Record<string, unknown>) => {
    const result = await call(name, input);
    if (!result.ok)
      throw new Error(`${name} failed: ${result.error.code} ${result.error.message.en}`);
    return result.value;
  };
  return {
    ...terminal,
    dbFile,
    call,
    must,
    login: async (code = '1001', pin = '123456') =>
      (await must('session.login', { clerkCode: code, pin })).session,
  };
}

/** Households of the demo district that owe at least `minFen`. */
export function householdsOwing(t: OpenTerminal, minFen: number, limit = 20): string[] {
  return (
    t.ctx.db
      .prepare(
        `SELECT c.household_id AS id FROM charges c
         LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
         GROUP BY c.household_id
         HAVING sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))) >= ?
         ORDER BY c.household_id LIMIT ?`,
      )
      .all(minFen, limit) as { id: string }[]
  ).map((r) => r.id);
}

/** Pieces per denomination for `fen` (greedy over ¥100 … ¥0.1); a remainder below ¥0.1 is left uncounted. */
export function denominationsFor(fen: number): Record<string, number> {
  const out: Record<string, number> = {};
  let rest = fen;
  for (const d of [10000, 5000, 2000, 1000, 500, 100, 50, 10]) {
    const n = Math.floor(rest / d);
    if (n > 0) out[String(d)] = n;
    rest -= n * d;
  }
  return out;
}

/** Closes the open shift with a count of the expected cash (variance under ¥0.1, within the limit). */
export async function closeShiftExactly(t: TestTerminal, session: string) {
  const x = await t.must('shift.xReport', { session });
  return t.must('shift.close', { session, denominations: denominationsFor(x.cash.expectedFen) });
}

/** A cash payment of `amountFen` for one household (a fresh requestId), through dispatch. */
export function payCash(
  t: TestTerminal,
  session: string,
  householdId: string,
  amountFen: number,
  tenderedFen = amountFen,
) {
  return t.must('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen,
    tenders: [{ kind: 'cash', amountFen, tenderedFen }],
  });
}
