import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type * as NodeThermalPrinter from 'node-thermal-printer';
import type * as Receiptline from 'receiptline';
import type { z } from 'zod';
import { DRAWER_KICK_DEFAULT, GS_R_PAPER, nativeQrCommand } from './escpos';
import { fillers } from './fillers';
import { fillTemplate } from './markup';
import { templateData, type TemplateData, type TemplateName } from './template-data';

export type PrinterWidth = 32 | 48;
export type PrinterEncoding = 'gb18030' | 'cp936';
export type RenderFormat = 'escpos' | 'text' | 'svg';
/** QR codes as the printer's own GS ( k symbol (default) or as receiptline's raster image. */
export type QrMode = 'native' | 'raster';

export interface RenderOptions {
  /** Characters per line: 32 for 58 mm paper, 48 for 80 mm. */
  width: PrinterWidth;
  encoding?: PrinterEncoding;
  /** 'native' (GS ( k model 2, default) or 'raster' for printers without a QR generator. */
  qrMode?: QrMode;
  /** Where the *.receiptline files are (packaged builds ship them beside the app). */
  templatesDir?: string;
}

const requirePackage = createRequire(import.meta.url);
let receiptlineModule: typeof Receiptline | null = null;
let thermalModule: typeof NodeThermalPrinter | null = null;
/** receiptline and node-thermal-printer, loaded with the first render: the start does not wait. */
export const receiptline = () =>
  (receiptlineModule ??= requirePackage('receiptline') as typeof Receiptline);
export const thermalPrinter = () =>
  (thermalModule ??= requirePackage('node-thermal-printer') as typeof NodeThermalPrinter);
const transform: typeof Receiptline.transform = (...args) => receiptline().transform(...args);

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(
  new URL('../../../printer-templates', import.meta.url),
);

const sources = new Map<string, string>();
function templateSource(name: TemplateName, dir: string): string {
  const file = join(dir, `${name}.receiptline`);
  let source = sources.get(file);
  if (source === undefined) {
    source = readFileSync(file, 'utf8');
    sources.set(file, source);
  }
  return source;
}

/** Thrown for template input that does not match the template's typed data (zod issues inside). */
export class TemplateDataError extends Error {
  constructor(
    readonly template: string,
    readonly issues: string,
  ) {
    super(`${template}: ${issues}`);
    this.name = 'TemplateDataError';
  }
}

export function parseTemplateData<T extends TemplateName>(
  name: T,
  input: unknown,
): TemplateData<T> {
  const schema = templateData[name] as unknown as z.ZodType<TemplateData<T>>;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new TemplateDataError(
      name,
      parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`)
        .join('; '),
    );
  }
  return parsed.data;
}

/** Template + typed data → receiptline markup (validated input, filled, strict placeholders). */
export function renderMarkup<T extends TemplateName>(
  name: T,
  input: unknown,
  options: Pick<RenderOptions, 'width' | 'templatesDir'>,
): string {
  const data = parseTemplateData(name, input);
  const fill = fillers[name] as (d: TemplateData<T>) => Record<string, unknown>;
  const values = { ...fill(data), wide: options.width === 48, narrow: options.width === 32 };
  return fillTemplate(
    templateSource(name, options.templatesDir ?? DEFAULT_TEMPLATES_DIR),
    values as Parameters<typeof fillTemplate>[1],
  );
}

/**
 * receiptline's ESC/POS command set with the QR code emitted as the native GS ( k symbol: the
 * printer encodes and draws it; receiptline would generate the matrix and send it as a raster
 * image, which was over a third of the render time.
 */
let escposNativeQrSet: typeof Receiptline.commands.escpos | null = null;
const escposNativeQr = () =>
  (escposNativeQrSet ??= {
    ...receiptline().commands.escpos,
    qrcode: (symbol: { data: string; cell: number; level: 'l' | 'm' | 'q' | 'h' }) =>
      nativeQrCommand(symbol.data, symbol.cell, symbol.level),
  } as typeof Receiptline.commands.escpos);

export function transformOptions(options: RenderOptions, command: 'escpos' | 'text' | 'svg') {
  return {
    cpl: options.width,
    encoding: options.encoding ?? 'gb18030',
    command:
      command === 'escpos' && (options.qrMode ?? 'native') === 'native'
        ? escposNativeQr()
        : command,
    cutting: false,
    spacing: command !== 'escpos',
  } as const;
}

/** Plain text with the printer's column layout (CJK = 2 columns); for snapshot tests. */
export function renderText(name: TemplateName, input: unknown, options: RenderOptions): string {
  return transform(renderMarkup(name, input, options), transformOptions(options, 'text'));
}

/** SVG for the on-screen preview (and PNG via rsvg-convert for looking at). */
export function renderSvg(name: TemplateName, input: unknown, options: RenderOptions): string {
  return transform(renderMarkup(name, input, options), transformOptions(options, 'svg'));
}

/** No-I/O interface: node-thermal-printer is used here only to compose its cut sequence. */
const composeOnly = {
  execute: () => Promise.reject(new Error('compose-only printer')),
  isPrinterConnected: () => Promise.resolve(false),
};

export interface JobOptions {
  /** ESC p pulse sent before the body (cash payments): default `1b 70 00 19 fa`; null = none. */
  drawerKick?: Buffer | null;
}

/**
 * The complete byte stream of one print job:
 *   [drawer kick] · receiptline body (ESC @ … GB18030 text in FS & mode, QR as GS ( k) · feed + cut
 *   (node-thermal-printer) · GS r 1.
 * The trailing GS r 1 is answered only after everything before it was processed: it is the
 * end-of-job acknowledgement the print queue waits for.
 */
export function composeJob(escposBody: string, options: JobOptions = {}): Buffer {
  // receiptline closes with GS r 1 (its own completion check); ours goes after the cut instead.
  const body = escposBody.endsWith('\x1dr1') ? escposBody.slice(0, -3) : escposBody;
  const { ThermalPrinter, PrinterTypes } = thermalPrinter();
  const printer = new ThermalPrinter({
    type: PrinterTypes.EPSON,
    interface: composeOnly as unknown as string,
  });
  if (options.drawerKick) printer.append(options.drawerKick);
  printer.append(Buffer.from(body, 'binary'));
  printer.cut();
  printer.append(GS_R_PAPER);
  return printer.getBuffer();
}

/** Template + data → the ESC/POS bytes of a complete job. */
export function renderEscPos(
  name: TemplateName,
  input: unknown,
  options: RenderOptions & JobOptions,
): Buffer {
  const body = transform(renderMarkup(name, input, options), transformOptions(options, 'escpos'));
  return composeJob(body, options);
}

export function render(
  name: TemplateName,
  input: unknown,
  format: RenderFormat,
  options: RenderOptions & JobOptions,
): Buffer | string {
  switch (format) {
    case 'escpos':
      return renderEscPos(name, input, options);
    case 'text':
      return renderText(name, input, options);
    case 'svg':
      return renderSvg(name, input, options);
  }
}

export { DRAWER_KICK_DEFAULT };
