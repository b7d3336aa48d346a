// Reads the YAML that kubectl, k3s, kind, k0s and the cloud CLIs write, in one pass over its lines: block mappings
// and sequences (with `- ` items at their key's indentation, as kubectl writes them), plain, single- and
// double-quoted scalars, flow mappings and sequences on one line, comments, a leading `---`. Anything else — anchors,
// aliases, tags, block scalars, scalars or flow collections over several lines, several documents, tabs, complex or
// duplicate keys, odd indentation — makes it give up (undefined) so that the caller reads the text with a full YAML
// parser. Why it exists: a 500-context kubeconfig is read at activation, before the first rows, and a general parser
// spends most of that time on a cold JIT. What it returns deep-equals js-yaml's `load(text, { schema: CORE_SCHEMA })`;
// a differential property test (test/unit/blockYamlProperty.test.ts) holds it to that.
// parseBlockYamlLocated also builds the `yaml` package's nodes (maps, sequences, scalars with their source ranges and
// quoting), which is what kubeconfig edits need to splice the text: a 500-context file is then edited in a few
// milliseconds where the yaml package's composer takes hundreds.
import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { decodeEscape, resolvePlain } from './yamlCoreScalar.ts';

type Obj = Record<string, unknown>;

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
/** js-yaml refuses nesting beyond 100 levels; well below that, and deeper than any kubeconfig. */
const MAX_DEPTH = 40;

/** Thrown inside the reader when the text leaves the subset; never escapes parseBlockYaml. */
class OutsideSubset {}
const OUTSIDE = new OutsideSubset();
function giveUp(): never {
  throw OUTSIDE;
}

// Characters js-yaml rejects as non-printable, plus tab (indentation rules around tabs are subtle), BOM and the
// Unicode line and paragraph separators. Checked only when the text holds anything beyond printable ASCII.
const NOT_PLAIN_ASCII = /[^\n\r\x20-\x7e]/;
const UNWANTED = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?:[^\ud800-\udbff]|^)[\udc00-\udfff]/;

/** The root mapping of `text`, or undefined when the text is not in the subset (or is not a mapping). */
export function parseBlockYaml(text: string): Obj | undefined {
  return read(text, false)?.root;
}

export interface LocatedYaml {
  /** The data, as parseBlockYaml gives it. */
  readonly root: Obj;
  /** The same as `yaml` nodes whose `range`s are offsets in the text (as parseDocument would set them). */
  readonly contents: YAMLMap;
}

/**
 * Like parseBlockYaml, with the document's nodes. Also undefined for a `<<` key, which the yaml package reads as a
 * merge and js-yaml's core schema as a plain key.
 */
export function parseBlockYamlLocated(text: string): LocatedYaml | undefined {
  return read(text, true);
}

function read(text: string, located: boolean): { root: Obj; contents: YAMLMap } | undefined {
  if (NOT_PLAIN_ASCII.test(text) && UNWANTED.test(text)) return undefined;
  let lines = text.split('\n');
  if (text.includes('\r')) {
    lines = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    if (lines.some((l) => l.includes('\r'))) return undefined; // a lone CR is a line break too: not ours
  }
  let lineStarts: number[] = [];
  if (located) {
    lineStarts = new Array<number>(lines.length);
    const crlf = text.includes('\r');
    for (let i = 0, at = 0, from = 0; i < lines.length; i++) {
      lineStarts[i] = at;
      if (crlf) {
        const nl = text.indexOf('\n', from);
        at = nl + 1;
        from = at;
      } else at += lines[i]!.length + 1;
    }
  }
  try {
    const reader = new BlockReader(lines, lineStarts);
    const root = reader.document();
    return { root, contents: reader.node as YAMLMap };
  } catch (err) {
    if (err === OUTSIDE) return undefined;
    throw err;
  }
}

type Node = YAMLMap | YAMLSeq | Scalar;

const LAZY_SPANS = new WeakMap<YAMLSeq, readonly number[]>();

/**
 * Where the items of a root list read by parseBlockYamlLocated lie, known without building them: item i spans
 * [spans[i], spans[i + 1]] (from the start of its first line); undefined for other sequences.
 */
export function lazyItemSpans(seq: unknown): readonly number[] | undefined {
  return LAZY_SPANS.get(seq as YAMLSeq);
}
const rangeOf = (start: number, end: number): [number, number, number] => [start, end, end];

const isFlowIndicator = (c: number): boolean => c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;

function skipSpaces(line: string, p: number): number {
  while (line.charCodeAt(p) === SPACE) p++;
  return p;
}

function indentOf(line: string): number {
  return skipSpaces(line, 0);
}

/** A block sequence entry starts at `p`: a dash followed by a space or the end of the line. */
function isDash(line: string, p: number): boolean {
  if (line.charCodeAt(p) !== DASH) return false;
  const next = line.charCodeAt(p + 1);
  return next === SPACE || Number.isNaN(next);
}

/** What ends a plain scalar on its line: `: ` or a final `:`, a comment; in flow also `,[]{}` and `:` before them. */
const BLOCK_PLAIN_END = /:(?: |$)| #/g;
const FLOW_PLAIN_END = /[,[\]{}]|:(?=[ ,[\]{}]|$)| #/g;

/** A `---` or `...` at column 0 followed by a space or the end of the line. */
function isMarker(line: string): boolean {
  return (line.startsWith('---') || line.startsWith('...')) && (line.length === 3 || line.charCodeAt(3) === SPACE);
}

/** Whether a plain scalar may start at `p` (js-yaml's rule, stricter for `?` and `:`, which start explicit keys). */
function canStartPlain(line: string, p: number, inFlow: boolean): boolean {
  const c = line.charCodeAt(p);
  if (Number.isNaN(c) || c === SPACE || c === HASH || c === 0x26 || c === 0x2a || c === 0x21 || c === 0x7c || c === 0x3e) return false; // # & * ! | >
  if (c === SQUOTE || c === DQUOTE || c === 0x25 || c === 0x40 || c === 0x60 || c === 0x3f || c === COLON || isFlowIndicator(c)) return false; // ' " % @ ` ? :
  if (c === DASH) {
    const next = line.charCodeAt(p + 1);
    if (Number.isNaN(next) || next === SPACE || (inFlow && isFlowIndicator(next))) return false;
  }
  return true;
}

class BlockReader {
  private i = 0;
  /** Where the last scalar or flow collection read ended on its line. */
  private pos = 0;
  /** Why the last plain scalar ended: at a `:` that makes it a key, or at the end of its content. */
  private plainEndedAtColon = false;
  private depth = 0;
  private readonly lines: readonly string[];
  /** Where each line starts in the text; empty unless nodes are built. */
  private readonly lineStarts: readonly number[];
  private located: boolean;
  /** The node of the last value read (when located). */
  node: Node | null = null;
  /** Offset just after the last content read (when located). */
  private lastEnd = 0;
  /** Where the last plain scalar's content ends on its line (trailing spaces dropped). */
  private plainEnd = 0;

  constructor(lines: readonly string[], lineStarts: readonly number[]) {
    this.lines = lines;
    this.lineStarts = lineStarts;
    this.located = lineStarts.length > 0;
  }

  private at(col: number): number {
    return this.lineStarts[this.i]! + col;
  }

  /** A scalar node from `start` to `end` (columns of the current line), remembered as the last value. */
  private scalarNode(value: unknown, start: number, end: number, quote: number | undefined): void {
    if (!this.located) return;
    const n = new Scalar(value);
    n.type = quote === SQUOTE ? 'QUOTE_SINGLE' : quote === DQUOTE ? 'QUOTE_DOUBLE' : 'PLAIN';
    n.range = rangeOf(this.at(start), this.at(end));
    this.lastEnd = n.range[1];
    this.node = n;
  }

  document(): Obj {
    if (!this.skipBlank(true)) giveUp();
    const first = this.lines[this.i]!;
    if (isMarker(first)) {
      if (first.charCodeAt(0) !== DASH) giveUp(); // `...` ends a document that has not begun
      this.expectLineEnd(first, 3);
      this.i++;
      if (!this.skipBlank()) giveUp();
    }
    const line = this.lines[this.i]!;
    if (indentOf(line) !== 0 || isDash(line, 0)) giveUp();
    const root = this.mapping(0, 0);
    if (this.i < this.lines.length) giveUp();
    return root;
  }

  /**
   * Moves to the next line with content (not blank, not only a comment); false at the end of the text. A document
   * marker there means a second document or an explicit end: out of the subset, unless it is the one `---` allowed
   * before the content.
   */
  private skipBlank(markerAllowed = false): boolean {
    const lines = this.lines;
    for (; this.i < lines.length; this.i++) {
      const line = lines[this.i]!;
      const p = skipSpaces(line, 0);
      if (p === line.length || line.charCodeAt(p) === HASH) continue;
      if (p === 0 && !markerAllowed && isMarker(line)) giveUp();
      return true;
    }
    return false;
  }

  /** After a node on `line`, only spaces and a comment (`#` after a space) may follow. */
  private expectLineEnd(line: string, from: number): void {
    const q = skipSpaces(line, from);
    if (q === line.length) return;
    if (line.charCodeAt(q) === HASH && line.charCodeAt(q - 1) === SPACE) return;
    giveUp();
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) giveUp();
  }

  /** A block mapping whose first key is at column `indent` of the current line (mid-line after `- `). */
  private mapping(indent: number, start: number): Obj {
    this.enter();
    const obj: Obj = {};
    const lines = this.lines;
    const located = this.located;
    const map = located ? new YAMLMap() : undefined;
    const mapStart = located ? this.at(start) : 0;
    let p = start;
    for (;;) {
      const line = lines[this.i]!;
      const key = this.key(line, p);
      if (key === '__proto__' || Object.prototype.hasOwnProperty.call(obj, key)) giveUp();
      const keyNode = this.node;
      if (located && key === '<<') giveUp();
      const q = skipSpaces(line, this.pos);
      let value: unknown;
      let valueNode: Node | null = null;
      if (q === line.length || line.charCodeAt(q) === HASH) {
        if (located) this.lastEnd = this.at(this.pos);
        this.i++;
        value = null;
        if (this.skipBlank()) {
          const next = lines[this.i]!;
          const ind = indentOf(next);
          if (ind > indent) value = isDash(next, ind) ? this.sequence(ind) : this.mapping(ind, ind);
          else if (ind === indent && isDash(next, ind)) value = this.sequence(ind); // kubectl's `- ` at the key's indentation
          if (value !== null) valueNode = this.node;
        }
      } else {
        value = this.inline(line, q);
        valueNode = this.node;
        this.i++;
        this.skipBlank();
      }
      obj[key] = value;
      if (map) map.items.push(new Pair(keyNode, valueNode));
      if (this.i >= lines.length) break;
      const next = lines[this.i]!;
      const ind = indentOf(next);
      if (ind < indent) break;
      if (ind > indent || isDash(next, ind)) giveUp(); // a continuation line or a misplaced entry
      p = ind;
    }
    this.depth--;
    if (map) {
      map.range = rangeOf(mapStart, this.lastEnd);
      this.node = map;
    }
    return obj;
  }

  /** A block sequence whose dashes are at column `indent`, starting at the current line. */
  private sequence(indent: number): unknown[] {
    this.enter();
    const items: unknown[] = [];
    const lines = this.lines;
    const seq = this.located ? new YAMLSeq() : undefined;
    const seqStart = seq ? this.at(indent) : 0;
    // A list at the root (clusters, contexts, users): its entries get their nodes when an edit asks for them, since an
    // edit touches a few of hundreds. The last one is built now, as the list's end is where it ends.
    const lazy = seq !== undefined && this.depth === 2;
    const starts: number[] = [];
    for (;;) {
      const line = lines[this.i]!;
      const p = skipSpaces(line, indent + 1);
      if (p === line.length || line.charCodeAt(p) === HASH || isDash(line, p)) giveUp(); // empty or nested-on-next-line item, `- - x`
      if (lazy) {
        starts.push(this.i, p);
        this.located = false;
      }
      if (this.startsKey(line, p)) items.push(this.mapping(p, p));
      else {
        items.push(this.inline(line, p));
        this.i++;
        this.skipBlank();
      }
      if (lazy) this.located = true;
      else if (seq) seq.items.push(this.node);
      if (this.i >= lines.length) break;
      const next = lines[this.i]!;
      const ind = indentOf(next);
      if (ind < indent) break;
      if (ind > indent) giveUp();
      if (!isDash(next, ind)) break;
    }
    this.depth--;
    if (seq) {
      if (lazy) this.lastEnd = this.lazyItems(seq, starts);
      seq.range = rangeOf(seqStart, this.lastEnd);
      this.node = seq;
    }
    return items;
  }

  /** Fills a root list's items with nodes built on first access; returns where the last item ends. */
  private lazyItems(seq: YAMLSeq, starts: readonly number[]): number {
    const count = starts.length / 2;
    const built = new Array<Node | undefined>(count);
    const build = (k: number): Node => {
      const reader = new BlockReader(this.lines, this.lineStarts);
      reader.i = starts[2 * k]!;
      reader.depth = 2;
      const col = starts[2 * k + 1]!;
      const line = this.lines[reader.i]!;
      if (reader.startsKey(line, col)) reader.mapping(col, col);
      else reader.inline(line, col);
      const node = reader.node!;
      built[k] = node;
      return node;
    };
    const last = build(count - 1);
    seq.items = new Proxy(built, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && prop.charCodeAt(0) >= 0x30 && prop.charCodeAt(0) <= 0x39) {
          const k = Number(prop);
          if (Number.isInteger(k) && k < count) return target[k] ?? build(k);
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as unknown[];
    const spans: number[] = [];
    for (let k = 0; k < count; k++) spans.push(this.lineStarts[starts[2 * k]!]!);
    spans.push(last.range![2]);
    LAZY_SPANS.set(seq, spans);
    return last.range![1];
  }

  /** Whether a `key:` starts at `p` (as opposed to a scalar or flow collection item). */
  private startsKey(line: string, p: number): boolean {
    const c = line.charCodeAt(p);
    if (c === LBRACKET || c === LBRACE) return false;
    if (c === SQUOTE || c === DQUOTE) {
      this.quoted(line, p);
      const q = skipSpaces(line, this.pos);
      return line.charCodeAt(q) === COLON && (q + 1 === line.length || line.charCodeAt(q + 1) === SPACE);
    }
    if (!canStartPlain(line, p, false)) giveUp();
    this.plain(line, p, false);
    return this.plainEndedAtColon;
  }

  /** A block mapping key at `p`, as js-yaml's `{}` map stores it (String of its value); `pos` after its `:`. */
  private key(line: string, p: number): string {
    const c = line.charCodeAt(p);
    let key: string;
    if (c === SQUOTE || c === DQUOTE) {
      key = this.quoted(line, p);
      this.scalarNode(key, p, this.pos, c);
    } else {
      if (!canStartPlain(line, p, false)) giveUp();
      key = String(resolvePlain(this.plain(line, p, false)));
      if (!this.plainEndedAtColon) giveUp(); // a bare scalar where a key belongs
      this.scalarNode(key, p, this.plainEnd, undefined);
    }
    const q = skipSpaces(line, this.pos);
    if (line.charCodeAt(q) !== COLON) giveUp();
    if (q + 1 < line.length && line.charCodeAt(q + 1) !== SPACE) giveUp();
    this.pos = q + 1;
    return key;
  }

  /** A scalar or flow collection filling the rest of the line from `p` (a comment may follow). */
  private inline(line: string, p: number): unknown {
    const c = line.charCodeAt(p);
    let value: unknown;
    if (c === LBRACKET || c === LBRACE) value = this.flow(line, p);
    else if (c === SQUOTE || c === DQUOTE) {
      value = this.quoted(line, p);
      this.scalarNode(value, p, this.pos, c);
    } else {
      if (!canStartPlain(line, p, false)) giveUp();
      value = resolvePlain(this.plain(line, p, false));
      if (this.plainEndedAtColon) giveUp(); // `a: b: c`
      this.scalarNode(value, p, this.plainEnd, undefined);
    }
    this.expectLineEnd(line, this.pos);
    return value;
  }

  /**
   * The plain scalar at `p` (whose first character is allowed), trailing spaces dropped; `pos` where it ends and
   * `plainEndedAtColon` whether a `: ` (or, in flow, `:` before an indicator) ended it.
   */
  private plain(line: string, p: number, inFlow: boolean): string {
    // A regular expression finds the end: it runs as native code from the first call, where a loop over the
    // characters would be interpreted (the file is read once, at activation, on a cold JIT).
    const ends = inFlow ? FLOW_PLAIN_END : BLOCK_PLAIN_END;
    ends.lastIndex = p + 1;
    const m = ends.exec(line);
    let j = line.length;
    this.plainEndedAtColon = false;
    if (m) {
      j = m.index;
      const c = line.charCodeAt(j);
      if (c === COLON) this.plainEndedAtColon = true;
      else if (c === SPACE) j++; // ` #`: the comment starts after the space
    }
    this.pos = j;
    let end = j;
    while (line.charCodeAt(end - 1) === SPACE) end--;
    this.plainEnd = end;
    return line.slice(p, end);
  }

  /** The single- or double-quoted scalar at `p`, closed on the same line; `pos` after the closing quote. */
  private quoted(line: string, p: number): string {
    const quote = line.charCodeAt(p);
    let out = '';
    let from = p + 1;
    for (let j = p + 1; j < line.length; j++) {
      const c = line.charCodeAt(j);
      if (c === quote) {
        if (quote === SQUOTE && line.charCodeAt(j + 1) === SQUOTE) {
          out += line.slice(from, j + 1);
          from = ++j + 1;
          continue;
        }
        this.pos = j + 1;
        return out + line.slice(from, j);
      }
      if (c === BACKSLASH && quote === DQUOTE) {
        const escape = decodeEscape(line, j + 1);
        if (!escape) giveUp();
        out += line.slice(from, j) + escape.text;
        j += escape.length;
        from = j + 1;
      }
    }
    return giveUp(); // the scalar goes on to the next line
  }

  /** A flow sequence or mapping at `p`, closed on the same line; `pos` after it. */
  private flow(line: string, p: number): unknown {
    this.enter();
    const isMap = line.charCodeAt(p) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const map: Obj = {};
    const seq: unknown[] = [];
    const node = !this.located ? undefined : isMap ? new YAMLMap() : new YAMLSeq();
    if (node) node.flow = true;
    let q = skipSpaces(line, p + 1);
    if (line.charCodeAt(q) !== close) {
      for (;;) {
        if (isMap) {
          const key = this.flowKey(line, q);
          if (key === '__proto__' || Object.prototype.hasOwnProperty.call(map, key)) giveUp();
          if (this.located && key === '<<') giveUp();
          const keyNode = this.node;
          q = skipSpaces(line, this.pos);
          if (line.charCodeAt(q) !== COLON || line.charCodeAt(q + 1) !== SPACE) giveUp();
          map[key] = this.flowNode(line, skipSpaces(line, q + 1));
          if (node) (node as YAMLMap).items.push(new Pair(keyNode, this.node));
        } else {
          seq.push(this.flowNode(line, q));
          if (node) (node as YAMLSeq).items.push(this.node);
        }
        q = skipSpaces(line, this.pos);
        const c = line.charCodeAt(q);
        if (c === close) break;
        if (c !== COMMA) giveUp(); // end of line (the collection goes on), a comment, a missing comma, a pair in a sequence
        q = skipSpaces(line, q + 1);
        if (line.charCodeAt(q) === close) giveUp(); // a trailing comma: valid, rare, not worth the risk
      }
    }
    this.pos = q + 1;
    this.depth--;
    if (node) {
      node.range = rangeOf(this.at(p), this.at(this.pos));
      this.lastEnd = node.range[1];
      this.node = node;
    }
    return isMap ? map : seq;
  }

  private flowKey(line: string, p: number): string {
    const c = line.charCodeAt(p);
    if (c === SQUOTE || c === DQUOTE) {
      const quoted = this.quoted(line, p);
      this.scalarNode(quoted, p, this.pos, c);
      return quoted;
    }
    if (!canStartPlain(line, p, true)) giveUp();
    const key = String(resolvePlain(this.plain(line, p, true)));
    if (!this.plainEndedAtColon) giveUp(); // `{a, b: c}`: a key without a value
    this.scalarNode(key, p, this.plainEnd, undefined);
    return key;
  }

  private flowNode(line: string, p: number): unknown {
    const c = line.charCodeAt(p);
    if (c === LBRACKET || c === LBRACE) return this.flow(line, p);
    if (c === SQUOTE || c === DQUOTE) {
      const quoted = this.quoted(line, p);
      this.scalarNode(quoted, p, this.pos, c);
      return quoted;
    }
    if (!canStartPlain(line, p, true)) giveUp();
    const value = resolvePlain(this.plain(line, p, true));
    if (this.plainEndedAtColon) giveUp();
    this.scalarNode(value, p, this.plainEnd, undefined);
    return value;
  }
}
