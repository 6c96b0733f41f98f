// Packaging without packaging: the fuse settings the afterPack hook flips, the electron-builder
// configuration (validated against electron-builder's own schema), the icons generated from the
// one SVG logo, and the bundle layout `npm start` / package.json `main` rely on.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FuseV1Options } from '@electron/fuses';

const root = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const { fuseSettings, executablePath } = require(join(root, 'scripts', 'fuses.cjs')) as {
  fuseSettings(platform: string): Record<string, boolean>;
  executablePath(
    path: typeof import('node:path'),
    context: { electronPlatformName: string; appOutDir: string; packager: unknown },
  ): string;
};
const yaml = require('js-yaml') as { load(text: string): unknown };

describe('fuses (scripts/after-pack.cjs)', () => {
  it('RunAsNode, NODE_OPTIONS and --inspect are off on every platform; asar only', () => {
    for (const platform of ['win32', 'linux', 'darwin']) {
      const f = fuseSettings(platform);
      expect(f).toMatchObject({
        RunAsNode: false,
        EnableNodeOptionsEnvironmentVariable: false,
        EnableNodeCliInspectArguments: false,
        OnlyLoadAppFromAsar: true,
        GrantFileProtocolExtraPrivileges: false,
      });
      for (const name of Object.keys(f)) expect(name in FuseV1Options, name).toBe(true);
    }
  });

  it('asar integrity validation is on where Electron supports it (Windows, macOS)', () => {
    expect(fuseSettings('win32').EnableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(fuseSettings('darwin').EnableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(fuseSettings('linux').EnableEmbeddedAsarIntegrityValidation).toBe(false);
  });

  it('finds the executable electron-builder produced', () => {
    const packager = {
      appInfo: { productFilename: '供热收费终端' },
      executableName: 'heating-cashier',
    };
    const path = require('node:path') as typeof import('node:path');
    expect(executablePath(path, { electronPlatformName: 'win32', appOutDir: '/o', packager })).toBe(
      path.join('/o', '供热收费终端.exe'),
    );
    expect(executablePath(path, { electronPlatformName: 'linux', appOutDir: '/o', packager })).toBe(
      path.join('/o', 'heating-cashier'),
    );
  });
});

describe('electron-builder.yml', () => {
  const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
    string,
    unknown
  > & {
    win: { target: { target: string; arch: string[] }[]; icon: string };
    linux: { target: string[]; icon: string };
    files: string[];
    extraResources: { from: string; to: string }[];
    asarUnpack: string[];
    afterPack: string;
  };

  it('is valid for electron-builder', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as {
      DebugLogger: new (on: boolean) => unknown;
    };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('Windows NSIS x64, Linux AppImage + deb, native modules unpacked, data shipped', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**']),
    );
    expect(config.extraResources).toEqual(
      expect.arrayContaining([
        { from: 'migrations', to: 'migrations' },
        { from: 'printer-templates', to: 'printer-templates' },
      ]),
    );
    expect(config.files).toEqual(
      expect.arrayContaining([
        'dist/electron/**',
        'dist/renderer/**',
        'migrations/**',
        'printer-templates/**',
      ]),
    );
    expect(config.npmRebuild).toBe(true);
    expect(existsSync(join(root, config.afterPack))).toBe(true);
  });

  it('icons exist, generated from build/logo.svg: a 512 px PNG and a Windows ICO up to 256 px', () => {
    expect(existsSync(join(root, 'build', 'logo.svg'))).toBe(true);
    const png = readFileSync(join(root, 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
    const ico = readFileSync(join(root, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(existsSync(join(root, config.linux.icon, `${size}x${size}.png`)), `${size}`).toBe(
        true,
      );
    }
  });
});

describe('bundle layout', () => {
  it('package.json main is the bundle scripts/build-electron.mjs writes', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string;
      allowScripts: Record<string, boolean>;
    };
    expect(pkg.main).toBe('dist/electron/main.mjs');
    const script = readFileSync(join(root, 'scripts', 'build-electron.mjs'), 'utf8');
    expect(script).toContain("'main.mjs'");
    expect(script).toContain("'preload.cjs'");
    // the ledger workers' thread entry, its own file beside main.mjs (src-main/app/ledger-workers.ts)
    expect(script).toContain("'ledger-worker.mjs'");
    expect(script).toContain('src-main/app/ledger-worker.ts');
    expect(script).toContain('__LEDGER_WORKER_BUNDLE__');
    expect(pkg.allowScripts.electron).toBe(false);
  });

  it('tsc checks src-main/electron against the electron package typings', () => {
    const tsconfig = readFileSync(join(root, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toMatch(/"src-main"/);
    expect(existsSync(join(root, 'node_modules', 'electron', 'electron.d.ts'))).toBe(true);
    const main = readFileSync(join(root, 'src-main', 'electron', 'main.ts'), 'utf8');
    expect(main).toMatch(/from 'electron'/);
  });
});

describe('package metadata (deb and NSIS need it; engines must be true)', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    description?: string;
    homepage?: string;
    author?: { name?: string; email?: string };
    engines: { node: string };
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
  };
  const semver = require('semver') as {
    subset(sub: string, dom: string): boolean;
    satisfies(version: string, range: string): boolean;
  };

  it('has the description, homepage and author (name and e-mail) the Linux packages require', () => {
    expect(pkg.description).toBeTruthy();
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.name).toBeTruthy();
    expect(pkg.author?.email).toMatch(/@/);
  });

  it('keeps the renderer-only packages out of the production dependencies', () => {
    for (const name of ['antd', 'echarts', 'react', 'react-dom', 'i18next', 'react-i18next']) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toBeTruthy();
    }
  });

  it('engines.node lies inside every installed package’s own range, with the exceptions named', () => {
    // Only needed for packaging (npm run dist checks Node ≥ 22.12 first) or by head office's
    // test-only request injection (fastify → light-my-request → cookie), not by the terminal.
    const exceptions = new Set([
      'node_modules/@electron/rebuild',
      'node_modules/@electron/rebuild/node_modules/node-abi',
      'node_modules/cookie',
    ]);
    const offending: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!path || !range || exceptions.has(path)) continue;
      if (!semver.subset(pkg.engines.node, range)) offending.push(`${path} ${range}`);
    }
    expect(offending).toEqual([]);
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
  });
});
