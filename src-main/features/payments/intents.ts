import type { ErrorCode } from '@heating-cashier/core/contract';
import { ServiceError, type ServiceContext } from '../../services/context';

/**
 * The rows of a write-ahead payment intent table (card_payments, qr_payments): read one, require
 * one, and change one only from the states a step may leave (a step that lost a race changes
 * nothing and says so).
 */
export function intentRows<Row extends { id: string }, State extends string>(
  table: 'card_payments' | 'qr_payments',
  notFound: ErrorCode,
) {
  const row = (ctx: ServiceContext, id: string) =>
    ctx.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined;
  return {
    row,
    require(ctx: ServiceContext, id: string): Row {
      const r = row(ctx, id);
      if (!r) throw new ServiceError(notFound);
      return r;
    },
    /** Sets `set` and updated_at; with `onlyFrom`, only while the row is in one of those states. */
    update(ctx: ServiceContext, id: string, set: Partial<Row>, onlyFrom?: State[]): boolean {
      const keys = Object.keys(set) as (keyof Row & string)[];
      const sql =
        `UPDATE ${table} SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updated_at = @updated_at WHERE id = @id` +
        (onlyFrom ? ` AND state IN (${onlyFrom.map((s) => `'${s}'`).join(', ')})` : '');
      return (
        ctx.db.prepare(sql).run({ ...set, id, updated_at: ctx.clock().toISOString() }).changes === 1
      );
    },
  };
}
