// The head-office CLI's release commands (README "Updates / 更新"), for IT after `npm run dist`:
//   release DIR [--ledger-schema N]           every latest*.yml in DIR (electron-builder's dist/)
//   release FILE.yml FILE… [--ledger-schema N] the channel files and their installers by path
//   releases                                   what is published, newest first
// The ledger schema defaults to the newest migration in this checkout's migrations/ folder (the
// release was built from it). Each channel file is published on its own, all or nothing.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CliResult } from './cheque-cli';
import type { HoDb } from './db';
import { listReleases, publishRelease, shippedLedgerSchema } from './releases';

const USAGE =
  'usage: release DIR|FILE.yml [FILE…] [--ledger-schema N]   (DIR: electron-builder output with latest*.yml)';

export async function runReleaseCommand(
  db: HoDb,
  cmd: 'release' | 'releases',
  args: string[],
): Promise<CliResult> {
  if (cmd === 'releases') return { code: 0, out: JSON.stringify(await listReleases(db), null, 2) };
  const i = args.indexOf('--ledger-schema');
  const schemaArg = i >= 0 ? args[i + 1] : undefined;
  const paths = args.filter((a, k) => !a.startsWith('--') && (i < 0 || k !== i + 1));
  if (paths.length === 0 || (i >= 0 && !/^\d{1,4}$/.test(schemaArg ?? '')))
    return { code: 2, err: USAGE };
  const ledgerSchema = schemaArg !== undefined ? Number(schemaArg) : shippedLedgerSchema();
  // the channel files, and where each file they name may be found
  const byName = new Map<string, string>();
  const ymls: string[] = [];
  for (const p of paths.map((x) => resolve(x))) {
    if (!existsSync(p)) return { code: 2, err: `${p}: no such file or folder\n${USAGE}` };
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p)) {
        if (/^latest.*\.yml$/.test(f)) ymls.push(join(p, f));
        else byName.set(f, join(p, f));
      }
    } else if (p.endsWith('.yml')) ymls.push(p);
    else byName.set(basename(p), p);
  }
  if (ymls.length === 0) return { code: 2, err: `no latest*.yml given or found\n${USAGE}` };
  const out: unknown[] = [];
  const errors: string[] = [];
  for (const yml of ymls) {
    const r = await publishRelease(db, {
      ymlName: basename(yml),
      ymlText: readFileSync(yml, 'utf8'),
      readFile: (name) => {
        const p = byName.get(name) ?? join(dirname(yml), name);
        return existsSync(p) ? readFileSync(p) : null;
      },
      ledgerSchema,
    });
    if (r.ok) {
      const { signature: _sig, ...shown } = r.release;
      out.push(shown);
    } else errors.push(`refused ${basename(yml)} (拒绝发布):\n  ${r.problems.join('\n  ')}`);
  }
  return {
    code: errors.length > 0 ? 1 : 0,
    ...(out.length > 0 ? { out: JSON.stringify(out, null, 2) } : {}),
    ...(errors.length > 0 ? { err: errors.join('\n') } : {}),
  };
}
