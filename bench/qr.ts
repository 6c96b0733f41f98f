/**
 * `npm run bench:qr`: a QR (payment code) sale end to end on loopback: the counter's qr.sale
 * (health check, write-ahead intent, POST to head office, head office's Alipay call through
 * alipay-sdk to the simulator, signed answer checked, receipt committed). Baselines measured in
 * the same run: head office's provider call alone (alipay-sdk → simulator → verified answer) and
 * a bare loopback HTTP round trip to head office (GET /v1/health). Writes qr_sale_roundtrip_ms
 * (p50), qr_sale_roundtrip_p99_ms, the baselines and their ratios into bench/results.json,
 * keeping the other keys. Head office on PGlite (embedded, the default install).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAlipay } from '../tests/support/alipay';
import { startHeadOffice } from '../tests/support/head-office';
import { householdsOwing, openTestTerminal } from '../tests/support/terminal';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env.BENCH_QR_SALES ?? 300);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-qr-'));
  const alipay = await startAlipay({ timeoutMs: 15_000 });
  const provider = alipay.provider;
  const ho = await startHeadOffice('pglite', { qr: { providers: { alipay: provider } } });
  const t = openTestTerminal(join(dir, 'ledger.db'), { households: 500 });
  try {
    await ho.enrol(t);
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const households = householdsOwing(t, 100_000, 50);
    const code = (i: number) => `28${String(i).padStart(16, '0')}`;
    const sale = (i: number) =>
      t.must('qr.sale', {
        session,
        requestId: randomUUID(),
        householdId: households[i % households.length]!,
        amountFen: 100 + (i % 50) * 100,
        code: code(i),
        source: 'scanner',
      });
    for (let i = 0; i < 20; i++) await sale(1_000_000 + i); // warm-up: JIT, pools, caches
    const sales: number[] = [];
    const providerOnly: number[] = [];
    const health: number[] = [];
    for (let i = 0; i < N; i++) {
      let t0 = performance.now();
      const r = await sale(i);
      sales.push(performance.now() - t0);
      if (r.payment.state !== 'completed') throw new Error(`sale ${i}: ${r.payment.state}`);
      t0 = performance.now();
      const p = await provider.pay({
        outTradeNo: `BENCH_${i}_${randomUUID().slice(0, 8)}`,
        authCode: code(2_000_000 + i),
        amountFen: 100,
        subject: 'bench',
      });
      providerOnly.push(performance.now() - t0);
      if (p.state !== 'paid') throw new Error(`provider ${i}: ${p.state}`);
      t0 = performance.now();
      await (await fetch(`${ho.url}/v1/health`)).text();
      health.push(performance.now() - t0);
    }
    const results = {
      qr_sale_roundtrip_ms: pct(sales, 50),
      qr_sale_roundtrip_p99_ms: pct(sales, 99),
      qr_provider_call_ms: pct(providerOnly, 50),
      qr_loopback_http_ms: pct(health, 50),
      qr_sale_ratio_vs_provider_call:
        Math.round((pct(sales, 50) / pct(providerOnly, 50)) * 100) / 100,
      qr_sales: N,
    };
    const file = join(ROOT, 'bench', 'results.json');
    const kept = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
      : {};
    writeFileSync(file, `${JSON.stringify({ ...kept, ...results }, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    t.close();
    await ho.close();
    await alipay.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
