// A FAKE of the `vscode` module, for the activation benchmark only: a benchmark cannot start a workbench per sample,
// so the bundle (dist/extension.cjs) is loaded in plain Node with this standing in for the editor. It implements
// just what activate() and the tree provider touch, and records what a workbench would do with the tree view: ask
// the provider for its root rows at once (the view is visible) and render each with getTreeItem.
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';

type Listener<T> = (e: T) => void;

class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (l: Listener<T>): { dispose(): void } => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

const noEvent = (): { dispose(): void } => ({ dispose: () => undefined });

export interface TreeProvider {
  getChildren(element?: unknown): Promise<unknown[]> | unknown[];
  getTreeItem(element: unknown): unknown;
}

export interface FakeWorkbench {
  /** The provider's root rows rendered as tree items, when the first getChildren answered. */
  readonly firstRows: Promise<{ at: number; items: { label: string; description?: string }[] }>;
  readonly context: { subscriptions: { dispose(): void }[]; globalStorageUri: { fsPath: string; scheme: string }; globalState: { get<T>(k: string): T | undefined; update(k: string, v: unknown): Promise<void> } };
}

/** Installs the fake as the module `vscode` for every later require(); returns what it records. */
export function installFakeVscode(): FakeWorkbench {
  let resolveRows: (v: { at: number; items: { label: string; description?: string }[] }) => void = () => undefined;
  const firstRows = new Promise<{ at: number; items: { label: string; description?: string }[] }>((r) => (resolveRows = r));
  const state = new Map<string, unknown>();
  const api = {
    EventEmitter,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    TreeItem: class {
      label: string;
      collapsibleState: number;
      description?: string;
      constructor(label: string, state: number) {
        this.label = label;
        this.collapsibleState = state;
      }
    },
    ThemeIcon: class {
      readonly id: string;
      constructor(id: string) {
        this.id = id;
      }
    },
    ThemeColor: class {
      readonly id: string;
      constructor(id: string) {
        this.id = id;
      }
    },
    MarkdownString: class {
      readonly value: string;
      constructor(value: string) {
        this.value = value;
      }
    },
    Uri: { file: (p: string) => ({ fsPath: p, scheme: 'file' }), from: (c: unknown) => c },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    FileType: { File: 1, Directory: 2 },
    window: {
      createOutputChannel: () => ({ info: () => undefined, warn: () => undefined, error: () => undefined, trace: () => undefined, debug: () => undefined, appendLine: () => undefined, dispose: () => undefined }),
      createStatusBarItem: () => ({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
      createTreeView: (_id: string, opts: { treeDataProvider: TreeProvider }) => {
        const p = opts.treeDataProvider;
        // The view is visible: the workbench asks for the root rows right away and renders them.
        void Promise.resolve(p.getChildren(undefined)).then((rows) => {
          const items = rows.map((r) => p.getTreeItem(r) as { label: string; description?: string });
          resolveRows({ at: performance.now(), items });
        });
        return { visible: true, description: undefined, message: undefined, onDidChangeVisibility: noEvent, onDidCollapseElement: noEvent, onDidExpandElement: noEvent, reveal: () => Promise.resolve(), dispose: () => undefined };
      },
      showInformationMessage: () => Promise.resolve(undefined),
      showErrorMessage: () => Promise.resolve(undefined),
    },
    workspace: {
      isTrusted: true,
      workspaceFolders: undefined,
      textDocuments: [],
      getConfiguration: () => ({ get: <T>(_k: string, d: T) => d }),
      registerTextDocumentContentProvider: () => ({ dispose: () => undefined }),
      onDidChangeConfiguration: noEvent,
      onDidGrantWorkspaceTrust: noEvent,
      onDidCloseTextDocument: noEvent,
    },
    commands: {
      registerCommand: () => ({ dispose: () => undefined }),
      executeCommand: () => Promise.resolve(undefined),
    },
    languages: {},
  };
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = mod._load;
  // Namespaces activate() touches beyond what is modelled above (serializers, walkthrough state, forwards…) answer
  // as a workbench does when nothing happens: an `on…` event that never fires, any other call a no-op disposable.
  const lenient = <T extends object>(ns: T): T =>
    new Proxy(ns, {
      get: (target, key, receiver) => {
        if (Reflect.has(target, key) || typeof key !== 'string') return Reflect.get(target, key, receiver);
        return key.startsWith('on') ? noEvent : () => ({ dispose: () => undefined });
      },
    });
  const fake = { ...api, window: lenient(api.window), workspace: lenient(api.workspace), commands: lenient(api.commands), languages: lenient(api.languages), env: lenient({}) };
  mod._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fake : load(request, ...rest));
  return {
    firstRows,
    context: {
      subscriptions: [],
      globalStorageUri: { fsPath: path.join(os.tmpdir(), 'liqo-bench-activation-storage'), scheme: 'file' },
      globalState: {
        get: <T>(k: string) => state.get(k) as T | undefined,
        update: (k: string, v: unknown) => {
          state.set(k, v);
          return Promise.resolve();
        },
      },
    },
  };
}
