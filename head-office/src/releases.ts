// Counter updates (issue 19, README "Updates / 更新"): IT publishes a release electron-builder built
// (its latest*.yml and the files it names); head office checks every file against the yml's sha512
// and size, signs the release with its key (the one every enrolled terminal pinned) together with
// the ledger schema the release ships, and serves electron-updater's generic feed to terminals.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { z } from 'zod';
import {
  feedDocument,
  releaseChannel,
  releaseClaim,
  releaseFileName,
  releaseMessage,
  releaseVersion,
  sha512Text,
  type ReleaseClaim,
} from '@heating-cashier/core/release';
import type { HoDb, Queryable } from './db';
import { hoSigner } from './keys';

/** Artifacts are stored and streamed in chunks of this many bytes. */
export const RELEASE_CHUNK = 1024 * 1024;

/** The channel file as electron-builder writes it (builder-util-runtime UpdateInfo). */
const builderYml = z.looseObject({
  version: releaseVersion,
  releaseDate: z.string().min(1).max(40),
  files: z
    .array(
      z.looseObject({
        url: releaseFileName,
        sha512: sha512Text,
        size: z.number().int().min(1),
      }),
    )
    .min(1)
    .max(20),
  path: z.string().optional(),
  sha512: z.string().optional(),
  packages: z.unknown().optional(),
});

/** base64 SHA-512 of the bytes, as electron-builder writes it in the yml. */
export const sha512Base64 = (bytes: Buffer): string =>
  createHash('sha512').update(bytes).digest('base64');

/** The newest terminal ledger migration in this checkout (what a release built from it ships). */
export function shippedLedgerSchema(
  dir = fileURLToPath(new URL('../../migrations', import.meta.url)),
): number {
  const numbers = readdirSync(dir)
    .map((f) => /^(\d{4})_.*\.sql$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  if (numbers.length === 0) throw new Error(`no migrations in ${dir}`);
  return Math.max(...numbers);
}

export interface ReleaseUpload {
  /** The channel file's name: `latest.yml`, `latest-linux.yml`. */
  ymlName: string;
  ymlText: string;
  /** The bytes of a file the yml names, or null when it was not given. */
  readFile(name: string): Buffer | null;
  ledgerSchema: number;
  now?: Date;
}

export type PublishResult =
  | { ok: true; release: { id: number; signature: string } & ReleaseClaim }
  | { ok: false; problems: string[] };

/**
 * Checks and publishes one channel file with its files, all or nothing. Refused: a yml that is not
 * electron-builder's format, a web installer (`packages`), a missing file, a file whose size or
 * sha512 differs from the yml, the same version on the same channel twice.
 */
export async function publishRelease(db: HoDb, upload: ReleaseUpload): Promise<PublishResult> {
  const channel = releaseChannel.safeParse(upload.ymlName.replace(/\.yml$/, ''));
  if (!upload.ymlName.endsWith('.yml') || !channel.success)
    return {
      ok: false,
      problems: [`${upload.ymlName}: not a channel file (latest.yml, latest-linux.yml, …)`],
    };
  let raw: unknown;
  try {
    raw = load(upload.ymlText);
  } catch (e) {
    return { ok: false, problems: [`${upload.ymlName}: not YAML (${(e as Error).message})`] };
  }
  const yml = builderYml.safeParse(raw);
  if (!yml.success)
    return {
      ok: false,
      problems: yml.error.issues.map(
        (i) => `${upload.ymlName}: ${i.path.join('.') || '(file)'}: ${i.message}`,
      ),
    };
  const problems: string[] = [];
  if (yml.data.packages !== undefined)
    problems.push(`${upload.ymlName}: a web installer (packages) is not served; build nsis`);
  const first = yml.data.files[0]!;
  if (yml.data.path !== undefined && yml.data.path !== first.url)
    problems.push(`${upload.ymlName}: path ${yml.data.path} is not the first file ${first.url}`);
  if (yml.data.sha512 !== undefined && yml.data.sha512 !== first.sha512)
    problems.push(`${upload.ymlName}: sha512 differs from the first file's`);
  const blobs = new Map<string, Buffer>();
  for (const f of yml.data.files) {
    const bytes = upload.readFile(f.url);
    if (bytes === null) {
      problems.push(`${f.url}: missing (give the file electron-builder wrote next to the yml)`);
      continue;
    }
    if (bytes.length !== f.size)
      problems.push(`${f.url}: ${bytes.length} bytes, the yml says ${f.size}`);
    const actual = sha512Base64(bytes);
    if (actual !== f.sha512)
      problems.push(
        `${f.url}: sha512 mismatch (file ${actual.slice(0, 16)}…, yml ${f.sha512.slice(0, 16)}…): not the file this yml was built with`,
      );
    blobs.set(f.sha512, bytes);
  }
  if (problems.length > 0) return { ok: false, problems };
  const claim = releaseClaim.parse({
    channel: channel.data,
    version: yml.data.version,
    releaseDate: yml.data.releaseDate,
    files: yml.data.files.map((f) => ({ url: f.url, sha512: f.sha512, size: f.size })),
    ledgerSchema: upload.ledgerSchema,
    publishedAt: (upload.now ?? new Date()).toISOString(),
  });
  return db.tx(async (q) => {
    const taken = await q.query('SELECT 1 FROM ho_releases WHERE channel = $1 AND version = $2', [
      claim.channel,
      claim.version,
    ]);
    if (taken.length > 0)
      return {
        ok: false,
        problems: [
          `${claim.channel} ${claim.version} is already published; build a new version number`,
        ],
      } satisfies PublishResult;
    const signature = (await hoSigner(q)).sign(releaseMessage(claim));
    const [row] = await q.query<{ id: number }>(
      `INSERT INTO ho_releases (channel, version, ledger_schema, claim, signature, source_yml, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        claim.channel,
        claim.version,
        claim.ledgerSchema,
        JSON.stringify(claim),
        signature,
        upload.ymlText,
        claim.publishedAt,
      ],
    );
    for (const [sha512, bytes] of blobs) await storeBlob(q, sha512, bytes);
    for (const f of claim.files)
      await q.query(
        'INSERT INTO ho_release_files (release_id, name, sha512, size) VALUES ($1, $2, $3, $4)',
        [row!.id, f.url, f.sha512, f.size],
      );
    return { ok: true, release: { id: Number(row!.id), signature, ...claim } };
  });
}

async function storeBlob(q: Queryable, sha512: string, bytes: Buffer): Promise<void> {
  const have = await q.query('SELECT 1 FROM ho_release_blobs WHERE sha512 = $1 LIMIT 1', [sha512]);
  if (have.length > 0) return;
  for (let at = 0, n = 0; at < bytes.length; at += RELEASE_CHUNK, n++)
    await q.query('INSERT INTO ho_release_blobs (sha512, chunk_no, bytes) VALUES ($1, $2, $3)', [
      sha512,
      n,
      bytes.subarray(at, at + RELEASE_CHUNK),
    ]);
}

/** The channel file for terminals: the newest release published on it, signed; null when none. */
export async function channelFile(db: Queryable, ymlName: string): Promise<string | null> {
  const channel = releaseChannel.safeParse(ymlName.replace(/\.yml$/, ''));
  if (!ymlName.endsWith('.yml') || !channel.success) return null;
  const [row] = await db.query<{ claim: string; signature: string }>(
    'SELECT claim, signature FROM ho_releases WHERE channel = $1 ORDER BY id DESC LIMIT 1',
    [channel.data],
  );
  if (!row) return null;
  const claim = releaseClaim.parse(JSON.parse(row.claim));
  return `${JSON.stringify(feedDocument(claim, row.signature), null, 2)}\n`;
}

/** A published file by its feed name (the newest release naming it): size and a chunk stream. */
export async function releaseArtifact(
  db: Queryable,
  name: string,
): Promise<{ size: number; stream: Readable } | null> {
  if (!releaseFileName.safeParse(name).success) return null;
  const [f] = await db.query<{ sha512: string; size: number }>(
    'SELECT sha512, size FROM ho_release_files WHERE name = $1 ORDER BY release_id DESC LIMIT 1',
    [name],
  );
  if (!f) return null;
  async function* chunks() {
    for (let n = 0; ; n++) {
      const [c] = await db.query<{ bytes: Uint8Array }>(
        'SELECT bytes FROM ho_release_blobs WHERE sha512 = $1 AND chunk_no = $2',
        [f!.sha512, n],
      );
      if (!c) return;
      yield Buffer.from(c.bytes);
    }
  }
  return { size: Number(f.size), stream: Readable.from(chunks()) };
}

/** Published releases, newest first (the CLI's `releases`). */
export async function listReleases(db: Queryable) {
  const rows = await db.query<{
    channel: string;
    version: string;
    ledger_schema: number;
    published_at: Date | string;
    files: number;
  }>(
    `SELECT r.channel, r.version, r.ledger_schema, r.published_at,
            (SELECT count(*)::int FROM ho_release_files f WHERE f.release_id = r.id) AS files
     FROM ho_releases r ORDER BY r.id DESC`,
  );
  return rows.map((r) => ({
    channel: r.channel,
    version: r.version,
    ledgerSchema: r.ledger_schema,
    publishedAt: new Date(r.published_at).toISOString(),
    files: r.files,
  }));
}
