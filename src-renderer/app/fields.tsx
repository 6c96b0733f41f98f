// The labelled form fields every screen uses: the label text in a <span>, the control after it, so
// a click on the text focuses the control and Tab order follows the page.
import { Input, type InputProps, type InputRef } from 'antd';
import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes } from 'react';

interface Labelled {
  label: ReactNode;
  /** Class of the `<label>`: `field` unless the page lays its labels out itself ('' for none). */
  fieldClass?: string;
}

/** What a TextField passes on to its Input besides value and onValue. */
export type InputExtras = Omit<InputProps, 'value' | 'onChange'>;

/** The props of an amount input (yuan). */
export const AMOUNT: InputExtras = { prefix: '¥', inputMode: 'decimal' };
/** A clerk's PIN at log-in and when it is changed: hidden digits, large. */
export const PIN: InputExtras = {
  type: 'password',
  inputMode: 'numeric',
  maxLength: 12,
  size: 'large',
};

export type TextFieldProps = Labelled &
  InputExtras & {
    value: string;
    onValue(value: string): void;
    ref?: Ref<InputRef>;
  };

export function TextField({ label, fieldClass = 'field', onValue, ref, ...input }: TextFieldProps) {
  return (
    <label className={fieldClass || undefined}>
      <span>{label}</span>
      <Input ref={ref} onChange={(e) => onValue(e.target.value)} {...input} />
    </label>
  );
}

export type SelectFieldProps<V extends string> = Labelled &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
    value: V;
    options: readonly NoInfer<V>[];
    optionText(value: NoInfer<V>): ReactNode;
    onValue(value: NoInfer<V>): void;
    ref?: Ref<HTMLSelectElement>;
    /** Styled by the page's own CSS: no `native-select` class. */
    plain?: boolean;
  };

/** A native `<select>` (keyboard: arrows change the value, no popup to close). */
export function SelectField<V extends string>({
  label,
  fieldClass = 'field',
  options,
  optionText,
  onValue,
  ref,
  plain,
  ...select
}: SelectFieldProps<V>) {
  return (
    <label className={fieldClass || undefined}>
      <span>{label}</span>
      <select
        ref={ref}
        className={plain ? undefined : 'native-select'}
        onChange={(e) => onValue(e.target.value as V)}
        {...select}
      >
        <Options values={options} text={optionText} />
      </select>
    </label>
  );
}

/** The `<option>`s of a select whose values are the given strings. */
export function Options<V extends string>({
  values,
  text,
}: {
  values: readonly V[];
  text(value: V): ReactNode;
}) {
  return values.map((v) => (
    <option key={v} value={v}>
      {text(v)}
    </option>
  ));
}

export type CheckFieldProps = Labelled &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'checked' | 'onChange'> & {
    checked: boolean;
    onChecked(checked: boolean): void;
  };

/** A checkbox with its text after it (Space toggles). */
export function CheckField({
  label,
  fieldClass = 'field check',
  onChecked,
  ...input
}: CheckFieldProps) {
  return (
    <label className={fieldClass || undefined}>
      <input type="checkbox" onChange={(e) => onChecked(e.target.checked)} {...input} />
      <span>{label}</span>
    </label>
  );
}
