#!/usr/bin/env node
// `npm run dist*` first: electron-builder rebuilds the native modules for Electron with
// @electron/rebuild, which needs Node ≥ 22.12 (its `engines`); everything else in the project
// (npm start, npm test, the web host) runs on Node 20.19+. Stop early with the reason instead of
// failing deep inside the packager.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `packaging needs Node ≥ 22.12 (electron-builder's @electron/rebuild); this is Node ${process.versions.node}. ` +
      'Install Node 22 LTS for `npm run dist` (npm start and npm test work on Node 20.19+).',
  );
  process.exit(1);
}
