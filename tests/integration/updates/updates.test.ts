// Counter updates end to end (issue 19, README "Updates / 更新"), in plain Node: a real head office on
// PGlite over HTTP on 127.0.0.1, a release published by the CLI's own function, electron-updater's
// GenericProvider reading the feed and its ElectronHttpExecutor.download checking sha512 (over Node's
// http), and the terminal's update service deciding. Only quitAndInstall (Electron) is replaced: the
// port records the install.
import { generateKeyPairSync, sign as edSign, randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseMessage, type ReleaseClaim } from '@heating-cashier/core/release';
import type { UpdateInfo } from 'electron-updater';
import { runReleaseCommand } from '../../../head-office/src/release-cli';
import { memoryChannelPair } from '../../../src-main/devices/card-terminal/memory-channel';
import { ZvtTerminalSimulator } from '../../../src-main/devices/card-terminal/simulator';
import { ZvtCardTerminal } from '../../../src-main/devices/card-terminal/zvt-driver';
import { attachCardTerminal } from '../../../src-main/features/card/card-payments';
import {
  attachUpdater,
  offerUpdate,
  tryInstall,
  updateDownloaded,
  updateFeed,
  updateStatus,
} from '../../../src-main/features/updates/updates';
import { schemaVersion } from '../../../src-main/ledger/migrate';
import { startHeadOffice, type TestHeadOffice } from '../../support/head-office';
import {
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';
import { downloadUpdate, feedProvider, writeRelease } from '../../support/updates';

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };

let tmp: ReturnType<typeof tempDir>;
let ho: TestHeadOffice;
let t: TestTerminal;
let session: string;
const installs: string[] = [];

/** The Electron shell's port with electron-updater's own feed reading and download (no Electron). */
function port(checkSha512 = true) {
  return {
    async check() {
      const feed = updateFeed(t.ctx)!;
      const provider = feedProvider(feed.url, feed.headers);
      const info = await provider.provider.getLatestVersion();
      if (!offerUpdate(t.ctx, info)) return; // AppUpdater.isUpdateSupported said no: no download
      const dir = join(tmp.dir, 'updater-cache', info.version);
      mkdirSync(dir, { recursive: true });
      const file = await downloadUpdate(provider, info, feed.headers, dir, checkSha512);
      await updateDownloaded(t.ctx, info, file.path, file.feedName);
    },
    install: () => installs.push(t.ctx.runtime.updates.release!.version),
  };
}

/** A restarted app after an install (or a refusal): a fresh update state. */
function restart(checkSha512 = true) {
  const u = t.ctx.runtime.updates;
  Object.assign(u, { phase: 'idle', release: null, refused: null, error: null, waitingFor: [] });
  attachUpdater(t.ctx, port(checkSha512), '1.0.0');
}

/** The print queue is woken on the next turn after the payment's commit (which queued the copies). */
const afterPrintQueued = () => new Promise<void>((r) => setImmediate(r));

async function publish(version: string, args: string[] = [], bytes = randomBytes(1_300_000)) {
  const dir = join(tmp.dir, 'dist', version);
  writeRelease(dir, version, bytes);
  return runReleaseCommand(ho.db, 'release', [dir, ...args]);
}

beforeAll(async () => {
  tmp = tempDir('updates-');
  ho = await startHeadOffice('pglite');
  t = openTestTerminal(join(tmp.dir, 'ledger.db'), { households: 20 });
  const driver = new ZvtCardTerminal({
    open: async () => {
      const [ecr, pt] = memoryChannelPair();
      void new ZvtTerminalSimulator(pt, { timing: { t3Ms: 500 } }).serve();
      return ecr;
    },
    timing: { t2Ms: 2000, t3Ms: 500, t4Ms: 5000 },
  });
  attachCardTerminal(t.ctx, driver);
  await ho.enrol(t);
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  attachUpdater(t.ctx, port(), '1.0.0');
}, 60_000);

afterAll(async () => {
  t?.close();
  await ho?.close();
  tmp?.cleanup();
});

describe('publishing a release at head office', () => {
  it('refuses an installer that is not the file its latest.yml was built with, and publishes the right one signed', async () => {
    const good = join(tmp.dir, 'dist', 'good-2.0.0');
    const { file } = writeRelease(good, '2.0.0', randomBytes(2_500_000));
    const bad = join(tmp.dir, 'dist', 'bad-2.0.0');
    cpSync(good, bad, { recursive: true });
    const tampered = readFileSync(file);
    tampered[1000] = tampered[1000]! ^ 0xff;
    writeFileSync(join(bad, 'HeatingCashier-Setup-2.0.0.exe'), tampered);

    const refused = await runReleaseCommand(ho.db, 'release', [bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/HeatingCashier-Setup-2\.0\.0\.exe: sha512 mismatch/);
    expect(await ho.db.query('SELECT 1 FROM ho_releases')).toEqual([]);

    const published = await runReleaseCommand(ho.db, 'release', [good]);
    expect(published.code).toBe(0);
    const [release] = JSON.parse(published.out!) as ReleaseClaim[];
    expect(release).toMatchObject({
      channel: 'latest',
      version: '2.0.0',
      ledgerSchema: schemaVersion(t.ctx.db), // the newest migration of this checkout
    });
    // the same version twice is refused; releases lists it
    expect((await runReleaseCommand(ho.db, 'release', [good])).err).toMatch(/already published/);
    const list = await runReleaseCommand(ho.db, 'releases', []);
    expect(JSON.parse(list.out!)).toMatchObject([{ version: '2.0.0', files: 1 }]);
  });
});

describe('the feed', () => {
  it('electron-updater reads latest.yml with the terminal token only; the installer streams back byte for byte', async () => {
    const feed = updateFeed(t.ctx)!;
    await expect(feedProvider(feed.url, null).provider.getLatestVersion()).rejects.toMatchObject({
      statusCode: 401,
    });
    const reader = feedProvider(feed.url, feed.headers);
    const info = await reader.provider.getLatestVersion();
    expect(info.version).toBe('2.0.0');
    expect((info as UpdateInfo & { hcRelease: unknown }).hcRelease).toMatchObject({
      channel: 'latest',
      ledgerSchema: schemaVersion(t.ctx.db),
    });
    const dir = join(tmp.dir, 'feed-check');
    mkdirSync(dir);
    const got = await downloadUpdate(reader, info, feed.headers, dir);
    const sent = readFileSync(
      join(tmp.dir, 'dist', 'good-2.0.0', 'HeatingCashier-Setup-2.0.0.exe'),
    );
    expect(readFileSync(got.path).equals(sent)).toBe(true); // 2.5 MB: three 1 MB chunks
    // nothing published for Linux yet: electron-updater's own "channel not found"
    await expect(
      feedProvider(feed.url, feed.headers, undefined, 'linux').provider.getLatestVersion(),
    ).rejects.toMatchObject({ code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' });
  });
});

describe('taking an update at the counter', () => {
  it('a signed update waits while a customer is being served and installs after the payment', async () => {
    const household = householdsOwing(t, 5000, 2)[0]!;
    await t.must('household.account', { session, householdId: household }); // the customer is served
    const checked = await t.must('update.check', { session, ...SUPERVISOR });
    expect(checked).toMatchObject({ phase: 'waiting', version: '2.0.0', waitingFor: ['customer'] });
    expect(tryInstall(t.ctx)).toBe('waiting');
    expect(installs).toEqual([]);
    // the status bar reads it too
    expect(await t.must('update.status', { session })).toMatchObject({
      phase: 'waiting',
      waitingFor: ['customer'],
    });

    await payCash(t, session, household, 3000); // the receipt: the customer is done
    await afterPrintQueued();
    expect(tryInstall(t.ctx)).toBe('installing');
    expect(installs).toEqual(['2.0.0']);
  });

  it('waits while a card transaction is open (intent approved, receipt not committed) and installs after', async () => {
    restart();
    expect((await publish('2.1.0')).code).toBe(0);
    let release!: () => void;
    const holdApproval = new Promise<void>((r) => (release = r));
    let approved!: () => void;
    const reachedApproval = new Promise<void>((r) => (approved = r));
    t.ctx.runtime.card.attached!.hooks.afterApproval = async () => {
      approved();
      await holdApproval;
    };
    await t.must('card.reconnect', { session });
    const household = householdsOwing(t, 5000, 3)[1]!;
    const sale = t.call('card.sale', {
      session,
      requestId: randomUUID(),
      householdId: household,
      amountFen: 2500,
    });
    await reachedApproval;
    await t.must('update.check', { session, ...SUPERVISOR });
    expect(updateStatus(t.ctx)).toMatchObject({
      phase: 'waiting',
      version: '2.1.0',
      waitingFor: ['card'],
    });
    expect(tryInstall(t.ctx)).toBe('waiting');
    expect(installs).toEqual(['2.0.0']);

    release();
    expect((await sale).ok).toBe(true);
    t.ctx.runtime.card.attached!.hooks.afterApproval = undefined;
    await afterPrintQueued();
    expect(tryInstall(t.ctx)).toBe('installing');
    expect(installs).toEqual(['2.0.0', '2.1.0']);
  });

  it('refuses a tampered installer: electron-updater’s sha512 check, and the terminal’s own check behind it', async () => {
    restart();
    expect((await publish('2.2.0')).code).toBe(0);
    // someone with access to head office's storage swaps bytes of the published installer
    await ho.db.query(
      `UPDATE ho_release_blobs SET bytes = overlay(bytes placing '\\x00ff00ff'::bytea from 100)
       WHERE sha512 = (SELECT f.sha512 FROM ho_release_files f JOIN ho_releases r ON r.id = f.release_id
                       WHERE r.version = '2.2.0') AND chunk_no = 0`,
    );
    const status = await t.must('update.check', { session, ...SUPERVISOR });
    expect(status.phase).toBe('error');
    expect(status.error).toMatch(/sha512 checksum mismatch/);

    restart(false); // an updater that let the file through: the terminal checks what head office signed
    const after = await t.must('update.check', { session, ...SUPERVISOR });
    expect(after).toMatchObject({
      phase: 'refused',
      refused: { refusal: 'sha512_mismatch', version: '2.2.0' },
    });
    expect(tryInstall(t.ctx)).toBe('refused');
    expect(installs).toEqual(['2.0.0', '2.1.0']);
    // the counter keeps working
    await payCash(t, session, householdsOwing(t, 5000, 1)[0]!, 1000);
  });

  it('refuses a release whose ledger schema is older than this ledger’s (never downgrade the ledger)', async () => {
    restart();
    const older = schemaVersion(t.ctx.db) - 1;
    expect((await publish('2.3.0', ['--ledger-schema', String(older)])).code).toBe(0);
    const status = await t.must('update.check', { session, ...SUPERVISOR });
    expect(status).toMatchObject({
      phase: 'refused',
      refused: { refusal: 'schema_downgrade', version: '2.3.0' },
    });
    expect(status.refused!.detail).toMatch(
      new RegExp(`ledger schema ${older}, .* at ${older + 1}`),
    );
    expect(installs).toEqual(['2.0.0', '2.1.0']);
  });
});

describe('a feed head office did not sign', () => {
  let server: http.Server;
  let served = '';
  let url = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url?.startsWith('/latest.yml')) res.end(served);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** The offer electron-updater parses from what the forged server serves. */
  async function offered(text: string) {
    served = text;
    return feedProvider(url, null).provider.getLatestVersion();
  }

  it('refuses electron-builder’s own yml without head office’s signature, a re-signed one and an edited one', async () => {
    const real = JSON.parse(
      (await (
        await fetch(`${updateFeed(t.ctx)!.url}latest.yml`, {
          headers: updateFeed(t.ctx)!.headers,
        })
      ).text()) as string,
    ) as Record<string, unknown> & { hcRelease: { signature: string } } & ReleaseClaim;

    restart();
    const unsigned = writeRelease(join(tmp.dir, 'dist', 'forged'), '9.0.0', randomBytes(1000));
    expect(offerUpdate(t.ctx, await offered(unsigned.yml))).toBe(false);
    expect(updateStatus(t.ctx).refused).toMatchObject({ refusal: 'unsigned', version: '9.0.0' });

    // another key signs a well-formed release (an attacker's head office)
    const { privateKey } = generateKeyPairSync('ed25519');
    const claim: ReleaseClaim = {
      channel: 'latest',
      version: '9.0.0',
      releaseDate: '2026-12-07T08:00:00.000Z',
      files: [{ url: 'x.exe', sha512: unsigned.sha512, size: 1000 }],
      ledgerSchema: 99,
      publishedAt: '2026-12-07T09:00:00.000Z',
    };
    const forgedSig = edSign(null, Buffer.from(releaseMessage(claim)), privateKey).toString(
      'base64url',
    );
    const forged = {
      version: claim.version,
      files: claim.files,
      releaseDate: claim.releaseDate,
      hcRelease: {
        channel: 'latest',
        ledgerSchema: 99,
        publishedAt: claim.publishedAt,
        signature: forgedSig,
      },
    };
    expect(offerUpdate(t.ctx, await offered(JSON.stringify(forged)))).toBe(false);
    expect(updateStatus(t.ctx).refused).toMatchObject({ refusal: 'bad_signature' });

    // head office's real signature, with the installer's checksum swapped for the attacker's file
    const edited = {
      ...real,
      files: [{ ...(real.files[0] as object), sha512: unsigned.sha512 }],
      sha512: unsigned.sha512,
    };
    expect(offerUpdate(t.ctx, await offered(JSON.stringify(edited)))).toBe(false);
    expect(updateStatus(t.ctx)).toMatchObject({
      phase: 'refused',
      refused: { refusal: 'bad_signature' },
    });
    // the real one (2.3.0) passes the signature check and is refused only for its older schema
    expect(offerUpdate(t.ctx, await offered(JSON.stringify(real)))).toBe(false);
    expect(updateStatus(t.ctx).refused).toMatchObject({
      refusal: 'schema_downgrade',
      version: '2.3.0',
    });
    expect(installs).toEqual(['2.0.0', '2.1.0']);
  });
});

describe('a release not newer than this build', () => {
  it('is not an update: nothing refused, nothing downloaded', async () => {
    restart();
    expect((await publish('0.9.0')).code).toBe(0); // IT re-published an old build
    const status = await t.must('update.check', { session, ...SUPERVISOR });
    expect(status).toMatchObject({ phase: 'up_to_date', version: null, refused: null });
    expect(installs).toEqual(['2.0.0', '2.1.0']);
  });
});
