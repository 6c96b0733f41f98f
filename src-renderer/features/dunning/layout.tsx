// The dunning screens lay out their own forms and lists (dunning.css): labels without the `field`
// class (stacked by `.dunning-filters` / `.dunning-contact`), history tables without a header row.
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
  return <SelectField fieldClass="" {...props} />;
}

export function HistoryTable<R>(props: Omit<DataTableProps<R>, 'head' | 'className'>) {
  return <DataTable className="dunning-table" head={false} {...props} />;
}
