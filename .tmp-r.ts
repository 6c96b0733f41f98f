import { readFileSync, writeFileSync } from 'node:fs';
import { renderEscPos } from './src-main/devices/printer/render';
import { decodeEscPos } from './src-main/devices/printer/escpos-decoder';
import { jobToSvg } from './src-main/devices/printer/job-image';
const d = JSON.parse(readFileSync('tests/fixtures/printer/hand-in-slip.json', 'utf8'));
const page = decodeEscPos(renderEscPos('hand-in-slip', d, { width: 32 }));
writeFileSync('/tmp/rp/job.svg', jobToSvg(page, 32));
const r = JSON.parse(readFileSync('tests/fixtures/printer/receipt.json', 'utf8'));
writeFileSync('/tmp/rp/job2.svg', jobToSvg(decodeEscPos(renderEscPos('receipt', r, { width: 32 })), 32));
