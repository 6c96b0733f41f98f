// A virtual ESC/POS printer on 127.0.0.1 for demos and manual tests:
//   npm run sim:printer [-- --port 9100] [--fault paper-out|cover-open|offline|drop-mid-job|slow|paper-out-mid-job]
//                       [--width 32|48] [--jobs DIR] [--serial PATH [--baud 9600]]
// Prints each job it receives as decoded text; with --jobs DIR it keeps job-N.txt / .bin / .svg
// (and job-N.png when rsvg-convert is installed) for looking at.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jobToSvg } from '../devices/printer/job-image';
import { VirtualPrinter, type FaultName } from '../devices/printer/virtual-printer';

const FAULTS: FaultName[] = [
  'paper-out',
  'cover-open',
  'offline',
  'drop-mid-job',
  'slow',
  'paper-out-mid-job',
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9100' },
      fault: { type: 'string', multiple: true, default: [] },
      width: { type: 'string', default: '48' },
      jobs: { type: 'string' },
      serial: { type: 'string' },
      baud: { type: 'string', default: '9600' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'npm run sim:printer -- [--port 9100] [--fault NAME]... [--width 32|48] [--jobs DIR]\n' +
        '                       [--serial PATH [--baud 9600]]  (also answer on a serial line / pty)\n' +
        `  faults: ${FAULTS.join(', ')}\n`,
    );
    return;
  }
  const width = values.width === '32' ? 32 : 48;
  const printer = new VirtualPrinter(width * 12);
  for (const f of values.fault) {
    if (!FAULTS.includes(f as FaultName)) {
      process.stderr.write(`unknown fault ${f}; one of ${FAULTS.join(', ')}\n`);
      process.exit(2);
    }
    printer.applyFault(f as FaultName);
  }
  if (values.jobs) mkdirSync(values.jobs, { recursive: true });
  printer.on('job', (job: import('../devices/printer/virtual-printer').VirtualJob) => {
    process.stdout.write(
      `\n===== 打印任务 job ${job.no} ${job.cut ? '(cut)' : '(NOT cut)'}${job.interrupted ? ` interrupted: ${job.interrupted}` : ''}` +
        `${job.drawerPulses.length ? ' [钱箱 drawer pulse]' : ''}${job.images.length ? ` [${job.images.length} image(s)]` : ''}` +
        `${job.qrCodes.map((q) => ` [QR ${q.data}]`).join('')} =====\n` +
        `${job.text}\n`,
    );
    if (values.jobs) {
      const base = join(values.jobs, `job-${job.no}`);
      writeFileSync(`${base}.txt`, job.text);
      writeFileSync(`${base}.bin`, job.bytes);
      writeFileSync(`${base}.svg`, jobToSvg(job, width));
      const png = spawnSync('rsvg-convert', ['-o', `${base}.png`, `${base}.svg`]);
      if (png.error) process.stderr.write('(install librsvg2-bin for PNG output)\n');
    }
  });
  const port = await printer.start(Number(values.port));
  if (values.serial) {
    await printer.attachSerial(values.serial, Number(values.baud));
    process.stdout.write(
      `串口 / serial line ${values.serial} @ ${values.baud} baud: CASHIER_PRINTER=serial:<other end>?baud=${values.baud}\n`,
    );
  }
  process.stdout.write(
    `虚拟打印机已启动 / virtual ESC/POS printer on tcp://127.0.0.1:${port} (${width} columns)` +
      `${values.fault.length ? `, faults: ${values.fault.join(', ')}` : ''}\n` +
      `  use it: CASHIER_PRINTER=tcp://127.0.0.1:${port} npm run start:web\n`,
  );
  const stop = () => {
    void printer.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
