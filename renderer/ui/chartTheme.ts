/**
 * The charts' colours as CSS variables (renderer/styles/themes.css), so recharts' SVG and the
 * tooltips follow the theme without re-rendering: SVG presentation attributes and inline styles
 * both resolve var().
 */
export const CHART = {
  grid: 'var(--chart-grid)',
  axis: 'var(--chart-axis)',
  tick: 'var(--chart-tick)',
  batch: 'var(--chart-batch)',
  smooth: 'var(--chart-smooth)',
  train: 'var(--chart-train)',
  dev: 'var(--chart-dev)',
  lr: 'var(--chart-lr)',
  best: 'var(--chart-best)',
  min: 'var(--chart-min)',
  dotRing: 'var(--chart-dot-ring)',
  accent: 'var(--accent)',
  warn: 'var(--warn)',
  good: 'var(--good)',
  wire: 'var(--wire)',
  muted: 'var(--muted)',
} as const;

/** recharts' Tooltip contentStyle in the theme's colours. */
export const TOOLTIP_STYLE = {
  background: 'var(--chart-tooltip-bg)',
  border: '1px solid var(--chart-tooltip-border)',
  borderRadius: 6,
  fontSize: 12,
  color: 'var(--text)',
} as const;

/** An axis's ticks and line in the theme's colours: spread on recharts' XAxis and YAxis. */
export const AXIS = { tick: { fill: CHART.tick, fontSize: 11 }, stroke: CHART.axis } as const;
