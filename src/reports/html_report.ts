// report.html: one self-contained page a reviewer opens from the bug: summary.md rendered, the
// chart inlined, and a sortable, filterable table of the affected certificates with crt.sh links.
// No external resource: the SVG, the data and the small script are all in the page.
import { Marked } from 'marked';
import { CHART_FILE, type ScanSummary } from './summary.js';

/** Rows beyond this stay in ccadb-appendix.csv only: a page of millions of rows would not open. */
export const HTML_ROW_LIMIT = 10_000;

/** The appendix columns the table shows, with their headings. */
export const HTML_COLUMNS = [
  ['cert_id', 'cert_id'],
  ['Serial # (hex)', 'serial'],
  ['Subject', 'subject'],
  ['Not before', 'not before'],
  ['Not after', 'not after'],
  ['class', 'class'],
  ['validation_type', 'type'],
  ['Is revoked?', 'is revoked?'],
  ['Revocation date', 'revocation date'],
  ['checks', 'checks'],
] as const;

export type AppendixRow = Record<string, string>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** summary.md as HTML; raw HTML in it (from a file path, say) is shown as text, never run. */
function markdownToHtml(markdown: string): string {
  const marked = new Marked({ gfm: true, async: false });
  marked.use({ renderer: { html: ({ text }) => escapeHtml(text) } });
  // The chart is inlined below; its image link would point at a file beside summary.md.
  const withoutImage = markdown.replace(new RegExp(`^!\\[[^\\]]*\\]\\(${CHART_FILE.replace('.', '\\.')}\\)\\n`, 'm'), '');
  return marked.parse(withoutImage) as string;
}

/** The table's data: one array per row, in HTML_COLUMNS order, then the crt.sh hash (at most HTML_ROW_LIMIT rows). */
function tableData(rows: readonly AppendixRow[]): string[][] {
  return rows.slice(0, HTML_ROW_LIMIT).map((row) => [
    ...HTML_COLUMNS.map(([column]) => row[column] ?? ''),
    row['Certificate SHA-256 hash'] || row['Precertificate SHA-256 hash'] || '',
  ]);
}

/** Inline JSON in a script element: `<` escaped so no value can close the element. */
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#111}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;text-align:left}
#affected th{cursor:pointer;background:#f4f4f4;user-select:none}#affected th[aria-sort=ascending]::after{content:" \\25B2"}#affected th[aria-sort=descending]::after{content:" \\25BC"}
#affected td{font-size:12px;overflow-wrap:anywhere}code{background:#f4f4f4;padding:0 .2em}pre{overflow:auto;background:#f4f4f4;padding:.5rem}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}#filter{width:24rem;padding:.25rem}`;

/** Sort on a header click (numbers as numbers), filter on every keystroke; nothing else. */
const SCRIPT = `
(() => {
  const data = JSON.parse(document.getElementById('affected-data').textContent);
  const body = document.querySelector('#affected tbody');
  const headers = [...document.querySelectorAll('#affected th')];
  const filter = document.getElementById('filter');
  const count = document.getElementById('shown');
  let order = data.map((_, index) => index);
  const cell = (text) => { const td = document.createElement('td'); td.textContent = text; return td; };
  function draw() {
    const needle = filter.value.trim().toLowerCase();
    body.replaceChildren();
    let shown = 0;
    for (const index of order) {
      const row = data[index];
      if (needle && !row.some((value) => value.toLowerCase().includes(needle))) continue;
      const tr = document.createElement('tr');
      for (const value of row.slice(0, -1)) tr.append(cell(value));
      const link = document.createElement('td');
      const sha = row[row.length - 1];
      if (sha) { const a = document.createElement('a'); a.href = 'https://crt.sh/?sha256=' + sha; a.textContent = 'crt.sh'; link.append(a); }
      tr.append(link);
      body.append(tr);
      shown++;
    }
    count.textContent = String(shown);
  }
  const numeric = (value) => value !== '' && !Number.isNaN(Number(value));
  headers.forEach((th, column) => th.addEventListener('click', () => {
    if (column >= data[0]?.length - 1) return;
    const ascending = th.getAttribute('aria-sort') !== 'ascending';
    headers.forEach((other) => other.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    const sign = ascending ? 1 : -1;
    order = [...order].sort((a, b) => {
      const x = data[a][column], y = data[b][column];
      const byValue = numeric(x) && numeric(y) ? Number(x) - Number(y) : x.localeCompare(y);
      return sign * byValue || a - b;
    });
    draw();
  }));
  filter.addEventListener('input', draw);
  draw();
})();`;

export function renderHtmlReport(summary: ScanSummary, summaryMarkdown: string, chartSvg: string, appendix: readonly AppendixRow[]): string {
  const data = tableData(appendix);
  const limited = summary.affectedCertificates > data.length ? `<p>The first ${data.length} of ${summary.affectedCertificates} rows; all are in <code>ccadb-appendix.csv</code>.</p>` : '';
  const headings = [...HTML_COLUMNS.map(([, heading]) => heading), 'crt.sh'].map((heading) => `<th scope="col">${escapeHtml(heading)}</th>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>certscan incident report, scan ${escapeHtml(summary.scanId)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${markdownToHtml(summaryMarkdown)}
<h3 id="chart">Affected certificates by notBefore month</h3>
<figure id="affected-by-month">${chartSvg.replace(/^<\?xml[^>]*>\s*/, '')}</figure>
<h3 id="certificates">Affected certificates</h3>
<p><label>Filter: <input id="filter" type="search" placeholder="serial, subject, check, class…"></label> <span id="shown">${data.length}</span> of ${data.length} rows shown. Click a heading to sort.</p>
${limited}
<table id="affected"><thead><tr>${headings}</tr></thead><tbody></tbody></table>
</main>
<script type="application/json" id="affected-data">${inlineJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
