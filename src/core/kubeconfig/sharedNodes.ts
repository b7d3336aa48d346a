// YAML anchors and aliases in a kubeconfig being edited: which aliases would silently follow an edit (an alias, or a
// merge key `<<: *x`, that resolves to the node being changed or to one holding it), so that the edit can write
// their old value out in their place instead, and say so. Only files read with the yaml Document API have anchors.
import { isAlias, isCollection, isPair, isScalar, visit, type Alias, type Document } from 'yaml';

export interface SharedUse {
  readonly alias: Alias;
  readonly anchor: string;
  /** The value the alias stands for before the edit, as data. */
  readonly value: unknown;
}

const anchorOf = (n: unknown): string | undefined => ((isScalar(n) || isCollection(n)) && typeof n.anchor === 'string' && n.anchor !== '' ? n.anchor : undefined);

/** The nodes from the root down to `target`, both included; empty when `target` is not in the tree. */
function chainTo(root: unknown, target: unknown): unknown[] {
  const path: unknown[] = [];
  const walk = (n: unknown): boolean => {
    if (!n || typeof n !== 'object') return false;
    path.push(n);
    if (n === target) return true;
    if (isPair(n)) {
      if (walk(n.key) || walk(n.value)) return true;
    } else if (isCollection(n)) {
      for (const it of n.items) if (walk(it)) return true;
    }
    path.pop();
    return false;
  };
  walk(root);
  return path;
}

function anchoredWithin(n: unknown, out: Set<unknown>): void {
  if (!n || typeof n !== 'object' || isAlias(n)) return;
  if (anchorOf(n) !== undefined) out.add(n);
  if (isPair(n)) {
    anchoredWithin(n.key, out);
    anchoredWithin(n.value, out);
  } else if (isCollection(n)) for (const it of n.items) anchoredWithin(it, out);
}

/**
 * The aliases whose value changes when `target` changes: those resolving to `target` or to a node holding it, and
 * with `whole` (the node is removed or replaced) also those resolving to anchored nodes inside it.
 */
export function sharedUses(doc: Document.Parsed, target: unknown, whole: boolean): SharedUse[] {
  const anchored = new Set<unknown>();
  for (const n of chainTo(doc.contents, target)) if (anchorOf(n) !== undefined) anchored.add(n);
  if (whole) anchoredWithin(target, anchored);
  if (anchored.size === 0) return [];
  const uses: SharedUse[] = [];
  visit(doc, {
    Alias(_key, alias) {
      const node = alias.resolve(doc);
      if (node && anchored.has(node)) uses.push({ alias, anchor: alias.source, value: node.toJS(doc, { maxAliasCount: 1000 }) });
    },
  });
  return uses;
}

/** One-line flow YAML for data (JSON with spaces; strings double-quoted, so YAML 1.1 reads them as strings). */
export function flowOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowOf).join(', ')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${flowOf(v)}`).join(', ')}}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}
