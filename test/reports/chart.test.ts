// affected-by-month.svg: the bars come from the summary's month-by-check counts, the scan and the
// discovery date are marked, and what is not shown is said.
import { describe, expect, it } from 'vitest';
import { chartBars, chartSpec, renderChartSvg } from '../../src/reports/chart.js';
import { scanSummary } from './affected_fixture.js';

const affectedByMonth = {
  '2026-11': { w_subject_country_placeholder: 1, e_subject_country_order_mismatch: 2 },
  '2019-06': { e_subject_country_order_mismatch: 1 },
};

describe('the chart', () => {
  it('one bar segment per month and check, months and checks in order, at the first of the month', () => {
    expect(chartBars(scanSummary({ affectedByMonth }))).toEqual([
      { month: '2019-06-01', check: 'e_subject_country_order_mismatch', certificates: 1 },
      { month: '2026-11-01', check: 'e_subject_country_order_mismatch', certificates: 2 },
      { month: '2026-11-01', check: 'w_subject_country_placeholder', certificates: 1 },
    ]);
  });

  it('the title counts every affected certificate; the subtitle says which are not shown', () => {
    const spec = chartSpec(scanSummary({ affectedByMonth, affectedCertificates: 5, crtshLinks: 3 }));
    expect(spec.title).toEqual({
      text: 'Affected certificates by notBefore month (5 in all)',
      subtitle: ['A certificate with findings of two checks counts once in each.', '2 undecodable certificates have no notBefore and are not shown.'],
      anchor: 'start',
    });
    const clean = chartSpec(scanSummary());
    expect(clean.title).toEqual({ text: 'Affected certificates by notBefore month (0 in all)', subtitle: ['A certificate with findings of two checks counts once in each.', 'No affected certificates.'], anchor: 'start' });
  });

  it('the scan is marked, and the discovery date when there is one, in the drawn SVG', async () => {
    const svg = await renderChartSvg(scanSummary({ affectedByMonth, affectedCertificates: 4, crtshLinks: 4, startedAt: '2026-11-26T12:00:00.000Z', discoveredAt: '2026-11-20T00:00:00.000Z' }));
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('>scan 2026-11-26</text>');
    expect(svg).toContain('>discovered 2026-11-20</text>');
    expect(svg).toContain('>e_subject_country_order_mismatch</text>');
    const withoutDiscovery = await renderChartSvg(scanSummary({ affectedByMonth, affectedCertificates: 4, crtshLinks: 4 }));
    expect(withoutDiscovery).toContain('>scan 2026-11-26</text>');
    expect(withoutDiscovery).not.toContain('discovered');
  });
});
