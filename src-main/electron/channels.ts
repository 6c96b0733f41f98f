// The IPC channel names, imported by both the main side (ipc.ts) and the sandboxed preload (which
// must stay a tiny bundle with nothing but `electron` required at runtime).
/** The one request/response channel (`ipcMain.handle`). */
export const IPC_INVOKE_CHANNEL = 'cashier:invoke';
/** The one main → renderer channel for pushed events (`webContents.send`). */
export const IPC_EVENT_CHANNEL = 'cashier:event';
