// The head-office CLI's cheque commands, for finance working from the bank's statement:
//   cheques [--status pending|cleared|bounced] [--terminal ID]          the report, as JSON
//   decide-cheque RECEIPT --cleared|--bounced --value-date YYYY-MM-DD --by NAME
//                 [--reason TEXT] [--position N] [--terminal NAME|ID]    one cheque
//   decide-cheques FILE.json                                              the API's array, all or none
// RECEIPT is the receipt number as printed (e.g. A000123) or its id. Same rules as
// POST /v1/cheques/decisions (decideCheques); each decision reaches the cheque's terminal by pull.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatFen } from '@heating-cashier/core/money';
import { chequeDecisionsRequest, chequeReport, decideCheques } from './cheques';
import type { HoDb, Queryable } from './db';

export const CHEQUE_COMMANDS = ['cheques', 'decide-cheque', 'decide-cheques'] as const;
export type ChequeCommand = (typeof CHEQUE_COMMANDS)[number];

export interface CliResult {
  code: number;
  out?: string;
  err?: string;
}

const USAGE: Record<ChequeCommand, string> = {
  cheques: 'usage: cheques [--status pending|cleared|bounced] [--terminal ID]',
  'decide-cheque':
    'usage: decide-cheque RECEIPT --cleared|--bounced --value-date YYYY-MM-DD --by NAME [--reason TEXT] [--position N] [--terminal NAME|ID]',
  'decide-cheques':
    'usage: decide-cheques FILE.json   (an array as for POST /v1/cheques/decisions)',
};

const reportArgs = z
  .object({
    status: z.enum(['pending', 'cleared', 'bounced']).optional(),
    terminal: z.string().min(1).max(64).optional(),
  })
  .strict();

const decideArgs = z
  .object({
    receipt: z.string().min(1).max(64),
    outcome: z.enum(['cleared', 'bounced']),
    valueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
    by: z.string().trim().min(1).max(60),
    reason: z.string().trim().min(1).max(200).optional(),
    position: z.coerce.number().int().min(0).max(50).optional(),
    terminal: z.string().min(1).max(64).optional(),
  })
  .strict();

/** `--name value` pairs and bare `--flag`s after the positional arguments; unknown names stay in. */
export function parseOptions(args: readonly string[]): {
  positional: string[];
  options: Record<string, string | true>;
} {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const next = args[i + 1];
    if (next === undefined || next.startsWith('--')) options[a.slice(2)] = true;
    else {
      options[a.slice(2)] = next;
      i++;
    }
  }
  return { positional, options };
}

const issues = (e: z.ZodError) =>
  e.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');

interface ChequeOnReceipt {
  receipt_id: string;
  receipt_label: string;
  terminal_id: string;
  terminal_name: string | null;
  position: number;
  cheque_no: string;
  amount_fen: number;
  status: string;
}

/** The one cheque RECEIPT (+ terminal, position) names, or why it names none or several. */
export async function findCheque(
  db: Queryable,
  receipt: string,
  terminal?: string,
  position?: number,
): Promise<{ ok: true; receiptId: string; position: number } | { ok: false; message: string }> {
  const rows = await db.query<ChequeOnReceipt>(
    `SELECT c.receipt_id, c.receipt_label, c.terminal_id, t.name AS terminal_name, c.position,
            c.cheque_no, c.amount_fen, c.status
     FROM ho_cheques c LEFT JOIN ho_terminals t ON t.terminal_id = c.terminal_id
     WHERE (c.receipt_id = $1 OR c.receipt_label = $1)
       AND ($2::text IS NULL OR c.terminal_id = $2 OR t.name = $2)
       AND ($3::int IS NULL OR c.position = $3)
     ORDER BY c.terminal_id, c.position`,
    [receipt, terminal ?? null, position ?? null],
  );
  if (rows.length === 0)
    return {
      ok: false,
      message: `no cheque on receipt ${receipt}${terminal ? ` of ${terminal}` : ''}`,
    };
  const terminals = [
    ...new Set(
      rows.map((r) =>
        r.terminal_name ? `"${r.terminal_name}" (${r.terminal_id})` : r.terminal_id,
      ),
    ),
  ];
  if (terminals.length > 1)
    return {
      ok: false,
      message: `receipt ${receipt} exists on terminals ${terminals.join(', ')}: add --terminal NAME|ID`,
    };
  if (rows.length > 1)
    return {
      ok: false,
      message: `receipt ${receipt} carries ${rows.length} cheques (${rows
        .map(
          (r) => `--position ${r.position}: ${r.cheque_no} ${formatFen(r.amount_fen)} ${r.status}`,
        )
        .join('; ')}): add --position`,
    };
  return { ok: true, receiptId: rows[0]!.receipt_id, position: rows[0]!.position };
}

async function decide(db: HoDb, items: z.infer<typeof chequeDecisionsRequest>): Promise<CliResult> {
  const out = await decideCheques(db, items);
  if (out.ok) return { code: 0, out: JSON.stringify({ decisions: out.decisions }, null, 2) };
  return {
    code: 1,
    err: `nothing decided:\n${out.errors.map((e) => `  item ${e.index + 1}: ${e.message}`).join('\n')}`,
  };
}

/** Runs one cheque command; exit code 2 = usage, 1 = refused (nothing written), 0 = done. */
export async function runChequeCommand(
  db: HoDb,
  command: ChequeCommand,
  args: readonly string[],
): Promise<CliResult> {
  const { positional, options } = parseOptions(args);
  const usage = (why: string): CliResult => ({ code: 2, err: `${why}\n${USAGE[command]}` });
  if (command === 'cheques') {
    const a = reportArgs.safeParse(options);
    if (!a.success || positional.length > 0)
      return usage(a.success ? 'unexpected arguments' : issues(a.error));
    const report = await chequeReport(db, {
      ...(a.data.status ? { status: a.data.status } : {}),
      ...(a.data.terminal ? { terminalId: a.data.terminal } : {}),
    });
    return { code: 0, out: JSON.stringify(report, null, 2) };
  }
  if (command === 'decide-cheques') {
    const [file] = positional;
    if (!file || positional.length > 1 || Object.keys(options).length > 0)
      return usage('one FILE.json and nothing else');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      return { code: 1, err: `cannot read ${file}: ${(e as Error).message}` };
    }
    const items = chequeDecisionsRequest.safeParse(json);
    if (!items.success) return { code: 1, err: `${file}: ${issues(items.error)}` };
    return decide(db, items.data);
  }
  const { cleared, bounced, 'value-date': valueDate, ...rest } = options;
  if (positional.length !== 1) return usage('name one receipt');
  if ((cleared === true) === (bounced === true)) return usage('say --cleared or --bounced');
  const a = decideArgs.safeParse({
    ...rest,
    receipt: positional[0],
    outcome: cleared === true ? 'cleared' : 'bounced',
    ...(valueDate !== undefined ? { valueDate } : {}),
  });
  if (!a.success) return usage(issues(a.error));
  if (a.data.outcome === 'bounced' && !a.data.reason)
    return usage('a bounced cheque needs --reason');
  const found = await findCheque(db, a.data.receipt, a.data.terminal, a.data.position);
  if (!found.ok) return { code: 1, err: found.message };
  return decide(db, [
    {
      receiptId: found.receiptId,
      position: found.position,
      outcome: a.data.outcome,
      valueDate: a.data.valueDate,
      ...(a.data.reason ? { reason: a.data.reason } : {}),
      decidedBy: a.data.by,
    },
  ]);
}
