// The renderer is built once per vitest run, not once per e2e file: the first file that needs it
// builds into the run's cache directory (given by the global setup) while holding a lock directory;
// the others wait for its `done` marker and copy the build. Each file still serves its own copy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    rendererCache: string;
  }
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'cashier-renderer-cache-'));
  project.provide('rendererCache', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
