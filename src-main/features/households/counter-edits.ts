import type { Household } from './households.store';
import type { CounterEdit, CounterEditField } from './counter-edits.store';

/** The file's column of each protected field, for the import report. */
const COLUMN: Record<CounterEditField, string> = {
  name: 'name',
  phone: 'phone',
  areaHundredths: 'area_m2',
  category: 'category',
  subsidised: 'subsidised',
};

function shown(field: CounterEditField, value: CounterEdit['value']): string {
  if (field === 'areaHundredths') {
    const d = String(value).padStart(3, '0');
    return `${d.slice(0, -2)}.${d.slice(-2)} m²`;
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  return `"${String(value)}"`;
}

export interface EditNotice {
  row: number;
  column: string;
  message: string;
}

/**
 * What one row of a households file does to a household this counter has edited: where the file
 * carries the edit's value the edit is settled (the file rules that field again); where it differs
 * the counter's value stays and the report says so — or, told to overwrite, the file's value wins
 * and the report says that. `inFile` = the protected fields the file has a column for.
 */
export function reconcileCounterEdits(
  fileRow: Household,
  line: number,
  edits: readonly CounterEdit[],
  inFile: ReadonlySet<CounterEditField>,
  overwrite: boolean,
): { household: Household; settled: CounterEditField[]; notices: EditNotice[] } {
  const household = { ...fileRow };
  const settled: CounterEditField[] = [];
  const notices: EditNotice[] = [];
  for (const edit of edits) {
    if (!inFile.has(edit.field)) continue;
    const fileValue = fileRow[edit.field];
    if (fileValue === edit.value) {
      settled.push(edit.field);
      continue;
    }
    const what = `柜台于 ${edit.editedAt.slice(0, 10)} 改为 ${shown(edit.field, edit.value)}，文件为 ${shown(edit.field, fileValue)}`;
    if (overwrite) {
      settled.push(edit.field);
      notices.push({
        row: line,
        column: COLUMN[edit.field],
        message: `${what}：已按文件覆盖 / the file's value overwrote the counter's edit`,
      });
    } else {
      (household as Record<CounterEditField, CounterEdit['value']>)[edit.field] = edit.value;
      notices.push({
        row: line,
        column: COLUMN[edit.field],
        message: `${what}：保留柜台的修改 / the counter's edit was kept`,
      });
    }
  }
  return { household, settled, notices };
}
