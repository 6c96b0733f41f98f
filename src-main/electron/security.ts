// The decidable parts of the Electron shell as pure functions: window options, the Content-Security-
// Policy, the app:// protocol's path resolution, navigation and request policy. No `electron` import
import { mimeType } from '../app/mime';
// here, so every rule is unit-tested in plain Node (tests/unit/electron) without the binary.
import path from 'node:path';

/** The renderer is served from `app://cashier/…` (never file://, never http://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cashier';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for `protocol.registerSchemesAsPrivileged` (a standard, secure origin; no CSP bypass). */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
  stream: false,
  bypassCSP: false,
  allowServiceWorkers: false,
} as const;

/**
 * Directives of the renderer's Content-Security-Policy. Scripts only from the app's own origin (no
 * inline script, no eval, no remote origin); styles may be inline because antd writes CSS-in-JS
 * style tags; no network at all (the renderer talks to the main side only through the preload).
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'none'"],
  'media-src': ["'none'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'none'"],
  'manifest-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export function contentSecurityPolicy(
  directives: Readonly<Record<string, readonly string[]>> = CSP_DIRECTIVES,
): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Parses a CSP header into directive -> sources (for tests and for checking a served header). */
export function parseCsp(header: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** Headers every app:// response carries. */
export function responseHeaders(contentType: string, isDocument: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': isDocument ? 'no-store' : 'no-cache',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (isDocument) {
    headers['Content-Security-Policy'] = contentSecurityPolicy();
    headers['X-Frame-Options'] = 'DENY';
  }
  return headers;
}

export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  backgroundColor: string;
  title: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    spellcheck: false;
    devTools: boolean;
    safeDialogs: true;
    disableDialogs: true;
  };
}

/**
 * The one BrowserWindow's options: every isolation flag on, Node off in every context, no webview,
 * no dialogs from the page. DevTools only in development (never in a packaged build).
 */
export function windowOptions(opts: { preload: string; devTools: boolean }): WindowOptions {
  return {
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#f5f5f5',
    title: '供热收费终端',
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: opts.devTools,
      safeDialogs: true,
      disableDialogs: true,
    },
  };
}

/** Whether `url` is a page of this app (app://cashier/…); anything else is foreign. */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length > 4096) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}

/** `will-navigate` / `will-redirect`: only within the app (e.g. a reload); never to the web or file://. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** Requests the session lets through: the app's own origin, data: images and devtools in dev. */
export function isAllowedRequest(url: string, devTools = false): boolean {
  if (isAppUrl(url)) return true;
  if (url.startsWith('data:')) return true;
  if (devTools && (url.startsWith('devtools://') || url.startsWith('chrome-extension://'))) {
    return true;
  }
  return false;
}

/** Permission requests (camera, notifications, clipboard-read, …): the counter needs none. */
export function decidePermission(_permission: string): boolean {
  return false;
}

export type AppRequest =
  | { ok: true; file: string; contentType: string; isDocument: boolean }
  | { ok: false; status: 400 | 403 | 404 | 405 };

/**
 * Maps an app:// request to a file under `root` (the built renderer), refusing anything that could
 * leave it: `..` (raw or percent-encoded, also `%2f`-smuggled), backslashes, NUL, drive letters,
 * dotfiles, another host. Paths without an extension are client-side routes and get index.html.
 */
export function resolveAppRequest(root: string, url: string, method = 'GET'): AppRequest {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405 };
  if (typeof url !== 'string' || url.length > 2048) return { ok: false, status: 400 };
  const prefix = `${APP_ORIGIN}/`;
  if (!url.toLowerCase().startsWith(prefix)) {
    return { ok: false, status: url.toLowerCase() === APP_ORIGIN ? 404 : 403 };
  }
  const rawPath = url.slice(prefix.length - 1).split(/[?#]/, 1)[0] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (
    decoded.includes('\0') ||
    decoded.includes('%') || // double encoding (%252e%252e) is never a file of ours
    decoded.includes('\\') ||
    decoded.includes(':') ||
    !decoded.startsWith('/')
  ) {
    return { ok: false, status: 403 };
  }
  const rawSegments = rawPath.split('/').filter((s) => s !== '');
  const segments = decoded.split('/').filter((s) => s !== '');
  // `.`/`..` and dotfiles, before and after decoding.
  if ([...rawSegments, ...segments].some((s) => s.startsWith('.'))) {
    return { ok: false, status: 403 };
  }
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (file !== base && !file.startsWith(base + path.sep)) return { ok: false, status: 403 };
  if (segments.length === 0 || path.extname(file) === '') {
    const index = path.join(base, 'index.html');
    return { ok: true, file: index, contentType: mimeType(index), isDocument: true };
  }
  return {
    ok: true,
    file,
    contentType: mimeType(file),
    isDocument: path.basename(file) === 'index.html',
  };
}
