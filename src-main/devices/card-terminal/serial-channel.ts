import { isatty } from 'node:tty';
import { createRequire } from 'node:module';
import type * as SerialPortModule from 'serialport';
import type { SerialPort } from 'serialport';
import type { ByteChannel } from './link';

const requirePackage = createRequire(import.meta.url);
let serialportModule: typeof SerialPortModule | null = null;
/** serialport (its native binding), loaded when a serial line is first opened or listed. */
const serialport = () =>
  (serialportModule ??= requirePackage('serialport') as typeof SerialPortModule);

/** Serial settings; ZVT default 9600 baud, 8 data bits, no parity, 2 stop bits. */
export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  parity: 'none' | 'even' | 'odd';
}

export const ZVT_SERIAL: Omit<SerialSettings, 'path'> = {
  baudRate: 9600,
  dataBits: 8,
  stopBits: 2,
  parity: 'none',
};

/** How often an open line is checked for a hang-up (cable pulled, USB adapter gone, pty closed). */
export const HANGUP_CHECK_MS = 500;

/** The OS file descriptor of an open port (unix bindings); undefined elsewhere (Windows). */
function portFd(port: SerialPort): number | undefined {
  const fd = (port.port as { fd?: unknown } | undefined)?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/**
 * Opens a serial device (or a pty) with `serialport`. DTR/RTS are raised when the device supports
 * it; on a pty those ioctls fail ("Inappropriate ioctl for device") and that is ignored.
 *
 * A hang-up is checked for every HANGUP_CHECK_MS because `serialport` does not always report one:
 * when the tty hangs up while a read is already on its way (bytes just arrived), that read gets
 * 0 bytes and @serialport/bindings-cpp (unixRead) retries it forever — no 'close', no 'error', a
 * busy loop, and the status bar would keep saying ready. A hung-up tty fails tcgetattr (EIO), so
 * `isatty(fd)` turns false: the channel then closes the port and reports the line closed.
 */
export async function openSerialChannel(settings: SerialSettings): Promise<ByteChannel> {
  const port = new (serialport().SerialPort)({
    path: settings.path,
    baudRate: settings.baudRate,
    dataBits: settings.dataBits,
    stopBits: settings.stopBits,
    parity: settings.parity,
    rtscts: false,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  await new Promise<void>((resolve) => port.set({ dtr: true, rts: true }, () => resolve()));
  const closeListeners: ((e: Error | null) => void)[] = [];
  let closed = false;
  const pendingWrites = new Set<(e: Error) => void>();
  let watchdog: NodeJS.Timeout | null = null;
  const fireClose = (e: Error | null) => {
    if (closed) return;
    closed = true;
    if (watchdog) clearInterval(watchdog);
    for (const reject of pendingWrites) reject(e ?? new Error('serial line closed'));
    pendingWrites.clear();
    for (const l of closeListeners) l(e);
  };
  port.on('close', (e: Error | null) => fireClose(e ?? null));
  port.on('error', (e: Error) => fireClose(e));
  const openFd = portFd(port);
  if (openFd !== undefined && isatty(openFd)) {
    watchdog = setInterval(() => {
      const fd = portFd(port);
      if (closed || !port.isOpen || fd === undefined || isatty(fd)) return;
      fireClose(new Error('the serial line hung up (cable pulled or device gone)'));
      port.close(() => undefined); // also ends the read that spins on the dead tty
    }, HANGUP_CHECK_MS);
    watchdog.unref();
  }
  return {
    get isOpen() {
      return !closed && port.isOpen;
    },
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new Error('serial line closed'));
        // a write into a dead pty may never call back: the close/error event settles it instead
        const settle = (e: Error | null) => {
          pendingWrites.delete(fail);
          if (e) reject(e);
          else resolve();
        };
        const fail = (e: Error) => settle(e);
        pendingWrites.add(fail);
        port.write(Buffer.from(bytes), (e) => {
          if (e) return settle(e);
          port.drain((d) => settle(d ?? null));
        });
      }),
    onData: (listener) => port.on('data', (b: Buffer) => listener(new Uint8Array(b))),
    onClose: (listener) => closeListeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) {
          fireClose(null);
          return resolve();
        }
        port.close(() => {
          fireClose(null);
          resolve();
        });
      }),
  };
}

/** A serial port the OS lists (USB adapters, COM ports); a pty is not listed but may be typed in. */
export interface ListedPort {
  path: string;
  label: string;
  manufacturer: string | null;
}

/** `SerialPort.list()`, for the settings screens' port pickers; [] when the OS cannot list them. */
export async function listSerialPorts(): Promise<ListedPort[]> {
  try {
    const ports = await serialport().SerialPort.list();
    return ports.map((p) => ({
      path: p.path,
      label: [p.manufacturer, p.friendlyName, p.serialNumber].filter(Boolean).join(' ') || p.path,
      manufacturer: p.manufacturer ?? null,
    }));
  } catch {
    return [];
  }
}
