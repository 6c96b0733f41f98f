// The Electron main bundle starts its ledger workers from the worker entry bundled as its own file
// (dist/electron/ledger-worker.mjs): a probe bundled with main.mjs's options runs a report there.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/terminal';

const root = join(import.meta.dirname, '..', '..', '..');

describe('ledger worker in the Electron bundle', () => {
  it('the bundled main side starts the bundled worker entry and gets the in-process answer', async () => {
    const script = join(root, 'scripts', 'build-electron.mjs');
    execFileSync(process.execPath, [script], { cwd: root });
    const worker = join(root, 'dist', 'electron', 'ledger-worker.mjs');
    expect(existsSync(worker)).toBe(true);
    const { mainBundleOptions } = (await import(pathToFileURL(script).href)) as {
      mainBundleOptions: Record<string, unknown>;
    };
    // Beside main.mjs, so import.meta.url maps the same way as in the real bundle.
    const probe = join(root, 'dist', 'electron', `.probe-${process.pid}.mjs`);
    const dir = tempDir('worker-bundle-');
    try {
      await build({
        ...mainBundleOptions,
        entryPoints: [join(root, 'tests', 'fixtures', 'ledger-worker-probe.ts')],
        outfile: probe,
        sourcemap: false,
      });
      const out = execFileSync(process.execPath, [probe, join(dir.dir, 'ledger.db')], {
        cwd: root,
        encoding: 'utf8',
        // no tsx anywhere: the bundle must not fall back to the TypeScript source
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      const line = out.trim().split('\n').pop()!;
      expect(JSON.parse(line)).toEqual({
        same: true,
        ok: true,
        started: ['report.daily'],
        threads: 1,
        entry: pathToFileURL(worker).href,
      });
    } finally {
      rmSync(probe, { force: true });
      dir.cleanup();
    }
  }, 180_000);
});
