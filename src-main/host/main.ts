// Plain-Node terminal: opens the ledger and serves the renderer + command API on 127.0.0.1.
//   tsx src-main/host/main.ts [--db FILE] [--port N] [--static DIR] [--card-terminal PATH [--card-baud N]]
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openTerminal } from '../app/open-terminal';
import { DEMO_CLERKS } from '../demo/generate';
import { startHost } from './server';
import { startRuntime } from '../app/runtime';
import { chromiumPdfRenderer, findChromium } from '../devices/pdf/chromium';
import {
  cardTerminalSettings,
  type CardTerminalSettings,
} from '../features/card/card-terminal-config';

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
        'card-terminal': { type: 'string' },
        'card-baud': { type: 'string' },
        demo: { type: 'boolean', default: false },
        workers: { type: 'string' },
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
        `  --static  built renderer (default dist/renderer; build it with npm run build:renderer)\n` +
        `  --demo    an empty ledger becomes a DEMO ledger (demo district, PINs 123456/888888); without it\n` +
        `            an empty ledger opens the setup screen (enroll with head office, or restore a backup)\n` +
        `  --card-terminal PATH  ZVT card terminal serial port (e.g. /dev/ttyUSB0, COM3); 'none' = manual only.\n` +
        `            Used while nothing is saved on the settings screen (F9 → 刷卡机设置), which wins;\n` +
        `            default: env CASHIER_CARD_TERMINAL_CONFIG / CASHIER_CARD_TERMINAL\n` +
        `  --card-baud N         its baud rate (default 9600; 8N2)\n` +
        `  --workers N  ledger worker threads for reports, exports, backup, verify (default 2;\n` +
        `            0 = run them on the main thread, as before: only for comparisons)\n`,
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
  const workers = args.workers === undefined ? 2 : Number(args.workers);
  if (!Number.isInteger(workers) || workers < 0 || workers > 8)
    fail(`--workers: 0-8, not "${args.workers}"`);
  const staticDir = path.resolve(args.static);

  mkdirSync(path.dirname(dbFile), { recursive: true });
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    process.stderr.write(
      `界面尚未构建 / The renderer is not built: ${path.join(staticDir, 'index.html')} is missing.\n` +
        '请先运行 / Run first:  npm run build:renderer   (or use npm run start:web)\n' +
        'The command API at /api works meanwhile.\n',
    );
  }

  let cardTerminal: CardTerminalSettings | null | undefined;
  const cardPath = args['card-terminal'];
  if (cardPath === 'none' || cardPath === 'manual') cardTerminal = null;
  else if (cardPath !== undefined) {
    const parsed = cardTerminalSettings.safeParse({
      path: cardPath,
      ...(args['card-baud'] !== undefined ? { baudRate: Number(args['card-baud']) } : {}),
    });
    if (!parsed.success)
      fail(`刷卡机设置无效 / Invalid card terminal settings: ${parsed.error.issues[0]?.message}`);
    cardTerminal = parsed.data;
  }
  const terminal = openTerminal({
    dbFile,
    firstRun: args.demo ? 'demo' : 'setup',
    sync: {},
    ...(cardTerminal !== undefined ? { cardTerminal } : {}),
  });
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
  // A4 PDF (hand-in slip, reports): the system Chromium through playwright-core, started on first use.
  const chromiumPath = findChromium();
  const pdf = chromiumPath ? chromiumPdfRenderer(chromiumPath) : null;
  // Rotating log in <ledger folder>/logs, diagnostics, default backup folder + backup schedule,
  // the print queue (logging to stderr) and the PDF adapter.
  const runtime = startRuntime(terminal, {
    dataDir: path.dirname(dbFile),
    printerLog: (message, data) =>
      process.stderr.write(
        `${JSON.stringify({ t: new Date().toISOString(), message, ...data })}\n`,
      ),
    pdf,
    workers: workers === 0 ? false : { size: workers },
  });
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
  } else if (ctx.runtime.setup.pending) {
    process.stdout.write(
      '  新终端：请在浏览器中打开上面的地址完成设置（向总部入网或从备份恢复）。\n' +
        '  New counter: open the address above to set it up (enroll with head office or restore a backup).\n',
    );
  } else {
    process.stdout.write(
      '  未生成演示数据（数据库已有数据）/ No demo data created (ledger not empty).\n',
    );
  }
  process.stdout.write(
    `  打印机 / Printer: ${runtime.printer ?? '未配置 / none (set it on screen: F9 → 打印机设置与打印队列, or CASHIER_PRINTER=tcp://127.0.0.1:9100)'}\n`,
  );
  const card = ctx.runtime.card.settings; // the settings saved on screen win over flag and env
  process.stdout.write(
    `  刷卡机 / Card terminal: ${
      card
        ? `ZVT ${card.path} ${card.baudRate} 8N${card.stopBits}`
        : '未配置 / none (manual entry only; set it on screen: F9 → 刷卡机设置, or --card-terminal PATH)'
    }\n`,
  );
  process.stdout.write(
    `  A4 PDF: ${pdf ? pdf.name : '未找到 Chromium / no Chromium (set CASHIER_CHROMIUM=PATH); Excel export still works'}\n`,
  );
  process.stdout.write(
    `  日志 / Logs: ${runtime.logDir}   备份 / Backups: ${path.join(path.dirname(dbFile), 'backups')} (或在“备份与日志”中设置 / or set under Backups and logs)\n`,
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
      .then(() => runtime.stop())
      .catch((e: unknown) => process.stderr.write(`stop failed: ${String(e)}\n`))
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
