import { hostname } from 'node:os';
import { startIdleCheckpoints } from '../ledger/checkpoint';
import { checkpointDue, sidecarPathOf, writeCheckpoint } from '../ledger/checkpoints';
import { verifyFromCheckpoint } from '../ledger/verify';
import { chainHead } from '../ledger/event-log';
import { openDatabase } from '../ledger/db';
import { fileKeyStorage, type KeyStorage } from '../ledger/signing';
import { ensureTerminalKey } from '../features/terminal/terminal-key';
import { signMasterRowsAfterUpgrade } from '../features/sync/master-rows';
import { uuidv7 } from '../ledger/ids';
import { insertTerminal, isEmptyLedger, terminalRow } from '../features/terminal/terminal.store';
import type { ServiceContext } from '../services/context';
import { createTerminalRuntime } from './terminal-runtime';
import { queueCommittedReceipts } from '../features/printing/print-queue';
import { detachCardTerminal } from '../features/card/card-payments';
import { resolveOpenQrPayments } from '../features/qr/qr-payments';
import {
  configurePole,
  POLE_OFF,
  poleSettingsFromDb,
  type PoleSettings,
} from '../features/pole/pole-display';
import { seedDemo } from '../demo/generate';
import { loadFirstRun } from '../features/setup/first-run';
import { startSyncWorker, type SyncWorker, type SyncWorkerOptions } from '../features/sync/worker';
import {
  resolveCardTerminal,
  configureCardTerminal,
  noCardTerminal,
  type CardTerminalSettings,
} from '../features/card/card-terminal-config';

export interface OpenTerminalOptions {
  /** Run the head-office sync worker beside the UI (it idles until a URL and token are set). */
  sync?: SyncWorkerOptions;
  /**
   * Card terminal (ZVT over serial; null = none), used while nothing is saved on the settings screen
   * (the settings row `cardTerminal` wins); default: env CASHIER_CARD_TERMINAL_CONFIG, CASHIER_CARD_TERMINAL.
   */
  cardTerminal?: CardTerminalSettings | null;
  /** Pole display (客显); default: the settings row `poleDisplay` (the supervisor's screen); null = none. */
  poleDisplay?: PoleSettings | null;
  dbFile: string;
  /** Where the NNNN_slug.sql files are; packaged builds ship them beside the app (extraResources). */
  migrationsDir?: string;
  /** On an empty ledger, create a small demo district (marked DEMO); same as `firstRun: 'demo'`. */
  demoIfEmpty?: boolean;
  /**
   * What an empty ledger becomes: 'setup' (production shells): it stays "to be set up" and the API
   * answers the setup commands only until it is enrolled, restored or made a demo ledger; 'demo':
   * seeded with the demo district at once (`npm start`, asked for with --demo). Default: neither
   * (tests, the CLI).
   */
  firstRun?: 'setup' | 'demo';
  demoHouseholds?: number;
  clock?: () => Date;
  terminalName?: string;
  timeZone?: string;
  /**
   * Where the terminal's signing key is kept; default `<dbFile>.key` (mode 0600). The Electron
   * shell passes a safeStorage-sealed file; null keeps the key in memory (`:memory:` ledgers).
   */
  keyStorage?: KeyStorage | null;
}

export interface OpenTerminal {
  ctx: ServiceContext;
  createdDemo: boolean;
  sync?: SyncWorker;
  close(): void;
}

export const DEFAULT_DEMO_HOUSEHOLDS = 200;

function defaultTimeZone(): string {
  return (
    process.env.CASHIER_TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'Asia/Shanghai'
  );
}

/** Opens (and migrates) the ledger file, makes sure the terminal has an identity, optionally seeds demo data. */
export function openTerminal(options: OpenTerminalOptions): OpenTerminal {
  const db = openDatabase(
    options.dbFile,
    options.migrationsDir ? { migrationsDir: options.migrationsDir } : {},
  );
  const clock = options.clock ?? (() => new Date());
  try {
    if (!terminalRow(db)) {
      insertTerminal(db, {
        terminal_id: uuidv7(),
        name: options.terminalName ?? `收费窗口 ${hostname()}`,
        time_zone: options.timeZone ?? defaultTimeZone(),
        created_at: clock().toISOString(),
        isDemo: false,
      });
    }
    const identity = () => {
      const row = terminalRow(db)!;
      return {
        id: row.terminal_id,
        name: row.name,
        timeZone: row.time_zone,
        isDemo: row.is_demo === 1,
      };
    };
    const ctx: ServiceContext = {
      db,
      terminal: identity(),
      clock,
      runtime: createTerminalRuntime(),
    };
    const empty = isEmptyLedger(db);
    // Verified before anything is appended: from the newest signed checkpoint (table or sidecar),
    // so nothing this start writes can vouch for a log that was changed while the terminal was off.
    const integrity = ctx.runtime.integrity;
    const verifyAtStart = () =>
      integrity.recordStartup(
        db,
        verifyFromCheckpoint(db, ctx.terminal.id, sidecarPathOf(db)),
        clock(),
      );
    verifyAtStart();
    const headBeforeKey = chainHead(db).seq;
    const signer = ensureTerminalKey(
      ctx,
      options.keyStorage !== undefined
        ? options.keyStorage
        : options.dbFile === ':memory:'
          ? null
          : fileKeyStorage(`${options.dbFile}.key`),
      { withhold: integrity.alarmed },
    );
    integrity.holdSigner(signer);
    // A key introduced now (first start, or the key file was lost): its event is checked too, and a
    // replaced key's "not certified" warning shows from this start on.
    if (chainHead(db).seq !== headBeforeKey) verifyAtStart();
    // First start after migration 0016 or 0017: the master rows the ledger already held get the terminal's
    // signature (only on the connection that just ran that migration).
    signMasterRowsAfterUpgrade(ctx);
    let createdDemo = false;
    // The setup screen's third choice, and `--demo`: the same demo district.
    ctx.runtime.setup.seedDemo = (c) => {
      seedDemo(c, { households: options.demoHouseholds ?? DEFAULT_DEMO_HOUSEHOLDS, seed: 1 });
      c.terminal = identity();
    };
    if ((options.demoIfEmpty || options.firstRun === 'demo') && empty) {
      ctx.runtime.setup.seedDemo(ctx);
      createdDemo = true;
    }
    loadFirstRun(
      ctx,
      createdDemo ? 'clear' : options.firstRun === 'setup' && empty ? 'mark' : 'keep',
    );
    // Receipts a crash left unqueued (committed after the print cursor) get their copies now.
    queueCommittedReceipts(ctx);
    // An upgraded ledger (or one 5,000 events past its newest checkpoint) gets one now, so the next
    // start verifies from here.
    if (!integrity.alarmed && checkpointDue(db)) writeCheckpoint(db, ctx.terminal.id, clock());
    const stopCheckpoints = startIdleCheckpoints(
      db,
      undefined,
      {
        terminalId: () => ctx.terminal.id,
        clock,
        onError: (e) =>
          ctx.log?.('warn', 'signed checkpoint not written', {
            error: e instanceof Error ? e.message : String(e),
          }),
      },
      // the WAL copy on a ledger worker's connection while they run (startRuntime installs them)
      () => ctx.runtime.offload?.walCheckpoint() ?? null,
    );
    // QR sales left open (a crash, a lost answer) are resolved by query whenever head office is
    // reached, and once now; a paid one becomes its receipt even if no clerk looks.
    const sync = options.sync
      ? startSyncWorker(ctx, {
          ...options.sync,
          onContact: () => {
            void resolveOpenQrPayments(ctx);
            options.sync?.onContact?.();
          },
        })
      : undefined;
    if (sync) ctx.runtime.sync = sync;
    void resolveOpenQrPayments(ctx);
    const card = resolveCardTerminal(db, process.env, options.cardTerminal);
    if (card.settings) configureCardTerminal(ctx, card.settings, card.source);
    else noCardTerminal(ctx, card.source);
    const poleSettings =
      options.poleDisplay === undefined ? poleSettingsFromDb(ctx) : options.poleDisplay;
    void configurePole(ctx, poleSettings ?? POLE_OFF);
    return {
      ctx,
      createdDemo,
      ...(sync ? { sync } : {}),
      close: () => {
        ctx.runtime.qr.closed = true; // a background QR query in flight writes nothing after this
        void sync?.stop(); // stops at once; a request in flight is abandoned, nothing is written after
        // the terminal in use (the settings screen may have replaced the one attached at start)
        void detachCardTerminal(ctx)?.close(); // stops its heartbeat too
        void ctx.runtime.pole.stop();
        stopCheckpoints();
        try {
          queueCommittedReceipts(ctx); // receipts of the last moments, before the file closes
        } finally {
          try {
            // A clean close leaves a signed checkpoint at the head (none while an alarm holds).
            writeCheckpoint(db, ctx.terminal.id, clock());
          } catch (e) {
            ctx.log?.('warn', 'signed checkpoint not written at close', {
              error: e instanceof Error ? e.message : String(e),
            });
          } finally {
            db.close();
          }
        }
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
