// `npm start`: the Electron shell when it can run here, otherwise the plain-Node host in a browser.
// Arguments after `npm start --` are forwarded (e.g. `npm start -- --port 5381 --db data/x.db`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeModulesLoad } from './native-modules.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// A fresh checkout gets the DEMO ledger (--demo) unless asked for the setup screen (`npm start -- --setup`),
// which a packaged app and the host without --demo show on an empty ledger.
const args = process.argv.slice(2).includes('--setup')
  ? process.argv.slice(2).filter((a) => a !== '--setup' && a !== '--demo')
  : ['--demo', ...process.argv.slice(2).filter((a) => a !== '--demo')];
const isWindows = process.platform === 'win32';
const npx = isWindows ? 'npx.cmd' : 'npx';

/** The Electron binary path if the package is installed and its binary was downloaded. */
function electronBinary() {
  const require = createRequire(path.join(root, 'package.json'));
  try {
    require.resolve('electron');
  } catch {
    return { path: null, why: 'the electron package is not installed' };
  }
  try {
    // The electron package's main export is the path of the downloaded binary.
    const binary = require('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary, why: '' };
    return { path: null, why: 'the Electron binary is not downloaded' };
  } catch (e) {
    return { path: null, why: `the Electron binary is not usable (${e.message.split('\n')[0]})` };
  }
}

/** The Electron shell's source entry (bundled by scripts/build-electron.mjs). */
function electronEntry() {
  const file = path.join(root, 'src-main', 'electron', 'main.ts');
  return existsSync(file) ? file : null;
}

/**
 * The electron package's postinstall download is off (package.json allowScripts); try it once now.
 * Needs internet (or ELECTRON_MIRROR / a filled electron cache); gives up after 3 minutes.
 */
async function tryDownloadElectron() {
  const install = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(install) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return false;
  console.log(
    '[start] the Electron binary is missing: trying to download it (node node_modules/electron/install.js)…',
  );
  const code = await run(process.execPath, [install], process.env, 180_000);
  return code === 0 && electronBinary().path !== null;
}

function run(command, commandArgs, env = process.env, timeoutMs = 0) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      cwd: root,
      stdio: 'inherit',
      env,
      shell: isWindows,
    });
    const timer = timeoutMs > 0 ? setTimeout(() => child.kill('SIGTERM'), timeoutMs) : null;
    child.on('exit', () => timer && clearTimeout(timer));
    // Ctrl+C reaches the child through the terminal; SIGTERM sent to us only is passed on.
    const forward = () => child.kill('SIGTERM');
    const ignore = () => {};
    process.on('SIGTERM', forward);
    process.on('SIGINT', ignore);
    child.on('error', (e) => {
      console.error(`[start] cannot run ${command}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', ignore);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Exit code of src-main/electron/main.ts when it cannot open the ledger (e.g. native module ABI). */
const EXIT_CANNOT_OPEN_LEDGER = 3;

/**
 * Makes the native modules loadable by Electron: `electron-builder install-app-deps` rebuilds them
 * for the installed Electron (it fetches Electron's headers: needs internet once). False when they
 * still do not load, e.g. offline.
 */
async function nativeModulesForElectron(electronPath) {
  const before = nativeModulesLoad(electronPath, root, { asElectron: true });
  if (before.ok) return true;
  console.log(
    `[start] the native modules are not built for Electron (${before.why}): rebuilding them ` +
      '(npx electron-builder install-app-deps)…',
  );
  const code = await run(npx, ['electron-builder', 'install-app-deps'], process.env, 600_000);
  return code === 0 && nativeModulesLoad(electronPath, root, { asElectron: true }).ok;
}

/** The web host runs on Node: after the desktop app ran, the modules are Electron's — rebuild. */
async function nativeModulesForNode() {
  const now = nativeModulesLoad(process.execPath, root);
  if (now.ok) return true;
  console.log(`[start] rebuilding the native modules for Node (${now.why})…`);
  const npm = isWindows ? 'npm.cmd' : 'npm';
  await run(npm, ['rebuild', 'better-sqlite3', '@serialport/bindings-cpp'], process.env, 600_000);
  return nativeModulesLoad(process.execPath, root).ok;
}

async function startWebHost(why) {
  console.log(`[start] mode: web host in your browser — ${why}.`);
  if (!(await nativeModulesForNode())) {
    console.error(
      '[start] better-sqlite3 does not load in Node; run `npm rebuild better-sqlite3`.',
    );
    return 1;
  }
  const built = await run(npx, ['vite', 'build']);
  if (built !== 0) {
    console.error('[start] the renderer build failed; not starting the host.');
    return built;
  }
  // The host bundled like the Electron shell (dist/host/main.mjs): nothing is transpiled at start.
  const bundled = await run(process.execPath, [path.join(root, 'scripts', 'build-host.mjs')]);
  if (bundled !== 0) {
    console.error('[start] the host bundle failed; not starting the host.');
    return bundled;
  }
  return run(process.execPath, [path.join(root, 'dist', 'host', 'main.mjs'), ...args]);
}

async function main() {
  let electron = electronBinary();
  const entry = electronEntry();
  if (!entry) return startWebHost('no Electron shell (src-main/electron/main.ts is absent)');
  if (!electron.path && (await tryDownloadElectron())) electron = electronBinary();
  if (!electron.path) {
    console.log(
      `[start] Electron cannot run here: ${electron.why}, and it could not be downloaded ` +
        '(no internet?). Starting the plain-Node host instead; open the URL it prints in a browser.',
    );
    return startWebHost(electron.why);
  }
  if (!(await nativeModulesForElectron(electron.path))) {
    return startWebHost('the native modules could not be rebuilt for Electron (offline?)');
  }
  console.log(`[start] mode: Electron (${path.relative(root, entry)})`);
  const built = await run(npx, ['vite', 'build']);
  if (built !== 0) return built;
  const bundled = await run(process.execPath, [path.join(root, 'scripts', 'build-electron.mjs')]);
  if (bundled !== 0) return bundled;
  const code = await run(electron.path, [root, ...args]);
  if (code === EXIT_CANNOT_OPEN_LEDGER) {
    return startWebHost('the Electron shell could not open the ledger (see the message above)');
  }
  return code;
}

process.exitCode = await main();
