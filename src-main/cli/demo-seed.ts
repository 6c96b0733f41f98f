import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { openTerminal } from '../app/open-terminal';
import { ServiceError } from '../services/context';
import { DEMO_CLERKS, seedDemo } from '../demo/generate';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    households: { type: 'string', default: '1000' },
    db: { type: 'string', default: 'data/terminal.db' },
    seed: { type: 'string', default: '1' },
  },
});

const households = Number(values.households);
const seed = Number(values.seed);
if (
  !Number.isSafeInteger(households) ||
  households < 1 ||
  households > 5_000_000 ||
  !Number.isSafeInteger(seed)
) {
  process.stderr.write(
    '用法 / usage: npm run demo:seed -- --households N --db FILE [--seed S]  (1 ≤ N ≤ 5,000,000)\n',
  );
  process.exit(2);
}

mkdirSync(dirname(values.db), { recursive: true });
const started = performance.now();
const terminal = openTerminal({ dbFile: values.db });
try {
  seedDemo(terminal.ctx, {
    households,
    seed,
    onProgress: (done, total) => process.stderr.write(`\r${done}/${total}`),
  });
  process.stderr.write('\n');
  process.stdout.write(
    `${JSON.stringify({
      db: values.db,
      households,
      seed,
      seconds: Math.round(performance.now() - started) / 1000,
      logins: DEMO_CLERKS.map((c) => ({ code: c.code, pin: c.pin, role: c.role })),
    })}\n`,
  );
} catch (e) {
  if (e instanceof ServiceError && e.code === 'DEMO_NOT_EMPTY') {
    process.stderr.write(
      '数据库中已有数据，不能生成演示数据 / The database already holds data; demo data needs an empty one.\n',
    );
    process.exitCode = 1;
  } else {
    throw e;
  }
} finally {
  terminal.close();
}
