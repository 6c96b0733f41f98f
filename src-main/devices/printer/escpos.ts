/**
 * The ESC/POS commands we send ourselves (node-thermal-printer gets status and the drawer wrong),
 * and the parsing of the printer's status bytes.
 */

/** ESC p m t1 t2: pulse pin 2 for 25×2 ms on, 250×2 ms off. One command, five bytes. */
export const DRAWER_KICK_DEFAULT = Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa]);
/** GS r 1: transmit paper sensor status; processed in sequence, so it acknowledges a job's end. */
export const GS_R_PAPER = Buffer.from([0x1d, 0x72, 0x01]);

/** QR error-correction levels as GS ( k fn 69 takes them. */
const QR_LEVEL = { l: 48, m: 49, q: 50, h: 51 } as const;

/**
 * A QR code as the printer's own symbol (GS ( k, cn 49 = QR): model 2, module size `cell` dots,
 * error correction `level`, store the data (fn 80), print it (fn 81). The printer draws the
 * symbol, so nothing is rasterised here (receiptline's raster path costs ~2 ms per receipt).
 * Returns a binary string (one char per byte) to sit inside receiptline's command stream.
 */
export function nativeQrCommand(data: string, cell: number, level: keyof typeof QR_LEVEL): string {
  const bytes = Buffer.from(data, 'utf8');
  if (bytes.length === 0) return '';
  if (bytes.length > 7089) throw new RangeError('QR data longer than 7089 bytes');
  const gs = (fn: number, ...args: number[]) => {
    const len = args.length + 2;
    return String.fromCharCode(0x1d, 0x28, 0x6b, len & 0xff, len >> 8, 49, fn, ...args);
  };
  const size = Math.min(16, Math.max(1, cell));
  const store = bytes.length + 3;
  return (
    gs(65, 50, 0) +
    gs(67, size) +
    gs(69, QR_LEVEL[level]) +
    String.fromCharCode(0x1d, 0x28, 0x6b, store & 0xff, store >> 8, 49, 80, 48) +
    bytes.toString('binary') +
    gs(81, 48)
  );
}

/** DLE EOT n (real-time status): 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export function dleEot(n: 1 | 2 | 3 | 4): Buffer {
  return Buffer.from([0x10, 0x04, n]);
}

/** Parses a drawer-kick setting: hex bytes such as '1b 70 00 19 fa' (must be an ESC p command). */
export function parseDrawerKick(hex: string): Buffer | null {
  const clean = hex.replace(/[\s:,-]/g, '').toLowerCase();
  if (!/^([0-9a-f]{2})+$/.test(clean)) return null;
  const bytes = Buffer.from(clean, 'hex');
  const isEscP = bytes.length === 5 && bytes[0] === 0x1b && bytes[1] === 0x70 && bytes[2]! <= 0x31;
  const isDleDc4 = bytes.length === 5 && bytes[0] === 0x10 && bytes[1] === 0x14 && bytes[2] === 1;
  return isEscP || isDleDc4 ? bytes : null;
}

export interface PrinterStatus {
  /** The printer answered the status queries at all. */
  reachable: boolean;
  offline: boolean;
  coverOpen: boolean;
  paperEnd: boolean;
  paperNearEnd: boolean;
  /** Auto-cutter, unrecoverable or auto-recoverable error. */
  error: boolean;
  /** Drawer-open sensor (DLE EOT 1 bit 2) — meaning depends on the drawer wiring. */
  drawerSensor: boolean;
  /** Status bytes as received (n=1..4), for the log. */
  raw: number[];
}

/** A status byte is valid when bit 0 and bit 7 are 0 and bits 1 and 4 are 1 (Epson ESC/POS). */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** Parses the four DLE EOT answers (n = 1, 2, 3, 4). */
export function parseStatusBytes(bytes: readonly number[]): PrinterStatus {
  const [printer = 0x12, offline = 0x12, error = 0x12, paper = 0x12] = bytes;
  return {
    reachable: true,
    offline: (printer & 0x08) !== 0,
    drawerSensor: (printer & 0x04) !== 0,
    coverOpen: (offline & 0x04) !== 0,
    paperEnd: (offline & 0x20) !== 0 || (paper & 0x60) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    error: (offline & 0x40) !== 0 || (error & 0x68) !== 0,
    raw: [...bytes],
  };
}

export const UNREACHABLE: PrinterStatus = {
  reachable: false,
  offline: true,
  coverOpen: false,
  paperEnd: false,
  paperNearEnd: false,
  error: false,
  drawerSensor: false,
  raw: [],
};

/** GS r 1 answer: bits 2-3 paper end, bits 0-1 near end. */
export function parsePaperSensor(b: number): { paperEnd: boolean; paperNearEnd: boolean } {
  return { paperEnd: (b & 0x0c) !== 0, paperNearEnd: (b & 0x03) !== 0 };
}

export type PrinterState =
  'ready' | 'offline' | 'cover_open' | 'paper_out' | 'paper_near_end' | 'error';

/** The one state the status bar shows; the most actionable fault wins. */
export function printerState(s: PrinterStatus): PrinterState {
  if (!s.reachable) return 'offline';
  if (s.coverOpen) return 'cover_open';
  if (s.paperEnd) return 'paper_out';
  if (s.error) return 'error';
  if (s.offline) return 'offline';
  if (s.paperNearEnd) return 'paper_near_end';
  return 'ready';
}

/** Whether a job may be sent in this state (near end still prints). */
export function canPrint(state: PrinterState): boolean {
  return state === 'ready' || state === 'paper_near_end';
}

export const STATE_TEXT: Record<PrinterState, { 'zh-CN': string; en: string }> = {
  ready: { 'zh-CN': '打印机就绪', en: 'Printer ready' },
  offline: {
    'zh-CN': '打印机未连接或离线：请检查电源和网线/数据线',
    en: 'Printer offline or unreachable: check its power and cable',
  },
  cover_open: { 'zh-CN': '打印机上盖打开：请合上上盖', en: 'Printer cover open: close the cover' },
  paper_out: { 'zh-CN': '打印机缺纸：请装入新纸卷', en: 'Printer out of paper: load a new roll' },
  paper_near_end: {
    'zh-CN': '纸卷将尽：请准备新纸卷',
    en: 'Paper roll nearly used up: have a new roll ready',
  },
  error: {
    'zh-CN': '打印机故障（切刀或其他错误）：请关机重启打印机',
    en: 'Printer error (cutter or other): switch the printer off and on',
  },
};
