// The dunning screens lay out their own forms and lists (dunning.css): labels without the `field`
// class (stacked by `.dunning-filters` / `.dunning-contact`), history tables without a header row.
import { Button } from 'antd';
import type { FormEvent, ReactNode } from 'react';
import { DataTable, type DataTableProps } from '../../app/DataTable';
import {
  SelectField,
  TextField,
  type SelectFieldProps,
  type TextFieldProps,
} from '../../app/fields';

export function DunningField(props: TextFieldProps) {
  return <TextField fieldClass="" {...props} />;
}

export function DunningSelect<V extends string>(props: SelectFieldProps<V>) {
  return <SelectField fieldClass="" plain {...props} />;
}

export function HistoryTable<R>(props: Omit<DataTableProps<R>, 'head' | 'className'>) {
  return <DataTable className="dunning-table" head={false} {...props} />;
}

/** A form that adds one entry to a household's log: its fields, then the button that adds it. */
export function EntryForm(props: {
  onSubmit(e: FormEvent): Promise<void>;
  submitText: string;
  children: ReactNode;
}) {
  return (
    <form className="dunning-contact" onSubmit={(e) => void props.onSubmit(e)}>
      {props.children}
      <Button htmlType="submit">{props.submitText}</Button>
    </form>
  );
}
