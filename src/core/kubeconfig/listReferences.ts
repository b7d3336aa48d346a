// What the other files of a KUBECONFIG list mean for an edit of one of them. kubectl reads the list as one config:
// the first file to define a context, cluster or user name wins, a context may use a cluster or user defined in
// another file, and current-context comes from the first file that sets it. An edit of one file must respect that:
// keep a cluster or user another file's context uses, refuse a name another file already holds, and follow a renamed
// context in the file whose current-context names it. Pure: the caller reads the files.
import type { Kubeconfig } from './parse.ts';

export type RefKind = 'cluster' | 'user';

export interface ListFile {
  readonly path: string;
  readonly config: Kubeconfig;
}

export interface OutsideReferences {
  /** For each cluster (user) name this file's definition provides: the contexts of other files that use it, described. */
  readonly usedBy: Readonly<Record<RefKind, ReadonlyMap<string, readonly string[]>>>;
  /** Names an earlier file defines: this file's definition of them is shadowed, nothing here uses it. */
  readonly definedEarlier: Readonly<Record<RefKind, ReadonlySet<string>>>;
  /** Names any other file of the list defines. */
  readonly definedElsewhere: Readonly<Record<RefKind, ReadonlySet<string>>>;
  /** Context names the other files define. */
  readonly contexts: ReadonlySet<string>;
  /** current-context as kubectl reads it, when another file sets it. */
  readonly currentContext?: { readonly file: string; readonly name: string };
}

export const NO_OUTSIDE_REFERENCES: OutsideReferences = {
  usedBy: { cluster: new Map(), user: new Map() },
  definedEarlier: { cluster: new Set(), user: new Set() },
  definedElsewhere: { cluster: new Set(), user: new Set() },
  contexts: new Set(),
};

const namesOf = (c: Kubeconfig, kind: RefKind): string[] => (kind === 'cluster' ? c.clusters : c.users).map((e) => e.name);

/** The references of the list's other files into `target` (which must be one of `files`, in list order). */
export function outsideReferences(files: readonly ListFile[], target: string): OutsideReferences {
  const at = files.findIndex((f) => f.path === target);
  if (at < 0 || files.length < 2) return NO_OUTSIDE_REFERENCES;
  const winner: Record<RefKind, Map<string, number>> = { cluster: new Map(), user: new Map() };
  files.forEach((f, i) => {
    for (const kind of ['cluster', 'user'] as const) for (const n of namesOf(f.config, kind)) if (!winner[kind].has(n)) winner[kind].set(n, i);
  });
  const usedBy: Record<RefKind, Map<string, string[]>> = { cluster: new Map(), user: new Map() };
  const definedEarlier: Record<RefKind, Set<string>> = { cluster: new Set(), user: new Set() };
  const definedElsewhere: Record<RefKind, Set<string>> = { cluster: new Set(), user: new Set() };
  const contexts = new Set<string>();
  files.forEach((f, i) => {
    for (const kind of ['cluster', 'user'] as const) {
      if (i === at) continue;
      for (const n of namesOf(f.config, kind)) {
        definedElsewhere[kind].add(n);
        if (i < at) definedEarlier[kind].add(n);
      }
    }
    for (const ctx of f.config.contexts) {
      if (i === at) continue;
      contexts.add(ctx.name);
      // A shadowed context counts too: deleting or renaming the context that shadows it brings it back into use.
      for (const kind of ['cluster', 'user'] as const) {
        const ref = ctx[kind];
        if (ref && winner[kind].get(ref) === at) usedBy[kind].set(ref, [...(usedBy[kind].get(ref) ?? []), `"${ctx.name}" (${f.path})`]);
      }
    }
  });
  const setter = files.find((f) => f.config.currentContext);
  const currentContext = setter && setter.path !== target && setter.config.currentContext ? { file: setter.path, name: setter.config.currentContext } : undefined;
  return { usedBy, definedEarlier, definedElsewhere, contexts, ...(currentContext ? { currentContext } : {}) };
}
