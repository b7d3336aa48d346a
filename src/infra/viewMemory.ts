// What the view remembers across reloads, by context key (core/kubeconfig/contextKey.ts): the contexts the user hid,
// and the contexts seen with Liqo installed (their credential plugins may run at start-up, and "Liqo clusters only"
// keeps them while they are unreachable). The store is VS Code's global state in the extension (kubeconfigs belong
// to the user, not to a workspace, so a context hidden in one window is hidden in every window); tests and the bench
// use an in-process map.

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const HIDDEN = 'liqo.hiddenContexts';
const LIQO = 'liqo.liqoContexts';
/** Contexts come and go: remembering Liqo is bounded, the oldest forgotten first. */
const MAX_LIQO = 2000;

export class ViewMemory {
  private readonly store: KeyValueStore;
  private hidden: Set<string>;
  private liqo: string[];

  constructor(store: KeyValueStore) {
    this.store = store;
    this.hidden = new Set(strings(store.get(HIDDEN)));
    this.liqo = strings(store.get(LIQO));
  }

  isHidden(key: string): boolean {
    return this.hidden.has(key);
  }

  get hiddenKeys(): ReadonlySet<string> {
    return this.hidden;
  }

  setHidden(keys: readonly string[], hidden: boolean): void {
    const next = new Set(this.hidden);
    for (const k of keys) {
      if (hidden) next.add(k);
      else next.delete(k);
    }
    this.hidden = next;
    void this.store.update(HIDDEN, [...next]);
  }

  hasLiqo(key: string): boolean {
    return this.liqo.includes(key);
  }

  /** Returns true when what is remembered changed. */
  rememberLiqo(key: string, has: boolean): boolean {
    const at = this.liqo.indexOf(key);
    if (has === at >= 0) return false;
    this.liqo = has ? [...this.liqo, key].slice(-MAX_LIQO) : this.liqo.filter((k) => k !== key);
    void this.store.update(LIQO, this.liqo);
    return true;
  }
}

/** An in-process store (tests, the bench): nothing survives the process. */
export function inProcessStore(): KeyValueStore {
  const m = new Map<string, unknown>();
  return {
    get: <T>(key: string) => m.get(key) as T | undefined,
    update: (key, value) => {
      m.set(key, value);
      return Promise.resolve();
    },
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
