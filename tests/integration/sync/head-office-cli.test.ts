import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/terminal';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const MAIN = join(process.cwd(), 'head-office', 'src', 'main.ts');
const dir = tempDir('ho-cli-');
afterAll(() => dir.cleanup());
const env = { ...process.env, HO_DATA_DIR: join(dir.dir, 'pglite'), DATABASE_URL: '' };

function run(args: string[]): { code: number; out: string } {
  try {
    return {
      code: 0,
      out: execFileSync(TSX, [MAIN, ...args], { env, encoding: 'utf8', timeout: 60_000 }),
    };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, out: err.stdout };
  }
}

describe('npm run head-office (PGlite, zero setup)', () => {
  it('enroll-code prints a one-time code once; import reports rows; serve answers health (with its key) over TLS and prints the first administrator, who signs in (Secure cookie)', async () => {
    const reg = run(['enroll-code', '一号窗口', '--ttl-hours', '24']);
    expect(reg.code).toBe(0);
    expect(reg.out).toMatch(
      /enrollment code \(shown once.*\): [0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}\n/,
    );
    const issued = JSON.parse(reg.out.split('\n')[0]!) as { expiresAt: string; terminalId: null };
    expect(issued.terminalId).toBeNull();
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThan(24 * 3_600_000 + 60_000);
    expect(run(['enroll-code']).code).toBe(2);
    expect(run(['enroll-code', '二号', '--ttl-hours', 'x']).code).toBe(2);
    // a new counter's receipt books travel on its code (allocated when it enrolls); a bad one: exit 2
    expect(
      run(['enroll-code', '三号窗口', '--book', 'N:1-100:3001', '--book', 'P:1-50:3002']).code,
    ).toBe(0);
    expect(run(['enroll-code', '四号窗口', '--book', 'N:100-1:3001']).code).toBe(2);
    expect(run(['enroll-code', '四号窗口', '--book', 'N-1-100']).code).toBe(2);
    expect(run(['register-terminal', '一号窗口']).code).toBe(2); // the unbound registration is gone
    // check-receipt: a usage error is exit 2; an unreadable code is reported as not genuine (1)
    expect(run(['check-receipt']).code).toBe(2);
    const forged = run(['check-receipt', 'HC2.T1.5.A000001.100.2026-11-20.' + 'A'.repeat(86)]);
    expect(forged.code).toBe(1);
    expect(JSON.parse(forged.out)).toMatchObject({ genuine: false, status: 'forged' });
    const csvFile = join(dir.dir, 'households.csv');
    writeFileSync(
      csvFile,
      'account_no,name,community,building,unit,room,area_m2\n30000001,周一,和平里,1,1,101,88.5\n30000002,吴二,和平里,1,1,102,abc\n',
    );
    const bad = run(['import', 'households', csvFile]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({
      accepted: false,
      errors: [{ row: 3, column: 'area_m2' }],
    });
    // resolve: a usage error is exit 2, a reference to nothing open is exit 1 (HTTP tests resolve)
    expect(run(['resolve', 'approval-exception', 'e-1', '--by', '财务']).code).toBe(2);
    expect(
      run(['resolve', 'approval-exception', 'e-1', '--by', '财务', '--note', '已补批']).code,
    ).toBe(1);
    // cheques: the report as JSON; decide-cheque without an outcome is a usage error, an unknown
    // receipt a refusal (tests/integration/sync/cheque-cli.test.ts decides real ones)
    const cheques = run(['cheques', '--status', 'pending']);
    expect(cheques.code).toBe(0);
    expect(JSON.parse(cheques.out)).toMatchObject({ rows: [] });
    expect(
      run(['decide-cheque', 'A000001', '--value-date', '2099-01-01', '--by', '财务']).code,
    ).toBe(2);
    expect(
      run(['decide-cheque', 'A000001', '--cleared', '--value-date', '2099-01-01', '--by', '财务'])
        .code,
    ).toBe(1);

    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir.dir, 'key.pem'),
        '-out',
        join(dir.dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const child = spawn(TSX, [MAIN], {
      env: {
        ...env,
        HO_PORT: '0',
        HO_TLS_KEY: join(dir.dir, 'key.pem'),
        HO_TLS_CERT: join(dir.dir, 'cert.pem'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      // the first start on an empty database prints the first administrator's one-time password
      const [url, password] = await new Promise<[string, string]>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL in: ${out}`)), 60_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /(https:\/\/127\.0\.0\.1:\d+)\/v1\/health/.exec(out);
          const admin =
            /first administrator \(shown once.*\): user admin, one-time password (\S+) — sign in at (https:\/\/127\.0\.0\.1:\d+)\/v1\/console\/login/.exec(
              out,
            );
          if (m && admin) {
            clearTimeout(timer);
            expect(admin[2]).toBe(m[1]);
            resolve([m[1]!, admin[1]!]);
          }
        });
      });
      const ca = execFileSync('cat', [join(dir.dir, 'cert.pem')]);
      const body = await new Promise<string>((resolve, reject) =>
        https
          .get(`${url}/v1/health`, { ca }, (res) => {
            let b = '';
            res.on('data', (c: Buffer) => (b += c.toString()));
            res.on('end', () => resolve(b));
          })
          .on('error', reject),
      );
      expect(JSON.parse(body)).toMatchObject({
        ok: true,
        storage: 'pglite',
        headOfficeKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      // it signs in over HTTPS; the session cookie is marked Secure there
      const login = await new Promise<{ status: number; cookie: string; body: string }>(
        (resolve, reject) => {
          const req = https.request(
            `${url}/v1/console/login`,
            { ca, method: 'POST', headers: { 'content-type': 'application/json' } },
            (res) => {
              let b = '';
              res.on('data', (c: Buffer) => (b += c.toString()));
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  cookie: (res.headers['set-cookie'] ?? []).join('\n'),
                  body: b,
                }),
              );
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ username: 'admin', password }));
        },
      );
      expect(login.status).toBe(200);
      expect(JSON.parse(login.body)).toMatchObject({
        operator: { username: 'admin', role: 'admin', mustChangePassword: true },
      });
      expect(login.cookie).toMatch(/^ho_session=[A-Za-z0-9_-]{43};.*HttpOnly.*; Secure$/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 120_000);
});
