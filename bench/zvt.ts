/**
 * `npm run bench:zvt`: ZVT sale round trip over a socat pty pair with an instant simulator
 * (06 01 → 80 00 00 → 3× 04 FF → 04 0F → 06 D3 → 06 0F, every frame ACKed, every terminal APDU
 * answered with 80 00 00). Writes zvt_roundtrip_ms (p50), zvt_roundtrip_p99_ms and
 * zvt_register_ms into bench/results.json, keeping the other keys. A pty does not throttle to
 * 9600 baud, so this measures the driver + line protocol, not the wire.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSerialChannel, ZVT_SERIAL } from '../src-main/devices/card-terminal/serial-channel';
import { ZvtTerminalSimulator } from '../src-main/devices/card-terminal/simulator';
import { ZvtCardTerminal } from '../src-main/devices/card-terminal/zvt-driver';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env.BENCH_ZVT_SALES ?? 200);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-zvt-'));
  const ecr = join(dir, 'ecr');
  const pt = join(dir, 'pt');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${ecr}`, `pty,raw,echo=0,link=${pt}`], {
    stdio: 'ignore',
  });
  try {
    while (!(existsSync(ecr) && existsSync(pt))) await new Promise((r) => setTimeout(r, 10));
    const sim = new ZvtTerminalSimulator(await openSerialChannel({ ...ZVT_SERIAL, path: pt }));
    void sim.serve();
    const driver = new ZvtCardTerminal({
      open: () => openSerialChannel({ ...ZVT_SERIAL, path: ecr }),
    });
    let t0 = performance.now();
    await driver.connect();
    const register = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      t0 = performance.now();
      const out = await driver.sale(100 * (i + 1), 156, `bench-${i}`);
      times.push(performance.now() - t0);
      if (out.outcome !== 'approved') throw new Error(`sale ${i} ${out.outcome}`);
    }
    await driver.close();
    const results = {
      zvt_roundtrip_ms: pct(times, 50),
      zvt_roundtrip_p99_ms: pct(times, 99),
      zvt_register_ms: Math.round(register * 100) / 100,
      zvt_sales: N,
    };
    const file = join(ROOT, 'bench', 'results.json');
    const kept = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
      : {};
    writeFileSync(file, `${JSON.stringify({ ...kept, ...results }, null, 2)}\n`);
    console.log(JSON.stringify(results));
  } finally {
    socat.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

await main();
