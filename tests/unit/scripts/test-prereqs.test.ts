import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fixCommand,
  isLocalPg,
  missingPackages,
  type MachineProbe,
} from '../../../scripts/test-prereqs.mjs';

const SCRIPT = resolve(import.meta.dirname, '../../../scripts/test-prereqs.mjs');

function probe(onPath: string[], extra: Partial<MachineProbe> = {}): MachineProbe {
  return {
    env: {},
    onPath: (name) => onPath.includes(name),
    cjkFonts: true,
    pgInstalled: true,
    pgExternal: false,
    ...extra,
  };
}

const EVERYTHING = [
  'chromium',
  'socat',
  'pdftotext',
  'pdfinfo',
  'pdftoppm',
  'g++',
  'make',
  'python3',
];

describe('test prerequisites', () => {
  it('asks for nothing on a machine that has everything', () => {
    expect(missingPackages(probe(EVERYTHING)).packages).toEqual([]);
  });

  it('names the Debian package of each missing tool, once', () => {
    const bare = probe([], { cjkFonts: false, pgInstalled: false });
    expect(missingPackages(bare).packages).toEqual([
      'chromium',
      'fonts-noto-cjk',
      'socat',
      'poppler-utils',
      'g++',
      'make',
      'python3',
      'postgresql',
    ]);
    // one poppler tool missing is enough to need the package
    const noPdfinfo = EVERYTHING.filter((n) => n !== 'pdfinfo');
    expect(missingPackages(probe(noPdfinfo)).packages).toEqual(['poppler-utils']);
  });

  it('finds Chromium under any usual name or CASHIER_CHROMIUM, not one hard-coded path', () => {
    const rest = EVERYTHING.filter((n) => n !== 'chromium');
    for (const name of ['chromium-browser', 'google-chrome', 'google-chrome-stable']) {
      expect(missingPackages(probe([...rest, name])).packages).toEqual([]);
    }
    expect(missingPackages(probe(rest)).packages).toEqual(['chromium']);
    const viaEnv = probe(rest, { env: { CASHIER_CHROMIUM: '/opt/chrome/chrome' } });
    expect(missingPackages(viaEnv).packages).toEqual([]);
  });

  it('does not ask for a local PostgreSQL when TEST_PG_URL points elsewhere', () => {
    expect(isLocalPg('postgres://postgres:postgres@127.0.0.1:5432/postgres')).toBe(true);
    expect(isLocalPg('postgres://u:p@localhost/db')).toBe(true);
    expect(isLocalPg('postgres://u:p@db.example.internal:5432/db')).toBe(false);
    const remote = probe(EVERYTHING, { pgInstalled: false, pgExternal: true });
    expect(missingPackages(remote).packages).toEqual([]);
  });

  it('gives one command that installs, starts the cluster and sets the test password', () => {
    expect(fixCommand(['socat'], '15')).toBe(
      'sudo apt-get update && sudo apt-get install -y socat && sudo pg_ctlcluster 15 main start && ' +
        `sudo -u postgres psql -qc "ALTER USER postgres PASSWORD 'postgres'"`,
    );
    expect(fixCommand([], null)).toMatch(/^sudo pg_ctlcluster \$\(ls \/etc\/postgresql/);
  });

  it('as a user without root, stops at once with that command when tools are missing', () => {
    // PATH holds only node: every tool is "missing"; nobody may run apt-get
    const bin = mkdtempSync(join(tmpdir(), 'prereqs-bin-'));
    chmodSync(bin, 0o755); // readable by the unprivileged user below
    symlinkSync(process.execPath, join(bin, 'node'));
    const fcList = join(bin, 'fc-list');
    writeFileSync(fcList, '#!/bin/sh\nexit 0\n');
    chmodSync(fcList, 0o755);
    const run = () =>
      execFileSync(join(bin, 'node'), [SCRIPT], {
        env: { PATH: bin, TEST_PG_URL: 'postgres://u:p@db.example.internal:5432/db' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        // root would install: the refusal path is what a newcomer without sudo rights sees
        uid: process.getuid?.() === 0 ? 65534 : undefined,
      });
    let stderr = '';
    let status: number | null = 0;
    try {
      run();
    } catch (e) {
      const err = e as { status: number | null; stderr: string };
      status = err.status;
      stderr = err.stderr;
    }
    expect(status).toBe(1);
    expect(stderr).toContain('missing Chromium');
    expect(stderr).toContain('sudo apt-get install -y chromium fonts-noto-cjk socat poppler-utils');
  });
});
