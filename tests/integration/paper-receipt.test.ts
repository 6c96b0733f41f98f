// The receipt's QR: the signed paper code (core/signing encodePaperReceipt) on the reply, on the
// printed copies and on every reprint, and the offline checker `npm run cli -- verify-receipt`.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePaperReceipt } from '@heating-cashier/core/signing';
import { verifyReceiptCode } from '../../src-main/cli/verify-receipt';
import { queueCommittedReceipts } from '../../src-main/features/printing/print-queue';
import { createVerifier, generateSigningKey } from '../../src-main/ledger/signing';
import { tempFolders } from '../support/temp-files';
import { householdsOwing, openTestTerminal } from '../support/terminal';

const { file } = tempFolders();
const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function cli(...args: string[]) {
  const r = spawnSync(TSX, [join(ROOT, 'src-main/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the paper code', () => {
  it('is signed by the terminal key, the same on the reply, the print job and every reprint; the CLI checks it offline', async () => {
    const t = openTestTerminal(file(), { households: 20 });
    let code: string;
    let publicKey: string;
    try {
      const session = await t.login();
      await t.must('shift.open', { session, openingFloatFen: 0 });
      const paid = await t.must('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: householdsOwing(t, 700, 1)[0]!,
        amountFen: 700,
        tenders: [{ kind: 'cash', amountFen: 700, tenderedFen: 1000 }],
      });
      code = paid.paperCode;
      const decoded = decodePaperReceipt(code);
      expect(decoded).toMatchObject({
        ok: true,
        receipt: {
          terminalId: t.ctx.terminal.id,
          receiptLabel: paid.receiptLabel,
          totalFen: 700,
          seq: t.ctx.db
            .prepare('SELECT issued_seq FROM receipts WHERE id = ?')
            .pluck()
            .get(paid.id),
        },
      });
      publicKey = t.ctx.db.cache.signer!.publicKey;
      expect(verifyReceiptCode(code, publicKey, createVerifier())).toMatchObject({ genuine: true });
      expect((await t.must('receipt.find', { session, receiptId: paid.id })).paperCode).toBe(code);
      queueCommittedReceipts(t.ctx);
      await t.must('receipt.reprint', { session, receiptId: paid.id });
      const printed = (
        t.ctx.db
          .prepare("SELECT data FROM print_jobs WHERE template = 'receipt' AND subject_id = ?")
          .pluck()
          .all(paid.id) as string[]
      ).map((d) => (JSON.parse(d) as { paperCode: string }).paperCode);
      expect(printed.length).toBeGreaterThanOrEqual(2);
      expect(new Set(printed)).toEqual(new Set([code]));
    } finally {
      t.close();
    }
    expect(cli('verify-receipt', code, '--key', publicKey)).toMatchObject({ code: 0 });
    const altered = code.replace(/\.700\./, '.7000.');
    expect(altered).not.toBe(code);
    const forged = cli('verify-receipt', altered, '--key', publicKey);
    expect(forged.code).toBe(1);
    expect(JSON.parse(forged.out)).toMatchObject({ genuine: false, receipt: { totalFen: 7000 } });
    const other = generateSigningKey().signer.publicKey;
    expect(cli('verify-receipt', code, '--key', other).code).toBe(1);
    expect(cli('verify-receipt', 'HR1:x:y', '--key', publicKey).code).toBe(1);
    expect(cli('verify-receipt', code).code).toBe(2);
  }, 120_000);
});
