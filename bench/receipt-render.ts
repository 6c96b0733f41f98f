/**
 * receipt_render_p99_ms: template → ESC/POS bytes for a full receipt (validation, fill, receiptline
 * layout, the QR as the native GS ( k symbol, GB18030 encoding, cut). Baselines in the same run:
 * receiptline alone on the already-filled markup with our command set (`receiptline_only_p99_ms`)
 * and with receiptline's stock ESC/POS commands, which rasterise the QR
 * (`receiptline_raster_qr_p99_ms`, the cost the native QR removes). Standalone: `tsx bench/receipt-render.ts` merges the keys into
 * bench/results.json; `npm run bench` includes them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'receiptline';
import { DRAWER_KICK_DEFAULT } from '../src-main/devices/printer/escpos';
import { renderEscPos, renderMarkup, transformOptions } from '../src-main/devices/printer/render';
import { percentile, round } from './stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function benchReceiptRender(iterations = 2000) {
  const base = JSON.parse(
    readFileSync(join(ROOT, 'tests/fixtures/printer/receipt.json'), 'utf8'),
  ) as Record<string, unknown>;
  const WARMUP = 300;
  // A different receipt each time (no caching by content); 80 mm and 58 mm alternate.
  const input = (i: number) => ({
    data: { ...base, receiptLabel: `A${String(i).padStart(6, '0')}`, totalFen: 313_075 + i },
    width: (i % 2 === 0 ? 48 : 32) as 32 | 48,
  });
  // Phases run one after another so the baselines' garbage (the raster QR allocates a lot) is not
  // collected inside our timed renders.
  const ours: number[] = [];
  for (let i = 0; i < iterations + WARMUP; i++) {
    const { data, width } = input(i);
    const t = performance.now();
    const bytes = renderEscPos('receipt', data, { width, drawerKick: DRAWER_KICK_DEFAULT });
    const dt = performance.now() - t;
    if (i >= WARMUP && bytes.length > 0) ours.push(dt);
  }
  const markups = Array.from({ length: iterations + WARMUP }, (_, i) => {
    const { data, width } = input(i);
    return { markup: renderMarkup('receipt', data, { width }), width };
  });
  const timeEach = (run: (markup: string, width: 32 | 48) => unknown) =>
    markups
      .map(({ markup, width }) => {
        const t = performance.now();
        run(markup, width);
        return performance.now() - t;
      })
      .slice(WARMUP);
  const bare = timeEach((markup, width) =>
    transform(markup, transformOptions({ width }, 'escpos')),
  );
  const raster = timeEach((markup, width) =>
    transform(markup, { cpl: width, encoding: 'gb18030', command: 'escpos' }),
  );
  return {
    receipt_render_p50_ms: round(percentile(ours, 50)),
    receipt_render_p99_ms: round(percentile(ours, 99)),
    receiptline_only_p99_ms: round(percentile(bare, 99)),
    receiptline_raster_qr_p50_ms: round(percentile(raster, 50)),
    receiptline_raster_qr_p99_ms: round(percentile(raster, 99)),
    receipt_render_renders: ours.length,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = benchReceiptRender();
  const file = join(ROOT, 'bench', 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    targets?: Record<string, unknown>;
  };
  Object.assign(results, r);
  results.targets = {
    ...results.targets,
    receipt_render_p99_ms: {
      value: r.receipt_render_p99_ms,
      limit: 5,
      pass: r.receipt_render_p99_ms <= 5,
    },
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(r);
}
