// The customer display window of the Electron shell (issue 22), as pure functions: which display it
// goes on, its window options, the page it loads, and whether an IPC sender is that window. No
// `electron` import: tests/unit/electron/customer-window.test.ts calls them directly; main.ts wires
// them to screen.getAllDisplays(), display-added / display-removed and BrowserWindow.
import { APP_ENTRY_URL, windowOptions, type WindowOptions } from './security';

/** The customer page inside the app (src-renderer/main.tsx routes `#customer` to CustomerApp). */
export const CUSTOMER_ENTRY_URL = `${APP_ENTRY_URL}#customer`;

/** The parts of Electron's `Display` the choice reads. */
export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  /** Electron marks built-in laptop panels `internal`; a customer faces an external monitor. */
  internal?: boolean;
}

/**
 * The display the customer window goes on: none when there is only the clerk's (primary) display;
 * else `preferredId` when it is connected and not the primary, else the first external display
 * that is not the primary (left to right, top to bottom), else any other display.
 */
export function chooseCustomerDisplay(
  displays: readonly DisplayInfo[],
  primaryId: number,
  preferredId?: number | null,
): DisplayInfo | null {
  const others = displays
    .filter((d) => d.id !== primaryId)
    .sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y || a.id - b.id);
  if (others.length === 0) return null;
  const preferred = others.find((d) => d.id === preferredId);
  if (preferred) return preferred;
  return others.find((d) => !d.internal) ?? others[0]!;
}

/** `CASHIER_CUSTOMER_DISPLAY`: `off` (no customer window), a display id, or unset (automatic). */
export function customerDisplaySetting(value: string | undefined): 'off' | number | null {
  if (value === undefined || value.trim() === '') return null;
  if (value.trim().toLowerCase() === 'off') return 'off';
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}

export interface CustomerWindowOptions extends Omit<WindowOptions, 'minWidth' | 'minHeight'> {
  x: number;
  y: number;
  fullscreen: true;
  frame: false;
  focusable: false;
  skipTaskbar: true;
}

/**
 * Full screen on `display`, same isolation as the clerk's window (preload, sandbox, no Node), no
 * frame, never takes the keyboard focus from the clerk's window.
 */
export function customerWindowOptions(
  display: DisplayInfo,
  opts: { preload: string; devTools: boolean },
): CustomerWindowOptions {
  const base = windowOptions(opts);
  const { minWidth: _w, minHeight: _h, ...rest } = base;
  return {
    ...rest,
    title: '客户显示屏',
    x: display.bounds.x,
    y: display.bounds.y,
    width: display.bounds.width,
    height: display.bounds.height,
    fullscreen: true,
    frame: false,
    focusable: false,
    skipTaskbar: true,
  };
}

/** The IPC connection name of a window (ipc.ts ipcConnection): main binds it as a display. */
export function windowConnection(webContentsId: number): string {
  return `window:${webContentsId}`;
}
