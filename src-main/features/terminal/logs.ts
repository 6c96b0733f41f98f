// The rotating JSON-lines log of the user-data folder (pino writing through a synchronous rotating
// file destination), and the readers behind the supervisor screen: recent errors, and the redacted
// lines of the diagnostic bundle. One record per line: {"level":"error","t":"…",…data,"message":"…"}.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';

export type LogLevel = 'error' | 'warn' | 'info';
export type LogFn = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

export const LOG_FILE = 'cashier.log';

export interface RotationStep {
  from: string | null;
  to: string | null;
}

/** `cashier.log` → `cashier.1.log` → … → `cashier.<max>.log`; the oldest is deleted. Pure. */
export function logFileName(index: number, base = LOG_FILE): string {
  if (index === 0) return base;
  const ext = path.extname(base);
  return `${base.slice(0, base.length - ext.length)}.${index}${ext}`;
}

/**
 * The renames that rotate the log: delete the oldest kept file, shift every other one up by one,
 * the current file becomes `.1`. `existing` are the indexes present (0 = current). Pure.
 */
export function logRotationSteps(existing: readonly number[], maxFiles: number): RotationStep[] {
  const steps: RotationStep[] = [];
  const present = new Set(existing);
  const oldest = maxFiles - 1;
  if (present.has(oldest)) steps.push({ from: logFileName(oldest), to: null });
  for (let i = oldest - 1; i >= 0; i--) {
    if (present.has(i)) steps.push({ from: logFileName(i), to: logFileName(i + 1) });
  }
  return steps;
}

export interface FileLogger {
  log: LogFn;
  dir: string;
  file: string;
}

/** Values are made JSON-safe (Errors → message + stack, BigInt → string) and long ones cut. */
function safe(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { message: value.message, stack: value.stack?.slice(0, 4000) };
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value.length > 4000 ? `${value.slice(0, 4000)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => safe(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .slice(0, 50)
      .map(([k, v]) => [k, safe(v, depth + 1)]),
  );
}

/**
 * pino's destination: appends each line synchronously (a crash right after a log call still has
 * it), rotating first when the line would take the file past `maxBytes`. The rotating streams for
 * pino (pino-roll, rotating-file-stream) write asynchronously and roll only after the limit is
 * passed, so this one stays.
 */
function rotatingFile(dir: string, maxBytes: number, maxFiles: number) {
  const file = path.join(dir, LOG_FILE);
  let size = existsSync(file) ? statSync(file).size : 0;
  const rotate = () => {
    const existing: number[] = [];
    for (let i = 0; i < maxFiles; i++) {
      if (existsSync(path.join(dir, logFileName(i)))) existing.push(i);
    }
    for (const step of logRotationSteps(existing, maxFiles)) {
      const from = path.join(dir, step.from!);
      if (step.to === null) rmSync(from, { force: true });
      else renameSync(from, path.join(dir, step.to));
    }
    size = 0;
  };
  return {
    file,
    write(line: string) {
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(file, line);
      size += bytes;
    },
  };
}

/**
 * Logs JSON lines to `<dir>/cashier.log`, rotating at `maxBytes` and keeping `maxFiles` files in
 * all. Writes are synchronous and never throw.
 */
export function createFileLogger(options: {
  dir: string;
  maxBytes?: number;
  maxFiles?: number;
  echo?: (line: string) => void;
  clock?: () => Date;
}): FileLogger {
  const clock = options.clock ?? (() => new Date());
  mkdirSync(options.dir, { recursive: true });
  const destination = rotatingFile(
    options.dir,
    options.maxBytes ?? 5 * 1024 * 1024,
    Math.max(2, options.maxFiles ?? 5),
  );
  const echo = options.echo;
  const logger = pino(
    {
      base: null,
      messageKey: 'message',
      timestamp: () => `,"t":"${clock().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    echo
      ? {
          write(line: string) {
            destination.write(line);
            echo(line);
          },
        }
      : destination,
  );
  const log: LogFn = (level, message, data) => {
    try {
      logger[level](safe(data ?? {}) as object, message);
    } catch {
      // logging must never take the counter down (disk full, folder removed)
    }
  };
  return { log, dir: options.dir, file: destination.file };
}

export interface LogRecord {
  t: string;
  level: string;
  message: string;
  [key: string]: unknown;
}

/** Every parseable record of the log folder, oldest first (rotated files, then the current one). */
export function readLogRecords(dir: string, maxFiles = 10): LogRecord[] {
  const out: LogRecord[] = [];
  for (let i = maxFiles - 1; i >= 0; i--) {
    const file = path.join(dir, logFileName(i));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line) as unknown;
        if (
          typeof record === 'object' &&
          record !== null &&
          typeof (record as LogRecord).t === 'string' &&
          typeof (record as LogRecord).level === 'string' &&
          typeof (record as LogRecord).message === 'string'
        ) {
          out.push(record as LogRecord);
        }
      } catch {
        // a line cut by a crash: skip it
      }
    }
  }
  return out;
}

const REDACTED = '[redacted]';
/** Keys whose values can hold personal data or secrets. */
const PERSONAL_KEY =
  /name|phone|mobile|address|payer|owner|tenant|pin|session|token|password|secret|query|household|account|room|building|community|card|pan|auth|input/i;
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+/g;

/**
 * Strips what could identify a household or a clerk from a log value: values under personal keys,
 * Chinese text (names, addresses), runs of 6+ digits (phones, account numbers, card numbers),
 * e-mail addresses and session-like tokens. Keeps codes, command names, error refs and stacks
 * (with digits masked). Pure.
 */
export function redact(value: unknown, key = ''): unknown {
  if (key && PERSONAL_KEY.test(key) && !/^(level|message|command|code|stack|ref)$/i.test(key)) {
    return value === null || value === undefined ? value : REDACTED;
  }
  if (typeof value === 'string') {
    return value
      .replace(CJK, '[zh]')
      .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, '[email]')
      .replace(/\b[A-Za-z0-9_-]{24,}\b/g, '[token]')
      .replace(/\b\d{1,3}-\d{1,3}-\d{1,5}\b/g, '#-#-#') // building-unit-room
      .replace(/\d{6,}/g, (m) => '#'.repeat(Math.min(m.length, 12)));
  }
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}
