import { BrowserWindow } from 'electron';
import type { PdfRenderer } from '../devices/pdf/port';
import { documentUrl, PDF_WINDOW_PREFERENCES, printToPdfOptions } from './pdf-options';

/**
 * PdfRenderer in the Electron shell: each document is loaded into a hidden, script-less window and
 * printed with `webContents.printToPDF` (same A4 page as the Chromium adapter). Every request other
 * than the document's own data URL is cancelled. One document at a time.
 */
export function electronPdfRenderer(): PdfRenderer {
  let chain: Promise<unknown> = Promise.resolve();
  async function render(html: string): Promise<Uint8Array> {
    const win = new BrowserWindow({ show: false, webPreferences: { ...PDF_WINDOW_PREFERENCES } });
    try {
      const url = documentUrl(html);
      win.webContents.session.webRequest.onBeforeRequest((details, callback) =>
        callback({ cancel: details.url !== url }),
      );
      await win.loadURL(url);
      return new Uint8Array(await win.webContents.printToPDF(printToPdfOptions()));
    } finally {
      win.destroy();
    }
  }
  return {
    name: `electron ${process.versions.electron ?? ''} printToPDF`,
    htmlToPdf(html) {
      const next = chain.then(() => render(html));
      chain = next.catch(() => undefined);
      return next;
    },
    close: () => Promise.resolve(),
  };
}
