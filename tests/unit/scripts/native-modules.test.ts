import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeModulesInstalled, nativeModulesLoad } from '../../../scripts/native-modules.mjs';
import { tempDir } from '../../support/terminal';

const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('cashier-native-');
afterAll(() => dir.cleanup());

describe('native modules check (npm start, pre-test step)', () => {
  it('Node loads better-sqlite3 and the serial bindings from this checkout', () => {
    expect(nativeModulesInstalled(root)).toBe(true);
    expect(nativeModulesLoad(process.execPath, root)).toEqual({ ok: true, why: '' });
  });

  it('reports the loader error of a runtime the modules were not built for', () => {
    // a stand-in runtime that fails the way a wrong ABI does
    const runtime = join(dir.dir, 'other-runtime');
    writeFileSync(
      runtime,
      '#!/bin/sh\necho "Error: The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115" >&2\nexit 1\n',
    );
    chmodSync(runtime, 0o755);
    const result = nativeModulesLoad(runtime, root, { asElectron: true });
    expect(result.ok).toBe(false);
    expect(result.why).toContain('NODE_MODULE_VERSION 115');
  });

  it('passes ELECTRON_RUN_AS_NODE only when asked, so Electron runs the probe as Node', () => {
    const runtime = join(dir.dir, 'env-runtime');
    writeFileSync(
      runtime,
      '#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = "1" ] || { echo "Error: not as node" >&2; exit 1; }\n',
    );
    chmodSync(runtime, 0o755);
    expect(nativeModulesLoad(runtime, root, { asElectron: true }).ok).toBe(true);
    expect(nativeModulesLoad(runtime, root).why).toContain('not as node');
  });

  it('a missing runtime is a reason, not a crash', () => {
    const result = nativeModulesLoad(join(dir.dir, 'absent'), root);
    expect(result.ok).toBe(false);
    expect(result.why).toMatch(/ENOENT/);
  });
});
