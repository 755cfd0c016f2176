// affected-by-month.svg: the bars come from the summary's month-by-check counts, the scan and the
// discovery date are marked, and what is not shown is said.
import { describe, expect, it } from 'vitest';
import { chartBars, chartSpec, loadChartRenderer, renderChartSvg } from '../../src/reports/chart.js';
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

  it('the Vega-Lite spec: stacked monthly bars by check, and the markers as dashed red rules with their labels', () => {
    const summary = scanSummary({ affectedByMonth, affectedCertificates: 3, crtshLinks: 3, startedAt: '2026-11-26T12:00:00.000Z', discoveredAt: '2026-11-20T00:00:00.000Z' });
    const time = { type: 'temporal', timeUnit: 'utcyearmonth', scale: { type: 'utc' } };
    const marks = [
      { at: '2026-11-26T12:00:00.000Z', label: 'scan 2026-11-26' },
      { at: '2026-11-20T00:00:00.000Z', label: 'discovered 2026-11-20' },
    ];
    const markerX = { field: 'at', type: 'temporal', scale: { type: 'utc' } };
    expect(chartSpec(summary)).toEqual({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: 'Affected certificates by notBefore month (3 in all)', subtitle: ['A certificate with findings of two checks counts once in each.'], anchor: 'start' },
      width: 640,
      height: 240,
      background: 'white',
      layer: [
        {
          data: { values: chartBars(summary) },
          mark: { type: 'bar' },
          encoding: {
            x: { field: 'month', ...time, title: 'notBefore month (UTC)', axis: { format: '%Y-%m', labelAngle: -45 } },
            y: { field: 'certificates', type: 'quantitative', aggregate: 'sum', title: 'affected certificates', axis: { tickMinStep: 1 } },
            color: { field: 'check', type: 'nominal', title: 'check', legend: { orient: 'bottom', columns: 1, labelLimit: 400 } },
            tooltip: [
              { field: 'month', ...time, title: 'month', format: '%Y-%m' },
              { field: 'check', type: 'nominal' },
              { field: 'certificates', type: 'quantitative', aggregate: 'sum' },
            ],
          },
        },
        {
          data: { values: marks },
          mark: { type: 'rule', color: '#b00020', strokeDash: [4, 3], strokeWidth: 1.5 },
          encoding: { x: markerX },
        },
        {
          data: { values: marks },
          mark: { type: 'text', align: 'right', angle: -90, baseline: 'bottom', dx: -4, dy: -3, color: '#b00020', fontSize: 10 },
          encoding: { x: markerX, y: { value: 0 }, text: { field: 'label' } },
        },
      ],
      resolve: { scale: { x: 'shared' } },
    });
    // Without a discovery date only the scan is marked, in both marker layers.
    const { layer } = chartSpec(scanSummary({ affectedByMonth })) as unknown as { layer: Array<{ data: { values: unknown[] } }> };
    const [, rules, labels] = layer;
    expect(rules!.data.values).toEqual([{ at: '2026-11-26T12:00:00.000Z', label: 'scan 2026-11-26' }]);
    expect(labels!.data.values).toEqual(rules!.data.values);
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

describe('loadChartRenderer', () => {
  it('loads Vega and Vega-Lite once: every call (a report set as it opens, the render) shares one load', async () => {
    const first = loadChartRenderer();
    expect(loadChartRenderer()).toBe(first);
    const [vega, vegaLite] = await first;
    expect(typeof vega.View).toBe('function');
    expect(typeof vegaLite.compile).toBe('function');
  });
});

