import { MAX_FEN } from './money';
import { fail, ok } from './result';
import type { DomainResult } from './result';

/** Change to hand back for a cash payment of dueFen when the payer tenders tenderedFen. */
export function cashChangeFen(dueFen: number, tenderedFen: number): DomainResult<number> {
  if (!Number.isInteger(dueFen) || !Number.isInteger(tenderedFen)) return fail('NOT_INTEGER');
  if (dueFen <= 0 || tenderedFen <= 0) return fail('NOT_POSITIVE');
  if (dueFen > MAX_FEN || tenderedFen > MAX_FEN) return fail('TOO_LARGE', { maxFen: MAX_FEN });
  if (tenderedFen < dueFen) {
    return fail('TENDERED_TOO_LOW', { dueFen, tenderedFen, shortFen: dueFen - tenderedFen });
  }
  return ok(tenderedFen - dueFen);
}
