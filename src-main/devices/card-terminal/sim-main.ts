/**
 * Terminal simulator on one end of a pty pair:
 *   socat -d -d pty,raw,echo=0,link=/tmp/ecr pty,raw,echo=0,link=/tmp/pt &
 *   npm run sim:terminal -- --pty /tmp/pt [--script FILE] [--journal FILE] [--baud 9600]
 * The cashier terminal then uses CASHIER_CARD_TERMINAL=/tmp/ecr.
 * Prints READY when its end is open, then one line per command / transaction.
 * `kill -USR1 <pid>` switches the simulated terminal off and on again (the line stays open).
 */
import { readFileSync } from 'node:fs';
import { openSerialChannel, ZVT_SERIAL } from './serial-channel';
import { ZvtTerminalSimulator, type SimScript } from './simulator';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const path = arg('pty');
  if (!path) {
    process.stderr.write(
      'usage: sim:terminal --pty PATH [--script FILE] [--journal FILE] [--baud N]\n',
    );
    process.exit(2);
  }
  const scriptFile = arg('script');
  const script = scriptFile ? (JSON.parse(readFileSync(scriptFile, 'utf8')) as SimScript) : {};
  const channel = await openSerialChannel({
    ...ZVT_SERIAL,
    path,
    baudRate: Number(arg('baud') ?? 9600),
  });
  const journalFile = arg('journal');
  const sim = new ZvtTerminalSimulator(channel, {
    script,
    ...(journalFile ? { journalFile } : {}),
  });
  sim.log = (line) => process.stdout.write(`${line}\n`);
  process.on('SIGUSR1', () => (sim.isPoweredOff ? sim.powerOn() : sim.powerOff()));
  process.stdout.write('READY\n');
  await sim.serve();
  process.stdout.write('LINE CLOSED\n');
  process.exit(0);
}

void main().catch((e: unknown) => {
  process.stderr.write(`simulator: ${(e as Error).message}\n`);
  process.exit(1);
});
