import type { EventPayload, EventType, LedgerEvent } from '@heating-cashier/core/contract/events';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

type Handler<T extends EventType> = (db: Db, e: LedgerEvent<T>, p: EventPayload<T>) => void;

export const KEY_PROJECTION_TABLES = [{ table: 'terminal_keys', order: 'key_no' }] as const;

/** terminal_keys: which key signs from which seq, and head office's certificate for it. */
export const keyProjectors: {
  'terminal.keyed': Handler<'terminal.keyed'>;
  'terminal.enrolled': Handler<'terminal.enrolled'>;
  'clerk.pin_changed': Handler<'clerk.pin_changed'>;
} = {
  // the use case (session/pin-change.ts) writes the clerk's master row in the same transaction
  'clerk.pin_changed': () => {},
  'terminal.keyed': (db, e, p) => {
    stmt(
      db,
      'INSERT INTO terminal_keys (key_no, public_key, from_seq, reason) VALUES (?, ?, ?, ?)',
    ).run(p.keyNo, p.publicKey, e.seq, p.reason);
  },
  'terminal.enrolled': (db, e, p) => {
    stmt(
      db,
      `UPDATE terminal_keys SET certified_seq = ?, certificate = ?, issued_at = ?, head_office_key = ?
       WHERE key_no = ? AND public_key = ?`,
    ).run(e.seq, p.certificate, p.issuedAt, p.headOfficeKey, p.keyNo, p.publicKey);
  },
};
