// Edits kubeconfig text in place: nodes are located with their source ranges (by the block reader for the files
// kubectl and the cluster tools write, by the yaml Document API otherwise) and every change is a splice of the
// original text, so comments, key order, quoting, anchors and unknown fields outside the edited values stay byte for
// byte. An alias that would follow a change keeps its old value, written out in its place. Each splice also states
// its meaning on the plain data model; finish() re-parses the result and refuses (typed error) unless it is valid
// YAML meaning exactly the intended data.
import { parseDocument, isMap, isSeq, isScalar, isAlias, type Document, type YAMLMap, type YAMLSeq, type Pair } from 'yaml';
import { KubeconfigEditError, lineAt } from './editError.ts';
import { plainIsNotString, stringifyForKubectl } from './yaml11Scalar.ts';
import { lazyItemSpans, parseBlockYaml, parseBlockYamlLocated } from './blockYaml.ts';
import { flowOf, sharedUses } from './sharedNodes.ts';

export interface TextEdit {
  /** Offsets in the original text: [start, end) is replaced by `text`. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** What changed, in words, never a secret value. */
  readonly summary: string;
}

export interface EditResult {
  readonly text: string;
  readonly edits: readonly TextEdit[];
  /** Things the user should know that are not edits (e.g. current-context left pointing at a deleted context). */
  readonly notes: readonly string[];
}

export type ModelPath = readonly (string | number)[];
type AnyNode = { range?: [number, number, number] | null | undefined };
type Json = unknown;
const REMOVED = Symbol('removed');
const PARSE_OPTIONS = { prettyErrors: false, merge: true, keepSourceTokens: false } as const;

/** What an edit needs of a parsed file: its root node (located in the text) and its data. */
export interface ParsedForEdit {
  readonly doc: { readonly contents: unknown };
  readonly model: Record<string, Json>;
  /** The yaml Document, when the file needed it (anchors and aliases are found through it). */
  readonly document?: Document.Parsed;
}

const isList = (v: unknown): boolean => v === undefined || v === null || Array.isArray(v);

/**
 * Parses kubeconfig text for editing; malformed YAML is a typed error with its line. The files kubectl and the
 * cluster tools write are read by the block reader (milliseconds for 500 contexts); anything else (anchors, block
 * scalars, …) and every error by the yaml package's Document API.
 */
export function parseForEdit(text: string): ParsedForEdit {
  const fast = parseBlockYamlLocated(text);
  if (fast && isList(fast.root.clusters) && isList(fast.root.contexts) && isList(fast.root.users)) return { doc: { contents: fast.contents }, model: fast.root };
  return parseWithDocument(text);
}

function parseWithDocument(text: string): ParsedForEdit {
  const doc = parseDocument(text, PARSE_OPTIONS);
  const first = doc.errors[0];
  if (first) {
    const message = (first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new KubeconfigEditError('malformed-yaml', `The kubeconfig is not valid YAML: ${message}`, lineAt(text, first.pos[0]));
  }
  if (text.trim() !== '' && !isMap(doc.contents)) throw new KubeconfigEditError('not-a-kubeconfig', 'The file is not a YAML mapping (expected apiVersion, clusters, contexts, users)', 1);
  let model: unknown;
  try {
    model = doc.toJS({ maxAliasCount: 1000 }) ?? {};
  } catch (err) {
    throw new KubeconfigEditError('malformed-yaml', `The kubeconfig cannot be read: ${(err as Error).message}`);
  }
  for (const key of ['clusters', 'contexts', 'users']) {
    const v = (model as Record<string, Json>)[key];
    if (v !== undefined && v !== null && !Array.isArray(v)) {
      const node = doc.get(key, true) as AnyNode | undefined;
      throw new KubeconfigEditError('not-a-kubeconfig', `"${key}" must be a list`, node?.range ? lineAt(text, node.range[0]) : undefined);
    }
  }
  return { doc, model: model as Record<string, Json>, document: doc };
}

export class TextSplicer {
  readonly text: string;
  readonly doc: { readonly contents: unknown };
  readonly model: Record<string, Json>;
  /**
   * The data the result must mean. Copied on write along each edited path (the block reader's data shares nothing);
   * a file read with anchors is copied whole, as a tree, since its data may share objects between entries.
   */
  private readonly expected: Record<string, Json>;
  private readonly owned = new WeakSet<object>();
  private readonly edits: TextEdit[] = [];
  private readonly notes: string[] = [];
  private readonly eol: string;
  private readonly document: Document.Parsed | undefined;
  /** Aliases written out with their old value (by offset), so an edit of what they point at does not reach them. */
  private readonly keeps = new Map<number, TextEdit>();

  constructor(text: string) {
    this.text = text;
    const { doc, model, document } = parseForEdit(text);
    this.doc = doc;
    this.document = document;
    this.model = model;
    // a tree even where aliases made the data share objects: what one entry should become is checked on its own
    this.expected = (document ? cloneTree(model) : { ...model }) as Record<string, Json>;
    this.owned.add(this.expected);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  /**
   * Before `node` is changed (or, with `whole`, removed or replaced): every alias that would follow the change gets
   * its present value written out in its place, and the edit list says where.
   */
  private unshare(node: unknown, whole: boolean): void {
    if (!this.document) return;
    for (const use of sharedUses(this.document, node, whole)) {
      const r = use.alias.range;
      if (!r || this.keeps.has(r[0])) continue;
      const end = this.trimEnd(r[1]);
      const summary = `${this.entryAt(r[0])} keeps its value: *${use.anchor} written out there, as the anchor &${use.anchor} changes`;
      this.keeps.set(r[0], { start: r[0], end, text: flowOf(use.value), summary });
    }
  }

  /** The entry holding an offset, in words (`cluster "b"`), or the top-level key. */
  private entryAt(offset: number): string {
    const root = this.doc.contents;
    if (!isMap(root)) return 'the file';
    for (const pair of root.items) {
      const v = pair.value as AnyNode | null;
      if (!v?.range || offset < v.range[0] || offset > v.range[2]) continue;
      const key = String(keyName(pair));
      const kind = ({ clusters: 'cluster', contexts: 'context', users: 'user' } as Record<string, string>)[key];
      if (kind && isSeq(v)) {
        const i = v.items.findIndex((it) => {
          const ir = (it as AnyNode).range;
          return ir && offset >= ir[0] && offset <= ir[2];
        });
        const data = (this.model[key] as { name?: unknown }[] | undefined)?.[i];
        if (i >= 0 && typeof data?.name === 'string') return `${kind} "${data.name}"`;
      }
      return `"${key}"`;
    }
    return 'the file';
  }

  /** Replaces a value node (e.g. an alias) by data written as one-line flow YAML. */
  replaceWithData(node: unknown, value: Json, path: ModelPath, summary: string): void {
    const r = (node as AnyNode).range;
    if (!r) this.unsupported('a value without a place', node);
    this.unshare(node, true);
    this.modelSet(path, cloneTree(value));
    this.push(r[0], this.trimEnd(r[1]), flowOf(value), summary);
  }

  note(message: string): void {
    this.notes.push(message);
  }

  lineOf(node: unknown): number | undefined {
    const r = (node as AnyNode | undefined)?.range;
    return r ? lineAt(this.text, r[0]) : undefined;
  }

  /** Sets `key` of a mapping to a string: the scalar is replaced in place, or a pair is added after `afterKey`. */
  setValue(map: unknown, key: string, value: string, path: ModelPath, summary: string, afterKey?: string): void {
    const m = this.mapNode(map, path);
    this.unshare(m, false);
    const pair = findPair(m, key);
    this.modelSet([...path, key], value);
    if (pair) {
      const v = pair.value as AnyNode | null;
      if (v && (isScalar(v) || isAlias(v)) && v.range && !(isScalar(v) && v.value === null && v.range[0] === v.range[1])) {
        return this.replaceScalar(v, value, summary);
      }
      if (v && !isScalar(v)) this.unsupported(`"${key}" is not a plain value`, v);
      const colon = this.colonAfter(pair);
      return this.push(colon + 1, colon + 1, ` ${renderScalar(value)}`, summary);
    }
    const ref = (afterKey ? findPair(m, afterKey) : undefined) ?? m.items[m.items.length - 1];
    if (!ref) this.unsupported(`cannot add "${key}" to an empty mapping`, m);
    const refEnd = pairEnd(ref);
    if (m.flow) return this.push(refEnd, refEnd, `, ${key}: ${renderScalar(value, undefined, true)}`, summary);
    const keyStart = (ref.key as AnyNode | null)?.range?.[0];
    if (keyStart === undefined) this.unsupported(`cannot add "${key}" here`, m);
    const col = keyStart - this.lineStart(keyStart);
    const at = this.afterLine(refEnd);
    const lead = at === this.text.length && !this.text.endsWith('\n') ? this.eol : '';
    this.push(at, at, `${lead}${' '.repeat(col)}${key}: ${renderScalar(value)}${this.eol}`, summary);
  }

  /** Removes `key` from a mapping (nothing when absent). */
  removeKey(map: unknown, key: string, path: ModelPath, summary: string): void {
    const m = this.mapNode(map, path);
    const i = m.items.findIndex((p) => keyName(p) === key);
    const pair = m.items[i];
    if (!pair) return;
    this.unshare(pair.value ?? m, true);
    this.modelDelete([...path, key]);
    const keyStart = (pair.key as AnyNode).range![0];
    const next = m.items[i + 1];
    const prev = m.items[i - 1];
    const nextStart = next ? (next.key as AnyNode | null)?.range?.[0] : undefined;
    if (m.flow) {
      if (nextStart !== undefined) return this.push(keyStart, nextStart, '', summary);
      if (prev) return this.push(pairEnd(prev), pairEnd(pair), '', summary);
      return this.push(m.range![0], m.range![1], '{}', summary);
    }
    if (this.onlySpaceBefore(keyStart) && (next || prev)) return this.push(this.lineStart(keyStart), this.afterLine(pairEnd(pair)), '', summary);
    if (nextStart !== undefined) return this.push(keyStart, nextStart, '', summary);
    this.unsupported(`cannot remove "${key}" here`, m);
  }

  /** Replaces the value node (a scalar or alias) by a string scalar. */
  replaceScalar(node: unknown, value: string, summary: string): void {
    const n = node as AnyNode;
    if (!n.range || !(isScalar(node) || isAlias(node))) this.unsupported('expected a plain value', node);
    this.unshare(node, false);
    const start = n.range[0];
    let end = n.range[1];
    while (end > start && /\s/.test(this.text[end - 1]!)) end--;
    const inFlow = this.inFlow(start);
    this.push(start, end, renderScalar(value, isScalar(node) ? node.type : undefined, inFlow), summary);
  }

  /** Removes items from the list under a root key; an emptied list becomes `[]`. */
  removeItems(rootKey: string, indices: readonly number[], summary: (index: number) => string): void {
    if (indices.length === 0) return;
    const seqPair = findPair(this.rootMap(), rootKey);
    const seq = seqPair?.value;
    if (!seqPair || !isSeq(seq)) this.unsupported(`"${rootKey}" is not a list`, seqPair);
    for (const i of indices) {
      this.ownedAt([rootKey])[i] = REMOVED;
      this.unshare(seq.items[i], true);
    }
    if (indices.length === seq.items.length) {
      const colon = this.colonAfter(seqPair);
      const end = this.trimEnd(seq.range![1]);
      return this.push(colon + 1, end, ' []', indices.map(summary).join('; '));
    }
    for (const i of indices) {
      const item = seq.items[i] as AnyNode;
      if (seq.flow) {
        const next = seq.items[i + 1] as AnyNode | undefined;
        const prev = seq.items[i - 1] as AnyNode | undefined;
        if (next && !indices.includes(i + 1)) this.push(item.range![0], next.range![0], '', summary(i));
        else if (prev) this.push(prev.range![1], item.range![1], '', summary(i));
        else this.push(item.range![0], next!.range![0], '', summary(i));
      } else {
        this.push(this.lineStart(this.dashOf(seq, i)), this.afterLine(item.range![1]), '', summary(i));
      }
    }
  }

  /** Replaces one item of a root list with a freshly rendered entry. */
  replaceItem(rootKey: string, index: number, value: Record<string, Json>, summary: string): void {
    const seq = findPair(this.rootMap(), rootKey)?.value;
    if (!isSeq(seq)) this.unsupported(`"${rootKey}" is not a list`, seq);
    this.ownedAt([rootKey])[index] = cloneTree(value);
    this.unshare(seq.items[index], true);
    const item = seq.items[index] as AnyNode;
    if (seq.flow) return this.push(item.range![0], this.trimEnd(item.range![1]), JSON.stringify(value), summary);
    const dash = this.dashOf(seq, index);
    const col = dash - this.lineStart(dash);
    this.push(this.lineStart(dash), this.afterLine(item.range![1]), this.renderBlockItems([value], col), summary);
  }

  /** Appends entries to a root list, creating the key when absent. */
  appendItems(rootKey: string, values: readonly Record<string, Json>[], summary: string): void {
    if (values.length === 0) return;
    const c = this.doc.contents;
    if (c !== null && !isMap(c)) this.unsupported('the document is not a mapping', c);
    const root = c;
    const pair = root ? findPair(root, rootKey) : undefined;
    const cur = this.expected[rootKey];
    this.expected[rootKey] = [...(Array.isArray(cur) ? cur : []), ...values.map((v) => structuredClone(v))];
    if (!pair) {
      if (root?.flow) this.unsupported('cannot add a list to a flow-style document', root);
      const lead = this.text === '' || this.text.endsWith('\n') ? '' : this.eol;
      return this.push(this.text.length, this.text.length, `${lead}${rootKey}:${this.eol}${this.renderBlockItems(values, 0)}`, summary);
    }
    const seq = pair.value as AnyNode | null;
    if (isSeq(seq) && seq.items.length > 0) {
      const last = seq.items[seq.items.length - 1] as AnyNode;
      if (seq.flow) return this.push(last.range![1], last.range![1], values.map((v) => `, ${JSON.stringify(v)}`).join(''), summary);
      const col = this.dashOf(seq, 0) - this.lineStart(this.dashOf(seq, 0));
      const at = this.afterLine(last.range![1]);
      const lead = at === this.text.length && !this.text.endsWith('\n') ? this.eol : '';
      return this.push(at, at, lead + this.renderBlockItems(values, col), summary);
    }
    if (seq && !(isSeq(seq) || (isScalar(seq) && seq.value === null))) this.unsupported(`"${rootKey}" is not a list`, seq);
    const keyStart = (pair.key as AnyNode).range![0];
    const col = keyStart - this.lineStart(keyStart);
    const colon = this.colonAfter(pair);
    const end = seq?.range ? Math.max(colon + 1, this.trimEnd(seq.range[1])) : colon + 1;
    const block = this.renderBlockItems(values, col);
    this.push(colon + 1, end, this.eol + block.slice(0, block.length - this.eol.length), summary);
  }

  /** Applies the splices, re-parses, and checks the result means exactly the intended data. */
  finish(): EditResult {
    const own = this.edits;
    const kept = [...this.keeps.values()].filter((k) => !own.some((e) => e.start < k.end && k.start < e.end));
    const edits = [...own, ...kept].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < edits.length; i++) {
      if (edits[i]!.start < edits[i - 1]!.end) this.unsupported('two changes overlap', undefined);
    }
    let out = '';
    let pos = 0;
    for (const e of edits) {
      out += this.text.slice(pos, e.start) + e.text;
      pos = e.end;
    }
    out += this.text.slice(pos);
    let got: unknown = parseBlockYaml(out);
    if (got === undefined) {
      const re = parseDocument(out, PARSE_OPTIONS);
      if (re.errors.length > 0) this.unsupported(`the result would not be valid YAML (${re.errors[0]!.message.split('\n')[0]})`, undefined);
      try {
        got = re.toJS({ maxAliasCount: 1000 }) ?? {};
      } catch {
        got = undefined;
      }
    }
    if (!deepEqualExpected(got, this.expected)) {
      this.unsupported('the file shares values between entries (YAML anchors, aliases or merge keys) in a way this edit cannot keep; edit it by hand', undefined);
    }
    return { text: out, edits, notes: [...this.notes] };
  }

  private push(start: number, end: number, text: string, summary: string): void {
    if (start === end && text === '') return;
    this.edits.push({ start, end, text, summary });
  }

  private unsupported(what: string, node: unknown): never {
    throw new KubeconfigEditError('unsupported-layout', `Cannot edit this kubeconfig safely: ${what}`, this.lineOf(node));
  }

  private rootMap(): YAMLMap {
    const c = this.doc.contents;
    if (isMap(c)) return c;
    this.unsupported('the document is empty', undefined);
  }

  private mapNode(node: unknown, path: ModelPath): YAMLMap {
    if (isMap(node)) return node;
    this.unsupported(`${path.join('.')} is not a plain mapping (an alias or another kind of value)`, node);
  }

  /** The container of the expected data at `path`, copied first (and its parents) if it is still the model's. */
  private ownedAt(path: ModelPath): Record<string | number, Json> {
    let cur = this.expected as Record<string | number, Json>;
    for (const k of path) {
      let next = cur[k] as Record<string | number, Json>;
      if (next && typeof next === 'object' && !this.owned.has(next)) {
        next = (Array.isArray(next) ? [...next] : { ...next }) as Record<string | number, Json>;
        this.owned.add(next);
        cur[k] = next;
      }
      cur = next;
    }
    return cur;
  }

  private modelSet(path: ModelPath, value: Json): void {
    this.ownedAt(path.slice(0, -1))[path[path.length - 1]!] = value;
  }

  private modelDelete(path: ModelPath): void {
    delete this.ownedAt(path.slice(0, -1))[path[path.length - 1]!];
  }

  private colonAfter(pair: Pair): number {
    const keyEnd = (pair.key as AnyNode).range![1];
    const colon = this.text.indexOf(':', keyEnd);
    if (colon < 0) this.unsupported('a key without a colon', pair.key);
    return colon;
  }

  /** Offset of the `-` that opens item `index` of a block list. */
  private dashOf(seq: YAMLSeq, index: number): number {
    const itemStart = (seq.items[index] as AnyNode).range![0];
    const floor = index === 0 ? seq.range![0] : (seq.items[index - 1] as AnyNode).range![1] - 1;
    for (let p = itemStart - 1; p >= floor && p >= 0; p--) {
      if (this.text[p] === '-' && /^\s*$/.test(this.text.slice(this.lineStart(p), p))) return p;
    }
    this.unsupported('a list item without its dash', seq.items[index]);
  }

  private renderBlockItems(values: readonly Record<string, Json>[], col: number): string {
    const body = stringifyForKubectl(values);
    const pad = ' '.repeat(col);
    return body
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => pad + l)
      .join(this.eol) + this.eol;
  }

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** Offset just after the line holding the character before `end` (a node's exclusive end). */
  private afterLine(end: number): number {
    const i = this.text.indexOf('\n', Math.max(0, end - 1));
    return i < 0 ? this.text.length : i + 1;
  }

  private trimEnd(end: number): number {
    let e = end;
    while (e > 0 && /\s/.test(this.text[e - 1]!)) e--;
    return e;
  }

  private onlySpaceBefore(pos: number): boolean {
    return /^\s*$/.test(this.text.slice(this.lineStart(pos), pos));
  }

  /** Whether an offset sits inside a flow collection ([...] or {...}), where `,[]{}` end plain scalars. */
  private inFlow(pos: number): boolean {
    let found = false;
    const visit = (node: unknown, flow: boolean): void => {
      const n = node as AnyNode & { flow?: boolean; items?: unknown[] };
      if (found || !n || !n.range || pos < n.range[0] || pos > n.range[2]) return;
      const f = flow || Boolean(n.flow);
      if (isScalar(node) || isAlias(node)) {
        if (f) found = true;
        return;
      }
      const items = n.items ?? [];
      const spans = lazyItemSpans(node); // list entries not built yet: one is built only when it holds pos
      for (let i = 0; i < items.length; i++) {
        if (spans && (pos < spans[i]! || pos > spans[i + 1]!)) continue;
        const it = items[i];
        const p = it as { key?: unknown; value?: unknown };
        if (isMap(node)) {
          visit(p.key, f);
          visit(p.value, f);
        } else visit(it, f);
      }
    };
    visit(this.doc.contents, false);
    return found;
  }
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyName(p) === key);
}

function keyName(p: Pair): unknown {
  return isScalar(p.key) ? p.key.value : p.key;
}

function pairEnd(p: Pair): number {
  const v = p.value as AnyNode | null;
  return v?.range ? v.range[1] : (p.key as AnyNode).range![1];
}

const PLAIN_SAFE = /^[A-Za-z0-9_./][A-Za-z0-9_./:@%+=~-]*$/;

/** A YAML scalar for a string: plain when that reads back as the same string, otherwise quoted like the original. */
export function renderScalar(value: string, original?: string, inFlow = false): string {
  const plainOk = PLAIN_SAFE.test(value) && !plainIsNotString(value) && !value.includes(': ') && !value.endsWith(':');
  if (original === 'QUOTE_SINGLE' && !/[\u0000-\u001f\u007f]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (original !== 'QUOTE_DOUBLE' && plainOk && !(inFlow && /[,[\]{}]/.test(value))) return value;
  return JSON.stringify(value);
}

/** A deep copy in which no two places share an object, as kubectl's data never does. */
function cloneTree(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneTree);
  if (v instanceof Date || v instanceof Uint8Array) return structuredClone(v);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = cloneTree((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** deepEqual(got, expected), where list items marked REMOVED in `expected` are not there. */
function deepEqualExpected(got: unknown, expected: unknown): boolean {
  if (got === expected) return true;
  if (Array.isArray(expected)) {
    const kept = expected.includes(REMOVED) ? expected.filter((x) => x !== REMOVED) : expected;
    return Array.isArray(got) && got.length === kept.length && kept.every((x, i) => deepEqualExpected(got[i], x));
  }
  if (expected && typeof expected === 'object' && !(expected instanceof Date || expected instanceof Uint8Array)) {
    if (!got || typeof got !== 'object' || Array.isArray(got)) return false;
    const ke = Object.keys(expected);
    if (ke.length !== Object.keys(got).length) return false;
    return ke.every((k) => Object.prototype.hasOwnProperty.call(got, k) && deepEqualExpected((got as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return deepEqual(got, expected);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
