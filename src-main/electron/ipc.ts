// The IPC bridge's main-side handler as a plain function: one channel, the sender frame checked,
// the payload bounded and reduced to plain JSON, then the contract (inside dispatch) validates the
// input. No `electron` import: tests/unit/electron and the IPC fuzz test call it directly.
import { z } from 'zod';
import { commandError, describeIssues, type Result } from '@heating-cashier/core/contract/errors';
import { isAppUrl } from './security';

export { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './channels';
/** Same limit as the WebSocket host: a bigger request is refused without reaching dispatch. */
export const MAX_IPC_PAYLOAD_BYTES = 1024 * 1024;

/** The parts of Electron's IpcMainInvokeEvent the guard reads. */
export interface IpcSender {
  senderFrame: { url: string; parent: unknown } | null;
  /** The window's web contents; its id names the connection (wrong PINs are counted per window). */
  sender?: { id: number };
}

/** `connection`: the sending window (`window:<webContents id>`). */
export type Dispatcher = (
  name: string,
  input: unknown,
  connection: string,
) => Promise<Result<unknown>>;

/** The connection an IPC message comes from: its window's web contents. */
export function ipcConnection(event: unknown): string {
  const id = (event as Partial<IpcSender>).sender?.id;
  return typeof id === 'number' ? `window:${id}` : 'window';
}
export type IpcLogger = (
  level: 'error' | 'warn' | 'info',
  message: string,
  data?: Record<string, unknown>,
) => void;

const request = z
  .object({
    name: z.string().min(1).max(128),
    input: z.unknown(),
  })
  .strict();

/** Whether the message comes from the app's own top-level page (not a foreign page or an iframe). */
export function isTrustedSender(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || !('senderFrame' in event)) return false;
  const frame = (event as IpcSender).senderFrame;
  if (typeof frame !== 'object' || frame === null) return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  return isAppUrl(frame.url);
}

function refuse(issues: string): Result<unknown> {
  return { ok: false, error: commandError('BAD_INPUT', { issues }) };
}

/**
 * Turns whatever arrived over IPC (anything the structured-clone algorithm can carry: Maps, Dates,
 * BigInts, cycles, typed arrays, 100 MB strings) into a checked `{name, input}` of plain JSON, or
 * the reason it is refused. Never throws.
 */
export function parseIpcRequest(
  args: unknown[],
): { ok: true; name: string; input: unknown } | { ok: false; issues: string } {
  if (args.length !== 1)
    return { ok: false, issues: 'expected exactly one {name, input} argument' };
  let json: string | undefined;
  try {
    json = JSON.stringify(args[0]);
  } catch {
    return { ok: false, issues: 'request is not plain JSON data' };
  }
  if (json === undefined) return { ok: false, issues: 'request is not plain JSON data' };
  // UTF-16 length ≤ bytes ≤ 3 × length: a cheap first cut, then the exact byte count.
  if (json.length > MAX_IPC_PAYLOAD_BYTES || Buffer.byteLength(json) > MAX_IPC_PAYLOAD_BYTES) {
    return { ok: false, issues: `request larger than ${MAX_IPC_PAYLOAD_BYTES} bytes` };
  }
  let plain: unknown;
  try {
    plain = JSON.parse(json);
  } catch {
    return { ok: false, issues: 'request is nested too deeply' };
  }
  const parsed = request.safeParse(plain);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues, '(request)');
    return { ok: false, issues: `request {name, input}: ${issues}` };
  }
  return { ok: true, name: parsed.data.name, input: parsed.data.input };
}

/**
 * The `ipcMain.handle(IPC_INVOKE_CHANNEL, …)` listener. Resolves with exactly what `dispatch`
 * returned, or a structured error; never rejects (a rejection would reach the renderer as a raw
 * Error string).
 */
export function createIpcHandler(deps: { dispatch: Dispatcher; log?: IpcLogger }) {
  const log: IpcLogger = deps.log ?? (() => {});
  return async (event: unknown, ...args: unknown[]): Promise<Result<unknown>> => {
    try {
      if (!isTrustedSender(event)) {
        const url = (event as Partial<IpcSender> | null)?.senderFrame?.url;
        log('warn', 'IPC refused: foreign sender', {
          url: typeof url === 'string' ? url.slice(0, 200) : null,
        });
        return { ok: false, error: commandError('SENDER_REFUSED') };
      }
      const req = parseIpcRequest(args);
      if (!req.ok) return refuse(req.issues);
      return await deps.dispatch(req.name, req.input, ipcConnection(event));
    } catch (e) {
      log('error', 'IPC handler failed', { error: e instanceof Error ? e.message : String(e) });
      return { ok: false, error: commandError('INTERNAL', { ref: 'ipc' }) };
    }
  };
}

/** The message the main side sends on IPC_EVENT_CHANNEL for a pushed event. */
export interface IpcPushMessage {
  event: string;
  data: unknown;
}
