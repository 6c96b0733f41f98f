import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { EscPosDecoder, type DecodedImage, type DecodedQr } from './escpos-decoder';

/**
 * A virtual ESC/POS printer: a real TCP server on 127.0.0.1 (port 9100 style) — or the far end of
 * a serial line (`attachSerial`, e.g. one end of a socat pty pair) — that parses the byte
 * stream like a printer does, answers DLE EOT 1..4 and GS r 1 from its state, decodes GB18030
 * text into lines, and keeps every job (ended by a cut or by the connection closing).
 * Faults: paper out / cover open / offline / error now, paper out after N bytes of a job,
 * a connection dropped (TCP RST) after N bytes of a job, slow answers.
 */

export interface VirtualPrinterState {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  offline: boolean;
  error: boolean;
  drawerOpen: boolean;
}

export interface VirtualFaults {
  /** Run out of paper once a job has sent this many bytes (then stays out of paper). */
  paperOutAfterBytes?: number;
  /** Reset the connection once a job has sent this many bytes (one-shot unless `repeat`). */
  dropAfterBytes?: number;
  repeatDrop?: boolean;
  /** Delay every answer and every chunk by this many ms. */
  slowMs?: number;
  /** Do not answer status queries at all (a printer that hangs). */
  mute?: boolean;
}

export interface VirtualJob {
  no: number;
  lines: string[];
  text: string;
  images: DecodedImage[];
  /** Native QR symbols (GS ( k) with their decoded data. */
  qrCodes: DecodedQr[];
  drawerPulses: { pin: number; onMs: number; offMs: number }[];
  /** Ended by a cut command (a complete job); false when the connection ended first. */
  cut: boolean;
  /** Paper ran out or the connection dropped while the job was printing. */
  interrupted: string | null;
  bytes: Buffer;
  problems: string[];
}

export type FaultName =
  'paper-out' | 'cover-open' | 'offline' | 'drop-mid-job' | 'slow' | 'paper-out-mid-job';

export class VirtualPrinter extends EventEmitter {
  readonly state: VirtualPrinterState = {
    paperOut: false,
    paperNearEnd: false,
    coverOpen: false,
    offline: false,
    error: false,
    drawerOpen: false,
  };
  faults: VirtualFaults = {};
  readonly jobs: VirtualJob[] = [];
  /** Every status query answered, for tests: 'dle-eot-1', 'gs-r-1', … */
  readonly queries: string[] = [];
  private server: Server | null = null;
  private sockets = new Set<Duplex>();
  private serial: SerialPort | null = null;
  port = 0;

  constructor(readonly paperDots = 576) {
    super();
  }

  /** Applies a named fault as the `sim:printer --fault` option does. */
  applyFault(fault: FaultName, bytes = 400): void {
    switch (fault) {
      case 'paper-out':
        this.state.paperOut = true;
        break;
      case 'cover-open':
        this.state.coverOpen = true;
        break;
      case 'offline':
        this.state.offline = true;
        break;
      case 'drop-mid-job':
        this.faults.dropAfterBytes = bytes;
        break;
      case 'paper-out-mid-job':
        this.faults.paperOutAfterBytes = bytes;
        break;
      case 'slow':
        this.faults.slowMs = 800;
        break;
    }
  }

  clearFaults(): void {
    Object.assign(this.state, {
      paperOut: false,
      paperNearEnd: false,
      coverOpen: false,
      offline: false,
      error: false,
    });
    this.faults = {};
  }

  private printable(): boolean {
    const s = this.state;
    return !s.paperOut && !s.coverOpen && !s.offline && !s.error;
  }

  statusByte(n: number): number {
    const s = this.state;
    switch (n) {
      case 1:
        return 0x12 | (this.printable() ? 0 : 0x08) | (s.drawerOpen ? 0x04 : 0);
      case 2:
        return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.error ? 0x40 : 0);
      case 3:
        return 0x12 | (s.error ? 0x08 : 0);
      case 4:
        return 0x12 | (s.paperNearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
      default:
        return 0x12;
    }
  }

  async start(port = 0, host = '127.0.0.1'): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this.port;
  }

  get url(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /**
   * Serves a serial line instead of (or as well as) TCP: opens `path` (the printer's end of a
   * pty pair or a real port) and answers on it. A serial line never closes between jobs, so a
   * job ends at its cut.
   */
  async attachSerial(path: string, baudRate = 9600): Promise<void> {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    this.serial = port;
    this.accept(port);
  }

  async stop(): Promise<void> {
    const serial = this.serial;
    this.serial = null;
    if (serial?.isOpen) await new Promise<void>((resolve) => serial.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves with the next job that ends (cut or connection end). */
  nextJob(timeoutMs = 10_000): Promise<VirtualJob> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('job', onJob);
        reject(new Error('no print job arrived'));
      }, timeoutMs);
      const onJob = (job: VirtualJob) => {
        clearTimeout(timer);
        resolve(job);
      };
      this.once('job', onJob);
    });
  }

  private accept(socket: Duplex): void {
    this.sockets.add(socket);
    let jobBytes: Buffer[] = [];
    let jobSize = 0;
    let interrupted: string | null = null;
    let discarding = false;
    const answer = (byte: number, what: string) => {
      if (this.faults.mute) return;
      this.queries.push(what);
      const send = () => {
        if (!socket.destroyed) socket.write(Buffer.from([byte]));
      };
      if (this.faults.slowMs) setTimeout(send, this.faults.slowMs);
      else send();
    };
    const decoder = new EscPosDecoder(
      {
        onRealtimeStatus: (n) => answer(this.statusByte(n), `dle-eot-${n}`),
        onTransmitStatus: (n) => {
          // Processed in sequence: a printer that cannot print does not get here.
          if (!this.state.coverOpen && !this.state.offline && !this.state.error) {
            const s = this.state;
            answer((s.paperNearEnd ? 0x03 : 0) | (s.paperOut ? 0x0c : 0), `gs-r-${n}`);
          }
        },
        onCut: () => finishJob(true),
        onDrawer: () => {
          this.state.drawerOpen = true;
        },
      },
      this.paperDots,
    );
    const finishJob = (cut: boolean) => {
      const page = decoder.takePage();
      const bytes = Buffer.concat(jobBytes);
      jobBytes = [];
      jobSize = 0;
      if (
        !cut &&
        page.lines.length === 0 &&
        page.images.length === 0 &&
        page.qrCodes.length === 0 &&
        !interrupted
      )
        return;
      const job: VirtualJob = {
        no: this.jobs.length + 1,
        lines: page.lines,
        text: page.lines.map((l) => l.trimEnd()).join('\n'),
        images: page.images,
        qrCodes: page.qrCodes,
        drawerPulses: page.drawerPulses,
        cut: cut && !interrupted,
        interrupted,
        bytes,
        problems: page.problems,
      };
      interrupted = null;
      this.jobs.push(job);
      this.emit('job', job);
    };
    const isStatusOnly = (chunk: Buffer) =>
      chunk.length % 3 === 0 &&
      chunk.every((b, i) => (i % 3 === 0 ? b === 0x10 : i % 3 === 1 ? b === 0x04 : b <= 4));
    const onData = (chunk: Buffer) => {
      if (isStatusOnly(chunk)) {
        decoder.push(chunk);
        return;
      }
      let data = chunk;
      const drop = this.faults.dropAfterBytes;
      if (drop !== undefined && jobSize + data.length > drop) {
        const keep = data.subarray(0, Math.max(0, drop - jobSize));
        jobBytes.push(keep);
        if (!discarding) decoder.push(keep);
        if (!this.faults.repeatDrop) delete this.faults.dropAfterBytes;
        interrupted = 'connection dropped';
        finishJob(false);
        // TCP: a reset, as a pulled cable looks; a serial line just stops answering this job.
        if ('resetAndDestroy' in socket) (socket as Socket).resetAndDestroy();
        return;
      }
      const paperAt = this.faults.paperOutAfterBytes;
      if (paperAt !== undefined && jobSize + data.length > paperAt) {
        const keep = data.subarray(0, Math.max(0, paperAt - jobSize));
        decoder.push(keep);
        jobBytes.push(keep);
        jobSize += keep.length;
        this.state.paperOut = true;
        delete this.faults.paperOutAfterBytes;
        interrupted = 'paper out';
        data = data.subarray(keep.length);
      }
      jobBytes.push(data);
      jobSize += data.length;
      if (!this.printable()) {
        // A printer that cannot print still answers status; the rest is not printed.
        discarding = true;
        interrupted ??= 'not printable';
        const statusOnly = new EscPosDecoder({
          onRealtimeStatus: (n) => answer(this.statusByte(n), `dle-eot-${n}`),
          onTransmitStatus: (n) => {
            if (!this.state.coverOpen && !this.state.offline && !this.state.error) {
              answer(this.state.paperOut ? 0x0c : 0, `gs-r-${n}`);
            }
          },
        });
        statusOnly.push(data);
        return;
      }
      decoder.push(data);
    };
    socket.on('data', (chunk: Buffer) => {
      if (this.faults.slowMs) {
        socket.pause();
        setTimeout(() => {
          onData(chunk);
          socket.resume();
        }, this.faults.slowMs);
      } else onData(chunk);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (jobSize > 0 || decoder.hasContent()) finishJob(false);
    });
  }
}
