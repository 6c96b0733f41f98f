import type { KeyDef, KeyName } from './keys';

export interface KeyTab<T extends string> {
  id: T;
  /** The function key that picks the tab; shown in front of the text. */
  key: KeyName;
  text: string;
  /** The key bar's label when it differs from the tab's text. */
  keyLabel?: string;
  testId?: string;
}

/** A row of tabs, each picked by its function key (see `tabKeys`) or a click. */
export function KeyTabs<T extends string>({
  tabs,
  selected,
  onPick,
}: {
  tabs: readonly KeyTab<T>[];
  selected: T;
  onPick(id: NoInfer<T>): void;
}) {
  return (
    <div className="slip-tabs">
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          className={tab.id === selected ? 'selected' : ''}
          onClick={() => onPick(tab.id)}
          data-testid={tab.testId}
        >
          {tab.key} {tab.text}
        </button>
      ))}
    </div>
  );
}

/** The key bar entries of the tabs. */
export function tabKeys<T extends string>(
  tabs: readonly KeyTab<T>[],
  pick: (id: NoInfer<T>) => void,
): KeyDef[] {
  return tabs.map((tab) => ({
    key: tab.key,
    label: tab.keyLabel ?? tab.text,
    run: () => pick(tab.id),
  }));
}
