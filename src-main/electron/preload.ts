// Preload (sandboxed, context-isolated): exposes exactly `window.cashier = { invoke, on }` — never
// ipcRenderer itself. Built to dist/electron/preload.cjs by scripts/build-electron.mjs.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY, createPreloadBridge } from './bridge';

contextBridge.exposeInMainWorld(BRIDGE_KEY, createPreloadBridge(ipcRenderer));
