import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { decodeApdu, encodeApdu, type DecodedApdu } from './zvt/apdu';
import { ZvtLink, ZVT_TIMING, type ByteChannel, type LinkTiming } from './link';

/** A fault the simulator injects on the n-th command of a kind (1-based), or on every one. */
export interface SimFault {
  /** Which ECR command triggers it: 'sale' | 'reversal' | 'refund' | 'status' | 'any'. */
  on?: 'sale' | 'reversal' | 'refund' | 'status' | 'registration' | 'any';
  nth?: number;
  fault:
    | 'nak' //             NAK the command frame `count` times (count ≥ 3 = a NAK storm)
    | 'bad_crc' //         send the next `count` terminal frames with a broken CRC first
    | 'garbage' //         random bytes before every terminal frame of this command
    | 'mute' //            never ACK nor answer the command
    | 'silence' //         ACK + 80 00 00, then go silent (the ECR's T4 fires)
    | 'exit_after_approval' // approve and journal, send 04 0F, then exit the process (cable pulled)
    | 'duplicate' //       send the status information twice (as if our ACK got lost)
    | 'slow'; //           wait `ms` while "insert card" is shown (room for a clerk abort)
  count?: number;
  ms?: number;
}

export interface SimScript {
  /** Delay between terminal steps, ms (0 = instant). */
  stepMs?: number;
  faults?: SimFault[];
}

export interface SimTransaction {
  kind: 'sale' | 'refund';
  receiptNo: string;
  traceNo: string;
  amountMinor: number;
  currency: number;
  status: 'approved' | 'declined' | 'reversed';
  resultCode: number;
  at: string;
  pan: string;
  authCode: string;
}

export interface SimJournal {
  terminalId: string;
  nextTrace: number;
  nextReceipt: number;
  transactions: SimTransaction[];
}

/** Sum of approved (not reversed) sales minus approved refunds, in minor units. */
export function approvedTotal(journal: SimJournal): number {
  return journal.transactions.reduce(
    (s, t) =>
      t.status === 'approved' ? s + (t.kind === 'sale' ? t.amountMinor : -t.amountMinor) : s,
    0,
  );
}

export function readJournal(file: string): SimJournal {
  return JSON.parse(readFileSync(file, 'utf8')) as SimJournal;
}

const ACK_APDU = Uint8Array.of(0x80, 0x00, 0x00);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A bank POS terminal speaking ZVT on its end of a serial line (a socat pty pair in tests and
 * demos). Decision rules: an amount whose fen part is 13 (¥x.13) is declined (result 05), ¥x.78
 * is "card expired" (78); everything else is approved. ¥x.99 waits 10 s on "insert card" so the
 * clerk can abort. The journal (optional file) survives restarts, like a real terminal's batch.
 */
export class ZvtTerminalSimulator {
  readonly link: ZvtLink;
  private journal: SimJournal;
  private registered = false;
  private counts = new Map<string, number>();
  private abortRequested = false;
  private inTransaction = false;
  private poweredOff = false;
  log: (line: string) => void = () => undefined;
  onExit: () => void = () => process.exit(0);

  constructor(
    channel: ByteChannel,
    private readonly options: {
      journalFile?: string;
      script?: SimScript;
      timing?: Partial<LinkTiming>;
      terminalId?: string;
    } = {},
  ) {
    this.link = new ZvtLink(channel, { ...ZVT_TIMING, t3Ms: 2000, ...(options.timing ?? {}) });
    this.journal =
      options.journalFile && existsSync(options.journalFile)
        ? readJournal(options.journalFile)
        : {
            terminalId: options.terminalId ?? '68012345',
            nextTrace: 1,
            nextReceipt: 1,
            transactions: [],
          };
    this.save();
  }

  /**
   * Switched off with the cable still plugged in: the port stays open on the ECR's side, but no byte
   * is acknowledged or answered. Switched on again it has forgotten the ECR's registration.
   */
  powerOff(): void {
    this.poweredOff = true;
    this.link.suppressAck = true;
    this.log('POWER OFF');
  }

  powerOn(): void {
    this.poweredOff = false;
    this.registered = false;
    this.link.suppressAck = false;
    this.link.clearInbox();
    this.log('POWER ON');
  }

  get isPoweredOff(): boolean {
    return this.poweredOff;
  }

  /** True while a transaction runs (tests wait for the terminal to finish before reconnecting). */
  get busy(): boolean {
    return this.inTransaction;
  }

  get state(): SimJournal {
    return this.journal;
  }

  private save(): void {
    if (!this.options.journalFile) return;
    const tmp = `${this.options.journalFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.journal, null, 1));
    renameSync(tmp, this.options.journalFile);
  }

  /** Serves commands until the line closes. */
  async serve(): Promise<void> {
    for (;;) {
      let apdu: Uint8Array;
      try {
        apdu = await this.link.nextApdu(24 * 3600_000);
      } catch {
        return;
      }
      if (this.poweredOff) continue;
      let msg: DecodedApdu;
      try {
        msg = decodeApdu(apdu);
      } catch (e) {
        this.log(`bad APDU: ${(e as Error).message}`);
        await this.send(Uint8Array.of(0x84, 0x9a, 0x00));
        continue;
      }
      if (msg.command === '06 B0' && this.inTransaction) {
        this.abortRequested = true;
        continue;
      }
      try {
        await this.handle(msg);
      } catch (e) {
        this.log(`command ${msg.command} ended: ${(e as Error).message}`);
      }
    }
  }

  private fault(kind: string): SimFault | undefined {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    return this.options.script?.faults?.find(
      (f) =>
        (f.on === undefined || f.on === kind || f.on === 'any') &&
        (f.nth === undefined || f.nth === n),
    );
  }

  private garbage = false;

  private async send(apdu: Uint8Array, options: { duplicate?: boolean } = {}): Promise<void> {
    if (this.garbage) {
      const junk = Uint8Array.from(
        { length: 7 },
        (_, i) => [0x41, 0x00, 0xff, 0x10, 0x99, 0x03, 0x7e][i]!,
      );
      await this.link.writeRaw(junk);
    }
    await this.link.sendApdu(apdu, options);
  }

  /** Sends a terminal APDU and waits for the ECR's 80 00 00. */
  private async tell(apdu: Uint8Array, options: { duplicate?: boolean } = {}): Promise<void> {
    await this.send(apdu, options);
    const answers = options.duplicate ? 2 : 1;
    for (let i = 0; i < answers; i++) {
      for (;;) {
        const got = await this.link.nextApdu(this.link.timing.t3Ms * 3);
        if (got[0] === 0x80 || got[0] === 0x84) break;
        if (got[0] === 0x06 && got[1] === 0xb0) this.abortRequested = true;
      }
    }
  }

  private stepMs: number | null = null;

  /** Changes the delay between terminal steps from now on (the script's `stepMs`). */
  setStepMs(ms: number): void {
    this.stepMs = ms;
  }

  private async step(): Promise<void> {
    const ms = this.stepMs ?? this.options.script?.stepMs ?? 0;
    if (ms > 0) await sleep(ms);
  }

  /**
   * Test hook: a held sale waits before each of its steps (each terminal text, then the result)
   * until `releaseStep()` lets one step go (a release given early is kept), or `runFreely()` lets
   * all go. A test then sees every text for as long as it looks at it, however loaded the machine:
   * no race with the step timer.
   */
  private gate: { permits: number; waiting: (() => void) | null } | null = null;

  holdSteps(): void {
    this.gate = { permits: 0, waiting: null };
  }

  releaseStep(): void {
    const gate = this.gate;
    if (!gate) return;
    if (!gate.waiting) {
      gate.permits++;
      return;
    }
    const go = gate.waiting;
    gate.waiting = null;
    go();
  }

  runFreely(): void {
    const gate = this.gate;
    this.gate = null;
    gate?.waiting?.();
  }

  /** One step of a sale: through the gate when held, then the step delay. */
  private async saleStep(): Promise<void> {
    const gate = this.gate;
    if (gate) {
      if (gate.permits > 0) gate.permits--;
      else await new Promise<void>((resolve) => (gate.waiting = resolve));
    }
    await this.step();
  }

  private async handle(msg: DecodedApdu): Promise<void> {
    const kind =
      msg.command === '06 01'
        ? 'sale'
        : msg.command === '06 30'
          ? 'reversal'
          : msg.command === '06 31'
            ? 'refund'
            : msg.command === '05 01'
              ? 'status'
              : msg.command === '06 00'
                ? 'registration'
                : 'other';
    const fault = this.fault(kind);
    this.garbage = fault?.fault === 'garbage';
    if (fault?.fault === 'bad_crc') this.link.corruptNext = fault.count ?? 1;
    if (fault?.fault === 'mute') {
      this.log(`${kind}: mute`);
      return;
    }
    this.log(`${msg.command} ${msg.name}`);
    switch (msg.command) {
      case '06 00': {
        this.registered = true;
        await this.send(ACK_APDU);
        await this.step();
        await this.tell(
          encodeApdu('06 0F', {
            status_byte: 0,
            terminal_id: this.journal.terminalId,
            currency_code: Number(msg.fields.currency_code ?? 978),
          }),
        );
        return;
      }
      case '06 02':
        this.registered = false;
        await this.send(ACK_APDU);
        return;
      case '05 01':
        await this.send(ACK_APDU);
        await this.step();
        await this.tell(encodeApdu('06 0F', { sw_version: 'HEAT-SIM 1.0', terminal_status: 0 }));
        return;
      case '06 01':
        if (!this.registered) return this.send(Uint8Array.of(0x84, 0x6b, 0x00));
        return this.sale(msg, fault);
      case '06 31':
        if (!this.registered) return this.send(Uint8Array.of(0x84, 0x6b, 0x00));
        return this.sale(msg, fault, 'refund');
      case '06 30':
        return this.reversal(msg);
      case '06 20':
        return this.repeatReceipt();
      case '06 50':
        return this.endOfDay();
      default:
        await this.send(Uint8Array.of(0x84, 0x83, 0x00));
    }
  }

  private statusInfo(t: SimTransaction): Uint8Array {
    const fields: Record<string, unknown> = {
      result_code: t.resultCode,
      amount_minor: t.amountMinor,
      currency_code: t.currency,
      trace_no: t.traceNo,
      time: t.at.slice(11, 19).replace(/:/g, ''),
      date: t.at.slice(5, 10).replace('-', ''),
      terminal_id: this.journal.terminalId,
    };
    if (t.resultCode === 0) {
      Object.assign(fields, {
        payment_type: 0x60,
        pan_masked: t.pan,
        receipt_no: t.receiptNo,
        auth_code: t.authCode,
        card_type: 0x0a,
        card_name: 'UnionPay',
      });
    }
    return encodeApdu('04 0F', fields);
  }

  private receiptLines(t: SimTransaction, title: string): Uint8Array {
    const yuan = `${Math.floor(t.amountMinor / 100)}.${String(t.amountMinor % 100).padStart(2, '0')}`;
    const lines = [
      `** ${title} **`,
      `TID: ${this.journal.terminalId}`,
      `Trace: ${t.traceNo}  Receipt: ${t.receiptNo}`,
      `Card: ${t.pan.replace(/E/g, '*').replace(/F+$/, '')}`,
      `Auth: ${t.authCode}`,
      `Amount: CNY ${yuan}`,
      t.status === 'approved' ? 'APPROVED' : 'DECLINED',
    ];
    return encodeApdu('06 D3', {
      tlv: [{ tag: '25', items: lines.map((text) => ({ tag: '07', name: 'text_line', text })) }],
    });
  }

  private newTransaction(
    kind: 'sale' | 'refund',
    amount: number,
    currency: number,
  ): SimTransaction {
    const cents = amount % 100;
    const resultCode =
      kind === 'sale' && cents === 13 ? 0x05 : kind === 'sale' && cents === 78 ? 0x78 : 0;
    const t: SimTransaction = {
      kind,
      receiptNo: String(this.journal.nextReceipt % 10000).padStart(4, '0'),
      traceNo: String(this.journal.nextTrace % 1_000_000).padStart(6, '0'),
      amountMinor: amount,
      currency,
      status: resultCode === 0 ? 'approved' : 'declined',
      resultCode,
      at: new Date().toISOString(),
      pan: '622588EEEEEE1234',
      authCode: String(100000 + ((this.journal.nextTrace * 7919) % 900000)),
    };
    this.journal.nextTrace++;
    if (resultCode === 0) this.journal.nextReceipt++;
    return t;
  }

  private async sale(
    msg: DecodedApdu,
    fault: SimFault | undefined,
    kind: 'sale' | 'refund' = 'sale',
  ): Promise<void> {
    const amount = Number(msg.fields.amount_minor ?? 0);
    const currency = Number(msg.fields.currency_code ?? 156);
    this.inTransaction = true;
    this.abortRequested = false;
    try {
      await this.send(ACK_APDU);
      if (fault?.fault === 'silence') {
        this.log('silence');
        return;
      }
      await this.saleStep();
      await this.tell(encodeApdu('04 FF', { intermediate_status: 0x0a, timeout: 60 })).catch(
        () => undefined,
      );
      const waitMs =
        fault?.fault === 'slow' ? (fault.ms ?? 10_000) : amount % 100 === 99 ? 10_000 : 0;
      const until = Date.now() + waitMs;
      const isAbort = (a: Uint8Array) => a[0] === 0x06 && a[1] === 0xb0;
      while (Date.now() < until && !this.abortRequested) {
        if (this.link.takeFromInbox(isAbort)) this.abortRequested = true;
        else await sleep(20);
      }
      if (this.abortRequested) {
        this.log('aborted by the ECR');
        await this.send(ACK_APDU);
        await this.tell(encodeApdu('06 1E', { result_code: 0x6c }));
        return;
      }
      // Like a real terminal, it carries on with the card when the ECR stops answering status texts.
      await this.saleStep();
      await this.tell(encodeApdu('04 FF', { intermediate_status: 0x01 })).catch(() => undefined);
      await this.saleStep();
      await this.tell(encodeApdu('04 FF', { intermediate_status: 0x04 })).catch(() => undefined);
      await this.saleStep();
      const t = this.newTransaction(kind, amount, currency);
      this.journal.transactions.push(t);
      this.save(); // the money moved (or not) before the ECR hears of it
      this.log(
        `${t.status.toUpperCase()} ${kind} ${amount} receipt ${t.receiptNo} trace ${t.traceNo}`,
      );
      await this.tell(this.statusInfo(t), { duplicate: fault?.fault === 'duplicate' });
      if (fault?.fault === 'exit_after_approval') {
        this.log('exit after approval');
        this.onExit();
        return;
      }
      if (t.status !== 'approved') {
        await this.tell(encodeApdu('06 1E', { result_code: t.resultCode }));
        return;
      }
      await this.tell(this.receiptLines(t, kind === 'sale' ? 'SALE' : 'REFUND'));
      await this.tell(encodeApdu('06 0F', {}));
    } finally {
      this.inTransaction = false;
      this.garbage = false;
    }
  }

  private async reversal(msg: DecodedApdu): Promise<void> {
    await this.send(ACK_APDU);
    const receiptNo = String(msg.fields.receipt_no ?? '');
    const t = this.journal.transactions.find(
      (x) => x.receiptNo === receiptNo && x.kind === 'sale' && x.resultCode === 0,
    );
    if (!t) return this.tell(encodeApdu('06 1E', { result_code: 0xb5 }));
    if (t.status === 'reversed') return this.tell(encodeApdu('06 1E', { result_code: 0xb4 }));
    t.status = 'reversed';
    this.save();
    this.log(`REVERSED receipt ${receiptNo} amount ${t.amountMinor}`);
    await this.tell(this.statusInfo({ ...t, status: 'approved', resultCode: 0 }));
    await this.tell(this.receiptLines({ ...t, status: 'approved' }, 'REVERSAL'));
    await this.tell(encodeApdu('06 0F', {}));
  }

  private async repeatReceipt(): Promise<void> {
    await this.send(ACK_APDU);
    const t = this.journal.transactions.at(-1);
    if (!t) return this.tell(encodeApdu('06 1E', { result_code: 0x83 }));
    await this.tell(this.statusInfo(t.status === 'reversed' ? { ...t, resultCode: 0xb4 } : t));
    await this.tell(encodeApdu('06 0F', {}));
  }

  private async endOfDay(): Promise<void> {
    await this.send(ACK_APDU);
    await this.step(); // a real one settles with the bank's host first
    const total = approvedTotal(this.journal);
    await this.tell(
      encodeApdu('04 0F', {
        result_code: 0,
        amount_minor: Math.max(0, total),
        trace_no: String(this.journal.nextTrace).padStart(6, '0'),
      }),
    );
    await this.tell(encodeApdu('06 0F', {}));
  }
}
