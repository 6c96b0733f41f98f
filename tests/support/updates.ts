// Counter updates in tests (README "Updates / 更新"): a release as electron-builder writes it, and
// electron-updater's own feed reading and download (GenericProvider, ElectronHttpExecutor.download
// with its sha512 DigestTransform) over Node's http instead of Electron's net module, which is the
// one part that needs the Electron binary.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { basename, join } from 'node:path';
import { serializeToYaml } from 'builder-util';
import { CancellationToken, type RequestHeaders } from 'builder-util-runtime';
import type { AppUpdater, UpdateInfo } from 'electron-updater';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';

/** ElectronHttpExecutor with Node's http for the request (download() and its checks unchanged). */
export class NodeUpdaterExecutor extends ElectronHttpExecutor {
  override createRequest(options: unknown, callback: (response: unknown) => void) {
    return http.request(
      options as http.RequestOptions,
      callback,
    ) as unknown as Electron.ClientRequest;
  }
}

/** Writes `dir/<installer>` and `dir/latest.yml` the way electron-builder's NSIS target does. */
export function writeRelease(
  dir: string,
  version: string,
  bytes: Buffer,
  channel = 'latest',
): { yml: string; file: string; sha512: string } {
  mkdirSync(dir, { recursive: true });
  const name = `HeatingCashier-Setup-${version}.exe`;
  writeFileSync(join(dir, name), bytes);
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  const yml = serializeToYaml({
    version,
    files: [{ url: name, sha512, size: bytes.length }],
    path: name,
    sha512,
    releaseDate: '2026-12-07T08:00:00.000Z',
  });
  writeFileSync(join(dir, `${channel}.yml`), yml);
  return { yml, file: join(dir, name), sha512 };
}

/** electron-updater's generic provider on `url`, as the app's autoUpdater builds it. */
export function feedProvider(
  url: string,
  headers: RequestHeaders | null,
  executor = new NodeUpdaterExecutor(),
  platform: 'win32' | 'linux' = 'win32',
) {
  const provider = new GenericProvider(
    { provider: 'generic', url },
    { channel: null, isAddNoCacheQuery: false } as unknown as AppUpdater,
    { executor, platform, isUseMultipleRangeRequest: false },
  );
  if (headers) provider.setRequestHeaders(headers);
  return { provider, executor };
}

/**
 * What AppUpdater does after the isUpdateSupported hook said yes: download the first file into
 * `dir` with the feed's sha512 (electron-updater's check), answering its path and feed name.
 * `checkSha512: false` stands for an updater that let a file through: the terminal's own check
 * (updateDownloaded) must still refuse it.
 */
export async function downloadUpdate(
  feed: ReturnType<typeof feedProvider>,
  info: UpdateInfo,
  headers: RequestHeaders,
  dir: string,
  checkSha512 = true,
): Promise<{ path: string; feedName: string }> {
  const [file] = feed.provider.resolveFiles(info);
  const path = join(dir, basename(file!.url.pathname));
  await feed.executor.download(file!.url, path, {
    headers,
    cancellationToken: new CancellationToken(),
    ...(checkSha512 ? { sha512: file!.info.sha512 } : {}),
  });
  return { path, feedName: file!.info.url };
}
