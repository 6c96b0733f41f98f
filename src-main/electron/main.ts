// Electron main process: the thin shell. Every decision it applies is a pure, unit-tested function
// of security.ts / ipc.ts / bridge.ts; this file only wires them to Electron's APIs.
// Built to dist/electron/main.mjs by scripts/build-electron.mjs; `npm start` runs it.
import {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  safeStorage,
  screen,
  session,
  type WebContents,
} from 'electron';
import { readFile, realpath } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../api/dispatch';
import { openTerminal, type OpenTerminal } from '../app/open-terminal';
import { startRuntime, type Runtime } from '../app/runtime';
import { fileKeyStorage } from '../ledger/signing';
import { safeStorageSealer } from './key-sealer';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './channels';
import { electronPdfRenderer } from './pdf';
import { startUpdater } from './updater';
import { createIpcHandler, type IpcPushMessage } from './ipc';
import {
  CUSTOMER_ENTRY_URL,
  chooseCustomerDisplay,
  customerDisplaySetting,
  customerWindowOptions,
  windowConnection,
} from './customer-window';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  decidePermission,
  isAllowedNavigation,
  isAllowedRequest,
  resolveAppRequest,
  responseHeaders,
  windowOptions,
} from './security';

/** Exit code that tells scripts/start.mjs to fall back to the plain-Node host. */
export const EXIT_CANNOT_OPEN_LEDGER = 3;

// This source file's folder (the bundle keeps module URLs: scripts/build-electron.mjs), so the app
// root is two levels up both from source (tsx) and from dist/electron/main.mjs (inside app.asar).
const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererRoot = path.join(appRoot, 'dist', 'renderer');
const preloadFile = path.join(appRoot, 'dist', 'electron', 'preload.cjs');
const devTools = !app.isPackaged && process.env.CASHIER_DEVTOOLS === '1';
const smoke = process.env.CASHIER_SMOKE === '1';

// -- before ready -----------------------------------------------------------------------------

app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
if (process.env.CASHIER_USER_DATA)
  app.setPath('userData', path.resolve(process.env.CASHIER_USER_DATA));

if (!app.requestSingleInstanceLock()) {
  // Another window of the terminal is running: it gets focus (second-instance below); we leave.
  console.log('收费终端已在运行 / The terminal is already running.');
  app.exit(0);
}

let win: BrowserWindow | null = null;
/** The customer display on the second monitor, when there is one (customer-window.ts). */
let customerWin: BrowserWindow | null = null;
let terminal: OpenTerminal | null = null;
let runtime: Runtime | null = null;
let unsubscribePush: (() => void) | null = null;
let stopUpdater: (() => void) | null = null;

function log(level: 'error' | 'warn' | 'info', message: string, data?: Record<string, unknown>) {
  if (runtime) runtime.log(level, message, data);
  else console.error(JSON.stringify({ level, message, ...data }));
}

process.on(
  'uncaughtException',
  (e) => runtime?.logCrash('uncaughtException', e) ?? console.error(e),
);
process.on(
  'unhandledRejection',
  (e) => runtime?.logCrash('unhandledRejection', e) ?? console.error(e),
);

app.on('second-instance', () => {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
});

/** Every web contents (the window, and anything that might try to appear): no navigation out,
 * no new windows, no webviews. */
app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) {
      event.preventDefault();
      log('warn', 'navigation blocked', { url: url.slice(0, 200) });
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Never window.open, never shell.openExternal of anything the page asks for.
  contents.setWindowOpenHandler(({ url }) => {
    log('warn', 'window.open blocked', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
  contents.on('render-process-gone', (_e, details) =>
    log('error', 'crash: renderer process gone', {
      reason: details.reason,
      exitCode: details.exitCode,
    }),
  );
});

app.on('child-process-gone', (_e, details) =>
  log(details.reason === 'clean-exit' ? 'info' : 'error', 'child process gone', {
    type: details.type,
    reason: details.reason,
    exitCode: details.exitCode,
  }),
);

// -- ready ------------------------------------------------------------------------------------

function paths() {
  const userData = app.getPath('userData');
  const dbFile = process.env.CASHIER_DB
    ? path.resolve(process.env.CASHIER_DB)
    : path.join(userData, 'ledger', 'terminal.db');
  // Packaged builds ship migrations/ beside the app (electron-builder extraResources).
  const shipped = path.join(process.resourcesPath, 'migrations');
  const migrationsDir =
    app.isPackaged && existsSync(shipped) ? shipped : path.join(appRoot, 'migrations');
  return { userData, dbFile, migrationsDir };
}

function hardenSession() {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(decidePermission(permission)),
  );
  ses.setPermissionCheckHandler((_wc, permission) => decidePermission(permission));
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, devTools);
    if (!allowed) log('warn', 'request blocked', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
}

function serveRenderer() {
  protocol.handle(APP_SCHEME, async (request) => {
    const resolved = resolveAppRequest(rendererRoot, request.url, request.method);
    if (!resolved.ok) return new Response(null, { status: resolved.status });
    try {
      // A symlink inside dist/renderer must not lead outside it either.
      const [real, base] = await Promise.all([realpath(resolved.file), realpath(rendererRoot)]);
      if (real !== base && !real.startsWith(base + path.sep))
        return new Response(null, { status: 403 });
      const body = await readFile(real);
      return new Response(body, {
        status: 200,
        headers: responseHeaders(resolved.contentType, resolved.isDocument),
      });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}

function openLedger(): boolean {
  const { userData, dbFile, migrationsDir } = paths();
  mkdirSync(path.dirname(dbFile), { recursive: true });
  try {
    terminal = openTerminal({
      dbFile,
      migrationsDir,
      // an empty ledger opens the setup screen; `npm start` passes --demo for the demo district
      firstRun: process.argv.includes('--demo') ? 'demo' : 'setup',
      sync: {},
      // The terminal key beside the ledger, sealed by the platform when it can (safeStorage).
      keyStorage: fileKeyStorage(`${dbFile}.key`, safeStorageSealer(safeStorage)),
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(
      `无法打开收费数据库 / Cannot open the ledger ${dbFile}: ${message}\n` +
        (/NODE_MODULE_VERSION|was compiled against/.test(message)
          ? 'better-sqlite3 is built for Node, not Electron: run `npx electron-builder install-app-deps` ' +
            '(and `npm rebuild better-sqlite3` to go back to plain Node).\n'
          : ''),
    );
    return false;
  }
  runtime = startRuntime(terminal, {
    dataDir: userData,
    migrationsDir,
    versions: {
      app: app.getVersion(),
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
    },
    pdf: electronPdfRenderer(),
  });
  return true;
}

function wireIpc() {
  const ctx = terminal!.ctx;
  ipcMain.handle(
    IPC_INVOKE_CHANNEL,
    createIpcHandler({
      dispatch: (name, input, connection) => dispatch(ctx, name, input, log, { connection }),
      log,
    }),
  );
  unsubscribePush = ctx.runtime.push.subscribe((event, data) => {
    const message: IpcPushMessage = { event, data };
    // The customer window gets the customer view and nothing else; the clerk's never gets it.
    const target = event === 'customer.view' ? customerWin : win;
    if (target && !target.isDestroyed()) target.webContents.send(IPC_EVENT_CHANNEL, message);
  });
}

function createWindow() {
  win = new BrowserWindow(windowOptions({ preload: preloadFile, devTools }));
  win.removeMenu();
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
    // The customer window never outlives the clerk's.
    if (customerWin && !customerWin.isDestroyed()) customerWin.close();
  });
  void win.loadURL(APP_ENTRY_URL);
  if (smoke) {
    // `npm run test:electron`: prove the page loaded from app:// and a command round-trips.
    win.webContents.once('did-finish-load', () => {
      void win!.webContents
        .executeJavaScript(
          `Promise.resolve(window.cashier ? window.cashier.invoke('terminal.info', {}) : null)
             .then((r) => JSON.stringify({ url: location.href, keys: window.cashier ? Object.keys(window.cashier) : null,
               require: typeof require, process: typeof process, result: r }))`,
        )
        .then((json: string) => {
          console.log(`CASHIER_SMOKE ${json}`);
          app.quit();
        })
        .catch((e: unknown) => {
          console.log(`CASHIER_SMOKE_FAILED ${String(e)}`);
          app.exit(1);
        });
    });
  }
}

/**
 * Opens, moves or closes the customer window so that it sits full screen on the display
 * chooseCustomerDisplay picks (none: no window). The window is bound as a customer display by its
 * connection: it gets the customer view and may rate, nothing else (no pairing code needed).
 */
function placeCustomerWindow() {
  if (!terminal || stopping) return;
  const setting = customerDisplaySetting(process.env.CASHIER_CUSTOMER_DISPLAY);
  const display =
    setting === 'off'
      ? null
      : chooseCustomerDisplay(
          screen.getAllDisplays(),
          screen.getPrimaryDisplay().id,
          typeof setting === 'number' ? setting : null,
        );
  if (!display) {
    if (customerWin && !customerWin.isDestroyed()) customerWin.close();
    return;
  }
  const options = customerWindowOptions(display, { preload: preloadFile, devTools });
  if (customerWin && !customerWin.isDestroyed()) {
    customerWin.setFullScreen(false);
    customerWin.setBounds({
      x: options.x,
      y: options.y,
      width: options.width,
      height: options.height,
    });
    customerWin.setFullScreen(true);
    return;
  }
  const created = new BrowserWindow(options);
  const connection = windowConnection(created.webContents.id);
  terminal.ctx.runtime.customer.bind(connection);
  created.removeMenu();
  created.once('ready-to-show', () => created.showInactive());
  created.on('closed', () => {
    terminal?.ctx.runtime.customer.forget(connection);
    if (customerWin === created) customerWin = null;
  });
  customerWin = created;
  void created.loadURL(CUSTOMER_ENTRY_URL);
}

app.whenReady().then(
  () => {
    hardenSession();
    serveRenderer();
    if (!openLedger()) {
      app.exit(EXIT_CANNOT_OPEN_LEDGER);
      return;
    }
    wireIpc();
    createWindow();
    if (!smoke) {
      placeCustomerWindow();
      // A monitor plugged in or out (or moved): the customer window follows.
      screen.on('display-added', () => placeCustomerWindow());
      screen.on('display-removed', () => placeCustomerWindow());
      screen.on('display-metrics-changed', () => placeCustomerWindow());
    }
    // Counter updates from head office's feed (packaged app only: electron-updater skips a dev run).
    if (app.isPackaged) stopUpdater = startUpdater(terminal!.ctx, app.getVersion());
  },
  (e: unknown) => {
    console.error(e);
    app.exit(1);
  },
);

app.on('window-all-closed', () => app.quit());

// -- graceful shutdown ------------------------------------------------------------------------

let stopping = false;
app.on('before-quit', (event) => {
  if (stopping || !terminal) return;
  event.preventDefault();
  stopping = true;
  void (async () => {
    try {
      ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
      unsubscribePush?.();
      stopUpdater?.();
      // The print queue finishes (or records) the job in flight: its state is in SQLite.
      await runtime?.stop();
    } catch (e) {
      runtime?.logCrash('shutdown', e);
    } finally {
      try {
        terminal?.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // the checkpoint is an optimisation; close() below is what matters
      }
      terminal?.close();
      terminal = null;
      app.exit(0);
    }
  })();
});
