// The native modules (better-sqlite3, @serialport/bindings-cpp) are compiled for one ABI: Node's
// (npm install, tests, the web host) or Electron's (the desktop app). `npm start` and the pre-test
// step ask the runtime they are about to use whether the modules load, and rebuild them for it
// when they do not (after switching between the desktop app and the tests on one checkout).
import { spawnSync } from 'node:child_process';

const PROBE =
  "const Database = require('better-sqlite3'); new Database(':memory:').close(); " +
  "require('@serialport/bindings-cpp');";

/**
 * True when `runtime` (Node, or Electron with ELECTRON_RUN_AS_NODE=1) loads both native modules
 * from `root`; the reason otherwise.
 */
export function nativeModulesLoad(runtime, root, { asElectron = false } = {}) {
  const env = { ...process.env };
  if (asElectron) env.ELECTRON_RUN_AS_NODE = '1';
  const run = spawnSync(runtime, ['-e', PROBE], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) return { ok: false, why: run.error.message };
  if (run.status === 0) return { ok: true, why: '' };
  const line = (run.stderr || '').split('\n').find((l) => /Error|NODE_MODULE_VERSION/.test(l));
  return { ok: false, why: (line ?? `exit ${run.status}`).trim() };
}

/** Whether better-sqlite3 is installed at all (before `npm ci` it is not: nothing to check). */
export function nativeModulesInstalled(root) {
  const run = spawnSync(process.execPath, ['-e', "require.resolve('better-sqlite3')"], {
    cwd: root,
    encoding: 'utf8',
  });
  return run.status === 0;
}
