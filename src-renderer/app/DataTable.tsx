// A table described by its columns: the header row, one body row per item, and optional rows below.
import type { HTMLAttributes, Key, ReactNode, Ref, TableHTMLAttributes } from 'react';

export interface Column<R> {
  /** Header text; a column without any (e.g. a body-only table) leaves its `<th>` empty. */
  title?: ReactNode;
  cell(row: R, index: number): ReactNode;
  /** A right-aligned amount or count: `num` on both the header and the body cell. */
  num?: boolean;
  /** More classes of the body cell (`mono`, `data`, `strong`, …), fixed or per row. */
  className?: string | ((row: R) => string | undefined);
  /** The row's header cell: `<th>` instead of `<td>`. */
  rowHeader?: boolean;
}

type RowProps = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: unknown };

export type DataTableProps<R> = TableHTMLAttributes<HTMLTableElement> & {
  columns: readonly Column<R>[];
  rows: readonly R[];
  /** The React key of a row: its `id` unless given. */
  rowKey?(row: R, index: number): Key;
  rowProps?(row: R, index: number): RowProps;
  /** false: no `<thead>` (short history lists). */
  head?: boolean;
  /** Shown across all columns when there are no rows. */
  emptyRow?: ReactNode;
  /** Shown instead of the table when there are no rows. */
  whenEmpty?: ReactNode;
  /** Rows of a `<tfoot>` (totals); build them with `Cells`. */
  foot?: ReactNode;
  bodyRef?: Ref<HTMLTableSectionElement>;
  'data-testid'?: string;
};

export function DataTable<R>({
  columns,
  rows,
  rowKey,
  rowProps,
  head = true,
  emptyRow,
  whenEmpty,
  foot,
  bodyRef,
  ...table
}: DataTableProps<R>) {
  if (rows.length === 0 && whenEmpty !== undefined) return whenEmpty;
  return (
    <table {...table}>
      {head && (
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={c.num ? 'num' : undefined}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody ref={bodyRef}>
        {rows.map((row, i) => (
          <tr key={rowKey ? rowKey(row, i) : idOf(row, i)} {...rowProps?.(row, i)}>
            <Cells columns={columns} row={row} index={i} />
          </tr>
        ))}
        {rows.length === 0 && emptyRow !== undefined && (
          <tr>
            <td colSpan={columns.length}>{emptyRow}</td>
          </tr>
        )}
      </tbody>
      {foot !== undefined && <tfoot>{foot}</tfoot>}
    </table>
  );
}

function idOf(row: unknown, index: number): Key {
  const id = (row as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : index;
}

/** The cells of one row by the columns (also for a totals row in `foot`). */
export function Cells<R>({
  columns,
  row,
  index = -1,
}: {
  columns: readonly Column<R>[];
  row: R;
  index?: number;
}) {
  return columns.map((c, i) => {
    const extra = typeof c.className === 'function' ? c.className(row) : c.className;
    const className = [c.num ? 'num' : '', extra ?? ''].filter(Boolean).join(' ') || undefined;
    const Cell = c.rowHeader ? 'th' : 'td';
    return (
      <Cell key={i} className={className}>
        {c.cell(row, index)}
      </Cell>
    );
  });
}
