import { z } from 'zod';
import { clerkCode, id, pin, sessionToken } from './primitives';

/** Input fields of every command that needs a logged-in clerk. */
export const authed = { session: sessionToken };

/** A supervisor's approval given with a command: their clerk code and PIN. */
export const supervisor = { supervisorCode: clerkCode, supervisorPin: pin };

/** The same where only some cases need the approval. */
export const optionalSupervisor = {
  supervisorCode: clerkCode.optional(),
  supervisorPin: pin.optional(),
};

/** The input of a command about one household and nothing else. */
export const householdInput = z.object({ ...authed, householdId: id }).strict();

/** One entry of the command table: a summary for `cli list`, and the zod input/output schemas. */
export function command<I extends z.ZodType, O extends z.ZodType>(def: {
  summary: string;
  input: I;
  output: O;
}) {
  return def;
}
