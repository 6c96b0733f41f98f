// @vitest-environment happy-dom-terminal
// Scan-to-pay on the payment screen (issue 23), on a real ledger: every command goes through the
// command table, except the qr.* commands, which a script answers (head office and the provider are
// the e2e test's part, tests/e2e/qr.test.ts). The script checks each request against the contract
// and each answer is parsed by the contract's output schema, so the screen sees what main can send.
// A scanner's burst + Enter pays the amount on screen and leaves the amount field as it was; a person
// typing the same digits does not; each outcome shows its words and next step; an open outcome
// opens the recovery dialog, where F5 asks again.
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  commandError,
  commands,
  type CommandName,
  type CommandOutput,
  type ErrorCode,
} from '@heating-cashier/core/contract';
import { fenToInput } from '@heating-cashier/core/money';
import { maskPaymentCode } from '@heating-cashier/core/payment-code';
import { dispatch } from '../../src-main/api/dispatch';
import { createBridgeClient, type ApiClient } from '../../src-renderer/api/client';
import type { Account, Receipt, Screen } from '../../src-renderer/app/types';
import { PaymentPage } from '../../src-renderer/features/payment/PaymentPage';
import { SuccessPage } from '../../src-renderer/features/payment/SuccessPage';
import { QrRecovery } from '../../src-renderer/features/qr/QrRecovery';
import type { ScannerOptions } from '../../src-renderer/features/qr/scanner';
import { I18nextProvider } from 'react-i18next';
import { KeysProvider } from '../../src-renderer/app/keys';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps } from '../support/renderer-client';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

const ALIPAY_CODE = '286498003621849257';
const TRADE_NO = '2026120722001498001234567890';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let householdIds: string[];

beforeAll(async () => {
  dir = tempDir('qr-payment-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 12 });
  const session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 10_000 });
  householdIds = householdsOwing(t, 10_000, 6);
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

type QrName = Extract<CommandName, `qr.${string}`>;
type Answer = { ok: true; value: unknown } | { ok: false; error: ReturnType<typeof commandError> };
interface Call {
  name: QrName;
  input: Record<string, unknown>;
}

/**
 * The renderer's bridge client on the real command table; qr.* answered by `script` (its input
 * parsed by the contract, its output parsed by the contract too).
 */
function scriptedClient(script: (call: Call) => Answer | Promise<Answer>) {
  const calls: Call[] = [];
  const client: ApiClient = createBridgeClient({
    invoke: async (name, input) => {
      if (!name.startsWith('qr.')) return dispatch(t.ctx, name, input);
      const qrName = name as QrName;
      const parsed = commands[qrName].input.parse(input) as Record<string, unknown>;
      const call = { name: qrName, input: parsed };
      calls.push(call);
      const answer = await script(call);
      if (!answer.ok) return answer;
      return { ok: true, value: commands[qrName].output.parse(answer.value) };
    },
  });
  return { client, calls };
}

const fail = (code: ErrorCode, details: Record<string, string | number> = {}): Answer => ({
  ok: false,
  error: commandError(code, details),
});

type QrPaymentRow = CommandOutput<'qr.sale'>['payment'];
function qrPayment(call: Call, change: Partial<QrPaymentRow>): QrPaymentRow {
  const now = new Date().toISOString();
  return {
    intentId: 'qr-intent-1',
    requestId: String(call.input.requestId ?? randomUUID()),
    outTradeNo: 'T0001_qrintent1',
    provider: 'alipay',
    maskedCode: maskPaymentCode(String(call.input.code ?? ALIPAY_CODE)),
    state: 'intent',
    householdId: String(call.input.householdId ?? householdIds[0]),
    shiftId: 'shift',
    amountFen: Number(call.input.amountFen ?? 100),
    tradeNo: null,
    buyer: null,
    paidAt: null,
    providerCode: null,
    providerSubCode: null,
    message: null,
    receiptId: null,
    resolution: null,
    createdAt: now,
    updatedAt: now,
    ...change,
  };
}

/**
 * A paid sale's receipt as main records it: a real receipt of this ledger for the household and
 * amount, its one tender the confirmed QR tender (channel, trade no., provider facts).
 */
async function paidReceipt(householdId: string, amountFen: number): Promise<Receipt> {
  const session = await t.login();
  const taken = await t.must('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen,
    tenders: [{ kind: 'qr', amountFen, channel: 'alipay', reference: TRADE_NO }],
  });
  const receipt = await t.must('receipt.find', { session, receiptId: taken.id });
  return {
    ...receipt,
    tenders: [
      {
        kind: 'qr',
        amountFen,
        reference: TRADE_NO,
        detail: {
          channel: 'alipay',
          confirmation: 'confirmed',
          provider: 'alipay',
          tradeNo: TRADE_NO,
          outTradeNo: 'T0001_qrintent1',
          qrIntentId: 'qr-intent-1',
          buyer: '158****1234',
        },
      },
    ],
  };
}

const focused = () => (document.activeElement as HTMLInputElement | null)?.name;
const field = (name: string) => {
  const el = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  return el;
};
const receiptCount = () =>
  (t.ctx.db.prepare('SELECT COUNT(*) AS n FROM receipts').get() as { n: number }).n;

/** A scanner: the code at machine speed (no pause between keys), then Enter. */
const scanner = () => userEvent.setup({ delay: null });
/** A person: 150 ms between keys. */
const person = () => userEvent.setup({ delay: 150 });
/**
 * happy-dom renders the payment screen anew for each key the scanner types into a field (the
 * preview, the customer display): up to ~100 ms on a loaded test machine, where Chromium takes a
 * few. Tests that scan into a field therefore give the detector six times the 50 ms gap, and the
 * person who must not count as a scanner types 350 ms apart; the 50 ms figures themselves are the
 * unit test's (tests/unit/renderer/qr-scanner.test.ts) and the Chromium e2e's.
 */
const WIDE: ScannerOptions = { maxGapMs: 300 };

async function paymentScreen(
  householdId: string,
  script: (call: Call) => Answer | Promise<Answer>,
  { recovery = false, scanner }: { recovery?: boolean; scanner?: ScannerOptions } = {},
) {
  const { client, calls } = scriptedClient(script);
  const session = await clerkSession(client);
  const r = await client.invoke('household.account', { session: session.token, householdId });
  if (!r.ok) throw new Error(r.error.code);
  const account: Account = r.value;
  const props = screenProps(client, session);
  renderScreen(
    <>
      <PaymentPage {...props} account={account} setBusy={() => {}} scanner={scanner} />
      {recovery && (
        <QrRecovery
          client={client}
          session={session}
          connection="closed"
          setBusy={() => {}}
          refresh={() => {}}
          sessionLost={() => {}}
        />
      )}
    </>,
  );
  await waitFor(() => expect(focused()).toBe('tender-1-tendered'));
  return { account, went: props.went, calls, client, session };
}

/** The cursor to the amount field (Shift+Tab from "cash tendered"), as the clerk would. */
async function toAmount() {
  await userEvent.setup().tab({ shift: true });
  expect(focused()).toBe('amount');
}

describe('scan to pay on the payment screen', () => {
  it('a scanner burst + Enter in the amount field pays the amount on screen; the field keeps its text; paid shows the trade no.', async () => {
    let receipt: Receipt | null = null;
    const { account, went, calls } = await paymentScreen(
      householdIds[0]!,
      async (call) => {
        receipt = await paidReceipt(String(call.input.householdId), Number(call.input.amountFen));
        return {
          ok: true,
          value: {
            payment: qrPayment(call, {
              state: 'completed',
              tradeNo: TRADE_NO,
              receiptId: receipt.id,
              paidAt: new Date().toISOString(),
            }),
            receipt,
            replayed: false,
          },
        };
      },
      { scanner: WIDE },
    );
    await toAmount();
    const before = field('amount').value;
    expect(before).toBe(fenToInput(account.owedFen));
    await scanner().keyboard(`${ALIPAY_CODE}{Enter}`);
    await waitFor(() => expect(went.at(-1)?.name).toBe('success'));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      name: 'qr.sale',
      input: {
        householdId: account.household.id,
        amountFen: account.owedFen,
        code: ALIPAY_CODE,
        source: 'scanner',
      },
    });
    expect(field('amount').value).toBe(before);
    expect(screen.queryByText(/^请顾客在手机上确认付款/)).toBeNull();

    // the success screen: provider, trade no. and 已确认 beside the receipt
    cleanup();
    const shown = (went.at(-1) as Extract<Screen, { name: 'success' }>).receipt;
    expect(shown.id).toBe(receipt!.id);
    const client = scriptedClient(() => fail('QR_OFFLINE')).client;
    const props = screenProps(client, await clerkSession(client));
    renderScreen(<SuccessPage {...props} receipt={shown} changeFen={0} />);
    const facts = await screen.findByTestId('qr-facts');
    expect(facts.dataset.confirmed).toBe('yes');
    expect(facts.textContent).toContain('支付宝');
    expect(facts.textContent).toContain('交易号');
    expect(facts.textContent).toContain(TRADE_NO);
    expect(screen.getByTestId('qr-confirmation').textContent).toBe('已确认');
    expect(screen.getByTestId('receipt-qr-confirmation').textContent).toBe(' · 已确认');
  });

  it('the same digits typed by a person are not a scan: they stay in the field, nothing is sent', async () => {
    const { calls } = await paymentScreen(householdIds[1]!, () => fail('QR_OFFLINE'), {
      scanner: WIDE,
    });
    await toAmount();
    await userEvent.setup().clear(field('amount'));
    const user = userEvent.setup({ delay: 350 });
    await user.keyboard(`${ALIPAY_CODE}{Enter}`);
    await waitFor(() => expect(field('amount').value).toBe(ALIPAY_CODE));
    // Enter went to the form, which refuses the amount (no such sum); no QR sale was started
    expect((await screen.findAllByText(/^金额格式不对/)).length).toBeGreaterThan(0);
    expect(calls).toEqual([]);
  }, 60_000);

  it('the code typed by hand in 扫码支付（付款码） + Enter is a sale with source keyboard', async () => {
    const { account, calls } = await paymentScreen(householdIds[2]!, (call) => ({
      ok: true,
      value: {
        payment: qrPayment(call, {
          state: 'failed',
          providerCode: '40004',
          providerSubCode: 'ACQ.PAYMENT_AUTH_CODE_INVALID',
          message: {
            'zh-CN': '支付宝：付款码无效，请顾客刷新付款码后重新扫码。',
            en: 'Alipay: the payment code is not valid; ask the customer to refresh it and scan again.',
          },
        }),
        receipt: null,
        replayed: false,
      },
    }));
    const user = person();
    await user.tab(); // the kind of tender 1
    expect(focused()).toBe('tender-1-kind');
    await user.selectOptions(field('tender-1-kind'), 'qrCode');
    await waitFor(() => expect(field('tender-1-amount').value).toBe(fenToInput(account.owedFen)));
    await user.tab();
    await user.tab();
    expect(focused()).toBe('tender-1-qrcode');
    const receipts = receiptCount();
    await user.keyboard(`${ALIPAY_CODE}{Enter}`);
    // declined: the provider's words and the next step; nothing recorded
    const result = await screen.findByTestId('qr-result');
    expect(result.dataset.phase).toBe('declined');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.input).toMatchObject({
      code: ALIPAY_CODE,
      source: 'keyboard',
      amountFen: account.owedFen,
    });
    expect(screen.getByTestId('qr-provider-message').textContent).toBe(
      '支付宝：付款码无效，请顾客刷新付款码后重新扫码。',
    );
    expect(result.textContent).toContain('扫码未成功，未收费');
    expect(screen.getByTestId('qr-next').textContent).toMatch(/再扫一次.*其他支付方式/);
    expect(receiptCount()).toBe(receipts);
  });

  it('a code that is no payment code is refused on the screen, nothing sent', async () => {
    const { calls } = await paymentScreen(householdIds[2]!, () => fail('QR_OFFLINE'));
    const user = person();
    await user.tab();
    await user.selectOptions(field('tender-1-kind'), 'qrCode');
    await user.tab();
    await user.tab();
    await user.keyboard('99887766{Enter}');
    await screen.findByText(/这不是支付宝、微信支付或云闪付的付款码/);
    expect(calls).toEqual([]);
  });

  it('QR_OFFLINE: the advice (cash, card, the hand-entered unconfirmed reference) and the cursor on the kind', async () => {
    const { calls } = await paymentScreen(
      householdIds[3]!,
      () => fail('QR_OFFLINE', { reason: 'connect ECONNREFUSED 127.0.0.1:7300' }),
      { scanner: WIDE },
    );
    const receipts = receiptCount();
    await scanner().keyboard(`${ALIPAY_CODE}{Enter}`);
    const result = await screen.findByTestId('qr-result');
    expect(result.dataset.phase).toBe('offline');
    expect(calls.map((c) => c.name)).toEqual(['qr.sale']);
    expect(result.textContent).toContain('总部连接不上');
    expect(screen.getByTestId('qr-next').textContent).toMatch(
      /现金.*银行卡.*扫码\/转账（手工登记，未确认）/,
    );
    expect(screen.getByTestId('qr-offline-keys').textContent).toContain('↑↓');
    await waitFor(() => expect(focused()).toBe('tender-1-kind'));
    // the hand-entered reference is one of the kinds there and says it is unconfirmed
    const kind = document.querySelector<HTMLSelectElement>('[name="tender-1-kind"]')!;
    await person().selectOptions(kind, 'qr');
    expect(await screen.findByTestId('qr-manual-hint')).toBeTruthy();
    expect(kind.selectedOptions[0]?.textContent).toBe('扫码/转账（手工登记，未确认）');
    expect(receiptCount()).toBe(receipts);
  });

  it('QR_OUTCOME_UNKNOWN opens 未确认的扫码交易; F5 asks again (qr.resolve) and a paid one becomes its receipt', async () => {
    let pending: QrPaymentRow[] = [];
    let receipt: Receipt | null = null;
    const { account, calls } = await paymentScreen(
      householdIds[4]!,
      async (call) => {
        if (call.name === 'qr.sale') {
          pending = [qrPayment(call, { intentId: 'qr-open-1', outTradeNo: 'T0001_qropen1' })];
          return fail('QR_OUTCOME_UNKNOWN', {
            reason: 'head office did not answer',
            intentId: 'qr-open-1',
          });
        }
        if (call.name === 'qr.pending') return { ok: true, value: { payments: pending } };
        if (call.name === 'qr.resolve') {
          const open = pending.find((p) => p.intentId === call.input.intentId)!;
          receipt = await paidReceipt(open.householdId, open.amountFen);
          pending = [];
          return {
            ok: true,
            value: {
              payment: { ...open, state: 'completed', tradeNo: TRADE_NO, receiptId: receipt.id },
              receipt,
            },
          };
        }
        return fail('QR_ACTION_NOT_ALLOWED', { state: 'completed' });
      },
      { recovery: true, scanner: WIDE },
    );
    await scanner().keyboard(`${ALIPAY_CODE}{Enter}`);
    const dialog = await screen.findByTestId('qr-recovery');
    expect((await screen.findByTestId('qr-result')).dataset.phase).toBe('unknown');
    expect(dialog.textContent).toContain('顾客可能已经付款');
    expect(screen.getByText('未确认的扫码交易')).toBeTruthy();
    const list = screen.getByTestId('qr-recovery-list');
    expect(list.textContent).toContain(maskPaymentCode(ALIPAY_CODE));
    expect(screen.getByTestId('qr-recovery-facts').textContent).toContain('T0001_qropen1');

    await act(async () => {
      await person().keyboard('{F5}');
    });
    const done = await screen.findByTestId('qr-recovery-done');
    expect(done.dataset.state).toBe('completed');
    expect(done.textContent).toContain(receipt!.receiptLabel);
    expect(calls.map((c) => c.name)).toEqual(['qr.sale', 'qr.pending', 'qr.resolve', 'qr.pending']);
    expect(calls[2]!.input).toMatchObject({ intentId: 'qr-open-1' });
    expect(calls[0]!.input).toMatchObject({ amountFen: account.owedFen });
    // nothing left: Enter closes
    await person().keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByTestId('qr-recovery')).toBeNull());
  });

  it('while the card recovery dialog shows, the QR one stays hidden and takes no keys; it opens once that one closes', async () => {
    const open = qrPayment(
      { name: 'qr.sale', input: { householdId: householdIds[5]!, amountFen: 4200 } },
      { intentId: 'qr-open-2', outTradeNo: 'T0001_qropen2' },
    );
    const { client, calls } = scriptedClient((call) =>
      call.name === 'qr.pending'
        ? { ok: true, value: { payments: [open] } }
        : fail('QR_ACTION_NOT_ALLOWED', { state: 'intent' }),
    );
    const session = await clerkSession(client);
    const props = {
      client,
      session,
      setBusy: () => {},
      refresh: () => {},
      sessionLost: () => {},
    };
    const view = renderScreen(<QrRecovery {...props} connection="open" waiting />);
    await waitFor(() => expect(calls.map((c) => c.name)).toContain('qr.pending'));
    await person().keyboard('{F5}');
    expect(screen.queryByTestId('qr-recovery')).toBeNull();
    expect(calls.map((c) => c.name)).not.toContain('qr.resolve');

    view.rerender(
      <I18nextProvider i18n={view.i18n}>
        <KeysProvider blocked={false}>
          <QrRecovery {...props} connection="open" waiting={false} />
        </KeysProvider>
      </I18nextProvider>,
    );
    expect((await screen.findByTestId('qr-recovery-list')).textContent).toContain(open.maskedCode);
    await person().keyboard('{F5}');
    await waitFor(() => expect(calls.map((c) => c.name)).toContain('qr.resolve'));
  });
});
