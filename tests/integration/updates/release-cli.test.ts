// `npm run head-office -- release …` as IT runs it (head-office/src/main.ts → release-cli.ts), on
// PGlite in a folder: a refused upload exits 1 and publishes nothing, a good
// one prints the published release, `releases` lists it. (The rules: updates.test.ts.)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/terminal';
import { writeRelease } from '../../support/updates';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const MAIN = join(process.cwd(), 'head-office', 'src', 'main.ts');
const dir = tempDir('ho-release-cli-');
afterAll(() => dir.cleanup());
const env = { ...process.env, HO_DATA_DIR: join(dir.dir, 'pglite'), DATABASE_URL: '' };

function run(args: string[]): { code: number; out: string; err: string } {
  try {
    const out = execFileSync(TSX, [MAIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
    return { code: 0, out, err: '' };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: x.stdout, err: x.stderr };
  }
}

describe('npm run head-office -- release', () => {
  it('refuses a mismatching installer, publishes the right one, lists it', () => {
    const dist = join(dir.dir, 'dist');
    const { file } = writeRelease(dist, '1.4.0', randomBytes(4096));

    writeFileSync(file, randomBytes(4096)); // rebuilt after the yml was written
    const refused = run(['release', dist]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('拒绝发布');
    expect(refused.err).toContain('HeatingCashier-Setup-1.4.0.exe: sha512 mismatch');

    writeRelease(dist, '1.4.0', randomBytes(4096));
    const ok = run(['release', join(dist, 'latest.yml'), '--ledger-schema', '21']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject([
      { channel: 'latest', version: '1.4.0', ledgerSchema: 21 },
    ]);
    expect(JSON.parse(run(['releases']).out)).toMatchObject([
      { channel: 'latest', version: '1.4.0', ledgerSchema: 21, files: 1 },
    ]); // one release: the refused upload published nothing
  }, 180_000);
});
