// What the preload hands to `contextBridge.exposeInMainWorld('cashier', …)`, built from an
// ipcRenderer-like object so it can be tested without Electron. The page gets exactly `invoke` and
// `on` — never ipcRenderer, never the IPC event object (its `sender` would leak ipcRenderer).
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './channels';

export const BRIDGE_KEY = 'cashier';
export const PRELOAD_KEYS = ['invoke', 'on'] as const;

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Same shape as `CashierBridge` in src-renderer/api/client.ts. */
export interface PreloadBridge {
  invoke(name: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): () => void;
}

const EVENT_NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/;

export function createPreloadBridge(ipc: IpcRendererLike): PreloadBridge {
  return Object.freeze({
    invoke(name: string, input: unknown): Promise<unknown> {
      // Only ever the one channel; the main side validates name and input.
      return ipc.invoke(IPC_INVOKE_CHANNEL, { name, input });
    },
    on(event: string, listener: (data: unknown) => void): () => void {
      if (typeof event !== 'string' || event.length > 64 || !EVENT_NAME.test(event)) {
        throw new TypeError('on(event, listener): event must be a push event name');
      }
      if (typeof listener !== 'function') {
        throw new TypeError('on(event, listener): listener must be a function');
      }
      const wrapped = (_event: unknown, message: unknown) => {
        if (typeof message !== 'object' || message === null) return;
        const m = message as { event?: unknown; data?: unknown };
        if (m.event === event) listener(m.data);
      };
      ipc.on(IPC_EVENT_CHANNEL, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(IPC_EVENT_CHANNEL, wrapped);
      };
    },
  });
}
