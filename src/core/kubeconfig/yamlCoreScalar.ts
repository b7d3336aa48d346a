// What a one-line YAML scalar means, exactly as js-yaml's CORE_SCHEMA reads it: plain scalars resolve to null, a
// boolean, an integer, a float or a string (tried in that order, by their first character, as js-yaml does), and
// double-quoted ones have their escapes decoded. The patterns and arithmetic below are js-yaml 5's own (its
// null_core, bool_core, int_core and float_core tags): the kubeconfig fast path must give the very values js-yaml
// gives, down to -0 and to numbers too large to be finite staying strings.

const NOT_RESOLVED = Symbol('not resolved');

const NULLS = ['~', 'null', 'Null', 'NULL'];
const TRUES = ['true', 'True', 'TRUE'];
const FALSES = ['false', 'False', 'FALSE'];
const INT = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+)$/;
const FLOAT = /^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function resolveInt(source: string): number | typeof NOT_RESOLVED {
  if (!INT.test(source)) return NOT_RESOLVED;
  let value = source;
  let sign = 1;
  if (value[0] === '-' || value[0] === '+') {
    if (value[0] === '-') sign = -1;
    value = value.slice(1);
  }
  let result: number;
  if (value.startsWith('0b')) result = sign * parseInt(value.slice(2), 2);
  else if (value.startsWith('0o')) result = sign * parseInt(value.slice(2), 8);
  else if (value.startsWith('0x')) result = sign * parseInt(value.slice(2), 16);
  else result = sign * parseInt(value, 10);
  return Number.isFinite(result) ? result : NOT_RESOLVED;
}

function resolveFloat(source: string): number | typeof NOT_RESOLVED {
  if (!FLOAT.test(source)) return NOT_RESOLVED;
  let value = source.toLowerCase();
  const sign = value[0] === '-' ? -1 : 1;
  if (value[0] === '+' || value[0] === '-') value = value.slice(1);
  if (value === '.inf') return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  if (value === '.nan') return NaN;
  const result = sign * parseFloat(value);
  return Number.isFinite(result) || FLOAT_SPECIAL.test(source) ? result : NOT_RESOLVED;
}

/** The value of a non-empty plain scalar under the core schema. */
export function resolvePlain(source: string): unknown {
  const c = source.charCodeAt(0);
  // Most kubeconfig scalars (names, URLs, base64) start with a letter no core tag claims: no pattern runs for them.
  if (c === 0x7e || c === 0x6e || c === 0x4e) return NULLS.includes(source) ? null : source; // ~ n N
  if (c === 0x74 || c === 0x54) return TRUES.includes(source) ? true : source; // t T
  if (c === 0x66 || c === 0x46) return FALSES.includes(source) ? false : source; // f F
  if (c === 0x2d || c === 0x2b || (c >= 0x30 && c <= 0x39)) {
    // - + digit: int first, then float
    const int = resolveInt(source);
    if (int !== NOT_RESOLVED) return int;
    const float = resolveFloat(source);
    return float === NOT_RESOLVED ? source : float;
  }
  if (c === 0x2e) {
    const float = resolveFloat(source); // .
    return float === NOT_RESOLVED ? source : float;
  }
  return source;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Decodes the escape at `line[at]` (the character after a backslash) of a one-line double-quoted scalar: the text it
 * stands for and how many characters it took, or undefined for an escape js-yaml would refuse or that continues the
 * scalar on the next line.
 */
export function decodeEscape(line: string, at: number): { text: string; length: number } | undefined {
  const e = line[at];
  if (e === undefined) return undefined; // a line continuation: not a one-line scalar
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return { text: simple, length: 1 };
  const hexLength = HEX_LENGTH[e];
  if (hexLength === undefined) return undefined;
  const hex = line.slice(at + 1, at + 1 + hexLength);
  if (hex.length !== hexLength || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) return undefined;
  return { text: code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code), length: 1 + hexLength };
}
