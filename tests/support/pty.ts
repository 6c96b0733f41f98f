import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'zvt-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A socat pty pair: `ecr` for the cashier terminal, `pt` for the simulator. */
export interface PtyPair {
  ecr: string;
  pt: string;
  socat: ChildProcess;
  /**
   * Pulls the cable: SIGKILLs socat itself (spawned directly, no shell in between) and waits for its
   * exit, so both pty masters are closed and both ends are hung up. socat cannot remove its links
   * when killed; they are removed here, else a later open (a reconnect) could reach whichever pty
   * reuses the freed /dev/pts number — another test's.
   */
  kill(): Promise<void>;
}

export async function startPtyPair(dir: string, name = 'zvt'): Promise<PtyPair> {
  const ecr = join(dir, `${name}-ecr`);
  const pt = join(dir, `${name}-pt`);
  const socat = spawn('socat', [`pty,raw,echo=0,link=${ecr}`, `pty,raw,echo=0,link=${pt}`], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  while (!(existsSync(ecr) && existsSync(pt))) {
    if (Date.now() > deadline || socat.exitCode !== null)
      throw new Error('socat did not create the pty pair');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    ecr,
    pt,
    socat,
    kill: async () => {
      if (socat.exitCode === null && socat.signalCode === null)
        await new Promise<void>((resolve) => {
          socat.once('exit', () => resolve());
          socat.kill('SIGKILL');
        });
      for (const link of [ecr, pt]) rmSync(link, { force: true });
    },
  };
}
