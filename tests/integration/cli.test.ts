import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '@heating-cashier/core/contract/commands';
import { tempDir } from '../support/terminal';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
let dir: ReturnType<typeof tempDir>;

function run(script: string, args: string[]) {
  const r = spawnSync(TSX, [join(ROOT, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const cli = (...args: string[]) => run('src-main/cli/main.ts', args);
const seed = (...args: string[]) => run('src-main/cli/demo-seed.ts', args);

function dataFingerprint(file: string): string {
  const db = new Database(file, { readonly: true });
  const hash = createHash('sha256');
  for (const sql of [
    'SELECT * FROM households ORDER BY num',
    'SELECT * FROM charges ORDER BY household_id, season_id',
    'SELECT id, code, name, role FROM clerks ORDER BY id',
    'SELECT * FROM seasons ORDER BY id',
    'SELECT * FROM rates ORDER BY season_id, category',
  ]) {
    // the rows' signatures are by each ledger's own terminal key: the data is what must repeat
    const rows = (db.prepare(sql).all() as Record<string, unknown>[]).map(
      ({ sig: _sig, ...row }) => row,
    );
    hash.update(JSON.stringify(rows));
  }
  db.close();
  return hash.digest('hex');
}

beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

describe('demo:seed', () => {
  it('is deterministic per seed, realistic, and refuses a database that holds data', () => {
    const a = join(dir.dir, 'a.db');
    const b = join(dir.dir, 'b.db');
    const c = join(dir.dir, 'c.db');
    expect(seed('--households', '3000', '--db', a, '--seed', '7').code).toBe(0);
    expect(seed('--households', '3000', '--db', b, '--seed', '7').code).toBe(0);
    expect(seed('--households', '3000', '--db', c, '--seed', '8').code).toBe(0);
    expect(dataFingerprint(a)).toBe(dataFingerprint(b));
    expect(dataFingerprint(a)).not.toBe(dataFingerprint(c));

    const db = new Database(a, { readonly: true });
    const stats = db
      .prepare(
        `SELECT count(*) AS n, min(area_hundredths) AS minArea, max(area_hundredths) AS maxArea,
                avg(subsidised) AS subsidised, count(DISTINCT category) AS categories, count(DISTINCT community) AS communities
         FROM households`,
      )
      .get() as Record<string, number>;
    expect(stats.n).toBe(3000);
    expect(stats.minArea).toBeGreaterThanOrEqual(4000);
    expect(stats.maxArea).toBeLessThanOrEqual(18000);
    expect(stats.subsidised).toBeGreaterThan(0.03);
    expect(stats.subsidised).toBeLessThan(0.07);
    expect(stats.categories).toBe(3);
    expect(stats.communities).toBeGreaterThan(10);
    const arrears = db
      .prepare(
        `SELECT avg(charge_fen > paid_elsewhere_fen) AS share FROM charges c JOIN seasons s ON s.id = c.season_id
         WHERE s.code = (SELECT min(code) FROM seasons)`,
      )
      .get() as { share: number };
    expect(arrears.share).toBeGreaterThan(0.16);
    expect(arrears.share).toBeLessThan(0.24);
    expect(db.prepare('SELECT count(*) AS n FROM seasons').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT is_demo FROM terminal').get()).toEqual({ is_demo: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM receipt_books').get()).toEqual({ n: 2 });
    db.close();

    const again = seed('--households', '10', '--db', a);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already holds data');
  }, 120_000);
});

describe('cli', () => {
  it('lists every command with its input schema', () => {
    const r = cli('list');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as {
      name: string;
      input: { type: string; properties?: object };
    }[];
    expect(list.map((c) => c.name).sort()).toEqual(Object.keys(commands).sort());
    expect(list.find((c) => c.name === 'payment.take')!.input.properties).toHaveProperty('tenders');
  });

  it('calls a command over the same dispatch and prints the JSON result; exit code follows ok', () => {
    const db = join(dir.dir, 'cli.db');
    expect(seed('--households', '50', '--db', db).code).toBe(0);
    const info = cli('call', 'terminal.info', '{}', '--db', db);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.out)).toMatchObject({ ok: true, value: { isDemo: true } });
    const login = JSON.parse(
      cli('call', 'session.login', '{"clerkCode":"1001","pin":"123456"}', '--db', db).out,
    );
    const search = cli(
      'call',
      'household.search',
      JSON.stringify({ session: login.value.session, query: '1000' }),
      '--db',
      db,
    );
    expect(JSON.parse(search.out).value.results.length).toBeGreaterThan(0);

    const bad = cli('call', 'household.search', '{not json', '--db', db);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const unknown = cli('call', 'no.such', '{}', '--db', db);
    expect(JSON.parse(unknown.out)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_COMMAND' },
    });
    expect(cli('frobnicate').code).toBe(2);
    const missing = cli('call', 'terminal.info', '{}', '--db', join(dir.dir, 'typo.db'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('No ledger at');
    expect(existsSync(join(dir.dir, 'typo.db'))).toBe(false);
  }, 300_000); // eight tsx processes one after another: minutes on a loaded 2-core machine

  it('is what package.json runs as `npm run cli`', () => {
    const out = execFileSync('npm', ['run', '-s', 'cli', '--', 'list'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(out).length).toBe(Object.keys(commands).length);
  }, 60_000);
});
