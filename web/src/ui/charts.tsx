/**
 * Small SVG charts drawn by hand (no chart library: a few hundred bytes instead of tens of kilobytes), only
 * imported by lazily loaded screens. Each is a figure with a caption, and every bar is labelled in text, so
 * the numbers are read by everyone, screen readers included.
 */
export interface Bar {
  label: string;
  value: number;
  /** What is written beside the bar (default: the value as a percent). */
  text?: string;
}

export function BarChart(props: { title: string; bars: Bar[]; max?: number; className?: string }) {
  const max = props.max ?? Math.max(1, ...props.bars.map((b) => b.value));
  const row = 28;
  const height = props.bars.length * row;
  return (
    <figure className={`chart ${props.className ?? ''}`}>
      <figcaption>{props.title}</figcaption>
      {props.bars.length === 0 ? (
        <p className="hint">No data.</p>
      ) : (
        <svg
          viewBox={`0 0 320 ${height}`}
          width="100%"
          height={height}
          role="img"
          aria-label={`${props.title}: ${props.bars.map((b) => `${b.label} ${b.text ?? `${b.value.toFixed(1)} %`}`).join(', ')}`}
        >
          {props.bars.map((b, i) => {
            const w = Math.max(0, (b.value / max) * 170);
            return (
              <g key={b.label} transform={`translate(0 ${i * row})`}>
                <text x="0" y="18" className="chart-label">
                  {b.label}
                </text>
                <rect x="100" y="6" width="170" height="16" className="track" rx="3" />
                <rect x="100" y="6" width={w} height="16" className="bar" rx="3" />
                <text x="316" y="18" textAnchor="end" className="chart-value">
                  {b.text ?? `${b.value.toFixed(1)} %`}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

/** Columns over time, oldest first (engagement of recent posts). */
export function ColumnChart(props: { title: string; columns: Bar[] }) {
  const max = Math.max(0.0001, ...props.columns.map((c) => c.value));
  const w = 320;
  const h = 120;
  const step = props.columns.length ? w / props.columns.length : w;
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      {props.columns.length === 0 ? (
        <p className="hint">No posts yet.</p>
      ) : (
        <svg
          viewBox={`0 0 ${w} ${h + 4}`}
          width="100%"
          height={h + 4}
          role="img"
          aria-label={`${props.title}: ${props.columns.map((c) => `${c.label} ${c.text ?? c.value}`).join(', ')}`}
        >
          {props.columns.map((c, i) => {
            const ch = (c.value / max) * h;
            return (
              <rect key={`${c.label}-${i}`} className="bar" x={i * step + 2} y={h - ch} width={Math.max(1, step - 4)} height={ch} rx="2" />
            );
          })}
          <line x1="0" x2={w} y1={h} y2={h} className="axis" />
        </svg>
      )}
    </figure>
  );
}
