// Counter updates (issue 19, README "Updates / 更新"): this terminal's update state and the use cases
// around electron-updater. The Electron shell (src-main/electron/updater.ts) attaches an UpdaterPort
// and forwards electron-updater's events here; every decision is in update-policy.ts (pure). Other
// shells (web host, CLI) have no port: the status says updates come with the desktop app.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { ReleaseClaim } from '@heating-cashier/core/release';
import type { UpdateStatus } from '@heating-cashier/core/contract/update-commands';
import { schemaVersion } from '../../ledger/migrate';
import { createVerifier } from '../../ledger/signing';
import { stmt } from '../../ledger/statements';
import type { ServiceContext } from '../../services/context';
import { receiptsAwaitingQueue } from '../printing/print-queue';
import { pinnedHeadOfficeKey, syncState } from '../sync/sync-state.store';
import {
  betweenCustomers,
  isNewerVersion,
  judgeDownload,
  judgeOffer,
  type Busy,
  type CounterActivity,
  type UpdateRefusal,
} from './update-policy';

/** What the shell does for the service: electron-updater's check and its quit-and-install. */
export interface UpdaterPort {
  /** Asks head office's feed now (checkForUpdates; a newer accepted release downloads by itself). */
  check(): Promise<void>;
  /** Quits and installs the downloaded update (quitAndInstall); called only between customers. */
  install(): void;
}

/** A customer whose account was opened longer ago than this is no longer counted as being served. */
export const SERVICE_STALE_MS = 10 * 60_000;

/** `ctx.runtime.updates`: the port and what the supervisor and the status bar see. */
export class Updates {
  port: UpdaterPort | null = null;
  phase: UpdateStatus['phase'] = 'unavailable';
  /** The accepted release being downloaded, or downloaded and waiting. */
  release: ReleaseClaim | null = null;
  waitingFor: Busy[] = [];
  refused: { refusal: UpdateRefusal; version: string | null; detail: string; at: string } | null =
    null;
  error: string | null = null;
  lastCheckAt: string | null = null;
  /** The installed app's version (the shell's app.getVersion()). */
  currentVersion: string | null = null;
  readonly verify = createVerifier();
}

/** The shell attached electron-updater: checks and installs go through `port`. */
export function attachUpdater(
  ctx: ServiceContext,
  port: UpdaterPort,
  currentVersion: string,
): void {
  const u = ctx.runtime.updates;
  u.port = port;
  u.currentVersion = currentVersion;
  if (u.phase === 'unavailable') u.phase = 'idle';
}

function refuse(
  ctx: ServiceContext,
  refusal: UpdateRefusal,
  version: string | null,
  detail: string,
): void {
  const u = ctx.runtime.updates;
  u.refused = { refusal, version, detail, at: ctx.clock().toISOString() };
  u.release = null;
  u.waitingFor = [];
  u.phase = 'refused';
  ctx.log?.('warn', 'update refused', { refusal, version, detail });
}

const versionOf = (info: unknown): string | null => {
  const v = (info as { version?: unknown } | null)?.version;
  return typeof v === 'string' ? v.slice(0, 64) : null;
};

/**
 * electron-updater found a newer version in the feed (its isUpdateSupported hook): accepted only when
 * head office signed it for a ledger schema not older than this ledger's. Answers whether to download.
 */
export function offerUpdate(ctx: ServiceContext, info: unknown): boolean {
  const u = ctx.runtime.updates;
  u.lastCheckAt = ctx.clock().toISOString();
  const version = versionOf(info);
  if (u.currentVersion !== null && version !== null && !isNewerVersion(version, u.currentVersion)) {
    noUpdate(ctx); // not newer than this build: nothing to judge (electron-updater agrees)
    return false;
  }
  const judged = judgeOffer(info, {
    headOfficeKey: pinnedHeadOfficeKey(ctx.db),
    ledgerSchema: schemaVersion(ctx.db),
    verify: u.verify,
  });
  if (!judged.ok) {
    refuse(ctx, judged.refusal, versionOf(info), judged.detail);
    return false;
  }
  u.release = judged.claim;
  u.refused = null;
  u.error = null;
  u.phase = 'downloading';
  ctx.log?.('info', 'update accepted, downloading', {
    version: judged.claim.version,
    ledgerSchema: judged.claim.ledgerSchema,
  });
  return true;
}

/** base64 SHA-512 and size of a file, streamed (installers are large). */
export async function fileDigest(path: string): Promise<{ sha512: string; size: number }> {
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha512: hash.digest('base64'), size };
}

/**
 * electron-updater downloaded the file (and checked its sha512 against the feed). Checked again
 * here against what head office signed, with the offer judged again (the yml it came with); then it
 * waits for the counter to be between customers. Answers the phase.
 */
export async function updateDownloaded(
  ctx: ServiceContext,
  info: unknown,
  file: string,
  /** The file's name in the feed (electron-updater may keep it under another local name). */
  feedName: string = basename(file),
): Promise<UpdateStatus['phase']> {
  const u = ctx.runtime.updates;
  if (!offerUpdate(ctx, info)) return u.phase;
  const claim = u.release!;
  const digest = await fileDigest(file);
  const judged = judgeDownload(claim, { name: feedName, ...digest });
  if (!judged.ok) {
    refuse(ctx, judged.refusal, claim.version, judged.detail);
    return u.phase;
  }
  u.phase = 'waiting';
  ctx.log?.('info', 'update downloaded and verified', { version: claim.version });
  return tryInstall(ctx);
}

/** What the counter is doing now that an install would interrupt (update-policy CounterActivity). */
export function counterActivity(ctx: ServiceContext): CounterActivity {
  const rt = ctx.runtime;
  const cards = stmt(
    ctx.db,
    "SELECT count(*) AS n FROM card_payments WHERE state IN ('intent', 'approved')",
  ).get() as { n: number };
  const qr = stmt(ctx.db, "SELECT count(*) AS n FROM qr_payments WHERE state = 'intent'").get() as {
    n: number;
  };
  const queue = rt.printing.queue;
  const printerUp =
    queue !== null && ['ready', 'busy', 'paper_near_end'].includes(queue.componentStatus().state);
  const prints = stmt(
    ctx.db,
    `SELECT count(*) FILTER (WHERE state = 'sending') AS sending,
            count(*) FILTER (WHERE state = 'queued') AS queued
     FROM print_jobs WHERE state IN ('sending', 'queued')`,
  ).get() as { sending: number; queued: number };
  return {
    openCardIntents: cards.n,
    cardSaleInFlight: (rt.card.attached?.inFlight ?? null) !== null,
    openQrIntents: qr.n,
    customersBeingServed: rt.service.openSince(new Date(ctx.clock().getTime() - SERVICE_STALE_MS)),
    printsInProgress: prints.sending + (printerUp ? prints.queued : 0),
    receiptsAwaitingPrint: receiptsAwaitingQueue(ctx),
  };
}

/**
 * Installs the downloaded update when the counter is between customers (update-policy
 * betweenCustomers); otherwise keeps waiting and says for what. The shell calls this every few
 * seconds while an update waits; answers the phase.
 */
export function tryInstall(ctx: ServiceContext): UpdateStatus['phase'] {
  const u = ctx.runtime.updates;
  if (u.phase !== 'waiting' || u.release === null || u.port === null) return u.phase;
  const now = betweenCustomers(counterActivity(ctx));
  if (!now.ok) {
    u.waitingFor = now.waitingFor;
    return u.phase;
  }
  u.waitingFor = [];
  u.phase = 'installing';
  ctx.log?.('info', 'installing update between customers', { version: u.release.version });
  u.port.install();
  return u.phase;
}

/** The feed had nothing newer. */
export function noUpdate(ctx: ServiceContext): void {
  const u = ctx.runtime.updates;
  u.lastCheckAt = ctx.clock().toISOString();
  if (['checking', 'idle', 'error', 'downloading'].includes(u.phase)) {
    u.phase = 'up_to_date';
    u.release = null;
  }
}

/** electron-updater failed (feed unreachable, download cut): the counter keeps working. */
export function updateFailed(ctx: ServiceContext, message: string): void {
  const u = ctx.runtime.updates;
  u.error = message.slice(0, 300);
  if (u.phase !== 'refused' && u.phase !== 'waiting') {
    u.phase = 'error';
    u.release = null;
  }
  ctx.log?.('warn', 'update check failed', { error: u.error });
}

export function updateStatus(ctx: ServiceContext): UpdateStatus {
  const u = ctx.runtime.updates;
  return {
    phase: u.phase,
    currentVersion: u.currentVersion,
    version: u.release?.version ?? null,
    ledgerSchema: schemaVersion(ctx.db),
    releaseSchema: u.release?.ledgerSchema ?? null,
    waitingFor: [...u.waitingFor],
    refused: u.refused,
    error: u.error,
    lastCheckAt: u.lastCheckAt,
  };
}

/** The status bar's part (terminal.status). */
export function updateNotice(ctx: ServiceContext) {
  const u = ctx.runtime.updates;
  return { phase: u.phase, version: u.release?.version ?? null, waitingFor: [...u.waitingFor] };
}

/**
 * Asks the feed now (desktop app only): the supervisor's "check for updates" button and the shell's
 * schedule. Not enrolled (no head-office address, token or key): refused as not_enrolled, which
 * tells the supervisor to enroll first.
 */
export async function checkForUpdates(ctx: ServiceContext): Promise<UpdateStatus> {
  const u = ctx.runtime.updates;
  if (u.port === null) return updateStatus(ctx);
  if (updateFeed(ctx) === null || pinnedHeadOfficeKey(ctx.db) === null) {
    u.lastCheckAt = ctx.clock().toISOString();
    refuse(ctx, 'not_enrolled', null, 'no head-office address, token or key');
    return updateStatus(ctx);
  }
  if (u.phase !== 'waiting' && u.phase !== 'installing' && u.phase !== 'downloading') {
    u.phase = 'checking';
    u.error = null;
    try {
      await u.port.check();
      if (u.phase === 'checking') noUpdate(ctx);
    } catch (e) {
      updateFailed(ctx, e instanceof Error ? e.message : String(e));
    }
  }
  return updateStatus(ctx);
}

/**
 * Where this terminal's feed is: head office's `/v1/updates/` with the terminal's own bearer token
 * (the one sync uses), or null before the terminal is connected to head office. Read at every
 * check, so a re-enrollment or a new URL applies without restart.
 */
export function updateFeed(
  ctx: ServiceContext,
): { url: string; headers: { authorization: string } } | null {
  const s = syncState(ctx.db);
  if (!s.head_office_url || !s.terminal_token) return null;
  return {
    url: `${s.head_office_url.replace(/\/+$/, '')}/v1/updates/`,
    headers: { authorization: `Bearer ${s.terminal_token}` },
  };
}
