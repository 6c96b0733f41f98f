// Plain-Node terminal: opens the ledger and serves the renderer + command API on 127.0.0.1.
//   tsx src-main/host/main.ts [--db FILE] [--port N] [--static DIR]
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openTerminal } from '../app/open-terminal';
import { DEMO_CLERKS } from '../demo/generate';
import { startHost } from './server';
import { startPrinting } from '../app/printer';

const DEFAULT_PORT = 5380;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parsePort(raw: string, source: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`端口无效 / Invalid port from ${source}: "${raw}" (0-65535)`);
  }
  return port;
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        db: { type: 'string', default: 'data/terminal.db' },
        port: { type: 'string' },
        static: { type: 'string', default: 'dist/renderer' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    fail(
      `${e instanceof Error ? e.message : String(e)}\nUsage: main.ts [--db FILE] [--port N] [--static DIR]`,
    );
  }
  if (args.help) {
    process.stdout.write(
      'Usage: tsx src-main/host/main.ts [--db FILE] [--port N] [--static DIR]\n' +
        `  --db      ledger file (default data/terminal.db)\n` +
        `  --port    port on 127.0.0.1 (default ${DEFAULT_PORT}, env CASHIER_PORT; 0 = any free port)\n` +
        `  --static  built renderer (default dist/renderer; build it with npm run build:renderer)\n`,
    );
    return;
  }

  const port =
    args.port !== undefined
      ? parsePort(args.port, '--port')
      : process.env.CASHIER_PORT
        ? parsePort(process.env.CASHIER_PORT, 'CASHIER_PORT')
        : DEFAULT_PORT;
  const dbFile = path.resolve(args.db);
  const staticDir = path.resolve(args.static);

  mkdirSync(path.dirname(dbFile), { recursive: true });
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    process.stderr.write(
      `界面尚未构建 / The renderer is not built: ${path.join(staticDir, 'index.html')} is missing.\n` +
        '请先运行 / Run first:  npm run build:renderer   (or use npm run start:web)\n' +
        'The command API at /api works meanwhile.\n',
    );
  }

  const terminal = openTerminal({ dbFile, demoIfEmpty: true, sync: {} });
  let host;
  try {
    host = await startHost({ ctx: terminal.ctx, port, staticDir });
  } catch (e) {
    terminal.close();
    const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : null;
    if (code === 'EADDRINUSE') {
      fail(
        `端口 ${port} 已被占用 / Port ${port} is already in use. ` +
          'Is another terminal running? Use --port N or CASHIER_PORT.',
      );
    }
    throw e;
  }

  const { ctx } = terminal;
  const printing = startPrinting(ctx, (message, data) =>
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), message, ...data })}\n`),
  );
  process.stdout.write(
    `收费终端已启动 / Terminal running: ${host.url}/\n` +
      `  终端 / Terminal: ${ctx.terminal.name} (${ctx.terminal.id})${ctx.terminal.isDemo ? ' [DEMO 演示]' : ''}\n` +
      `  数据库 / Ledger: ${dbFile}\n`,
  );
  if (terminal.createdDemo) {
    process.stdout.write('  已生成演示数据 / Demo data created. 演示登录 / Demo logins:\n');
    for (const c of DEMO_CLERKS) {
      process.stdout.write(`    工号 ${c.code}  密码 ${c.pin}  ${c.name} (${c.role})\n`);
    }
  } else {
    process.stdout.write(
      '  未生成演示数据（数据库已有数据）/ No demo data created (ledger not empty).\n',
    );
  }
  process.stdout.write(
    `  打印机 / Printer: ${printing.description ?? '未配置 / none (set CASHIER_PRINTER=tcp://127.0.0.1:9100)'}\n`,
  );
  process.stdout.write('  按 Ctrl+C 退出 / Press Ctrl+C to stop.\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: 正在关闭 / shutting down…\n`);
    host
      .close()
      .catch((e: unknown) => process.stderr.write(`close failed: ${String(e)}\n`))
      .then(() => printing.stop())
      .finally(() => {
        terminal.close();
        process.exit(0);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(
    `启动失败 / Failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
