// report.html as markup, without a browser (html_report.test.ts opens it in chromium): the data the
// table is drawn from, the row limit, the inlined chart, and values escaped.
import { describe, expect, it } from 'vitest';
import { HTML_COLUMNS, HTML_ROW_LIMIT, renderHtmlReport, type AppendixRow } from '../../src/reports/html_report.js';
import { scanSummary } from './affected_fixture.js';

const dataOf = (html: string): string[][] => JSON.parse(/<script type="application\/json" id="affected-data">(.*?)<\/script>/s.exec(html)![1]!) as string[][];

const row = (fields: AppendixRow): AppendixRow => ({ cert_id: '1', 'Serial # (hex)': '0a', Subject: 'C=AD, CN=a.example', class: 'still-valid', ...fields });
const svg = '<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text>chart</text></svg>';

describe('report.html markup', () => {
  it('the table data: the shown columns in order, then the certificate hash, else the precertificate hash, else nothing', () => {
    expect(HTML_COLUMNS.map(([column]) => column)).toEqual(['cert_id', 'Serial # (hex)', 'Subject', 'Not before', 'Not after', 'class', 'validation_type', 'Is revoked?', 'Revocation date', 'checks']);
    const rows = [
      row({ 'Certificate SHA-256 hash': 'c1', 'Precertificate SHA-256 hash': 'p1', 'Not before': '2026-10-01T00:00:00Z', checks: 'e_x w_y' }),
      row({ cert_id: '2', 'Certificate SHA-256 hash': '', 'Precertificate SHA-256 hash': 'p2' }),
      row({ cert_id: '3', class: 'undecodable', 'Certificate SHA-256 hash': '', 'Precertificate SHA-256 hash': '' }),
    ];
    const html = renderHtmlReport(scanSummary({ affectedCertificates: 3 }), '## Full Incident Report\n', svg, rows);
    expect(dataOf(html)).toEqual([
      ['1', '0a', 'C=AD, CN=a.example', '2026-10-01T00:00:00Z', '', 'still-valid', '', '', '', 'e_x w_y', 'c1'],
      ['2', '0a', 'C=AD, CN=a.example', '', '', 'still-valid', '', '', '', '', 'p2'],
      ['3', '0a', 'C=AD, CN=a.example', '', '', 'undecodable', '', '', '', '', ''],
    ]);
    expect(html).toContain('<span id="shown">3</span> of 3 rows shown.');
    expect(html).not.toContain('all are in <code>ccadb-appendix.csv</code>');
    expect(html).toContain('rows shown. Click a heading to sort.</p>\n\n<table id="affected">');
    expect(html).toContain('<tr><th scope="col">cert_id</th><th scope="col">serial</th><th scope="col">subject</th>');
    expect(html).toContain('<th scope="col">checks</th><th scope="col">crt.sh</th></tr>');
  });

  it('at most HTML_ROW_LIMIT rows, and the page says the rest are in the appendix', () => {
    const rows = Array.from({ length: HTML_ROW_LIMIT + 1 }, (_, index) => row({ cert_id: String(index + 1) }));
    const html = renderHtmlReport(scanSummary({ affectedCertificates: 20_000 }), '', svg, rows);
    expect(dataOf(html)).toHaveLength(10_000);
    expect(html).toContain('<p>The first 10000 of 20000 rows; all are in <code>ccadb-appendix.csv</code>.</p>');
  });

  it('the chart inlined without its XML prolog, in place of summary.md\'s image link', () => {
    const markdown = '## Full Incident Report\n\n### Appendix\n\n![Affected certificates by notBefore month, stacked by check](affected-by-month.svg)\n\n- `affected-by-month.svg`: the picture\n';
    const html = renderHtmlReport(scanSummary(), markdown, svg, []);
    expect(html).toContain('<figure id="affected-by-month"><svg xmlns="http://www.w3.org/2000/svg"><text>chart</text></svg></figure>');
    expect(html).not.toContain('<?xml');
    expect(html).not.toContain('<img');
    // The image line goes with nothing in its place; the list item naming the file stays.
    expect(html).toMatch(/<h3>Appendix<\/h3>\n<ul>\n<li><code>affected-by-month\.svg<\/code>/);
    expect(html).toContain('<code>affected-by-month.svg</code>: the picture');
    // A file name that only looks like the chart's (any character for the dot) is not taken for it.
    const lookalike = renderHtmlReport(scanSummary(), '![other](affected-by-monthXsvg)\n', svg, []);
    expect(lookalike).toContain('<img src="affected-by-monthXsvg" alt="other">');
  });

  it('summary.md\'s tables are tables (GitHub Flavored Markdown); a prolog is dropped however the SVG goes on', () => {
    const html = renderHtmlReport(scanSummary(), '| Bug | Date |\n|---|---|\n| N/A | N/A |\n', '<?xml version="1.0"?><svg/>', []);
    expect(html).toContain('<table>\n<thead>\n<tr>\n<th>Bug</th>');
    expect(html).toContain('<figure id="affected-by-month"><svg/></figure>');
    expect(renderHtmlReport(scanSummary(), '', '<?xml version="1.0"?>\n\n<svg/>', [])).toContain('<figure id="affected-by-month"><svg/></figure>');
  });

  it('markup in the summary, the scan id or a value is text: escaped, and no value can close the data script', () => {
    const html = renderHtmlReport(
      scanSummary({ scanId: '<b>"id"</b>' }),
      'in /tmp/<img src=x onerror="alert(1)"> and \'quotes\' & more\n',
      svg,
      [row({ Subject: '</script><script>alert(3)</script>' })],
    );
    expect(html).toContain('<title>certscan incident report, scan &#60;b&#62;&#34;id&#34;&#60;/b&#62;</title>');
    expect(html).toContain('/tmp/&#60;img src=x onerror=&#34;alert(1)&#34;&#62;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</script><script>alert(3)');
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(3)\\u003c/script>');
    expect(dataOf(html)[0]![2]).toBe('</script><script>alert(3)</script>');
  });
});
