// affected-by-month.svg: affected certificates by notBefore month, stacked by check, with the scan
// and the discovery date marked. Vega-Lite compiles the chart and Vega's SVG renderer draws it in
// Node (no canvas, no browser); report.html inlines the same SVG, so both show the same picture.
import type { TopLevelSpec } from 'vega-lite';
import { isoSeconds } from './format.js';
import type { ScanSummary } from './summary.js';

interface MonthBar {
  month: string;
  check: string;
  certificates: number;
}

interface Marker {
  at: string;
  label: string;
}

export function chartBars(summary: ScanSummary): MonthBar[] {
  return Object.entries(summary.affectedByMonth)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([month, byCheck]) =>
      Object.entries(byCheck)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([check, certificates]) => ({ month: `${month}-01`, check, certificates })),
    );
}

function markers(summary: ScanSummary): Marker[] {
  const list: Marker[] = [{ at: summary.startedAt, label: `scan ${isoSeconds(summary.startedAt).slice(0, 10)}` }];
  if (summary.discoveredAt) list.push({ at: summary.discoveredAt, label: `discovered ${isoSeconds(summary.discoveredAt).slice(0, 10)}` });
  return list;
}

export function chartSpec(summary: ScanSummary): TopLevelSpec {
  const bars = chartBars(summary);
  const notShown = summary.affectedCertificates - summary.crtshLinks;
  const subtitle = [
    'A certificate with findings of two checks counts once in each.',
    ...(notShown ? [`${notShown} undecodable certificates have no notBefore and are not shown.`] : []),
    ...(bars.length ? [] : ['No affected certificates.']),
  ];
  const time = { type: 'temporal' as const, timeUnit: 'utcyearmonth' as const, scale: { type: 'utc' as const } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Affected certificates by notBefore month (${summary.affectedCertificates} in all)`, subtitle, anchor: 'start' },
    width: 640,
    height: 240,
    background: 'white',
    layer: [
      {
        data: { values: bars },
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
        data: { values: markers(summary) },
        mark: { type: 'rule', color: '#b00020', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'at', type: 'temporal', scale: { type: 'utc' } } },
      },
      {
        data: { values: markers(summary) },
        mark: { type: 'text', align: 'right', angle: -90, baseline: 'bottom', dx: -4, dy: -3, color: '#b00020', fontSize: 10 },
        encoding: { x: { field: 'at', type: 'temporal', scale: { type: 'utc' } }, y: { value: 0 }, text: { field: 'label' } },
      },
    ],
    resolve: { scale: { x: 'shared' } },
  };
}

type ChartRenderer = [typeof import('vega'), typeof import('vega-lite')];

let renderer: Promise<ChartRenderer> | null = null;

/**
 * Starts loading Vega and Vega-Lite, once: they take most of a second to load, which a report set
 * begins while its scan runs rather than after it (never at start-up: a command that writes no
 * report never loads them).
 */
export function loadChartRenderer(): Promise<ChartRenderer> {
  if (!renderer) {
    renderer = Promise.all([import('vega'), import('vega-lite')]);
    // Whoever renders gets a failure; a scan that ends before it renders does not leave it unhandled.
    renderer.catch(() => undefined);
  }
  return renderer;
}

/** The chart as a standalone SVG document. */
export async function renderChartSvg(summary: ScanSummary): Promise<string> {
  const [{ parse: parseVega, View }, { compile }] = await loadChartRenderer();
  const view = new View(parseVega(compile(chartSpec(summary)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
