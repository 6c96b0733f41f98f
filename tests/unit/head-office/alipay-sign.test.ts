import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alipayAmountToFen,
  alipayConfig,
  alipaySdk,
  alipayTimeToIso,
  beijingTimestamp,
  cancelState,
  fenToAlipayAmount,
  loadAlipayConfig,
  parseAlipaySettlement,
  payState,
  providerMessage,
  queryState,
  verifyAlipayNotification,
} from '../../../head-office/src/qr/alipay';
import {
  alipaySignContent,
  generateRsaKeyPair,
  rsa2Sign,
  rsa2Verify,
} from '../../../head-office/src/qr/alipay-simulator';

/**
 * Alipay's documentation (开放平台 "自行实现签名") gives the string-to-sign rule and an example
 * request, but no key pair with a published signature, so there is no vector to check a
 * signature byte for byte: the string-to-sign is checked against the documented example, and the
 * signatures both ways against the kept SDK (alipay-sdk).
 */

const app = generateRsaKeyPair('pkcs1');
const alipay = generateRsaKeyPair('pkcs8');
const config = alipayConfig.parse({
  appId: '2014072300007148',
  privateKey: app.privateKey,
  alipayPublicKey: alipay.publicKey,
  gateway: 'http://127.0.0.1:1/gateway.do',
});

describe('string to sign (自行实现签名)', () => {
  it('the documented example: every parameter but sign, empty ones out, sorted by key, raw values', () => {
    // The request of the documentation's example (alipay.mobile.public.menu.add, charset GBK).
    const params = {
      app_id: '2014072300007148',
      method: 'alipay.mobile.public.menu.add',
      charset: 'GBK',
      sign_type: 'RSA2',
      timestamp: '2014-07-24 03:07:50',
      biz_content: '{"button":[{"actionParam":"ZFB_HFCZ","actionType":"out","name":"话费充值"}]}',
      version: '1.0',
      sign: 'ignored',
      app_auth_token: '',
    };
    expect(alipaySignContent(params)).toBe(
      'app_id=2014072300007148' +
        '&biz_content={"button":[{"actionParam":"ZFB_HFCZ","actionType":"out","name":"话费充值"}]}' +
        '&charset=GBK&method=alipay.mobile.public.menu.add&sign_type=RSA2' +
        '&timestamp=2014-07-24 03:07:50&version=1.0',
    );
  });

  it('Alipay support’s published precreate example: format and notify_url are signed too', () => {
    // The sorted string Alipay's support answer shows for alipay.trade.precreate (app_id masked
    // as published), rebuilt from its parameters in another order.
    const biz =
      '{"out_trade_no":"20190401144352106451724","total_amount":"0.01","subject":"土豪机",' +
      '"timeout_express":"10m","qr_code_timeout_express":"2m","store_id":"HK001"}';
    const params = {
      version: '1.0',
      timestamp: '2019-04-01 14:43:53',
      sign_type: 'RSA2',
      notify_url: 'http://notify.dengw.online/do/6e5e3bd0-c2c5-4565-bcfd-bf57ea822672',
      method: 'alipay.trade.precreate',
      format: 'json',
      charset: 'UTF-8',
      biz_content: biz,
      app_id: '201****222',
    };
    expect(alipaySignContent(params)).toBe(
      `app_id=201****222&biz_content=${biz}&charset=UTF-8&format=json` +
        '&method=alipay.trade.precreate' +
        '&notify_url=http://notify.dengw.online/do/6e5e3bd0-c2c5-4565-bcfd-bf57ea822672' +
        '&sign_type=RSA2&timestamp=2019-04-01 14:43:53&version=1.0',
    );
  });

  it('notifications leave out sign and sign_type; sorting is by ASCII (upper case first, _ after letters)', () => {
    expect(
      alipaySignContent({ b: '2', a_b: '3', aa: '1', B: '0', sign: 'x', sign_type: 'RSA2' }, [
        'sign',
        'sign_type',
      ]),
    ).toBe('B=0&a_b=3&aa=1&b=2');
  });

  it('RSA2 is SHA256withRSA: the simulator’s signature verifies with the SDK, and a changed byte does not', () => {
    const params = {
      notify_type: 'trade_status_sync',
      app_id: config.appId,
      out_trade_no: 'T1_00000001',
      trade_no: '2026030222001400000000000001',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '12.30',
      subject: '供热费 a&b=c %41',
      sign_type: 'RSA2',
    };
    const sign = rsa2Sign(alipaySignContent(params, ['sign', 'sign_type']), alipay.privateKey);
    const sdk = alipaySdk(config);
    expect(sdk.checkNotifySignV2({ ...params, sign })).toBe(true);
    expect(sdk.checkNotifySignV2({ ...params, total_amount: '12.31', sign })).toBe(false);
    expect(rsa2Verify('a=1', rsa2Sign('a=1', app.privateKey), app.publicKey)).toBe(true);
    expect(rsa2Verify('a=1', rsa2Sign('a=2', app.privateKey), app.publicKey)).toBe(false);
    expect(rsa2Verify('a=1', 'not base64 at all', app.publicKey)).toBe(false);
    // verifyAlipayNotification reads the fields once the SDK accepts the signature.
    expect(verifyAlipayNotification(config, { ...params, sign })).toMatchObject({
      ok: true,
      state: 'paid',
      paidFen: 1230,
      paidAt: null,
    });
  });
});

describe('money between fen and Alipay yuan strings, without floats', () => {
  it.each([
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [12_345, '123.45'],
    [258_800, '2588.00'],
    [10_000_000_000, '100000000.00'],
  ])('%i fen ⇄ "%s"', (fen, text) => {
    expect(fenToAlipayAmount(fen)).toBe(text);
    expect(alipayAmountToFen(text)).toBe(fen);
  });

  it('no payable amount: 0, negative, fractional, unsafe, above the limit', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 53, 10_000_000_001]) {
      expect(() => fenToAlipayAmount(bad)).toThrow(RangeError);
    }
  });

  it('Alipay amounts: one decimal and no decimals read right, anything else is null', () => {
    expect(alipayAmountToFen('1')).toBe(100);
    expect(alipayAmountToFen('1.5')).toBe(150);
    expect(alipayAmountToFen('0.07')).toBe(7);
    // 0.1 + 0.2 style: digit arithmetic, no float.
    expect(alipayAmountToFen('0.30')).toBe(30);
    expect(alipayAmountToFen('1234567.89')).toBe(123_456_789);
    for (const bad of [
      '',
      '1.234',
      '-1.00',
      '1e3',
      ' 1.00',
      '1,000.00',
      '１.00',
      '.5',
      '1.',
      '100000000.01',
    ]) {
      expect(alipayAmountToFen(bad)).toBeNull();
    }
    expect(alipayAmountToFen(12)).toBeNull();
    expect(alipayAmountToFen(undefined)).toBeNull();
  });

  it('request timestamps are Beijing time', () => {
    expect(beijingTimestamp(new Date('2026-03-02T16:30:05.999Z'))).toBe('2026-03-03 00:30:05');
  });

  it('Alipay times are Beijing time', () => {
    expect(alipayTimeToIso('2026-03-02 10:00:01')).toBe('2026-03-02T10:00:01+08:00');
    expect(alipayTimeToIso('2026-03-02T10:00:01')).toBeNull();
    expect(alipayTimeToIso(undefined)).toBeNull();
  });
});

describe('codes to provider states', () => {
  it('pay', () => {
    expect(payState({ code: '10000' })).toBe('paid');
    expect(payState({ code: '10003' })).toBe('paying');
    expect(payState({ code: '20000' })).toBe('unknown');
    expect(payState({ code: '40004', sub_code: 'ACQ.SYSTEM_ERROR' })).toBe('unknown');
    expect(payState({ code: '40004', sub_code: 'ACQ.PAYMENT_AUTH_CODE_INVALID' })).toBe('refused');
    expect(payState({ code: '40004', sub_code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' })).toBe('refused');
    expect(payState({ code: '40004', sub_code: 'ACQ.TRADE_HAS_SUCCESS' })).toBe('paid');
    expect(payState({ code: '40004', sub_code: 'ACQ.TRADE_HAS_CLOSE' })).toBe('closed');
    // Same number, other content: whatever the trade is, a query says it.
    expect(payState({ code: '40004', sub_code: 'ACQ.CONTEXT_INCONSISTENT' })).toBe('unknown');
    expect(payState({ code: '40004', sub_code: 'ACQ.SOMETHING_NEW' })).toBe('unknown');
    expect(payState({ code: '40004', sub_code: 'ACQ.TRADE_BUYER_NOT_MATCH' })).toBe('unknown');
    expect(payState({ code: '40004', sub_code: 'ACQ.BEYOND_PAY_RESTRICTION' })).toBe('refused');
    expect(payState({ code: '40002', sub_code: 'isv.invalid-signature' })).toBe('refused');
    expect(payState({ code: '99999' })).toBe('unknown');
  });

  it('query', () => {
    const ok = (trade_status: string) => queryState({ code: '10000', trade_status });
    expect(ok('TRADE_SUCCESS')).toBe('paid');
    expect(ok('TRADE_FINISHED')).toBe('paid');
    expect(ok('WAIT_BUYER_PAY')).toBe('paying');
    expect(ok('TRADE_CLOSED')).toBe('closed');
    expect(ok('SOMETHING_ELSE')).toBe('unknown');
    expect(queryState({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST' })).toBe('absent');
    expect(queryState({ code: '40004', sub_code: 'ACQ.SYSTEM_ERROR' })).toBe('unknown');
    expect(queryState({ code: '20000' })).toBe('unknown');
  });

  it('cancel: success closes (action close or refund); retry_flag Y and errors are unknown', () => {
    expect(cancelState({ code: '10000', action: 'close', retry_flag: 'N' })).toBe('closed');
    expect(cancelState({ code: '10000', action: 'refund', retry_flag: 'N' })).toBe('closed');
    expect(cancelState({ code: '10000', retry_flag: 'N' })).toBe('closed');
    expect(cancelState({ code: '40004', sub_code: 'ACQ.SYSTEM_ERROR', retry_flag: 'Y' })).toBe(
      'unknown',
    );
    expect(cancelState({ code: '40004', sub_code: 'ACQ.TRADE_HAS_FINISHED' })).toBe('unknown');
    expect(cancelState({ code: '40004', sub_code: 'ACQ.TRADE_CANCEL_TIME_OUT' })).toBe('unknown');
  });

  it('the clerk’s message: sub_msg, else msg; the quoted string-to-sign is cut, payment codes masked', () => {
    expect(providerMessage({ msg: 'Business Failed', sub_msg: '买家余额不足' })).toBe(
      '买家余额不足',
    );
    expect(providerMessage({ msg: 'Success' })).toBe('Success');
    expect(providerMessage({})).toBeNull();
    expect(
      providerMessage({
        msg: 'Invalid Arguments',
        sub_msg:
          '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：app_id=1&biz_content={"auth_code":"280000000000000001"}',
      }),
    ).toBe('验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配');
    expect(providerMessage({ sub_msg: '付款码 280000000000000001 无效' })).toBe(
      '付款码 2800**********0001 无效',
    );
    // A 28-digit Alipay trade number is not a payment code.
    expect(providerMessage({ sub_msg: '交易 2026030222001400000000000001' })).toBe(
      '交易 2026030222001400000000000001',
    );
  });
});

describe('head office config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alipay-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'app-private.pem'), app.privateKey);
  writeFileSync(join(dir, 'alipay-public.pem'), alipay.publicKey);
  const write = (name: string, value: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };
  const base = {
    appId: '2021000000000001',
    gateway: 'https://openapi.alipay.com/gateway.do',
    privateKeyFile: 'app-private.pem',
    alipayPublicKeyFile: 'alipay-public.pem',
  };

  it('reads the PEM files named relative to the config file; timeoutMs defaults to 15000', () => {
    const c = loadAlipayConfig(write('ok.json', base));
    expect(c.privateKey).toBe(app.privateKey.trim());
    expect(c.alipayPublicKey).toBe(alipay.publicKey.trim());
    expect(c.timeoutMs).toBe(15_000);
    expect(c.notifyUrl).toBeUndefined();
    // The SDK takes both PKCS#1 and PKCS#8 private keys as given.
    expect(() => alipaySdk(c)).not.toThrow();
  });

  it('says what is wrong: missing file, missing key, not JSON, not PEM, unknown field', () => {
    expect(() => loadAlipayConfig(join(dir, 'nope.json'))).toThrow(/nope\.json does not exist/);
    expect(() =>
      loadAlipayConfig(write('missing-pem.json', { ...base, privateKeyFile: 'gone.pem' })),
    ).toThrow(/privateKeyFile .*gone\.pem does not exist/);
    const { alipayPublicKeyFile: _drop, ...noAlipayKey } = base;
    expect(() => loadAlipayConfig(write('no-key.json', noAlipayKey))).toThrow(
      /alipayPublicKeyFile is missing/,
    );
    expect(() => loadAlipayConfig(write('bad.json', '{"appId": '))).toThrow(/not JSON/);
    writeFileSync(join(dir, 'junk.pem'), 'MIIB...');
    expect(() =>
      loadAlipayConfig(write('junk.json', { ...base, alipayPublicKeyFile: 'junk.pem' })),
    ).toThrow(/alipayPublicKey: not an RSA public key/);
    expect(() => loadAlipayConfig(write('extra.json', { ...base, signType: 'RSA' }))).toThrow(
      /signType/,
    );
    expect(() =>
      loadAlipayConfig(write('both.json', { ...base, privateKey: app.privateKey })),
    ).toThrow(/either privateKey or privateKeyFile/);
    expect(() => loadAlipayConfig(write('appid.json', { ...base, appId: 'abc' }))).toThrow(/appId/);
    // Keys go to Alipay over TLS only; plain http is for the simulator on loopback.
    expect(() =>
      loadAlipayConfig(
        write('http.json', { ...base, gateway: 'http://openapi.alipay.com/gateway.do' }),
      ),
    ).toThrow(/gateway: https/);
    expect(
      loadAlipayConfig(write('loop.json', { ...base, gateway: 'http://127.0.0.1:8650/gateway.do' }))
        .gateway,
    ).toBe('http://127.0.0.1:8650/gateway.do');
  });
});

describe('keys as head office is given them', () => {
  const bare = (pem: string) =>
    pem
      .split('\n')
      .filter((l) => !l.startsWith('-----'))
      .join('');
  const parse = (privateKey: string, alipayPublicKey: string) =>
    alipayConfig.safeParse({
      appId: '2021000000000001',
      privateKey,
      alipayPublicKey,
      gateway: 'https://openapi.alipay.com/gateway.do',
    });

  it('PEM or the bare base64 of Alipay’s key tool, PKCS#8 or PKCS#1: the same key, as PEM', () => {
    for (const pair of [alipay /* pkcs8 */, app /* pkcs1 */]) {
      const r = parse(bare(pair.privateKey), bare(alipay.publicKey));
      expect(r.success).toBe(true);
      const c = r.data!;
      // What the bare text became signs what the original verifies.
      const sig = rsa2Sign('a=1', c.privateKey);
      expect(rsa2Verify('a=1', sig, pair.publicKey)).toBe(true);
      expect(c.alipayPublicKey).toContain('-----BEGIN PUBLIC KEY-----');
      expect(() => alipaySdk(c)).not.toThrow();
    }
  });

  it('refused with the reason: a private key as Alipay’s public key, short or non-RSA keys, junk', () => {
    const msg = (r: ReturnType<typeof parse>) => (r.success ? '' : r.error.issues[0]!.message);
    expect(msg(parse(app.privateKey, app.privateKey))).toMatch(
      /alipayPublicKey: this is a private key/,
    );
    const short = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(msg(parse(short.privateKey, alipay.publicKey))).toMatch(/privateKey: RSA2 needs .*2048/);
    const ec = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(msg(parse(app.privateKey, ec.publicKey))).toMatch(/alipayPublicKey: not an RSA key/);
    expect(msg(parse('MIIBjunk', alipay.publicKey))).toMatch(/privateKey: not an RSA private key/);
  });
});

describe('settlement file', () => {
  it('reads the simulator’s columns into fen and ISO times', () => {
    const text =
      'out_trade_no,trade_no,total_amount,gmt_payment\n' +
      'T1_00000001,2026030222001400000000000001,2588.00,2026-03-02 10:00:01\n' +
      'T1_00000002,2026030222001400000000000002,0.13,2026-03-02 23:59:59\n';
    expect(parseAlipaySettlement(text)).toEqual([
      {
        outTradeNo: 'T1_00000001',
        tradeNo: '2026030222001400000000000001',
        amountFen: 258_800,
        paidAt: '2026-03-02T10:00:01+08:00',
      },
      {
        outTradeNo: 'T1_00000002',
        tradeNo: '2026030222001400000000000002',
        amountFen: 13,
        paidAt: '2026-03-02T23:59:59+08:00',
      },
    ]);
    expect(() => parseAlipaySettlement('a,b\n')).toThrow(/first line/);
    expect(() =>
      parseAlipaySettlement(
        'out_trade_no,trade_no,total_amount,gmt_payment\nT1,2026030222001400000000000001,12.3.4,x\n',
      ),
    ).toThrow(/line 2/);
  });
});
