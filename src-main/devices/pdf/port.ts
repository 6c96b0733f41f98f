/**
 * PdfRenderer port: an A4 HTML document (self-contained: inline CSS, no scripts, no network) → PDF bytes.
 * Adapters: Chromium through playwright-core (plain-Node host, CLI, tests — `./chromium`), and in the
 * Electron shell `webContents.printToPDF` of a hidden window (same HTML, same page size and margins).
 */
export interface PdfRenderer {
  /** Shown in logs and errors, e.g. `chromium /usr/bin/chromium`. */
  readonly name: string;
  htmlToPdf(html: string): Promise<Uint8Array>;
  /** Frees the browser / window, if the adapter keeps one. */
  close(): Promise<void>;
}

/** Page set-up every adapter applies (CSS `@page` in the HTML says the same). */
export const A4_PAGE = {
  format: 'A4',
  widthMm: 210,
  heightMm: 297,
  marginMm: { top: 12, right: 12, bottom: 14, left: 12 },
} as const;
