// Render any printer template from a JSON data file (black-box surface for acceptance checks):
//   npm run receipt -- render --template NAME --width 32|48 --format escpos|text|svg --data FILE
//     [--encoding gb18030|cp936] [--out FILE] [--drawer]
//   npm run receipt -- decode --in FILE.bin          (what a printer would print, as text)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DRAWER_KICK_DEFAULT } from '../devices/printer/escpos';
import { decodeEscPos } from '../devices/printer/escpos-decoder';
import { render, TemplateDataError, type RenderFormat } from '../devices/printer/render';
import { isTemplateName, templateNames } from '../devices/printer/template-data';

const USAGE = `用法 / usage:
  npm run receipt -- render --template NAME --width 32|48 --format escpos|text|svg --data FILE [--encoding gb18030|cp936] [--out FILE] [--drawer]
  npm run receipt -- decode --in FILE
  templates: ${templateNames.join(', ')}`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function main(argv: string[]): void {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      template: { type: 'string' },
      width: { type: 'string', default: '48' },
      format: { type: 'string', default: 'text' },
      encoding: { type: 'string', default: 'gb18030' },
      data: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      drawer: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const verb = positionals[0];
  if (values.help || !verb) fail(USAGE, values.help ? 0 : 2);
  if (verb === 'decode') {
    if (!values.in) fail(USAGE);
    const page = decodeEscPos(readFileSync(values.in));
    process.stdout.write(`${page.lines.map((l) => l.trimEnd()).join('\n')}\n`);
    if (page.images.length)
      process.stderr.write(
        `images: ${page.images.map((i) => `${i.width}x${i.height}`).join(', ')}\n`,
      );
    for (const q of page.qrCodes)
      process.stderr.write(`QR (model ${q.model}, cell ${q.cell}, level ${q.level}): ${q.data}\n`);
    if (page.drawerPulses.length)
      process.stderr.write(`drawer pulses: ${JSON.stringify(page.drawerPulses)}\n`);
    process.stderr.write(
      `cut: ${page.cut}${page.problems.length ? `; problems: ${page.problems.join('; ')}` : ''}\n`,
    );
    return;
  }
  if (verb !== 'render') fail(USAGE);
  const name = values.template ?? '';
  if (!isTemplateName(name)) fail(`未知模板 / unknown template "${name}". ${USAGE}`);
  const width = Number(values.width);
  if (width !== 32 && width !== 48) fail('--width must be 32 (58 mm) or 48 (80 mm)');
  const format = values.format as RenderFormat;
  if (!['escpos', 'text', 'svg'].includes(format)) fail('--format must be escpos, text or svg');
  const encoding = values.encoding;
  if (encoding !== 'gb18030' && encoding !== 'cp936') fail('--encoding must be gb18030 or cp936');
  if (!values.data) fail(`--data FILE is required\n${USAGE}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(values.data, 'utf8'));
  } catch (e) {
    fail(`数据文件无法读取 / cannot read --data: ${(e as Error).message}`);
  }
  let output: Buffer | string;
  try {
    output = render(name, data, format, {
      width,
      encoding,
      drawerKick: values.drawer ? DRAWER_KICK_DEFAULT : null,
    });
  } catch (e) {
    if (e instanceof TemplateDataError)
      fail(`数据不符合模板 / data does not fit ${e.template}: ${e.issues}`, 1);
    throw e;
  }
  if (values.out) writeFileSync(values.out, output);
  else process.stdout.write(output);
}

main(process.argv.slice(2));
