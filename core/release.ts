import { z } from 'zod';
import { canonicalJson } from './canonical-json';

/**
 * Counter updates (issue 19, README "Updates / 更新"). Head office serves electron-updater's generic
 * feed: `latest.yml` (Windows) / `latest-linux.yml` (Linux AppImage) next to the installers. The
 * feed keeps electron-builder's own fields (`version`, `files[{url, sha512, size}]`, `path`,
 * `sha512`, `releaseDate`, sha512 = base64 of the SHA-512 digest, as builder-util-runtime's
 * DigestTransform checks it) and adds `hcRelease`: the release's ledger schema and head office's
 * Ed25519 signature over every field the updater acts on. sha512 proves the file matches the yml;
 * the signature proves head office published that yml for that schema.
 */

/** base64 of a SHA-512 digest (88 characters with its padding), electron-builder's `sha512`. */
export const sha512Text = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'base64 SHA-512 digest');

/** The channel file's name without `.yml`: `latest`, `latest-linux`, `latest-linux-arm64`, `latest-mac`. */
export const releaseChannel = z.string().regex(/^latest(-linux(-[a-z0-9]{1,12})?|-mac)?$/);

/** A file name in the feed: no folders, nothing a URL would rewrite. */
export const releaseFileName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'plain file name (letters, digits, . _ + -)');

export const releaseFile = z.object({
  url: releaseFileName,
  sha512: sha512Text,
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export type ReleaseFile = z.infer<typeof releaseFile>;

/** Semantic version as electron-updater compares it. */
export const releaseVersion = z
  .string()
  .max(64)
  .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, 'semantic version');

/** What head office signs for one release on one channel. */
export const releaseClaim = z
  .object({
    channel: releaseChannel,
    version: releaseVersion,
    releaseDate: z.string().min(1).max(40),
    files: z.array(releaseFile).min(1).max(20),
    /** The newest ledger migration the release ships: a terminal whose ledger is newer refuses it. */
    ledgerSchema: z.number().int().min(1).max(9999),
    publishedAt: z.string().min(1).max(40),
  })
  .strict();
export type ReleaseClaim = z.infer<typeof releaseClaim>;

export const releaseMessage = (c: ReleaseClaim): string =>
  `hc.release.v1:${canonicalJson({
    channel: c.channel,
    files: c.files.map((f) => ({ sha512: f.sha512, size: f.size, url: f.url })),
    ledgerSchema: c.ledgerSchema,
    publishedAt: c.publishedAt,
    releaseDate: c.releaseDate,
    version: c.version,
  })}`;

/** The feed's extra block: what only head office adds to electron-builder's yml. */
export const hcReleaseBlock = z.object({
  channel: releaseChannel,
  ledgerSchema: z.number().int().min(1).max(9999),
  publishedAt: z.string().min(1).max(40),
  signature: z.string().max(200),
});

/**
 * The channel file head office serves, as electron-updater parses it (js-yaml; head office writes
 * JSON, which is YAML). `path`/`sha512` repeat the first file for older updaters. Unknown fields
 * pass (electron-updater adds none it acts on without us: `packages`, a web installer, is refused).
 */
export const offeredRelease = z.looseObject({
  version: z.string().max(64),
  releaseDate: z.string().max(40),
  files: z.array(z.looseObject(releaseFile.shape)).min(1).max(20),
  path: z.string().max(200).optional(),
  sha512: z.string().max(100).optional(),
  hcRelease: hcReleaseBlock.optional(),
});
export type OfferedRelease = z.infer<typeof offeredRelease>;

/** The channel file's content for a signed release (JSON text: valid YAML for js-yaml). */
export function feedDocument(claim: ReleaseClaim, signature: string): Record<string, unknown> {
  const first = claim.files[0]!;
  return {
    version: claim.version,
    files: claim.files.map((f) => ({ url: f.url, sha512: f.sha512, size: f.size })),
    path: first.url,
    sha512: first.sha512,
    releaseDate: claim.releaseDate,
    hcRelease: {
      channel: claim.channel,
      ledgerSchema: claim.ledgerSchema,
      publishedAt: claim.publishedAt,
      signature,
    },
  };
}
