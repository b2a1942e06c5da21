import { formatMoney } from "./format";

export interface WeekTotal {
  weekStart: Date;
  total: number;
}

const weekText = (at: Date) =>
  new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" }).format(
    at,
  );

const WIDTH = 600;
const HEIGHT = 180;
const LABEL = 22;

/**
 * Net earnings per week as inline SVG bars (no chart library), with the same figures as a
 * table for screen readers and anyone who prefers numbers. Weeks start on Monday (UTC), as
 * payouts do.
 */
export function EarningsChart(props: { currency: string; weeks: WeekTotal[] }) {
  const { currency, weeks } = props;
  const max = Math.max(1, ...weeks.map((w) => w.total));
  const slot = WIDTH / weeks.length;
  const barWidth = slot * 0.64;
  const plot = HEIGHT - LABEL;
  const total = weeks.reduce((s, w) => s + w.total, 0);
  const title = `Net earnings per week in ${currency}, last ${weeks.length} weeks: ${formatMoney(total, currency)} in all`;
  return (
    <figure className="earnings-chart" data-testid={`earnings-chart-${currency}`}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
        <title>{title}</title>
        <line x1={0} x2={WIDTH} y1={plot} y2={plot} className="earnings-axis" />
        {weeks.map((w, i) => {
          const height = Math.round((w.total / max) * (plot - 8));
          const x = i * slot + (slot - barWidth) / 2;
          return (
            <g key={w.weekStart.toISOString()}>
              <rect
                x={x}
                y={plot - height}
                width={barWidth}
                height={height}
                className="earnings-bar"
              >
                <title>{`Week of ${weekText(w.weekStart)}: ${formatMoney(w.total, currency)}`}</title>
              </rect>
              <text
                x={x + barWidth / 2}
                y={HEIGHT - 6}
                textAnchor="middle"
                className="earnings-label"
              >
                {weekText(w.weekStart)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        Highest week: {formatMoney(Math.max(0, ...weeks.map((w) => w.total)), currency)}.
      </figcaption>
      <details>
        <summary className="small">Weekly figures as a table</summary>
        <table className="tt-table">
          <caption className="sr-only">Net earnings per week in {currency}</caption>
          <thead>
            <tr>
              <th scope="col">Week starting (Monday)</th>
              <th scope="col" className="num">
                Net earnings
              </th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.weekStart.toISOString()}>
                <th scope="row">{weekText(w.weekStart)}</th>
                <td className="num">{formatMoney(w.total, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
