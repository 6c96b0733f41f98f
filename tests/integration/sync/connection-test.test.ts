// The head-office settings screen's test button (issue 19): sync.test against a real head office
// (PGlite). Bad addresses are refused, an unreachable one says so, and a reachable one says whether
// this terminal is enrolled there and its token accepted (accepted, refused after a wrong token,
// another address, not enrolled); nothing is ever changed by the test.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadOffice, type TestHeadOffice } from '../../support/head-office';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

let dir: ReturnType<typeof tempDir>;
let ho: TestHeadOffice;
let t: TestTerminal;
let clerk: string;
let sup: string;
const SUP = { supervisorCode: '9001', supervisorPin: '888888' };

const syncRow = () => t.ctx.db.prepare('SELECT * FROM sync_state').get();
const test = (url: string, session = sup) => t.call('sync.test', { session, url });

beforeAll(async () => {
  dir = tempDir('sync-test-');
  ho = await startHeadOffice('pglite');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 5 });
  clerk = await t.login();
  sup = await t.login('9001', '888888');
}, 120_000);
afterAll(async () => {
  t.close();
  await ho.close();
  dir.cleanup();
});

describe('sync.test', () => {
  it('bad addresses → BAD_INPUT; a clerk → SUPERVISOR_SESSION_REQUIRED; nothing changed', async () => {
    const before = syncRow();
    for (const url of ['', 'ho.example:5480', 'ftp://ho.example', 'http://ho example', 'http://']) {
      const r = await test(url);
      expect(r.ok ? 'ok' : r.error.code, url).toBe('BAD_INPUT');
    }
    const r = await test(ho.url, clerk);
    expect(r.ok ? 'ok' : r.error.code).toBe('SUPERVISOR_SESSION_REQUIRED');
    expect(syncRow()).toEqual(before);
  });

  it('nobody there → HEAD_OFFICE_UNREACHABLE with what to check, nothing changed', async () => {
    const before = syncRow();
    const r = await test('http://127.0.0.1:1');
    expect(r.ok ? 'ok' : r.error.code).toBe('HEAD_OFFICE_UNREACHABLE');
    if (!r.ok) expect(r.error.message['zh-CN']).toContain('请检查总部地址和网络');
    expect(syncRow()).toEqual(before);
  });

  it('reachable, not enrolled yet → says to enroll', async () => {
    const r = await t.must('sync.test', { session: sup, url: `${ho.url}/` });
    expect(r).toMatchObject({ url: ho.url, token: 'not_enrolled' });
    expect(r.message['zh-CN']).toMatch(/^总部可以连接（\d+ 毫秒）。本终端尚未入网/);
  });

  it('enrolled: token accepted; another address; a token head office refuses → enroll again', async () => {
    await ho.enrol(t);
    const before = syncRow();
    const ok = await t.must('sync.test', { session: sup, url: ho.url });
    expect(ok.token).toBe('accepted');
    expect(ok.message['zh-CN']).toContain('总部接受其令牌');
    const other = await t.must('sync.test', {
      session: sup,
      url: ho.url.replace('127.0.0.1', 'localhost'),
    });
    expect(other.token).toBe('other_address');
    expect(syncRow()).toEqual(before); // a test pulls nothing into the ledger, moves no cursor

    await t.must('sync.configure', { session: sup, ...SUP, url: ho.url, token: 'x'.repeat(40) });
    const refused = await t.must('sync.test', { session: sup, url: ho.url });
    expect(refused.token).toBe('refused');
    expect(refused.message['zh-CN']).toContain('重新入网');
    expect((await t.must('sync.status', { session: clerk })).lastPushAt).toBeDefined();
  });
});
