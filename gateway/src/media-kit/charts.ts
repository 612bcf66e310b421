/**
 * Horizontal bar charts for the media-kit page, drawn as SVG by the template (template.ts) from the
 * numbers here: only numbers computed in this file go into attributes, and labels are text the template
 * escapes. The chart is in viewBox units and scales to its box's width.
 */

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
