// Head-office service CLI:
//   npm run head-office                          serve (PGlite in head-office/data unless DATABASE_URL)
//   npm run head-office -- enroll-code NAME [--terminal-id ID] [--ttl-hours 72] [--book N:1-100:3001]   prints a one-time code once
//   npm run head-office -- check-receipt QR      is this paper receipt genuine and the same at head office
//   npm run head-office -- import KIND FILE      households|seasons|charges|clerks|books|payments, .csv/.xlsx
//   npm run head-office -- cheques | decide-cheque | decide-cheques   finance's cheque work (cheque-cli.ts)
//   npm run head-office -- release DIR|FILES… [--ledger-schema N]   publish an update (release-cli.ts)
//   npm run head-office -- releases                                  list published updates
//   npm run head-office -- qr-reconcile --date D FILE   a provider's settlement file vs QR sales and receipts
// serve on an empty database prints the first administrator's one-time password once (console/accounts.ts);
// operators sign in at /v1/console/login, scripts keep HO_ADMIN_TOKEN (README: Head-office operators).
// HO_ALIPAY_CONFIG=/path/alipay.json enables Alipay QR sales (qr/alipay.ts loadAlipayConfig).
// HO_INGEST_THREADS=N: worker threads that parse, hash and sign pushes (default: 0 on ≤ 2 cores, else cores − 1, ≤ 4).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHEQUE_COMMANDS, runChequeCommand, type ChequeCommand } from './cheque-cli';
import { openHoDb } from './db';
import { IMPORT_KINDS, importFile, type ImportKind } from './import';
import {
  RESOLVABLE,
  resolutionInput,
  resolve as resolveOpen,
  type ResolvableKind,
} from './resolutions';
import {
  DEFAULT_ENROLLMENT_TTL_HOURS,
  enrollmentCodeInput,
  issueEnrollmentCode,
} from './enrollment';
import { qrOptionsFromEnv } from './qr/config';
import { runQrReconcileCommand } from './qr/reconcile';
import { checkReceipt } from './receipt-check';
import { runReleaseCommand } from './release-cli';
import { buildServer } from './server';
import { ensureFirstAdmin } from './console/accounts';

const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data/pglite', import.meta.url));

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [cmd = 'serve', ...rest] = argv;
  const dataDir = process.env.HO_DATA_DIR ?? DEFAULT_DATA_DIR;
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) mkdirSync(dataDir, { recursive: true });
  const db = await openHoDb({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    if (cmd === 'enroll-code') {
      const name = rest[0];
      const terminalId = option(rest, '--terminal-id');
      const ttl = option(rest, '--ttl-hours');
      // --book SERIES:FIRST-LAST:CLERK (repeatable): receipt books for the terminal that uses the code
      const books = rest
        .flatMap((a, i) => (a === '--book' ? [rest[i + 1] ?? ''] : []))
        .map((b) => {
          const m = /^([A-Z0-9]{1,12}):(\d+)-(\d+):([A-Za-z0-9]{1,20})$/.exec(b);
          return m
            ? { series: m[1], firstNo: Number(m[2]), lastNo: Number(m[3]), clerkCode: m[4] }
            : { series: b };
        });
      const input = enrollmentCodeInput.safeParse({
        name,
        ...(terminalId !== undefined ? { terminalId } : {}),
        ttlHours: ttl === undefined ? DEFAULT_ENROLLMENT_TTL_HOURS : Number(ttl),
        ...(books.length > 0 ? { books } : {}),
      });
      if (!name || name.startsWith('--') || !input.success) {
        console.error(
          `usage: enroll-code NAME [--terminal-id ID] [--ttl-hours ${DEFAULT_ENROLLMENT_TTL_HOURS}] [--book SERIES:FIRST-LAST:CLERK]…` +
            (input.success ? '' : `\n${input.error.issues.map((i) => i.message).join('; ')}`),
        );
        return 2;
      }
      const c = await issueEnrollmentCode(db, input.data);
      console.log(
        JSON.stringify({ name: c.name, terminalId: c.terminalId, expiresAt: c.expiresAt }),
      );
      console.log(
        `enrollment code (shown once; 入网码，仅显示一次; valid until ${c.expiresAt}): ${c.code}`,
      );
      return 0;
    }
    if (cmd === 'check-receipt') {
      const qr = rest[0];
      if (!qr) {
        console.error('usage: check-receipt QR-TEXT');
        return 2;
      }
      const r = await checkReceipt(db, qr);
      console.log(JSON.stringify(r, null, 2));
      return r.status === 'valid' || r.status === 'not_yet_synced' ? 0 : 1;
    }
    if (cmd === 'import') {
      const [kind, file] = rest;
      if (!kind || !IMPORT_KINDS.includes(kind as ImportKind) || !file) {
        console.error(
          `usage: import ${IMPORT_KINDS.join('|')} FILE.csv|FILE.xlsx [--overwrite-counter-edits]`,
        );
        return 2;
      }
      const format = file.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
      const report = await importFile(
        db,
        kind as ImportKind,
        format,
        readFileSync(resolve(file)),
        basename(file),
        { overwriteCounterEdits: rest.includes('--overwrite-counter-edits') },
      );
      console.log(JSON.stringify(report, null, 2));
      return report.accepted ? 0 : 1;
    }
    if (cmd === 'resolve') {
      const [kind, ref] = rest;
      const input = resolutionInput.safeParse({
        by: option(rest, '--by'),
        note: option(rest, '--note'),
      });
      if (
        !kind ||
        !Object.hasOwn(RESOLVABLE, kind) ||
        !ref ||
        ref.startsWith('--') ||
        !input.success
      ) {
        console.error(
          `usage: resolve ${Object.keys(RESOLVABLE).join('|')} REF --by NAME --note "what was done"`,
        );
        return 2;
      }
      const r = await db.tx((q) => resolveOpen(q, kind as ResolvableKind, ref, input.data));
      if (!r.ok) {
        console.error(
          r.error === 'not_found' ? `no open ${kind} ${ref}` : `${kind} ${ref} is already resolved`,
        );
        return 1;
      }
      console.log(JSON.stringify({ kind, ref, ...r.resolution }));
      return 0;
    }
    if (cmd === 'release' || cmd === 'releases') {
      const r = await runReleaseCommand(db, cmd, rest);
      if (r.out) console.log(r.out);
      if (r.err) console.error(r.err);
      return r.code;
    }
    if (cmd === 'qr-reconcile') {
      const r = await runQrReconcileCommand(db, rest, (f) => readFileSync(resolve(f)));
      if (r.out) console.log(r.out);
      if (r.err) console.error(r.err);
      return r.code;
    }
    if ((CHEQUE_COMMANDS as readonly string[]).includes(cmd)) {
      const r = await runChequeCommand(db, cmd as ChequeCommand, rest);
      if (r.out) console.log(r.out);
      if (r.err) console.error(r.err);
      return r.code;
    }
    if (cmd !== 'serve') {
      console.error(
        'commands: serve | enroll-code NAME [--terminal-id ID] [--ttl-hours H] | check-receipt QR | import KIND FILE | resolve KIND REF | release DIR|FILES [--ledger-schema N] | releases | cheques | decide-cheque RECEIPT | decide-cheques FILE | qr-reconcile --date D FILE',
      );
      return 2;
    }
    let adminToken = process.env.HO_ADMIN_TOKEN;
    if (!adminToken) {
      adminToken = `hoa_${randomBytes(24).toString('base64url')}`;
      console.log(`operator token for this run (set HO_ADMIN_TOKEN to fix it): ${adminToken}`);
    }
    const keyFile = process.env.HO_TLS_KEY;
    const certFile = process.env.HO_TLS_CERT;
    const { qr, enabled } = qrOptionsFromEnv(process.env);
    const app = buildServer({
      db,
      adminToken,
      qr,
      ...(keyFile && certFile ? { tls: { keyFile, certFile } } : {}),
      warmIngest: true,
      // HO_INGEST_THREADS: worker threads for the CPU part of pushes (0: on the event loop)
      ...(process.env.HO_INGEST_THREADS
        ? { ingestThreads: Number(process.env.HO_INGEST_THREADS) }
        : {}),
    });
    // no operator yet: an administrator `admin` with a one-time password, printed once (the one
    // instance whose insert won prints it; later starts find the account and print nothing)
    const firstAdminPassword = await ensureFirstAdmin(db);
    const port = Number(process.env.HO_PORT ?? option(rest, '--port') ?? 5480);
    const host = process.env.HO_HOST ?? '127.0.0.1';
    await app.listen({ port, host });
    const bound = (app.server.address() as AddressInfo).port;
    console.log(
      `head office on ${keyFile ? 'https' : 'http'}://${host}:${bound}/v1/health (${db.kind}${databaseUrl ? '' : ` in ${dataDir}`})`,
    );
    if (firstAdminPassword)
      console.log(
        `first administrator (shown once; 首次管理员，仅显示一次): user admin, one-time password ${firstAdminPassword} — sign in at ${keyFile ? 'https' : 'http'}://${host}:${bound}/v1/console/login and change it (须先修改密码)`,
      );
    console.log(
      enabled.length > 0
        ? `QR payments (扫码支付) through: ${enabled.join(', ')}`
        : 'QR payments (扫码支付): no provider configured (set HO_ALIPAY_CONFIG=/path/alipay.json for Alipay)',
    );
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
