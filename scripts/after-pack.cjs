// electron-builder afterPack hook: flips the Electron fuses (scripts/fuses.cjs) in the packaged
// binary with @electron/fuses, before electron-builder signs it, and prints the resulting wire.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads this hook as CommonJS */
const path = require('node:path');
const { fuseSettings, executablePath } = require('./fuses.cjs');

exports.default = async function afterPack(context) {
  const { flipFuses, getCurrentFuseWire, FuseVersion, FuseV1Options } =
    await import('@electron/fuses');
  const platform = context.electronPlatformName;
  const exe = executablePath(path, context);
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' };
  for (const [name, value] of Object.entries(fuseSettings(platform))) {
    if (!(name in FuseV1Options)) throw new Error(`unknown fuse ${name}`);
    config[FuseV1Options[name]] = value;
  }
  await flipFuses(exe, config);
  const wire = await getCurrentFuseWire(exe);
  console.log(`[after-pack] fuses of ${path.basename(exe)}:`, JSON.stringify(wire));
};
