// One keyboard map for the whole window: the current screen declares its keys (shown in the key
// bar, run on keydown), the shell adds global ones. Enter is handled by each screen's form.
import {
  createContext,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export type KeyName =
  | 'Enter'
  | 'Escape'
  | 'ArrowUpDown'
  | 'Tab'
  | 'F1'
  | 'F2'
  | 'F3'
  | 'F4'
  | 'F5'
  | 'F6'
  | 'F7'
  | 'F8'
  | 'F9'
  | 'F10'
  | 'F11'
  | 'F12';

export interface KeyDef {
  key: KeyName;
  label: string;
  /** Absent for keys the focused form handles itself (Enter, arrows): shown, not dispatched. */
  run?: () => void;
  disabled?: boolean;
}

interface Registry {
  setScreen(keys: KeyDef[]): void;
  setGlobal(keys: KeyDef[]): void;
  subscribe(listener: () => void): () => void;
  shown(): KeyDef[];
}

function createRegistry(): Registry {
  let screen: KeyDef[] = [];
  let global: KeyDef[] = [];
  let signature = '';
  const listeners = new Set<() => void>();
  const sig = (keys: KeyDef[]) =>
    keys.map((k) => `${k.key}:${k.label}:${k.disabled ? 1 : 0}`).join('|');
  const changed = () => {
    const next = `${sig(screen)}#${sig(global)}`;
    if (next === signature) return;
    signature = next;
    for (const l of [...listeners]) l();
  };
  return {
    setScreen(keys) {
      screen = keys;
      changed();
    },
    setGlobal(keys) {
      global = keys;
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    shown() {
      const taken = new Set(screen.map((k) => k.key));
      return [...screen, ...global.filter((k) => !taken.has(k.key))];
    },
  };
}

const KeysContext = createContext<Registry | null>(null);

function useRegistry(): Registry {
  const r = useContext(KeysContext);
  if (!r) throw new Error('KeysProvider missing');
  return r;
}

/** Installs the window keydown handler. `blocked` (e.g. while a payment commits) ignores all keys. */
export function KeysProvider({ children, blocked }: { children: ReactNode; blocked: boolean }) {
  const [registry] = useState(createRegistry);
  const blockedRef = useRef(blocked);
  blockedRef.current = blocked;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const isF = /^F([1-9]|1[0-2])$/.test(e.key);
      if (!isF && e.key !== 'Escape') return;
      if (isF) e.preventDefault(); // no browser reload/fullscreen/devtools on the counter
      if (blockedRef.current || e.repeat) return;
      const def = registry.shown().find((k) => k.key === e.key);
      if (def?.run && !def.disabled) {
        e.preventDefault();
        e.stopPropagation();
        def.run();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [registry]);
  return <KeysContext.Provider value={registry}>{children}</KeysContext.Provider>;
}

/** A screen's keys; call on every render (the closures stay current). */
export function useScreenKeys(keys: KeyDef[]) {
  const registry = useRegistry();
  useLayoutEffect(() => registry.setScreen(keys));
  useLayoutEffect(() => () => registry.setScreen([]), [registry]);
}

export function useGlobalKeys(keys: KeyDef[]) {
  const registry = useRegistry();
  useLayoutEffect(() => registry.setGlobal(keys));
}

const KEY_TEXT: Partial<Record<KeyName, string>> = {
  Enter: 'Enter',
  Escape: 'Esc',
  ArrowUpDown: '↑↓',
  Tab: 'Tab',
};

/** The on-screen keyboard map; each entry is also a button for the rare mouse user. */
export function KeyBar({ title }: { title: string }) {
  const registry = useRegistry();
  const [, setTick] = useState(0);
  useEffect(() => registry.subscribe(() => setTick((n) => n + 1)), [registry]);
  return (
    <nav className="keybar" aria-label={title} data-testid="keybar">
      {registry.shown().map((k) => (
        <button
          key={k.key}
          type="button"
          tabIndex={-1}
          className="keycap"
          disabled={k.disabled}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => k.run?.()}
          data-key={k.key}
        >
          <kbd>{KEY_TEXT[k.key] ?? k.key}</kbd>
          <span>{k.label}</span>
        </button>
      ))}
    </nav>
  );
}
