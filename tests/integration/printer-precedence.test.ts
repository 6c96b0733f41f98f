// Where the printer settings come from (issue 19): CASHIER_PRINTER (+ _WIDTH, _ENCODING,
// CASHIER_COMPANY_NAME) only while nothing is saved on the printer screen; once a supervisor saved
// the settings there, they are what the counter uses, whatever the environment says.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printerSettings } from '../../src-main/features/printing/print-queue';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
const ENV = {
  CASHIER_PRINTER: 'tcp://10.0.0.9:9100',
  CASHIER_PRINTER_WIDTH: '32',
  CASHIER_PRINTER_ENCODING: 'cp936',
  CASHIER_COMPANY_NAME: '环境变量热力',
};

beforeAll(() => {
  dir = tempDir('printer-precedence-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 5 });
});
afterAll(() => {
  t.close();
  dir.cleanup();
});

describe('printer settings precedence', () => {
  it('nothing saved: the environment, else the defaults', () => {
    expect(printerSettings(t.ctx.db, {})).toMatchObject({ interface: 'none', source: 'default' });
    expect(printerSettings(t.ctx.db, ENV)).toMatchObject({
      interface: 'tcp://10.0.0.9:9100',
      width: 32,
      encoding: 'cp936',
      companyName: '环境变量热力',
      source: 'env',
    });
  });

  it('saved on the printer screen: the saved settings win over the environment', async () => {
    const session = await t.login('9001', '888888');
    await t.must('printer.settings.set', {
      session,
      supervisorCode: '9001',
      supervisorPin: '888888',
      interface: 'tcp://127.0.0.1:9100',
      width: 48,
      encoding: 'gb18030',
      companyName: '城东供热公司',
      drawerKick: 'off',
    });
    expect(printerSettings(t.ctx.db, ENV)).toMatchObject({
      interface: 'tcp://127.0.0.1:9100',
      width: 48,
      encoding: 'gb18030',
      companyName: '城东供热公司',
      source: 'settings',
    });
  });
});
