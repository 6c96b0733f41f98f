/**
 * Deterministic JSON for hashing ledger events (RFC 8785 key order, no whitespace).
 * Deliberately narrower than JSON.stringify: only safe integers, plain objects and arrays,
 * so that the same event always hashes the same on every terminal and at head office.
 *
 * Head office writes every pushed event's payload with it, so it is written for speed: one output
 * string, member keys quoted once and remembered, and the path named in an error built only when
 * there is an error.
 */
export function canonicalJson(value: unknown): string {
  const state: State = { out: '', open: [], path: [] };
  write(state, value);
  return state.out;
}

interface State {
  out: string;
  /** The containers being written (outermost first): a cycle is a value already in here. */
  open: object[];
  /** Keys and indices from the top down to the value being written, for error messages. */
  path: (string | number)[];
}

/** `$`, `$.a`, `$.a[2]`: where the offending value sits. */
function pathOf(state: State): string {
  let p = '$';
  for (const s of state.path) p += typeof s === 'number' ? `[${s}]` : `.${s}`;
  return p;
}

const QUOTED_KEYS_MAX = 10_000;
const quotedKeys = new Map<string, string>();

/** `"key":`, remembered: payloads repeat the same few dozen keys. */
function memberPrefix(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    if (quotedKeys.size >= QUOTED_KEYS_MAX) quotedKeys.clear();
    quoted = `${JSON.stringify(key)}:`;
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

function write(state: State, value: unknown): void {
  if (value === null) {
    state.out += 'null';
    return;
  }
  switch (typeof value) {
    case 'boolean':
      state.out += value ? 'true' : 'false';
      return;
    case 'string':
      state.out += JSON.stringify(value);
      return;
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(
          `canonicalJson: ${pathOf(state)} is not a safe integer: ${String(value)}`,
        );
      }
      state.out += Object.is(value, -0) ? '0' : String(value);
      return;
    case 'object':
      writeContainer(state, value);
      return;
    default:
      throw new TypeError(`canonicalJson: ${pathOf(state)} has unsupported type ${typeof value}`);
  }
}

function writeContainer(state: State, value: object): void {
  if (state.open.includes(value))
    throw new TypeError(`canonicalJson: ${pathOf(state)} is circular`);
  if (Array.isArray(value)) {
    state.open.push(value);
    state.out += '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      state.path.push(i);
      if (item === undefined) throw new TypeError(`canonicalJson: ${pathOf(state)} is undefined`);
      if (i > 0) state.out += ',';
      write(state, item);
      state.path.pop();
    }
    state.out += ']';
    state.open.pop();
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(
      `canonicalJson: ${pathOf(state)} is not a plain object (pass dates as ISO strings)`,
    );
  }
  const record = value as Record<string, unknown>;
  state.open.push(value);
  state.out += '{';
  let first = true;
  // Default sort compares UTF-16 code units, which is what RFC 8785 asks for.
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) state.out += ',';
    first = false;
    state.out += memberPrefix(key);
    state.path.push(key);
    write(state, member);
    state.path.pop();
  }
  state.out += '}';
  state.open.pop();
}
