#!/usr/bin/env node
// The pre-test step (`npm test` runs it first as `pretest`; `.ci/run` runs it before `npm ci`):
// finds what the test suites need from the machine — Chromium, CJK fonts, socat, poppler, a C++
// toolchain (better-sqlite3 compiles from source), PostgreSQL running with the test password —
// and, as root on a Debian-like system with apt, installs and starts what is missing. Anyone else
// gets, within seconds, the one command to run. Node built-ins only: it runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nativeModulesInstalled, nativeModulesLoad } from './native-modules.mjs';

const DEFAULT_PG_URL = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/** What the suites need; `present(probe)` answers from the probe so the decision is testable. */
export const NEEDS = [
  {
    what: 'Chromium (e2e, A4 PDF)',
    apt: ['chromium'],
    present: (p) =>
      !!p.env.CASHIER_CHROMIUM ||
      ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].some(p.onPath),
  },
  {
    what: 'CJK fonts (receipts, screenshots)',
    apt: ['fonts-noto-cjk'],
    present: (p) => p.cjkFonts,
  },
  { what: 'socat (serial tests on pty pairs)', apt: ['socat'], present: (p) => p.onPath('socat') },
  {
    what: 'poppler (PDF read-back)',
    apt: ['poppler-utils'],
    present: (p) => ['pdftotext', 'pdfinfo', 'pdftoppm'].every(p.onPath),
  },
  {
    what: 'C++ toolchain (better-sqlite3 builds from source)',
    apt: ['g++', 'make', 'python3'],
    present: (p) => ['g++', 'make', 'python3'].every(p.onPath),
  },
  {
    what: 'PostgreSQL (head-office tests)',
    apt: ['postgresql'],
    present: (p) => p.pgInstalled || p.pgExternal,
  },
];

/** The packages to install for what the probe lacks, in NEEDS order, without duplicates. */
export function missingPackages(probe) {
  const missing = NEEDS.filter((n) => !n.present(probe));
  return { missing, packages: [...new Set(missing.flatMap((n) => n.apt))] };
}

/** The single command a non-root user runs to get everything, PostgreSQL started with the test password. */
export function fixCommand(packages, pgVersion) {
  const steps = [];
  if (packages.length > 0) {
    steps.push('sudo apt-get update', `sudo apt-get install -y ${packages.join(' ')}`);
  }
  const cluster = pgVersion ?? '$(ls /etc/postgresql | sort -n | tail -1)';
  steps.push(
    `sudo pg_ctlcluster ${cluster} main start`,
    `sudo -u postgres psql -qc "ALTER USER postgres PASSWORD 'postgres'"`,
  );
  return steps.join(' && ');
}

/** Whether a TEST_PG_URL points at this machine (then we may start the local cluster). */
export function isLocalPg(url) {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

function onPathIn(env) {
  const dirs = (env.PATH ?? '/usr/bin:/bin').split(delimiter).filter(Boolean);
  return (name) => dirs.some((d) => existsSync(join(d, name)));
}

function probeMachine(env) {
  const onPath = onPathIn(env);
  const fc = onPath('fc-list') ? spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }) : null;
  const pgUrl = env.TEST_PG_URL ?? DEFAULT_PG_URL;
  return {
    env,
    onPath,
    cjkFonts: !!fc && fc.status === 0 && /Noto (Sans|Serif) CJK/i.test(fc.stdout),
    pgInstalled: localPgVersion() !== null,
    pgExternal: !isLocalPg(pgUrl),
  };
}

function localPgVersion() {
  if (!existsSync('/etc/postgresql')) return null;
  const versions = readdirSync('/etc/postgresql')
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(a) - Number(b));
  return versions.at(-1) ?? null;
}

function portOpen(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(host, port, seconds) {
  for (let i = 0; i < seconds * 2; i += 1) {
    if (await portOpen(host, port)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/** Logs in as the tests do; null when it works or when `pg` is not installed yet (before `npm ci`). */
async function pgAuthError(url) {
  let pg;
  try {
    pg = (await import('pg')).default;
  } catch {
    return null;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

function run(cmd, args) {
  console.log(`test-prereqs: ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

function fail(message, command) {
  console.error(
    `\ntest-prereqs: ${message}\nRun this once, then \`npm test\` again:\n\n  ${command}\n`,
  );
  process.exit(1);
}

async function main() {
  const env = process.env;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const canApt = asRoot && onPathIn(env)('apt-get');
  const started = Date.now();

  const { missing, packages } = missingPackages(probeMachine(env));
  if (packages.length > 0) {
    const names = missing.map((n) => n.what).join(', ');
    if (!canApt) fail(`missing ${names}.`, fixCommand(packages, localPgVersion()));
    console.log(`test-prereqs: installing ${packages.join(' ')} (${names})`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', ...packages]);
  }

  const pgUrl = new URL(env.TEST_PG_URL ?? DEFAULT_PG_URL);
  const pgPort = Number(pgUrl.port || 5432);
  if (isLocalPg(pgUrl.href) && !(await portOpen('127.0.0.1', pgPort))) {
    const version = localPgVersion();
    if (!asRoot || version === null) {
      fail(
        `PostgreSQL is not accepting connections on 127.0.0.1:${pgPort}.`,
        fixCommand([], version),
      );
    }
    run('pg_ctlcluster', [version, 'main', 'start']);
    if (!(await waitForPort('127.0.0.1', pgPort, 30))) {
      fail(`PostgreSQL ${version} did not start on port ${pgPort}.`, fixCommand([], version));
    }
  }
  if (
    isLocalPg(pgUrl.href) &&
    asRoot &&
    localPgVersion() !== null &&
    pgUrl.password === 'postgres'
  ) {
    // the test password, idempotent (a fresh cluster has none: peer authentication only)
    run('su', ['postgres', '-c', `psql -qc "ALTER USER postgres PASSWORD 'postgres'"`]);
  }
  // after the desktop app ran (`npm start`), the native modules are built for Electron's ABI
  const projectRoot = fileURLToPath(new URL('..', import.meta.url));
  if (nativeModulesInstalled(projectRoot) && !nativeModulesLoad(process.execPath, projectRoot).ok) {
    run('npm', ['rebuild', 'better-sqlite3', '@serialport/bindings-cpp']);
    if (!nativeModulesLoad(process.execPath, projectRoot).ok) {
      fail(
        'better-sqlite3 does not load in Node.',
        'npm rebuild better-sqlite3 @serialport/bindings-cpp',
      );
    }
  }

  const authError = await pgAuthError(pgUrl.href);
  if (authError) {
    fail(`PostgreSQL refuses the test login (${authError}).`, fixCommand([], localPgVersion()));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`test-prereqs: machine ready (${seconds} s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(`test-prereqs: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
