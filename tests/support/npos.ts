// The independent ESC/POS parser `npos` (npm, devDependency), for cross-checking our bytes.
// Only its parser is loaded (`npos/lib/parser`): the package index also pulls its USB connector,
// whose native `usb` dependency is not built here (install scripts disabled). npos splits the
// stream into commands with its own rule table and decodes text with its own iconv-lite, as its
// `textualize` does (GB18030). Its rule table lacks two commands receiptline and we send:
// `FS ( A` (kanji character style) and `GS ( k` (2D symbols, our native QR). Both carry a 16-bit
// length, so they are added with npos's own `d16` splitter, the way its README shows extending
// the rules. npos keeps no printer state: it cannot know which bytes are GB18030 (after `FS &`)
// and which are single-byte code-page box drawing (after `FS .` + `ESC t 1`), so the mode is
// read from the command nodes it produced, and code-page bytes (receiptline's ruled lines) are
// the part it "cannot parse" — they are left out of the comparison.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface NposNode {
  code: number;
  ascii: string;
  fn?: string;
  offset: number;
  length: number;
}
interface NposAst {
  error?: Error;
  tree: NposNode[] | null;
}
type NposRules = Record<string, Record<string, unknown> | number>;

const ParserCtor = require('npos/lib/parser') as (rules?: NposRules) => {
  analyze(raw: Buffer): NposAst;
};
const builtinRules = require('npos/lib/parser/rules') as NposRules;
// npos's own iconv-lite (0.4.x), the decoder its textualize uses.
const iconv = require(require.resolve('iconv-lite', { paths: [require.resolve('npos')] })) as {
  decode(buf: Buffer, encoding: string): string;
};

const FS = 0x1c;
const GS = 0x1d;

function rules(): NposRules {
  const r = structuredClone(builtinRules);
  (r[FS] as Record<string, unknown>)['(A'] = [0, 'd16'];
  (r[GS] as Record<string, unknown>)['(k'] = [0, 'd16'];
  return r;
}

export interface NposReading {
  /** Text lines as npos decodes them (GB18030 in kanji mode; ASCII otherwise). */
  lines: string[];
  /** Data of every QR stored with GS ( k cn 49 fn 80. */
  qrData: string[];
  commands: string[];
  /** Bytes npos could not turn into text (single-byte code page ruled lines). */
  skippedBytes: number;
}

/** Parses a whole job with npos. Throws npos's own error when it cannot split the stream. */
export function readWithNpos(bytes: Buffer, encoding = 'GB18030'): NposReading {
  const ast = ParserCtor(rules()).analyze(bytes);
  if (ast.error || !ast.tree) throw ast.error ?? new Error('npos: no tree');
  let kanji = false;
  let text = '';
  let skippedBytes = 0;
  const qrData: string[] = [];
  const commands: string[] = [];
  for (const node of ast.tree) {
    const raw = bytes.subarray(node.offset, node.offset + node.length);
    if (node.ascii === 'STX') {
      if (kanji) {
        text += iconv.decode(raw, encoding);
      } else {
        for (const b of raw) {
          if (b < 0x80) text += String.fromCharCode(b);
          else skippedBytes++;
        }
      }
      continue;
    }
    const name = `${node.ascii} ${node.fn ?? ''}`.trim();
    commands.push(name);
    if (name === 'FS &') kanji = true;
    else if (name === 'FS .' || name === 'ESC @') kanji = false;
    else if (name === 'GS (k' && raw[5] === 49 && raw[6] === 80) {
      // GS ( k pL pH cn=49 fn=80 m=48 d1…dk
      const len = raw[3]! + raw[4]! * 256;
      qrData.push(raw.subarray(8, 5 + len).toString('utf8'));
    }
  }
  return { lines: text.split('\n'), qrData, commands, skippedBytes };
}
