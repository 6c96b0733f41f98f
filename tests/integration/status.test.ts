import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeEach(() => {
  dir = tempDir();
  t = openTestTerminal(join(dir.dir, 'ledger.db'));
});
afterEach(() => {
  t.close();
  dir.cleanup();
});

describe('terminal.status', () => {
  it('reports devices and sync as unavailable until they are configured — never as working', async () => {
    const s = await t.must('terminal.status', {});
    expect(s.printer.state).toBe('unavailable');
    expect(s.cardTerminal.state).toBe('unavailable');
    expect(s.sync).toMatchObject({ state: 'unavailable', lastSuccessAt: null });
    expect(s.sync.pendingEvents).toBeGreaterThan(0); // the demo's book events have not reached head office
    expect(s.printer.detail?.['zh-CN']).toBeTruthy();
    expect(s.clock.ok).toBe(true);
  });

  it('shows what a registered provider reports', async () => {
    t.ctx.status = {
      printer: () => ({
        state: 'paper_out',
        detail: { 'zh-CN': '打印机缺纸', en: 'Printer out of paper' },
      }),
    };
    expect((await t.must('terminal.status', {})).printer.state).toBe('paper_out');
  });

  it('flags a PC clock that is behind the last ledger event', async () => {
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const [id] = householdsOwing(t, 10);
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 10,
      tenders: [{ kind: 'cash', amountFen: 10, tenderedFen: 10 }],
    });
    const real = t.ctx.clock;
    t.ctx.clock = () => new Date(real().getTime() - 3600_000);
    const s = await t.must('terminal.status', {});
    expect(s.clock.ok).toBe(false);
    expect(s.clock.lastEventAt).not.toBeNull();
  });
});
