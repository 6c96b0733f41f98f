// Electron fuses for the packaged app (flipped in the binary by scripts/after-pack.cjs). Pure data,
// tested in tests/unit/electron/packaging.test.ts.
'use strict';

/**
 * @param {string} platform electron-builder's electronPlatformName: win32 | linux | darwin
 * @returns {Record<string, boolean>} FuseV1Options name -> value
 */
function fuseSettings(platform) {
  return {
    // `ELECTRON_RUN_AS_NODE=1 app.exe evil.js` must not turn the signed app into a Node runtime.
    RunAsNode: false,
    // NODE_OPTIONS (--require evil.js) and --inspect / --inspect-brk are ignored.
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    // app.asar is checked against the hash electron-builder embeds (Windows resource, macOS plist);
    // Linux has no embedded-integrity support in Electron.
    EnableEmbeddedAsarIntegrityValidation: platform === 'win32' || platform === 'darwin',
    // Only the packaged app.asar is loaded (no app/ folder dropped next to it).
    OnlyLoadAppFromAsar: true,
    EnableCookieEncryption: true,
    // file:// gets no extra privileges; the renderer is served from app://.
    GrantFileProtocolExtraPrivileges: false,
  };
}

/** The executable inside electron-builder's appOutDir. */
function executablePath(path, context) {
  const { electronPlatformName, appOutDir, packager } = context;
  if (electronPlatformName === 'darwin') {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  }
  if (electronPlatformName === 'win32') {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  }
  return path.join(appOutDir, packager.executableName);
}

module.exports = { fuseSettings, executablePath };
