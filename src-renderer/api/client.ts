// The renderer's one way to reach the main side: the same typed `invoke` over either the Electron
// preload bridge (window.cashier) or the plain-Node host's WebSocket (/api).
import type {
  CommandError,
  CommandInput,
  CommandName,
  CommandOutput,
} from '@heating-cashier/core/contract';
import type { PushEventData, PushEventName } from '@heating-cashier/core/contract/push';

/**
 * Failures of the transport itself, not of a command. They are not in the contract's error
 * catalog because the main side never produces them; the texts say honestly whether the command
 * may have run.
 */
export type TransportErrorCode = 'OFFLINE' | 'CONNECTION_LOST' | 'TIMEOUT';

export interface TransportError {
  code: TransportErrorCode;
  message: { 'zh-CN': string; en: string };
  details?: Record<string, string | number>;
}

export type ClientError = CommandError | TransportError;
export type ClientResult<T> = { ok: true; value: T } | { ok: false; error: ClientError };

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface InvokeOptions {
  /** Overrides the per-call limit (a card payment waits for the customer's PIN: minutes). */
  timeoutMs?: number;
}

/** A listener for events the main side pushes (live card-terminal texts, …). */
export type PushListener<E extends PushEventName> = (data: PushEventData<E>) => void;

export interface ApiClient {
  readonly transport: 'bridge' | 'websocket';
  /** Never rejects, never hangs: resolves with the command's result or a structured error. */
  invoke<N extends CommandName>(
    name: N,
    input: CommandInput<N>,
    options?: InvokeOptions,
  ): Promise<ClientResult<CommandOutput<N>>>;
  /**
   * Server → renderer events (`src-main/contract/push.ts`); returns an unsubscribe function. Events
   * sent while the connection is down are not replayed: read the state with a command after
   * reconnecting.
   */
  on<E extends PushEventName>(event: E, listener: PushListener<E>): () => void;
  state(): ConnectionState;
  /** Returns an unsubscribe function. */
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** What the Electron preload exposes as `window.cashier` (contextBridge). */
export interface CashierBridge {
  invoke(name: string, input: unknown): Promise<unknown>;
  /** Pushed events (one IPC channel); returns an unsubscribe function. */
  on?(event: string, listener: (data: unknown) => void): () => void;
}

declare global {
  interface Window {
    cashier?: CashierBridge;
  }
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export function transportError(
  code: TransportErrorCode,
  details: Record<string, string | number> = {},
): TransportError {
  const seconds = typeof details.timeoutMs === 'number' ? Math.round(details.timeoutMs / 1000) : '';
  const message = {
    OFFLINE: {
      'zh-CN': '未连接到收费终端服务，操作未执行。请确认终端程序正在运行，稍后重试。',
      en: 'Not connected to the terminal service; nothing was done. Make sure the terminal program is running and retry.',
    },
    CONNECTION_LOST: {
      'zh-CN': '与收费终端服务的连接中断，无法确认操作是否完成。请重新查询后再决定是否重试。',
      en: 'The connection to the terminal service dropped; the outcome is unknown. Look it up again before retrying.',
    },
    TIMEOUT: {
      'zh-CN': `收费终端服务 ${seconds} 秒内没有响应，无法确认操作是否完成。请重新查询后再决定是否重试。`,
      en: `The terminal service did not answer within ${seconds} s; the outcome is unknown. Look it up again before retrying.`,
    },
  }[code];
  return Object.keys(details).length > 0 ? { code, message, details } : { code, message };
}

export function isTransportError(error: ClientError): error is TransportError {
  return error.code === 'OFFLINE' || error.code === 'CONNECTION_LOST' || error.code === 'TIMEOUT';
}

function isResult(value: unknown): value is ClientResult<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  return (
    value.ok === false &&
    'error' in value &&
    typeof value.error === 'object' &&
    value.error !== null &&
    'code' in value.error
  );
}

/** A reply that is a command result as it is, anything else as CONNECTION_LOST. */
function asResult(value: unknown): ClientResult<unknown> {
  return isResult(value)
    ? value
    : { ok: false, error: transportError('CONNECTION_LOST', { reason: 'malformed reply' }) };
}

type Send = (
  name: CommandName,
  input: unknown,
  timeoutMs: number,
  resolve: (result: ClientResult<unknown>) => void,
) => void;

/** `invoke` over a transport: OFFLINE once closed, else `send` with the call's time limit. */
function invoker(defaultTimeoutMs: number, isClosed: () => boolean, send: Send) {
  return <N extends CommandName>(name: N, input: CommandInput<N>, call: InvokeOptions = {}) => {
    type R = ClientResult<CommandOutput<N>>;
    if (isClosed()) return Promise.resolve<R>({ ok: false, error: transportError('OFFLINE') });
    const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
    return new Promise<R>((resolve) => send(name, input, timeoutMs, (r) => resolve(r as R)));
  };
}

type Listeners = Set<(state: ConnectionState) => void>;

/** Listeners of pushed events, by event name; one throwing listener does not stop the others. */
class PushListeners {
  private map = new Map<string, Set<(data: unknown) => void>>();
  add(event: string, listener: (data: unknown) => void): () => void {
    let set = this.map.get(event);
    if (!set) this.map.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
  emit(event: string, data: unknown): void {
    for (const listener of [...(this.map.get(event) ?? [])]) {
      try {
        listener(data);
      } catch (e) {
        console.error(`listener of ${event} failed`, e);
      }
    }
  }
}

function notify(listeners: Listeners, state: ConnectionState) {
  for (const listener of [...listeners]) {
    try {
      listener(state);
    } catch (e) {
      console.error('connection state listener failed', e);
    }
  }
}

// -- Electron preload bridge ------------------------------------------------------------------

export function createBridgeClient(
  bridge: CashierBridge,
  options: { timeoutMs?: number } = {},
): ApiClient {
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let closed = false;
  const pushed = new PushListeners();
  const bridgeOn = bridge.on?.bind(bridge);
  const send: Send = (name, input, timeoutMs, resolve) => {
    const timer = setTimeout(
      () => resolve({ ok: false, error: transportError('TIMEOUT', { timeoutMs }) }),
      timeoutMs,
    );
    const settle = (result: ClientResult<unknown>) => {
      clearTimeout(timer);
      resolve(result);
    };
    let reply: Promise<unknown>;
    try {
      reply = Promise.resolve(bridge.invoke(name, input));
    } catch (e) {
      reply = Promise.reject(e);
    }
    reply.then(
      (value) => settle(asResult(value)),
      (e: unknown) =>
        settle({
          ok: false,
          error: transportError('CONNECTION_LOST', { reason: String(e).slice(0, 200) }),
        }),
    );
  };
  return {
    transport: 'bridge',
    invoke: invoker(defaultTimeoutMs, () => closed, send),
    on(event, listener) {
      const off = pushed.add(event, listener as (data: unknown) => void);
      const offBridge = bridgeOn?.(event, (data) => {
        if (!closed) pushed.emit(event, data);
      });
      return () => {
        off();
        offBridge?.();
      };
    },
    state: () => (closed ? 'closed' : 'open'),
    onStateChange: () => () => {},
    close() {
      closed = true;
    },
  };
}

// -- WebSocket (plain-Node host) ----------------------------------------------------------------

export type WebSocketConstructor = new (url: string) => WebSocket;

export interface WebSocketClientOptions {
  /** Per-call limit, from the call until its reply (including waiting for a connection). */
  timeoutMs?: number;
  /** Reconnect backoff: first delay and cap, in ms (jittered). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Defaults to the global WebSocket (browsers); Node tests pass the `ws` package's. */
  WebSocket?: WebSocketConstructor;
}

interface Call {
  payload: string;
  sent: boolean;
  settle(result: ClientResult<unknown>): void;
}

const OPEN = 1;

export function createWebSocketClient(
  url: string,
  options: WebSocketClientOptions = {},
): ApiClient {
  const Impl = options.WebSocket ?? globalThis.WebSocket;
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pushed = new PushListeners();
  const baseMs = options.backoffBaseMs ?? 250;
  const maxMs = options.backoffMaxMs ?? 5_000;

  const listeners: Listeners = new Set();
  const calls = new Map<number, Call>();
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let nextId = 1;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function setState(next: ConnectionState) {
    if (state === next) return;
    state = next;
    notify(listeners, next);
  }

  function flush() {
    if (!socket || socket.readyState !== OPEN) return;
    for (const call of calls.values()) {
      if (call.sent) continue;
      try {
        socket.send(call.payload);
        call.sent = true;
      } catch {
        return; // the close handler deals with it
      }
    }
  }

  /** The socket went away: calls already sent have an unknown outcome; unsent ones keep waiting. */
  function failSent() {
    for (const call of [...calls.values()]) {
      if (call.sent) call.settle({ ok: false, error: transportError('CONNECTION_LOST') });
    }
  }

  function scheduleReconnect() {
    if (closed || reconnectTimer !== null) return;
    const cap = Math.min(maxMs, baseMs * 2 ** attempt);
    const delay = cap / 2 + Math.random() * (cap / 2);
    attempt += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function connect() {
    if (closed) return;
    setState('connecting');
    let ws: WebSocket;
    try {
      ws = new Impl(url);
    } catch (e) {
      console.error('WebSocket could not be created', e);
      setState('closed');
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      setState('open');
      flush();
    };
    ws.onmessage = (event: MessageEvent) => {
      if (socket !== ws) return;
      handleReply(event.data);
    };
    ws.onerror = () => {
      // Always followed by a close event; nothing to do here.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failSent();
      setState('closed');
      scheduleReconnect();
    };
  }

  function handleReply(data: unknown) {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('host sent a reply that is not JSON');
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if (!('id' in message)) {
      // A pushed event: {event, data}.
      if ('event' in message && typeof message.event === 'string' && 'data' in message)
        pushed.emit(message.event, message.data);
      return;
    }
    const result = 'result' in message ? message.result : undefined;
    if (typeof message.id !== 'number') {
      console.warn('host refused a message', result);
      return;
    }
    const call = calls.get(message.id);
    if (!call) return;
    call.settle(asResult(result));
  }

  connect();

  const send: Send = (name, input, timeoutMs, resolve) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      const call = calls.get(id);
      if (!call) return;
      call.settle({
        ok: false,
        error: call.sent
          ? transportError('TIMEOUT', { timeoutMs })
          : transportError('OFFLINE', { timeoutMs }),
      });
    }, timeoutMs);
    calls.set(id, {
      payload: JSON.stringify({ id, name, input }),
      sent: false,
      settle(result) {
        clearTimeout(timer);
        calls.delete(id);
        resolve(result);
      },
    });
    flush();
  };
  return {
    transport: 'websocket',
    invoke: invoker(defaultTimeoutMs, () => closed, send),
    on(event, listener) {
      return pushed.add(event, listener as (data: unknown) => void);
    },
    state: () => state,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      for (const call of [...calls.values()]) {
        call.settle({
          ok: false,
          error: transportError(call.sent ? 'CONNECTION_LOST' : 'OFFLINE'),
        });
      }
      const ws = socket;
      socket = null;
      ws?.close(1000, 'client closed');
      setState('closed');
    },
  };
}

// -- pick one ---------------------------------------------------------------------------------

/** Electron: the preload bridge. Browser against the host: WebSocket to this page's host. */
export function createClient(): ApiClient {
  if (typeof window !== 'undefined' && window.cashier) return createBridgeClient(window.cashier);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketClient(`${scheme}://${location.host}/api`);
}
