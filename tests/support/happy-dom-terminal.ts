// A vitest environment for component tests that also open a real terminal in the same process:
// happy-dom's globals, but modules transformed as for Node (the `ssr` Vite environment). The
// browser (`client`) transform rewrites `new URL('../../migrations', import.meta.url)` against the
// page's origin, so the main side would not find its migrations and printer templates.
// Use with `// @vitest-environment happy-dom-terminal` (an alias in vitest.config.ts).
import { builtinEnvironments, type Environment } from 'vitest/runtime';

const happyDom = builtinEnvironments['happy-dom'];

export default {
  ...happyDom,
  name: 'happy-dom-terminal',
  viteEnvironment: 'ssr',
} satisfies Environment;
