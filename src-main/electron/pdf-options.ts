// Pure part of the Electron PDF adapter: the A4 page of the PdfRenderer port in Electron's terms.
import { A4_PAGE } from '../devices/pdf/port';

const MM_PER_INCH = 25.4;
const inches = (mm: number) => Math.round((mm / MM_PER_INCH) * 10_000) / 10_000;

/** Options for `webContents.printToPDF` (margins in inches, as Electron wants them). */
export function printToPdfOptions() {
  const m = A4_PAGE.marginMm;
  return {
    pageSize: A4_PAGE.format,
    printBackground: true,
    preferCSSPageSize: true,
    margins: {
      top: inches(m.top),
      right: inches(m.right),
      bottom: inches(m.bottom),
      left: inches(m.left),
    },
  } as const;
}

/** Web preferences of the hidden window that renders a document: no script, no node, sandboxed. */
export const PDF_WINDOW_PREFERENCES = {
  javascript: false,
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  webSecurity: true,
  offscreen: true,
} as const;

/** The self-contained HTML as a data URL (nothing else is ever loaded into the PDF window). */
export function documentUrl(html: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
