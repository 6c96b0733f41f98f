// Label / value pairs in a compact grid (two pairs a row) so the facts fit the 1366×768 screen.
import type { CSSProperties } from 'react';

const GRID: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'max-content minmax(0, 1fr) max-content minmax(0, 1fr)',
  columnGap: 12,
  rowGap: 2,
  margin: '4px 0 8px',
  fontSize: 16,
};
const LABEL: CSSProperties = { color: '#555', margin: 0 };
const VALUE: CSSProperties = { margin: 0, fontWeight: 600, overflowWrap: 'anywhere' };

export function FactsGrid({
  rows,
  testId,
}: {
  rows: [label: string, value: string | null | undefined][];
  testId?: string;
}) {
  return (
    <dl style={GRID} data-testid={testId}>
      {rows
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .flatMap(([k, v]) => [
          <dt key={`${k}:k`} style={LABEL}>
            {k}
          </dt>,
          <dd key={`${k}:v`} style={VALUE} className="mono">
            {v}
          </dd>,
        ])}
    </dl>
  );
}
