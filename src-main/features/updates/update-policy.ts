// Counter updates (issue 19, README "Updates / 更新"): the decisions, pure. Which release offer a
// terminal accepts, whether a downloaded file is the one head office signed, and whether the counter
// is between customers so the update may be installed now.
import {
  offeredRelease,
  releaseClaim,
  releaseMessage,
  type ReleaseClaim,
} from '@heating-cashier/core/release';
import type { VerifySignature } from '@heating-cashier/core/signing';

/** Why an offered or downloaded update is refused (never installed). */
export type UpdateRefusal =
  | 'malformed' // the channel file is not the feed format
  | 'not_enrolled' // no head-office key pinned: nobody to trust
  | 'unsigned' // no head-office signature in the channel file
  | 'bad_signature' // the signature is not head office's over these fields
  | 'web_installer' // `packages`: a web installer head office never serves
  | 'schema_downgrade' // the release ships an older ledger schema than this ledger's
  | 'sha512_mismatch'; // the downloaded file is not the file head office signed

export type Judged =
  { ok: true; claim: ReleaseClaim } | { ok: false; refusal: UpdateRefusal; detail: string };

export interface OfferContext {
  /** The head-office key the terminal pinned at enrollment (null: not enrolled). */
  headOfficeKey: string | null;
  /** This ledger's schema version (its newest applied migration). */
  ledgerSchema: number;
  verify: VerifySignature;
}

/**
 * Judges a channel file electron-updater parsed (its UpdateInfo). Accepted only when head office's
 * pinned key signed exactly these files, version and ledger schema, and the release's schema is not
 * older than the ledger's: an older build cannot read a newer ledger (its migration runner refuses to
 * open it), so installing it would stop the counter.
 */
export function judgeOffer(info: unknown, ctx: OfferContext): Judged {
  const offer = offeredRelease.safeParse(info);
  if (!offer.success)
    return { ok: false, refusal: 'malformed', detail: offer.error.issues[0]?.message ?? '' };
  const o = offer.data;
  if ('packages' in o && o.packages != null)
    return { ok: false, refusal: 'web_installer', detail: 'packages' };
  if (ctx.headOfficeKey === null)
    return { ok: false, refusal: 'not_enrolled', detail: 'no head-office key pinned' };
  if (!o.hcRelease) return { ok: false, refusal: 'unsigned', detail: 'no hcRelease block' };
  const first = o.files[0]!;
  if (
    (o.path !== undefined && o.path !== first.url) ||
    (o.sha512 !== undefined && o.sha512 !== first.sha512)
  )
    return {
      ok: false,
      refusal: 'bad_signature',
      detail: 'path/sha512 differ from the signed first file',
    };
  const claim = releaseClaim.safeParse({
    channel: o.hcRelease.channel,
    version: o.version,
    releaseDate: o.releaseDate,
    files: o.files.map((f) => ({ url: f.url, sha512: f.sha512, size: f.size })),
    ledgerSchema: o.hcRelease.ledgerSchema,
    publishedAt: o.hcRelease.publishedAt,
  });
  if (!claim.success)
    return { ok: false, refusal: 'malformed', detail: claim.error.issues[0]?.message ?? '' };
  if (!ctx.verify(ctx.headOfficeKey, releaseMessage(claim.data), o.hcRelease.signature))
    return { ok: false, refusal: 'bad_signature', detail: `version ${o.version}` };
  if (claim.data.ledgerSchema < ctx.ledgerSchema)
    return {
      ok: false,
      refusal: 'schema_downgrade',
      detail: `release ships ledger schema ${claim.data.ledgerSchema}, this ledger is at ${ctx.ledgerSchema}`,
    };
  return { ok: true, claim: claim.data };
}

/**
 * The downloaded file against the signed claim: its name must be one of the signed files and its
 * base64 SHA-512 (electron-builder's convention) and size must be the signed ones.
 */
export function judgeDownload(
  claim: ReleaseClaim,
  file: { name: string; sha512: string; size: number },
): Judged {
  const signed = claim.files.find((f) => f.url === file.name);
  if (!signed)
    return { ok: false, refusal: 'sha512_mismatch', detail: `${file.name} is not a signed file` };
  if (signed.sha512 !== file.sha512 || signed.size !== file.size)
    return {
      ok: false,
      refusal: 'sha512_mismatch',
      detail: `${file.name}: sha512 ${file.sha512.slice(0, 12)}… (${file.size} B), signed ${signed.sha512.slice(0, 12)}… (${signed.size} B)`,
    };
  return { ok: true, claim };
}

/**
 * Whether `offered` is newer than `current` by semantic-version precedence (major.minor.patch, then
 * a release above its pre-releases, pre-release identifiers compared left to right; build metadata
 * ignored), as electron-updater decides it: an equal or older version is never offered.
 */
export function isNewerVersion(offered: string, current: string): boolean {
  const parse = (v: string) => {
    const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(v.trim());
    return m ? { core: [+m[1]!, +m[2]!, +m[3]!], pre: m[4]?.split('.') ?? [] } : null;
  };
  const a = parse(offered);
  const b = parse(current);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! > b.core[i]!;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === 0 && b.pre.length > 0;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined || y === undefined) return y === undefined;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) > Number(y);
    if (nx !== ny) return ny; // numeric identifiers rank below alphanumeric ones
    return x > y;
  }
  return false;
}

/** What the counter is doing that an install (a restart) would interrupt. */
export interface CounterActivity {
  /** Card intents not final (card_payments state 'intent' or 'approved'). */
  openCardIntents: number;
  /** A card sale under way on the attached terminal. */
  cardSaleInFlight: boolean;
  /** QR sales whose outcome is not known yet (qr_payments state 'intent'), one under way included. */
  openQrIntents: number;
  /** Customers being served: an account opened (household.account) with no receipt issued since. */
  customersBeingServed: number;
  /** Print jobs being sent, or queued while the printer is up (the customer waits for the paper). */
  printsInProgress: number;
  /** Receipts committed whose print jobs are not queued yet. */
  receiptsAwaitingPrint: number;
}

export type Busy = 'card' | 'qr' | 'customer' | 'print';

/**
 * Between customers: no card transaction open (an intent not final, or a sale under way), no QR sale
 * whose outcome is unknown (a restart mid-sale would leave the customer waiting), no customer
 * being served (which is where a cash, cheque or QR payment is taken: their receipt commits in one
 * transaction and stops the service clock), and no receipt printing. Answers what the install waits for.
 */
export function betweenCustomers(
  a: CounterActivity,
): { ok: true } | { ok: false; waitingFor: Busy[] } {
  const waitingFor: Busy[] = [];
  if (a.openCardIntents > 0 || a.cardSaleInFlight) waitingFor.push('card');
  if (a.openQrIntents > 0) waitingFor.push('qr');
  if (a.customersBeingServed > 0) waitingFor.push('customer');
  if (a.printsInProgress > 0 || a.receiptsAwaitingPrint > 0) waitingFor.push('print');
  return waitingFor.length === 0 ? { ok: true } : { ok: false, waitingFor };
}
