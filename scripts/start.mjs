// `npm start`: the Electron shell when it can run here, otherwise the plain-Node host in a browser.
// Arguments after `npm start --` are forwarded (e.g. `npm start -- --port 5381 --db data/x.db`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
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

/** The Electron shell entry, once src-main/electron/ has one. */
function electronEntry() {
  for (const ext of ['.js', '.mjs', '.cjs', '.ts', '.mts']) {
    const file = path.join(root, 'src-main', 'electron', `main${ext}`);
    if (existsSync(file)) return file;
  }
  return null;
}

function run(command, commandArgs, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      cwd: root,
      stdio: 'inherit',
      env,
      shell: isWindows,
    });
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

async function main() {
  const electron = electronBinary();
  const entry = electronEntry();
  if (electron.path && entry) {
    console.log(`[start] mode: Electron (${path.relative(root, entry)})`);
    const built = await run(npx, ['vite', 'build']);
    if (built !== 0) return built;
    // A TypeScript entry is loaded through tsx; a built .js entry runs as is.
    const env = /\.m?ts$/.test(entry)
      ? { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim() }
      : process.env;
    return run(electron.path, [entry, ...args], env);
  }
  const why = electron.path
    ? 'no Electron shell yet (src-main/electron/main is absent)'
    : electron.why;
  console.log(`[start] mode: web host in your browser — ${why}.`);
  const built = await run(npx, ['vite', 'build']);
  if (built !== 0) {
    console.error('[start] the renderer build failed; not starting the host.');
    return built;
  }
  return run(npx, ['tsx', 'src-main/host/main.ts', ...args]);
}

process.exitCode = await main();
