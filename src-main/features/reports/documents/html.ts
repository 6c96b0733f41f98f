import { formatPercentTenths } from '@heating-cashier/core/fees';
import { formatFen } from '@heating-cashier/core/money';
import type { Cell, Doc, DocSection } from './model';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A cell as text: money `¥1,234.50`, counts, percentages `37.5%`. */
export function cellText(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if ('fen' in cell) return formatFen(cell.fen);
  if ('int' in cell) return String(cell.int);
  if ('pctTenths' in cell) return formatPercentTenths(cell.pctTenths);
  return cell.text;
}

function isNumeric(cell: Cell): boolean {
  return typeof cell === 'object' && ('fen' in cell || 'int' in cell || 'pctTenths' in cell);
}

function classOf(cell: Cell): string {
  const cls = [
    isNumeric(cell) ? 'num' : '',
    typeof cell === 'object' && cell.strong ? 'strong' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return cls ? ` class="${cls}"` : '';
}

/**
 * A cell's text as HTML where no amount, number or season code breaks across lines: each word
 * with a digit in it (¥1,783.50, (¥2,277.72), 2025-2026, (50.0%)) is kept whole, and a slash
 * between two of them (¥30.00/¥31.00) may end a line. The cell wraps between words only.
 */
function cellHtml(text: string): string {
  return escapeHtml(text).replace(/([^\s；，、/]*\d[^\s；，、/]*)|\//g, (slash, word?: string) =>
    word ? `<span class="nb">${word}</span>` : `${slash}<wbr>`,
  );
}

function td(cell: Cell, tag: 'td' | 'dd' = 'td'): string {
  return `<${tag}${classOf(cell)}>${cellHtml(cellText(cell))}</${tag}>`;
}

function section(s: DocSection): string {
  const title = `<h2>${escapeHtml(s.title)}</h2>`;
  if (s.kind === 'facts') {
    return `<section class="facts">${title}<dl>${s.items
      .map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt>${td(v, 'dd')}</div>`)
      .join('')}</dl></section>`;
  }
  if (s.kind === 'bars') {
    const max = s.max ?? Math.max(1, ...s.items.map((i) => i.value));
    return `<section class="bars">${title}${s.items
      .map(
        (i) =>
          `<div class="bar-row"><span class="bar-label">${escapeHtml(i.label)}</span><span class="bar"><span style="width:${((Math.min(max, Math.max(0, i.value)) / max) * 100).toFixed(1)}%"></span></span><span class="num">${escapeHtml(cellText(i.display))}</span></div>`,
      )
      .join('')}</section>`;
  }
  // layout only: each column's share of the page width in CSS percent (no amounts here)
  const widthSum = s.columns.reduce((n, c) => n + (c.width ?? 1), 0);
  const cols = s.columns
    .map((c) => `<col style="width:${(((c.width ?? 1) / widthSum) * 100).toFixed(2)}%">`)
    .join('');
  const head = `<thead><tr>${s.columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join('')}</tr></thead>`;
  const body =
    s.rows.length === 0
      ? `<tbody><tr><td class="empty" colspan="${s.columns.length}">${escapeHtml(s.empty ?? '—')}</td></tr></tbody>`
      : `<tbody>${s.rows.map((r) => `<tr>${r.map((c) => td(c)).join('')}</tr>`).join('')}</tbody>`;
  const foot = s.foot ? `<tfoot><tr>${s.foot.map((c) => td(c)).join('')}</tr></tfoot>` : '';
  return `<section>${title}<table><colgroup>${cols}</colgroup>${head}${body}${foot}</table></section>`;
}

const CSS = `
@page { size: A4; margin: 12mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'SimSun', sans-serif;
  font-size: 9.5pt; color: #111; }
header { border-bottom: 2px solid #111; padding-bottom: 4pt; margin-bottom: 6pt; }
.company { font-size: 11pt; }
h1 { font-size: 18pt; margin: 2pt 0 4pt; letter-spacing: 4pt; }
.copy { float: right; border: 1.5px solid #111; padding: 2pt 8pt; font-size: 11pt; font-weight: bold; }
.demo { color: #b3261e; font-weight: bold; }
.meta { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1pt 12pt; }
.meta div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.meta span { color: #555; margin-right: 4pt; }
h2 { font-size: 11pt; margin: 8pt 0 3pt; border-left: 3pt solid #1a5fb4; padding-left: 4pt; }
section { break-inside: auto; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.6pt solid #888; padding: 1.5pt 3pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.nb { white-space: nowrap; }
th { background: #e8eef7; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
tfoot td { font-weight: bold; background: #f3f3f3; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.strong { font-weight: bold; }
.empty { color: #666; text-align: center; }
.facts dl { display: grid; grid-template-columns: repeat(2, 1fr); gap: 0 16pt; margin: 0; }
.facts dl div { display: flex; justify-content: space-between; border-bottom: 0.5pt dotted #aaa; padding: 1.5pt 0; }
.facts dt { color: #333; } .facts dd { margin: 0; font-weight: bold; }
.bar-row { display: grid; grid-template-columns: 30% 1fr 22%; gap: 6pt; align-items: center; margin: 1.5pt 0; }
.bar { background: #eef; height: 8pt; display: block; }
.bar span { background: #1a5fb4; height: 8pt; display: block; }
.signatures { display: flex; gap: 24pt; margin-top: 22pt; break-inside: avoid; }
.signatures div { flex: 1; border-bottom: 1pt solid #111; padding-bottom: 18pt; font-size: 11pt; }
footer { margin-top: 10pt; color: #555; font-size: 8pt; word-break: break-all; }
`;

/** The document as one self-contained A4 HTML page (inline CSS, no script, no external resource). */
export function docToHtml(doc: Doc): string {
  const meta = doc.meta
    .map(([k, v]) => `<div><span>${escapeHtml(k)}</span>${escapeHtml(v)}</div>`)
    .join('');
  const signatures = doc.signatures?.length
    ? `<div class="signatures">${doc.signatures.map((s) => `<div>${escapeHtml(s)}：</div>`).join('')}</div>`
    : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${CSS}</style></head>
<body>
<header>${doc.copyLabel ? `<div class="copy">${escapeHtml(doc.copyLabel)}</div>` : ''}
<div class="company">${escapeHtml(doc.company)}${doc.demo ? ' <span class="demo">演示数据 DEMO</span>' : ''}</div>
<h1>${escapeHtml(doc.title)}</h1>
<div class="meta">${meta}</div></header>
${doc.sections.map(section).join('\n')}
${signatures}
${doc.footer ? `<footer>${escapeHtml(doc.footer)}</footer>` : ''}
</body></html>`;
}
