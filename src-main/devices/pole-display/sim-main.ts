/**
 * Pole display (客显) simulator on one end of a pty pair:
 *   socat -d -d pty,raw,echo=0,link=/tmp/pole-pc pty,raw,echo=0,link=/tmp/pole-led &
 *   npm run sim:pole -- --pty /tmp/pole-led [--baud 2400]
 * Then pick /tmp/pole-pc as the pole display's port on the supervisor's 客显 screen.
 * Prints READY when its end is open, then one line per command with what the LED shows
 * (`总计 1500.00`, `找零 12.50`, `(blank)`), and `UNKNOWN …` for a byte outside the command set.
 */
import { openSerialChannel } from '../card-terminal/serial-channel';
import { POLE_DEFAULT_BAUD } from './commands';
import { PoleDisplaySimulator } from './simulator';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const path = arg('pty');
  if (!path) {
    process.stderr.write('usage: sim:pole --pty PATH [--baud 2400]\n');
    process.exit(2);
  }
  const channel = await openSerialChannel({
    path,
    baudRate: Number(arg('baud') ?? POLE_DEFAULT_BAUD),
    dataBits: 8,
    stopBits: 1,
    parity: 'none',
  });
  const sim = new PoleDisplaySimulator();
  sim.log = (line) => process.stdout.write(`${line}\n`);
  process.stdout.write('READY\n');
  await sim.attach(channel);
  process.stdout.write('LINE CLOSED\n');
  process.exit(0);
}

void main().catch((e: unknown) => {
  process.stderr.write(`pole simulator: ${(e as Error).message}\n`);
  process.exit(1);
});
