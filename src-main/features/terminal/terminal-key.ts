import type { Signer } from '@heating-cashier/core/signing';
import { appendEvent } from '../../ledger/event-log';
import { generateSigningKey, type KeyStorage } from '../../ledger/signing';
import { stmt } from '../../ledger/statements';
import { writeTransaction, type LedgerContext } from '../../ledger/transaction';

export interface TerminalKeyRow {
  key_no: number;
  public_key: string;
  from_seq: number;
  reason: 'first' | 'replaced';
  certified_seq: number | null;
  certificate: string | null;
  issued_at: string | null;
  head_office_key: string | null;
}

export function terminalKeys(ctx: Pick<LedgerContext, 'db'>): TerminalKeyRow[] {
  return stmt(ctx.db, 'SELECT * FROM terminal_keys ORDER BY key_no').all() as TerminalKeyRow[];
}

/**
 * Loads the terminal's signing key (creating it on first start), hands it to the connection so
 * every append signs, and records it in the chain with `terminal.keyed` when the ledger does not
 * know it yet: on a new ledger (reason `first`), after an upgrade from unsigned events, or when the
 * key file was lost (reason `replaced`: not trusted until head office re-enrolls the terminal).
 * `storage` null: an in-memory ledger, the key lives as long as the process.
 * `withhold`: the ledger failed its start-up verify, so the key is loaded but neither handed to the
 * connection nor recorded: nothing written while the alarm holds vouches for the broken log.
 */
export function ensureTerminalKey(
  ctx: LedgerContext,
  storage: KeyStorage | null,
  options: { withhold?: boolean } = {},
): Signer {
  let signer = storage?.load() ?? null;
  if (!signer) {
    const fresh = generateSigningKey();
    storage?.save(fresh.pem);
    signer = fresh.signer;
  }
  if (options.withhold) {
    ctx.db.cache.signer = null;
    return signer;
  }
  ctx.db.cache.signer = signer;
  const keys = terminalKeys(ctx);
  if (!keys.some((k) => k.public_key === signer.publicKey)) {
    writeTransaction(ctx, (append) =>
      appendEvent(
        append,
        'terminal.keyed',
        {
          keyNo: (keys[keys.length - 1]?.key_no ?? 0) + 1,
          publicKey: signer.publicKey,
          reason: keys.length === 0 ? 'first' : 'replaced',
        },
        null,
      ),
    );
  }
  return signer;
}
