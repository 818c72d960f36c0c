import type { TokenBurn } from '@volundr/contracts/chronicles';
import { useId } from 'react';
import { formatTokens, formatUsd } from '../../components/format';
import { formatElapsed } from '../provisioning/provisioning-steps';
import { burnChart } from './token-burn';

const W = 640;
const H = 140;

/** Tokens used per time bucket since the session started; the numbers are in a table for screen readers. */
export function TokenBurnChart({ burn }: { burn: TokenBurn }) {
  const chart = burnChart(burn, W, H);
  const titleId = useId();
  if (chart.bars.length === 0) return <p className="muted">No tokens used yet.</p>;
  const minutes = Math.round(chart.bucketSeconds / 60);
  return (
    <figure className="burn">
      <svg
        viewBox={`0 0 ${W} ${H + 18}`}
        role="img"
        aria-labelledby={titleId}
        className="burn-chart"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={titleId}>
          {`Token burn: ${formatTokens(chart.totalTokens)} tokens in ${chart.bars.length} buckets of ${minutes} minutes, peak ${formatTokens(chart.maxTokens)}`}
        </title>
        <line x1="0" y1={H} x2={W} y2={H} className="burn-axis" />
        {chart.bars.map((bar) => (
          <rect key={bar.t} x={bar.x} y={bar.y} width={bar.width} height={bar.height} className="burn-bar">
            <title>{`${formatElapsed(bar.t * 1000)}: ${formatTokens(bar.tokens)} tokens, ${formatUsd(bar.costUsd)}`}</title>
          </rect>
        ))}
        <text x="0" y={H + 14} className="burn-label">
          0:00
        </text>
        <text
          x={Math.max(40, Math.min(W, (chart.bars.at(-1)?.x ?? 0) + (chart.bars.at(-1)?.width ?? 0)))}
          y={H + 14}
          className="burn-label"
          textAnchor="end"
        >
          {formatElapsed(chart.bars.length * chart.bucketSeconds * 1000)}
        </text>
      </svg>
      <figcaption className="muted">
        {formatTokens(chart.totalTokens)} tokens · {formatUsd(chart.totalCostUsd)} · {minutes}-minute buckets
      </figcaption>
      <table className="visually-hidden">
        <caption>Tokens per {minutes}-minute bucket</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Tokens</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {chart.bars
            .filter((b) => b.tokens > 0)
            .map((b) => (
              <tr key={b.t}>
                <td>{formatElapsed(b.t * 1000)}</td>
                <td>{b.tokens}</td>
                <td>{formatUsd(b.costUsd)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
