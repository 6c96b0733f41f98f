import type { ReactNode } from 'react';

export interface Fact {
  label: ReactNode;
  value: ReactNode;
  testId?: string;
  /** Class of the value (`mono`, `data`, `warn`, …). */
  className?: string;
}

/** Label / value pairs as `<dl>`, each pair in its own `<div>`; falsy entries are left out. */
export function Facts({
  items,
  className,
  testId,
}: {
  items: readonly (Fact | false | null | undefined)[];
  className?: string;
  testId?: string;
}) {
  return (
    <dl className={className} data-testid={testId}>
      {items.map(
        (f, i) =>
          f && (
            <div key={i}>
              <dt>{f.label}</dt>
              <dd className={f.className} data-testid={f.testId}>
                {f.value}
              </dd>
            </div>
          ),
      )}
    </dl>
  );
}
