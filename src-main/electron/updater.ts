// The Electron shell's side of counter updates (README "Updates / 更新"): electron-updater against
// head office's generic feed, nothing decided here. Every decision is in
// src-main/features/updates (update-policy.ts, pure and tested; updates.ts, the state):
//   isUpdateSupported → offerUpdate: head office's signature, ledger schema not older → download
//   update-downloaded → updateDownloaded: sha512 and size against the signed release
//   every WAIT_POLL_MS while waiting → tryInstall: quitAndInstall only between customers
import electronUpdater, { type AppUpdater, type UpdateInfo } from 'electron-updater';
import { basename } from 'node:path';
import type { ServiceContext } from '../services/context';
import {
  attachUpdater,
  checkForUpdates,
  noUpdate,
  offerUpdate,
  tryInstall,
  updateDownloaded,
  updateFailed,
  updateFeed,
} from '../features/updates/updates';

/** How often the feed is checked while the app runs (and once at start). */
export const CHECK_EVERY_MS = 4 * 3_600_000;
/** How often a downloaded update looks for a moment between customers. */
export const WAIT_POLL_MS = 5_000;

/** Starts the updater; answers a stop function (timers). */
export function startUpdater(
  ctx: ServiceContext,
  currentVersion: string,
  updater: AppUpdater = electronUpdater.autoUpdater,
): () => void {
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false; // installed only by tryInstall, never on a quit mid-customer
  updater.allowDowngrade = false;
  updater.allowPrerelease = false;
  updater.disableWebInstaller = true;
  updater.isUpdateSupported = (info: UpdateInfo) => offerUpdate(ctx, info);
  updater.on('update-not-available', () => noUpdate(ctx));
  updater.on('error', (e: Error) => updateFailed(ctx, e.message));
  updater.on('update-downloaded', (info) => {
    // electron-updater names the file it keeps after the feed's url; the feed name is the signed one
    const feedName = info.files[0]?.url ?? basename(info.downloadedFile);
    void updateDownloaded(ctx, info, info.downloadedFile, feedName).catch((e: unknown) =>
      updateFailed(ctx, e instanceof Error ? e.message : String(e)),
    );
  });

  const check = async () => {
    const feed = updateFeed(ctx);
    if (!feed) return; // checkForUpdates refuses first (not enrolled)
    updater.setFeedURL({ provider: 'generic', url: feed.url });
    updater.requestHeaders = feed.headers;
    await updater.checkForUpdates();
  };
  attachUpdater(
    ctx,
    {
      check,
      install: () => updater.quitAndInstall(false, true),
    },
    currentVersion,
  );
  const runCheck = () => void checkForUpdates(ctx); // the supervisor's button takes the same path
  runCheck();
  const checks = setInterval(runCheck, CHECK_EVERY_MS);
  const waits = setInterval(() => tryInstall(ctx), WAIT_POLL_MS);
  checks.unref();
  waits.unref();
  return () => {
    clearInterval(checks);
    clearInterval(waits);
  };
}
