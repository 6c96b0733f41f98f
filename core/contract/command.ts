import type { z } from 'zod';
import { sessionToken } from './primitives';

/** Input fields of every command that needs a logged-in clerk. */
export const authed = { session: sessionToken };

/** One entry of the command table: a summary for `cli list`, and the zod input/output schemas. */
export function command<I extends z.ZodType, O extends z.ZodType>(def: {
  summary: string;
  input: I;
  output: O;
}) {
  return def;
}
