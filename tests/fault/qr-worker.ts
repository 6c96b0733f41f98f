/**
 * Child process of tests/fault/qr-crash.test.ts: the counter's side of QR sales on a real ledger
 * file, through dispatch (the same path as the host), until the parent SIGKILLs it. One command
 * per stdin line:
 *   SALE <requestId> <householdId> <amountFen> <code>   → `DONE <state>` or `ERR <code>`
 *   RESOLVE                                             → asks head office about every open intent
 *                                                         (qr.pending, qr.resolve) → `PENDING <n>`
 *   node --import tsx qr-worker.ts <dbFile> <session>
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dispatch } from '../../src-main/api/dispatch';
import { openTerminal } from '../../src-main/app/open-terminal';

const say = (line: string) => writeSync(1, `${line}\n`);
const [dbFile, session] = process.argv.slice(2) as [string, string];

type Out = { ok: true; value: unknown } | { ok: false; error: { code: string } };

async function main() {
  const t = openTerminal({ dbFile, timeZone: 'Asia/Shanghai' });
  const call = async (name: string, input: Record<string, unknown>) =>
    (await dispatch(t.ctx, name as never, { session, ...input } as never)) as Out;
  say('READY');
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, ...args] = line.trim().split(' ');
    if (cmd === 'SALE') {
      const [requestId, householdId, amount, code] = args;
      const r = await call('qr.sale', {
        requestId,
        householdId,
        amountFen: Number(amount),
        code,
        source: 'scanner',
      });
      say(
        r.ok
          ? `DONE ${(r.value as { payment: { state: string } }).payment.state}`
          : `ERR ${r.error.code}`,
      );
    } else if (cmd === 'RESOLVE') {
      const pending = await call('qr.pending', {});
      if (!pending.ok) {
        say(`ERR ${pending.error.code}`);
        continue;
      }
      let open = 0;
      for (const p of (pending.value as { payments: { intentId: string }[] }).payments) {
        const r = await call('qr.resolve', { intentId: p.intentId });
        if (!r.ok || (r.value as { payment: { state: string } }).payment.state === 'intent') open++;
      }
      say(`PENDING ${open}`);
    }
  }
}
void main().catch((e: unknown) => {
  say(`ERR ${(e as Error).message}`);
  process.exit(2);
});
