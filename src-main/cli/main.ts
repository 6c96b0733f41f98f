import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { dispatch, listCommands } from '../api/dispatch';
import { openTerminal } from '../app/open-terminal';
import { commandError } from '@heating-cashier/core/contract/errors';
import { createVerifier } from '../ledger/signing';
import { verifyReceiptCode } from './verify-receipt';

const USAGE = `用法 / usage:
  npm run cli -- list
  npm run cli -- call <command> '<json input>' [--db FILE]
  npm run cli -- verify-receipt '<QR text>' --key <terminal public key>
  (default --db data/terminal.db; verify-receipt exits 0 genuine, 1 not genuine)`;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string', default: 'data/terminal.db' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [verb, name, json] = positionals;
  if (values.help || !verb) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (verb === 'list') {
    print(
      listCommands().map((c) => ({
        name: c.name,
        summary: c.summary,
        input: z.toJSONSchema(c.input, { io: 'input', unrepresentable: 'any' }),
      })),
    );
    return 0;
  }
  if (verb === 'verify-receipt') {
    if (!name || !values.key) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    // Offline: no ledger is opened; the paper and the terminal's public key are all it needs.
    const verdict = verifyReceiptCode(name, values.key, createVerifier());
    print(verdict);
    process.stderr.write(
      verdict.genuine
        ? '收据二维码签名有效（真实收据）。/ Genuine: the signature verifies.\n'
        : `收据二维码无效：${verdict.problem}。/ Not genuine: ${verdict.problem}.\n`,
    );
    return verdict.genuine ? 0 : 1;
  }
  if (verb !== 'call' || !name) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let input: unknown = {};
  if (json !== undefined) {
    try {
      input = JSON.parse(json);
    } catch (e) {
      print({
        ok: false,
        error: commandError('BAD_INPUT', { issues: `input is not JSON: ${(e as Error).message}` }),
      });
      return 1;
    }
  }
  if (!existsSync(values.db)) {
    // A typo in the path must not look like a blank terminal with a new identity.
    process.stderr.write(
      `找不到账本文件 ${values.db}。请检查 --db 路径，或先运行 npm start / npm run demo:seed 创建。\n` +
        `No ledger at ${values.db}. Check --db, or create one with npm start / npm run demo:seed.\n`,
    );
    return 2;
  }
  const terminal = openTerminal({ dbFile: values.db });
  try {
    const result = await dispatch(terminal.ctx, name, input);
    print(result);
    return result.ok ? 0 : 1;
  } finally {
    terminal.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(3);
  },
);
