// `npm run head-office` given Alipay's keys (HO_ALIPAY_CONFIG, issue 23): the start-up line names the
// providers on, Alipay's notifications are checked with the configured Alipay key, and a config
// file that cannot be read stops the start.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alipaySignContent,
  generateRsaKeyPair,
  rsa2Sign,
} from '../../../head-office/src/qr/alipay-simulator';
import { tempDir } from '../../support/terminal';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const MAIN = join(process.cwd(), 'head-office', 'src', 'main.ts');
const APP_ID = '2021000000000044';
const dir = tempDir('ho-qr-config-');
afterAll(() => dir.cleanup());

const env = (extra: Record<string, string>) => ({
  ...process.env,
  HO_DATA_DIR: join(dir.dir, 'pglite'),
  DATABASE_URL: '',
  HO_PORT: '0',
  ...extra,
});

describe('head office with HO_ALIPAY_CONFIG', () => {
  it('says Alipay is on and checks its notifications with the configured key', async () => {
    const app = generateRsaKeyPair();
    const alipay = generateRsaKeyPair();
    writeFileSync(join(dir.dir, 'app-private.pem'), app.privateKey);
    writeFileSync(join(dir.dir, 'alipay-public.pem'), alipay.publicKey);
    const config = join(dir.dir, 'alipay.json');
    writeFileSync(
      config,
      JSON.stringify({
        appId: APP_ID,
        gateway: 'http://127.0.0.1:9/gateway.do',
        privateKeyFile: 'app-private.pem',
        alipayPublicKeyFile: 'alipay-public.pem',
      }),
    );
    const child = spawn(TSX, [MAIN], {
      env: env({ HO_ALIPAY_CONFIG: config }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const { url, out } = await new Promise<{ url: string; out: string }>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no start-up lines in: ${out}`)), 100_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+)\/v1\/health/.exec(out);
          if (m && out.includes('QR payments')) {
            clearTimeout(timer);
            resolve({ url: m[1]!, out });
          }
        });
      });
      expect(out).toContain('QR payments (扫码支付) through: alipay');
      const params: Record<string, string> = {
        notify_time: '2026-12-08 10:00:05',
        notify_type: 'trade_status_sync',
        notify_id: 'n0001',
        app_id: APP_ID,
        charset: 'utf-8',
        version: '1.0',
        sign_type: 'RSA2',
        trade_no: '2026120822001400000000000001',
        out_trade_no: 'HC_nobody_0001',
        trade_status: 'TRADE_SUCCESS',
        total_amount: '12.00',
        gmt_payment: '2026-12-08 10:00:04',
      };
      params.sign = rsa2Sign(alipaySignContent(params, ['sign', 'sign_type']), alipay.privateKey);
      const notify = (p: Record<string, string>) =>
        fetch(`${url}/v1/qr/notify/alipay`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: new URLSearchParams(p).toString(),
        }).then((r) => r.text());
      // signed with the Alipay key the config names: taken (a trade head office does not know)
      expect(await notify(params)).toBe('success');
      // signed with another key: refused
      const other = generateRsaKeyPair();
      const forged = {
        ...params,
        sign: rsa2Sign(alipaySignContent(params, ['sign', 'sign_type']), other.privateKey),
      };
      expect(await notify(forged)).toBe('fail');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 120_000);

  it('a config file that cannot be read stops the start, naming it', () => {
    const missing = join(dir.dir, 'no-such-alipay.json');
    const r = spawnSync(TSX, [MAIN], {
      env: env({ HO_ALIPAY_CONFIG: missing }),
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(missing);
  }, 120_000);
});
