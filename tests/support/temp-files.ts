// Throwaway folders for a test file: each call gives a fresh one, all removed after each test.
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { tempDir } from './terminal';

/** Call at the top of a test file; `dir()` a fresh folder, `file()` a fresh ledger path in one. */
export function tempFolders(): { dir(): string; file(name?: string): string } {
  const made: { cleanup(): void }[] = [];
  afterEach(() => made.splice(0).forEach((d) => d.cleanup()));
  const dir = () => {
    const d = tempDir();
    made.push(d);
    return d.dir;
  };
  return { dir, file: (name = 'l.db') => join(dir(), name) };
}
