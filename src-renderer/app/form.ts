import { useState } from 'react';

type Values = Record<string, string | boolean>;
type KeysOf<F, T> = { [K in keyof F]: F[K] extends T ? K : never }[keyof F] & string;

/** What `bind` gives a TextField or SelectField. */
export interface Bound<V extends string = string> {
  name: string;
  value: V;
  onValue(value: V): void;
}

/**
 * The values of a form, one per input, keyed by the input's name. `bind(name)` gives a TextField or
 * SelectField its name, value and onValue; `check(name)` a CheckField its name and checked state.
 */
export function useForm<F extends Values>(initial: F) {
  const [values, setValues] = useState<F>(initial);
  const set = (patch: Partial<F>) => setValues((v) => ({ ...v, ...patch }));
  const setOne = <K extends keyof F>(name: K, value: F[K]) =>
    setValues((v) => ({ ...v, [name]: value }));
  return {
    values,
    set,
    bind: <K extends KeysOf<F, string>>(name: K): Bound<F[K] & string> => ({
      name,
      value: values[name] as F[K] & string,
      onValue: (value) => setOne(name, value),
    }),
    check: <K extends KeysOf<F, boolean>>(name: K) => ({
      name,
      checked: values[name] as boolean,
      onChecked: (checked: boolean) => setOne(name, checked as F[K]),
    }),
    /** Puts the named fields back to their first values. */
    reset(...names: (keyof F)[]) {
      setValues((v) => {
        const next = { ...v };
        for (const n of names) next[n] = initial[n];
        return next;
      });
    },
  };
}
