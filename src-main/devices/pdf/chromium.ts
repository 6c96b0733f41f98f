import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { A4_PAGE, type PdfRenderer } from './port';

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * The system Chromium: `CASHIER_CHROMIUM` when set, else the first of the usual names on `PATH`
 * (Debian's `chromium`, Ubuntu's `chromium-browser`, Chrome), else null. Found, not assumed: a
 * distribution may put it elsewhere.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CASHIER_CHROMIUM) return existsSync(env.CASHIER_CHROMIUM) ? env.CASHIER_CHROMIUM : null;
  const dirs = (env.PATH ?? '/usr/bin:/bin').split(delimiter).filter(Boolean);
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * PDF through headless Chromium (playwright-core, no bundled browser download). The browser starts
 * on the first document and is kept until `close()`; documents are rendered one at a time, with
 * JavaScript off and every network request refused (the HTML is self-contained).
 */
export function chromiumPdfRenderer(executablePath: string): PdfRenderer {
  let browser: Promise<Browser> | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const launch = () => {
    // playwright-core is loaded with the first document: it takes ~0.4 s to load, which the
    // counter's start does not wait for.
    browser ??= import('playwright-core')
      .then(({ chromium }) => chromium.launch({ executablePath, headless: true, args: ARGS }))
      .catch((e: unknown) => {
        browser = null;
        throw e;
      });
    return browser;
  };
  async function render(html: string): Promise<Uint8Array> {
    const b = await launch();
    const context = await b.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      const m = A4_PAGE.marginMm;
      const pdf = await page.pdf({
        format: A4_PAGE.format,
        printBackground: true,
        preferCSSPageSize: true,
        margin: {
          top: `${m.top}mm`,
          right: `${m.right}mm`,
          bottom: `${m.bottom}mm`,
          left: `${m.left}mm`,
        },
      });
      return new Uint8Array(pdf);
    } finally {
      await context.close();
    }
  }
  return {
    name: `chromium ${executablePath}`,
    htmlToPdf(html) {
      const next = chain.then(() => render(html));
      chain = next.catch(() => undefined);
      return next;
    },
    async close() {
      const b = browser;
      browser = null;
      if (b) await (await b.catch(() => null))?.close();
    },
  };
}
