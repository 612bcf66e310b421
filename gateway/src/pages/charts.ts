/**
 * The charts of the gateway's pages (media kits, campaign reports), drawn as SVG by their templates from
 * the numbers here: only numbers computed in this file go into attributes, and labels are text the
 * templates escape. A chart is in viewBox units and scales to its box's width (phones included).
 */

// ---- horizontal bars of shares (the media kit's audience) ----------------------------------------

/** viewBox geometry: a label column, the bars, the percentage at the right end. */
const WIDTH = 272;
const LABEL_WIDTH = 108;
const VALUE_WIDTH = 38;
const TRACK_X = LABEL_WIDTH;
const TRACK_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
const ROW = 26;
const BAR = 12;

export interface Bar {
  label: string;
  value: string;
  /** Geometry, in viewBox units. */
  y: number;
  textY: number;
  width: number;
}

export interface BarChart {
  title: string;
  /** What a screen reader says for the whole chart ("Age: 18–24 31 %, 25–34 44 %"). */
  description: string;
  width: number;
  height: number;
  trackX: number;
  trackWidth: number;
  valueX: number;
  barHeight: number;
  bars: Bar[];
}

/**
 * A chart of shares (percent, 0–100, as the API gives them), in the order given; bars are scaled to the largest share so small
 * audiences stay readable, and each is labelled with its own percentage. Null when no share is above 0.
 */
export function barChart(title: string, shares: { key: string; percent: number }[], labelOf: (key: string) => string): BarChart | null {
  const shown = shares.filter((s) => Number.isFinite(s.percent) && s.percent > 0);
  if (!shown.length) return null;
  const largest = Math.max(...shown.map((s) => s.percent));
  const bars = shown.map((s, i) => ({
    label: labelOf(s.key),
    value: `${Math.round(s.percent)} %`,
    y: i * ROW + (ROW - BAR) / 2,
    textY: i * ROW + ROW / 2 + 4,
    width: round1(Math.max(2, (s.percent / largest) * TRACK_WIDTH)),
  }));
  return {
    title,
    description: `${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}`,
    width: WIDTH,
    height: bars.length * ROW,
    trackX: TRACK_X,
    trackWidth: TRACK_WIDTH,
    valueX: WIDTH,
    barHeight: BAR,
    bars,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

// ---- columns by period (a report's series) -------------------------------------------------------

/** viewBox geometry of a column chart: the value axis on the left, period labels below. */
const COL_WIDTH = 320;
const COL_LEFT = 48;
const COL_RIGHT = 14;
const COL_TOP = 8;
const COL_PLOT = 110;
const COL_BOTTOM = 20;
/** At most this many period labels under a chart (every n-th period). */
const MAX_TICKS = 6;

export interface ColumnSeries {
  /** What the series is ("Clicks"), for the legend and each column's tooltip. */
  name: string;
  /** Its CSS class (`clicks`, `spend`): the template's colours. */
  key: string;
  values: number[];
  format: (value: number) => string;
  /** How the value axis writes this series' values, shorter when need be (compact money); `format` unless given. */
  axisFormat?: (value: number) => string;
}

export interface Column {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The column's tooltip (`<title>`): "Mar 1 · Clicks: 12". */
  title: string;
}

export interface ColumnChart {
  title: string;
  description: string;
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  zeroY: number;
  labelX: number;
  /** The axis's labels: the highest value, 0, the lowest when below 0. */
  axis: { y: number; textY: number; text: string }[];
  ticks: { x: number; y: number; text: string }[];
  legend: { key: string; name: string }[];
  columns: Column[];
}

/**
 * Columns for each period, one per series side by side, all series on one scale from the lowest value
 * (0 unless a period went below it, as a day of refunds does) to the highest. Null without periods.
 */
export function columnChart(
  title: string,
  /** `label` under the chart (short: "Mar 1"), `title` in each column's tooltip ("Week of Mar 2"; `label` unless given). */
  periods: { key: string; label: string; title?: string }[],
  series: ColumnSeries[],
): ColumnChart | null {
  if (!periods.length || !series.length) return null;
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const top = Math.max(0, ...all);
  const bottom = Math.min(0, ...all);
  const span = top - bottom || 1;
  const scale = COL_PLOT / span;
  const zeroY = round1(COL_TOP + top * scale);
  const plotWidth = COL_WIDTH - COL_LEFT - COL_RIGHT;
  const slot = plotWidth / periods.length;
  const group = slot * 0.8;
  const width = group / series.length;
  const columns: Column[] = [];
  periods.forEach((p, i) => {
    series.forEach((s, j) => {
      const value = Number.isFinite(s.values[i]) ? s.values[i] : 0;
      const height = Math.abs(value) * scale;
      columns.push({
        key: s.key,
        x: round1(COL_LEFT + i * slot + (slot - group) / 2 + j * width),
        y: round1(value >= 0 ? zeroY - height : zeroY),
        width: round1(Math.max(0.5, width - (series.length > 1 ? 0.5 : 0))),
        // a column of a value other than 0 is seen, however small beside the others
        height: round1(value === 0 ? 0 : Math.max(1, height)),
        title: `${p.title ?? p.label} · ${s.name}: ${s.format(value)}`,
      });
    });
  });
  const axisValue = series[0].axisFormat ?? series[0].format;
  const axis = [
    { value: top, y: COL_TOP },
    ...(top !== 0 ? [{ value: 0, y: zeroY }] : []),
    ...(bottom < 0 ? [{ value: bottom, y: COL_TOP + COL_PLOT }] : []),
  ].map((a) => ({ y: round1(a.y), textY: round1(a.y + 4), text: axisValue(a.value) }));
  const step = Math.ceil(periods.length / MAX_TICKS);
  const ticks = periods.flatMap((p, i) =>
    i % step === 0 ? [{ x: round1(COL_LEFT + i * slot + slot / 2), y: COL_TOP + COL_PLOT + 15, text: p.label }] : [],
  );
  const totals = series.map((s) => `${s.name} ${s.format(s.values.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0))} in all`);
  return {
    title,
    description: `${title}, ${periods.length} ${periods.length === 1 ? 'period' : 'periods'} from ${periods[0].title ?? periods[0].label} to ${periods[periods.length - 1].title ?? periods[periods.length - 1].label}: ${totals.join(', ')}`,
    width: COL_WIDTH,
    height: COL_TOP + COL_PLOT + COL_BOTTOM,
    plotLeft: COL_LEFT,
    plotRight: COL_WIDTH - COL_RIGHT,
    zeroY,
    labelX: COL_LEFT - 6,
    axis,
    ticks,
    legend: series.map((s) => ({ key: s.key, name: s.name })),
    columns,
  };
}

// ---- ranked bars (creators by revenue) -------------------------------------------------------------

export interface RankedBar {
  rank: number;
  label: string;
  value: string;
  note: string;
  /** The bar's length, 0–100 (the largest value is 100; values at or below 0 get none). */
  width: number;
}

export interface RankedChart {
  title: string;
  description: string;
  bars: RankedBar[];
}

/**
 * One row per item in the order given (best first): its label, value and note as text the page wraps on a
 * phone, and a bar to scale of the largest value. Null without items.
 */
export function rankedBars(title: string, items: { label: string; value: number; formatted: string; note: string }[]): RankedChart | null {
  if (!items.length) return null;
  const largest = Math.max(0, ...items.map((i) => i.value));
  const bars = items.map((item, i) => ({
    rank: i + 1,
    label: item.label,
    value: item.formatted,
    note: item.note,
    width: largest > 0 && item.value > 0 ? round1(Math.max(1, (item.value / largest) * 100)) : 0,
  }));
  return { title, description: `${title}: ${bars.map((b) => `${b.rank}. ${b.label} ${b.value}, ${b.note}`).join('; ')}`, bars };
}

// ---- one stacked bar of parts (sentiment) ----------------------------------------------------------

const STACK_WIDTH = 320;
const STACK_HEIGHT = 24;

export interface StackedPart {
  key: string;
  label: string;
  /** "3 · 33.33 %". */
  value: string;
  x: number;
  width: number;
}

export interface StackedBar {
  title: string;
  description: string;
  width: number;
  height: number;
  parts: StackedPart[];
}

/** Parts of a whole (percent numbers adding up to 100) side by side in one bar; null when none is above 0. */
export function stackedBar(
  title: string,
  parts: { key: string; label: string; percent: number | null; value: string }[],
): StackedBar | null {
  const shown = parts.filter((p) => p.percent !== null && Number.isFinite(p.percent) && p.percent > 0) as {
    key: string;
    label: string;
    percent: number;
    value: string;
  }[];
  if (!shown.length) return null;
  const total = shown.reduce((a, p) => a + p.percent, 0);
  let x = 0;
  const drawn = shown.map((p) => {
    const width = round1((p.percent / total) * STACK_WIDTH);
    const part = { key: p.key, label: p.label, value: p.value, x: round1(x), width };
    x += width;
    return part;
  });
  return {
    title,
    description: `${title}: ${parts.map((p) => `${p.label} ${p.value}`).join(', ')}`,
    width: STACK_WIDTH,
    height: STACK_HEIGHT,
    parts: drawn,
  };
}
