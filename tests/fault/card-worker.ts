/**
 * Child process of tests/fault/card-crash.test.ts: one card sale through dispatch on a real ledger
 * file and the real ZVT driver on a pty, until the parent SIGKILLs it.
 *   node --import tsx card-worker.ts <dbFile> <ptyPath> <session> <householdId> <amountFen> <when>
 * <when> = 'approved': after the approval is durable and before the receipt commits, print
 * `APPROVED <intentId>` and hang; 'sent': print `SENT` at the terminal's first intermediate status.
 */
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { dispatch } from '../../src-main/api/dispatch';
import { openTerminal } from '../../src-main/app/open-terminal';
import { attachCardTerminal } from '../../src-main/features/card/card-payments';
import { ptyDriver } from '../support/card';

const say = (line: string) => writeSync(1, `${line}\n`);
const [dbFile, ptyPath, session, householdId, amount, when] = process.argv.slice(2);

async function main() {
  const t = openTerminal({ dbFile: dbFile!, timeZone: 'Asia/Shanghai' });
  const driver = ptyDriver(ptyPath!);
  attachCardTerminal(t.ctx, driver, {
    hooks: {
      afterApproval: async (intentId) => {
        if (when !== 'approved') return;
        say(`APPROVED ${intentId}`);
        await new Promise(() => undefined); // killed here
      },
    },
  });
  driver.onEvent((e) => {
    if (when === 'sent' && e.kind === 'intermediate') say('SENT');
  });
  await driver.connect();
  say('READY');
  const r = await dispatch(t.ctx, 'card.sale', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen: Number(amount),
  });
  say(`DONE ${JSON.stringify(r).slice(0, 300)}`);
  process.exit(0);
}
void main().catch((e: unknown) => {
  say(`ERR ${(e as Error).message}`);
  process.exit(2);
});
