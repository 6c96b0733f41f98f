// esbuild: every npm package stays external (electron-builder packs them; native addons load from
// node_modules), except the shared core: it is TypeScript source in the workspace (core/), so it is
// bundled like src-main itself.
import path from 'node:path';

const CORE = '@heating-cashier/core';

/** @type {import('esbuild').Plugin} */
export const externalPackagesButCore = {
  name: 'external-packages-but-core',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === CORE || args.path.startsWith(`${CORE}/`)) return undefined;
      if (path.isAbsolute(args.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};
