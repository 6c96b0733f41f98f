/**
 * The card-terminal port: what the services need from a bank POS terminal, whatever the protocol.
 * The ZVT driver (zvt-driver.ts) implements it over a serial line; the terminal simulator speaks the
 * same bytes on the other end of a pty pair.
 */
export interface Localized {
  'zh-CN': string;
  en: string;
}

/** What the terminal reported about one transaction (BMPs of 04 0F). Never a full PAN or track data. */
export interface TerminalTransaction {
  resultCode: number;
  approved: boolean;
  amountMinor: number | null;
  currencyCode: number | null;
  traceNo: string | null;
  receiptNo: string | null;
  terminalId: string | null;
  date: string | null;
  time: string | null;
  /** First 6 / last 4 at most, the rest `*`. */
  maskedPan: string | null;
  cardName: string | null;
  cardType: number | null;
  authCode: string | null;
}

export interface TerminalOutcome {
  outcome: 'approved' | 'declined' | 'aborted';
  resultCode: number;
  message: Localized;
  transaction: TerminalTransaction | null;
  /** Receipt lines the terminal sent (06 D1 / 06 D3), in order. */
  printLines: string[];
}

export interface TerminalStatus {
  ready: boolean;
  terminalStatus: number;
  swVersion: string | null;
  message: Localized;
}

/** Live texts for the UI: intermediate statuses (insert card, PIN, …), line problems, results. */
export interface CardTerminalEvent {
  kind: 'intermediate' | 'line' | 'result' | 'connection';
  code: number | null;
  text: Localized;
  at: string;
}

export interface SaleHooks {
  /**
   * Called with every status information (04 0F) before the terminal gets our acknowledgement, so
   * the caller can make an approval durable first. Must not throw for an approval.
   */
  onTransaction?: (tx: TerminalTransaction) => Promise<void> | void;
}

export type CardTerminalErrorCode =
  | 'NOT_CONNECTED'
  | 'LINE_CLOSED'
  | 'NO_ACK'
  | 'NAK_LIMIT'
  | 'TIMEOUT'
  | 'BUSY'
  | 'REFUSED'
  | 'PROTOCOL';

/**
 * A command that did not finish. `maybeExecuted` is false only when the terminal certainly did not
 * act on it (every copy NAKed, or refused with 84 xx); otherwise the outcome is unknown and must be
 * recovered by asking the terminal, never by sending the command again.
 */
export class CardTerminalError extends Error {
  constructor(
    readonly code: CardTerminalErrorCode,
    message: string,
    readonly maybeExecuted: boolean,
    readonly resultCode: number | null = null,
  ) {
    super(message);
    this.name = 'CardTerminalError';
  }
}

export interface CardTerminal {
  readonly connected: boolean;
  /** Opens the line and registers (06 00) with the configured currency. */
  connect(): Promise<{ terminalId: string | null }>;
  close(): Promise<void>;
  /** `ref` is ours (intent id) for logs; basic ZVT carries no ECR reference in 06 01. */
  sale(
    amountMinor: number,
    currency: number,
    ref: string,
    hooks?: SaleHooks,
  ): Promise<TerminalOutcome>;
  reversal(terminalReceiptNo: string, hooks?: SaleHooks): Promise<TerminalOutcome>;
  refund(amountMinor: number, currency: number, hooks?: SaleHooks): Promise<TerminalOutcome>;
  endOfDay(): Promise<TerminalOutcome>;
  /** The terminal's last transaction (Repeat Receipt 06 20), or null when it has none. */
  lastTransaction(): Promise<TerminalOutcome | null>;
  /**
   * Registration (06 00) on the open line: our configuration, and proof the terminal is there. Also
   * the idle liveness check: a terminal switched off does not acknowledge it, one switched on again
   * (which forgets the registration) is registered by it. `attempts` caps the transmissions of the
   * frame; the completion is awaited `completionMs` (default T2: it follows at once).
   */
  register(options?: {
    attempts?: number;
    completionMs?: number;
  }): Promise<{ terminalId: string | null }>;
  status(): Promise<TerminalStatus>;
  /** Asks the terminal to abort the running transaction (06 B0); the running call then ends. */
  abort(): Promise<void>;
  onEvent(listener: (e: CardTerminalEvent) => void): () => void;
}

/** Masks a PAN as the terminal sent it (hex BCD, E = masked, F padding, D = track separator). */
export function maskPan(panHex: string | null | undefined): string | null {
  if (!panHex) return null;
  const digits = panHex.toUpperCase().split(/[DF]/)[0]!.replace(/E/g, '*');
  if (!/^[0-9*]+$/.test(digits) || digits.length < 4) return null;
  const keepHead = digits.length >= 13 ? 6 : 0;
  const head = digits.slice(0, keepHead);
  const tail = digits.slice(-4);
  return (head + '*'.repeat(digits.length - keepHead - 4) + tail).slice(0, 19);
}
