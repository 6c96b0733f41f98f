import { decodeApdu, encodeApdu, type DecodedApdu } from './zvt/apdu';
import { ZvtCodecError } from './zvt/errors';
import { toHex } from './zvt/frame';
import { intermediateText, resultMessage, terminalStatusText } from './zvt/messages';
import { ZvtLink, ZVT_TIMING, type ByteChannel, type LinkTiming } from './link';
import {
  CardTerminalError,
  maskPan,
  type CardTerminal,
  type CardTerminalEvent,
  type SaleHooks,
  type TerminalOutcome,
  type TerminalStatus,
  type TerminalTransaction,
} from './port';

export interface ZvtOptions {
  /** Opens the line (serial port or pty). Called by connect(), again on reconnect. */
  open: () => Promise<ByteChannel>;
  password?: string;
  /** ISO 4217 numeric; 156 = CNY. */
  currency?: number;
  /**
   * Registration config byte: 0x8A = ECR prints receipts (02) + intermediate status (08) + print
   * lines to the ECR (80); the terminal keeps payment and admin functions under ECR control.
   */
  configByte?: number;
  timing?: Partial<LinkTiming>;
}

const OK = 0x00;
const ACK_APDU = Uint8Array.of(0x80, 0x00, 0x00);

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

/** The BMPs of a status information (04 0F), reduced to what may be stored. */
export function transactionOf(fields: Record<string, unknown>): TerminalTransaction {
  const resultCode = num(fields.result_code) ?? 0xff;
  const auth = str(fields.auth_code);
  return {
    resultCode,
    approved: resultCode === OK,
    amountMinor: num(fields.amount_minor),
    currencyCode: num(fields.currency_code),
    traceNo: str(fields.trace_no),
    receiptNo: str(fields.receipt_no),
    terminalId: str(fields.terminal_id),
    date: str(fields.date),
    time: str(fields.time),
    maskedPan: maskPan(str(fields.pan_masked)),
    cardName: str(fields.card_name),
    cardType: num(fields.card_type),
    authCode: auth ? auth.trim().slice(0, 12) : null,
  };
}

/**
 * ZVT (PA00P015/PA00P016) electronic-cash-register side over a byte channel: registration,
 * authorisation, reversal, refund, end-of-day, repeat receipt, status enquiry, abort, log-off.
 * One command at a time; intermediate statuses become events; print lines are collected.
 */
export class ZvtCardTerminal implements CardTerminal {
  private link: ZvtLink | null = null;
  private busy = false;
  private listeners = new Set<(e: CardTerminalEvent) => void>();
  private readonly timing: LinkTiming;
  readonly password: string;
  readonly currency: number;
  readonly configByte: number;
  terminalId: string | null = null;

  constructor(private readonly options: ZvtOptions) {
    this.timing = { ...ZVT_TIMING, ...(options.timing ?? {}) };
    this.password = options.password ?? '000000';
    this.currency = options.currency ?? 156;
    this.configByte = options.configByte ?? 0x8a;
  }

  get connected(): boolean {
    return this.link !== null && !this.link.closed;
  }

  onEvent(listener: (e: CardTerminalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(
    kind: CardTerminalEvent['kind'],
    code: number | null,
    text: CardTerminalEvent['text'],
  ): void {
    const e = { kind, code, text, at: new Date().toISOString() };
    for (const l of this.listeners) l(e);
  }

  async connect(): Promise<{ terminalId: string | null }> {
    if (this.link && !this.link.closed) await this.link.close().catch(() => undefined);
    const channel = await this.options.open();
    const link = new ZvtLink(channel, this.timing);
    link.onLineError((item) =>
      this.emit('line', null, {
        'zh-CN': `串口数据错误（${item.code}）：${item.message}。已要求终端重发，数据未丢失。`,
        en: `Bad bytes on the serial line (${item.code}): ${item.message}. Asked for a resend; nothing lost.`,
      }),
    );
    channel.onClose(() =>
      this.emit('connection', null, {
        'zh-CN': '与银行卡终端的连接已断开。请检查串口线后点“重新连接”。',
        en: 'The card terminal line dropped. Check the cable, then reconnect.',
      }),
    );
    this.link = link;
    await this.register({ completionMs: this.timing.t4Ms });
    this.emit('connection', null, { 'zh-CN': '银行卡终端已连接', en: 'Card terminal connected' });
    return { terminalId: this.terminalId };
  }

  async register(
    options: { attempts?: number; completionMs?: number } = {},
  ): Promise<{ terminalId: string | null }> {
    const apdu = encodeApdu('06 00', {
      password: this.password,
      config_byte: this.configByte,
      currency_code: this.currency,
    });
    const done = await this.exclusive(() =>
      this.run(apdu, options.completionMs ?? this.timing.t2Ms, undefined, options),
    );
    this.terminalId = str(done.completion?.fields.terminal_id) ?? this.terminalId;
    return { terminalId: this.terminalId };
  }

  async close(): Promise<void> {
    const link = this.link;
    this.link = null;
    if (link && !link.closed) {
      if (!this.busy) {
        await link.sendApdu(encodeApdu('06 02')).catch(() => undefined);
        await link.nextApdu(this.timing.t3Ms).catch(() => undefined);
      }
      await link.close().catch(() => undefined);
    }
  }

  sale(
    amountMinor: number,
    currency: number,
    _ref: string,
    hooks?: SaleHooks,
  ): Promise<TerminalOutcome> {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > 999_999_999_999)
      return Promise.reject(new CardTerminalError('PROTOCOL', 'amount out of range', false));
    return this.transaction(
      encodeApdu('06 01', { amount_minor: amountMinor, currency_code: currency }),
      hooks,
    );
  }

  reversal(terminalReceiptNo: string, hooks?: SaleHooks): Promise<TerminalOutcome> {
    return this.transaction(
      encodeApdu('06 30', { password: this.password, receipt_no: terminalReceiptNo }),
      hooks,
    );
  }

  refund(amountMinor: number, currency: number, hooks?: SaleHooks): Promise<TerminalOutcome> {
    return this.transaction(
      encodeApdu('06 31', {
        password: this.password,
        amount_minor: amountMinor,
        currency_code: currency,
      }),
      hooks,
    );
  }

  endOfDay(): Promise<TerminalOutcome> {
    return this.transaction(encodeApdu('06 50', { password: this.password }));
  }

  async lastTransaction(): Promise<TerminalOutcome | null> {
    const outcome = await this.transaction(encodeApdu('06 20', { password: this.password }));
    return outcome.transaction ? outcome : null;
  }

  async status(): Promise<TerminalStatus> {
    const done = await this.exclusive(() =>
      this.run(encodeApdu('05 01', { password: this.password }), this.timing.t4Ms),
    );
    const f = done.completion?.fields ?? {};
    const code = num(f.terminal_status) ?? done.abortCode ?? 0xff;
    return {
      ready: done.completion !== null && code === 0,
      terminalStatus: code,
      swVersion: str(f.sw_version),
      message: done.completion ? terminalStatusText(code) : resultMessage(code),
    };
  }

  async abort(): Promise<void> {
    const link = this.requireLink();
    await link.sendApdu(encodeApdu('06 B0'));
  }

  private requireLink(): ZvtLink {
    if (!this.link || this.link.closed)
      throw new CardTerminalError('NOT_CONNECTED', 'card terminal not connected', false);
    return this.link;
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy)
      throw new CardTerminalError('BUSY', 'the terminal is busy with another command', false);
    this.requireLink();
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private async transaction(apdu: Uint8Array, hooks?: SaleHooks): Promise<TerminalOutcome> {
    const done = await this.exclusive(() => this.run(apdu, this.timing.t4Ms, hooks));
    const tx = done.transactions.at(-1) ?? null;
    let outcome: TerminalOutcome['outcome'];
    let code: number;
    if (done.abortCode !== null) {
      code = done.abortCode;
      outcome = code === 0x6c ? 'aborted' : 'declined';
      if (tx?.approved) outcome = 'approved'; // approved, then the terminal aborted the rest: still charged
    } else if (tx) {
      code = tx.resultCode;
      outcome = tx.approved ? 'approved' : 'declined';
    } else {
      code = OK;
      outcome = 'approved';
    }
    const message = resultMessage(code);
    this.emit('result', code, message);
    return { outcome, resultCode: code, message, transaction: tx, printLines: done.printLines };
  }

  /**
   * Sends one ECR command and follows the terminal until it hands master rights back (06 0F
   * Completion or 06 1E Abort), answering every terminal APDU with 80 00 00.
   */
  private async run(
    apdu: Uint8Array,
    t4Ms: number,
    hooks?: SaleHooks,
    send: { attempts?: number } = {},
  ): Promise<{
    completion: DecodedApdu | null;
    abortCode: number | null;
    transactions: TerminalTransaction[];
    printLines: string[];
  }> {
    const link = this.requireLink();
    link.clearInbox();
    await link.sendApdu(apdu, send);
    // T2: the answer (80 00 00 or 84 xx) to the command the terminal just acknowledged.
    const first = this.decode(await link.nextApdu(this.timing.t2Ms));
    if (first.command.startsWith('84') && first.command !== '84 00') {
      const code = num(first.fields.error_code) ?? 0xff;
      throw new CardTerminalError('REFUSED', resultMessage(code).en, false, code);
    }
    const transactions: TerminalTransaction[] = [];
    const printLines: string[] = [];
    const seen = new Set<string>();
    // Commands without a transaction part answer with 80 00 00 only (log-off).
    if (toHex(apdu).startsWith('0602'))
      return { completion: null, abortCode: null, transactions, printLines };
    let answer: DecodedApdu | null = first.command === '80 00' ? null : first;
    for (;;) {
      const msg = answer ?? this.decode(await link.nextApdu(t4Ms));
      answer = null;
      switch (msg.command) {
        case '80 00':
        case '84 00':
          continue; // acknowledgement of our abort request
        case '04 FF': {
          const code = num(msg.fields.intermediate_status) ?? 0;
          const lines = (msg.fields.text_lines as string[] | undefined) ?? [];
          const t = intermediateText(code);
          this.emit(
            'intermediate',
            code,
            lines.length
              ? { 'zh-CN': `${t['zh-CN']}（${lines.join(' ')}）`, en: lines.join(' ') }
              : t,
          );
          break;
        }
        case '04 0F': {
          const tx = transactionOf(msg.fields);
          const key = `${tx.terminalId}/${tx.traceNo}/${tx.receiptNo}/${tx.resultCode}/${tx.amountMinor}`;
          if (!seen.has(key)) {
            seen.add(key);
            transactions.push(tx);
            await hooks?.onTransaction?.(tx);
          }
          break;
        }
        case '06 D1':
          printLines.push(String(msg.fields.text ?? ''));
          break;
        case '06 D3':
          printLines.push(...((msg.fields.text_lines as string[] | undefined) ?? []));
          break;
        case '06 0F':
          await link.sendApdu(ACK_APDU);
          return { completion: msg, abortCode: null, transactions, printLines };
        case '06 1E':
          await link.sendApdu(ACK_APDU);
          return {
            completion: null,
            abortCode: num(msg.fields.result_code) ?? 0xff,
            transactions,
            printLines,
          };
        default:
          break;
      }
      await link.sendApdu(ACK_APDU);
    }
  }

  private decode(apdu: Uint8Array): DecodedApdu {
    try {
      return decodeApdu(apdu);
    } catch (e) {
      if (e instanceof ZvtCodecError)
        throw new CardTerminalError(
          'PROTOCOL',
          `unreadable APDU from the terminal: ${e.message}`,
          true,
        );
      throw e;
    }
  }
}
