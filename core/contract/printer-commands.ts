import { z } from 'zod';
import { authed, command, supervisor } from './command';
import { id, isoTime } from './primitives';
import { componentStatus } from './schemas';

const jobState = z.enum(['queued', 'sending', 'done', 'unknown', 'superseded']);
export const printJobInfo = z.object({
  id,
  template: z.string(),
  subjectId: z.string().nullable(),
  label: z.string(),
  state: jobState,
  attempts: z.number().int(),
  /** Last fault: paper_out, cover_open, offline, error, connection_dropped, timeout, paper_out … */
  reason: z.string().nullable(),
  reasonAt: isoTime.nullable(),
  createdAt: isoTime,
  doneAt: isoTime.nullable(),
  replacesId: z.string().nullable(),
});

const receiptParts = z.union([z.literal(1), z.literal(2), z.literal(3)]);

const settingsOut = z.object({
  interface: z.string(),
  width: z.union([z.literal(32), z.literal(48)]),
  encoding: z.enum(['gb18030', 'cp936']),
  companyName: z.string(),
  drawerKick: z.string(),
  /** true when more than the customer copy prints (kept for older clients; see receiptParts). */
  printStub: z.boolean(),
  /** Parts of the 一式三联 receipt printed: 1 客户联, 2 + 存根联, 3 + 记账联 (default 3). */
  receiptParts: receiptParts,
  qrMode: z.enum(['native', 'raster']),
  source: z.enum(['env', 'settings', 'default']),
});

const queueOut = z.object({
  configured: z.boolean(),
  status: componentStatus,
  queued: z.number().int(),
  unknown: z.number().int(),
  lastReason: z.string().nullable(),
});

/** Printer, print queue, receipt preview and printer settings. */
export const printerCommands = {
  'printer.status': command({
    summary: 'Printer state (DLE EOT), jobs waiting and jobs with an unknown outcome',
    input: z.object(authed).strict(),
    output: queueOut,
  }),
  'printer.jobs': command({
    summary: 'Recent print jobs (or only open ones) with state and the last fault reason',
    input: z
      .object({
        ...authed,
        openOnly: z.boolean().default(false),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: z.object({ jobs: z.array(printJobInfo) }),
  }),
  'printer.retry': command({
    summary: 'Check the printer now and print what is waiting (jobs never sent)',
    input: z.object(authed).strict(),
    output: queueOut,
  }),
  'printer.reprint': command({
    summary:
      'Print a job again as 补打: a receipt counts as a reprint; a job with unknown outcome is superseded',
    input: z.object({ ...authed, jobId: id }).strict(),
    output: z.object({ job: printJobInfo, alreadyQueued: z.boolean() }),
  }),
  'printer.preview': command({
    summary: 'Receipt preview as SVG (and text) with the printer’s width',
    input: z
      .object({
        ...authed,
        receiptId: id,
        copy: z.enum(['customer', 'stub']).default('customer'),
      })
      .strict(),
    output: z.object({ svg: z.string(), text: z.string(), width: z.number().int() }),
  }),
  'printer.settings.get': command({
    summary: 'Printer settings in effect (interface, width, encoding, company name, drawer kick)',
    input: z.object(authed).strict(),
    output: settingsOut,
  }),
  'printer.settings.set': command({
    summary: 'Change the printer settings (supervisor PIN)',
    input: z
      .object({
        ...authed,
        ...supervisor,
        interface: z
          .string()
          .trim()
          .max(200)
          .regex(
            /^(none|tcp:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|\/dev\/[A-Za-z0-9/_.-]+|serial:[A-Za-z0-9/_.:\\-]+(\?baud=\d{3,6})?|COM\d{1,3}|serial:COM\d{1,3}(\?baud=\d{3,6})?)$/,
            'interface: none, tcp://host:port, /dev/…, serial:/dev/…?baud=9600',
          ),
        width: z.union([z.literal(32), z.literal(48)]),
        encoding: z.enum(['gb18030', 'cp936']),
        companyName: z.string().trim().min(1).max(40),
        /** Five hex bytes (ESC p / DLE DC4 pulse), or 'off': no drawer kick on cash payments. */
        drawerKick: z
          .string()
          .trim()
          .regex(
            /^(off|([0-9a-fA-F]{2}[\s:]?){5})$/,
            "drawerKick: five hex bytes, e.g. 1b 70 00 19 fa, or 'off'",
          ),
        /** Older clients: false = the customer copy only, true = every part; receiptParts wins. */
        printStub: z.boolean().optional(),
        /** Parts of the 一式三联 receipt printed, in order 客户联, 存根联, 记账联 (default 3). */
        receiptParts: receiptParts.optional(),
        /** QR as the printer's own GS ( k symbol, or as an image for printers without one. */
        qrMode: z.enum(['native', 'raster']).default('native'),
      })
      .strict(),
    output: settingsOut,
  }),
  'receipt.statement': command({
    summary:
      'Print again the written statement (书面说明, 一式四份) of a voided receipt or a spoiled blank, marked 补打',
    input: z.object({ ...authed, receiptLabel: z.string().trim().min(1).max(40) }).strict(),
    output: z.object({ jobs: z.array(printJobInfo) }),
  }),
  'printer.testPrint': command({
    summary: 'Queue a printer test page (Chinese, ￥, ruler, QR)',
    input: z.object(authed).strict(),
    output: z.object({ job: printJobInfo }),
  }),
} as const;
