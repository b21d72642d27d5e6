import { useEffect, useRef, useState } from 'preact/hooks';
import { formatNumber, formatTime } from '../format';

/** One bucket of an analysis over time (`/v1/analyses/anomalies` answers these). */
export interface ChartPoint {
  readonly bucket: string;
  readonly value: number | null;
  readonly lower?: number | null;
  readonly upper?: number | null;
  readonly anomaly?: boolean;
}

/**
 * A time series with its control band, drawn by uPlot (loaded only when a chart is shown, so
 * the first page carries none of it), with the same figures as a table for screen readers and
 * for anyone who wants the numbers.
 */
export function TimeChart({
  title,
  points,
}: {
  readonly title: string;
  readonly points: readonly ChartPoint[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    const element = box.current;
    if (!element || points.length === 0) return;
    void (async () => {
      try {
        const [{ default: UPlot }] = await Promise.all([
          import('uplot'),
          import('uplot/dist/uPlot.min.css'),
        ]);
        if (cancelled) return;
        const style = getComputedStyle(document.documentElement);
        const color = (name: string) => style.getPropertyValue(name).trim() || 'gray';
        const xs = points.map((p) => Date.parse(p.bucket) / 1000);
        const data = [
          xs,
          points.map((p) => p.value ?? null),
          points.map((p) => p.lower ?? null),
          points.map((p) => p.upper ?? null),
        ];
        chart = new UPlot(
          {
            width: Math.max(280, element.clientWidth),
            height: 220,
            axes: [
              {
                stroke: color('--fg'),
                grid: { stroke: color('--grid') },
                ticks: { stroke: color('--grid') },
              },
              {
                stroke: color('--fg'),
                grid: { stroke: color('--grid') },
                ticks: { stroke: color('--grid') },
              },
            ],
            series: [
              {},
              {
                label: title,
                stroke: color('--accent'),
                width: 2,
                points: { show: true, size: 5 },
              },
              { label: 'lower limit', stroke: color('--muted'), dash: [4, 4] },
              { label: 'upper limit', stroke: color('--danger'), dash: [4, 4] },
            ],
            legend: { show: true },
          },
          data as never,
          element,
        );
      } catch {
        if (!cancelled) setFailed(true);
      }
    })();
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [points, title]);
  const flagged = points.filter((p) => p.anomaly);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div
        ref={box}
        class="chart-canvas"
        role="img"
        aria-label={`${title}: ${points.length} points${flagged.length > 0 ? `, ${flagged.length} flagged as anomalies` : ''}`}
      />
      {failed && <p class="muted">The chart could not be drawn; the figures are below.</p>}
      <details>
        <summary>Figures of {title.toLowerCase()}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              <th scope="col">Value</th>
              <th scope="col">Lower</th>
              <th scope="col">Upper</th>
              <th scope="col">Anomaly</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.bucket} class={p.anomaly ? 'flagged' : undefined}>
                <td>{formatTime(p.bucket)}</td>
                <td class="num">{formatNumber(p.value)}</td>
                <td class="num">{formatNumber(p.lower)}</td>
                <td class="num">{formatNumber(p.upper)}</td>
                <td>{p.anomaly ? 'yes' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
