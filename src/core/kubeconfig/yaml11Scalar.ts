// Which strings must be quoted when written into a kubeconfig. kubectl reads kubeconfigs with a YAML 1.1 reader
// (sigs.k8s.io/yaml over go-yaml v2), which turns plain `on`, `yes`, `y`, `~`, `0b101`, `1:20`, `2001-12-14` or
// `-Infinity` into booleans, nulls, numbers and timestamps and then refuses the whole file (`cannot unmarshal bool
// into … string`). A YAML 1.2 writer leaves those plain. Over-quoting is harmless; under-quoting breaks the file, so
// the rules below are the union of YAML 1.1's types, go-yaml's (Go's ParseInt/ParseFloat after dropping `_`) and
// YAML 1.2 core's, in any letter case.
import { Document, visit } from 'yaml';

const WORDS = /^(?:y|n|yes|no|on|off|true|false|null|~|=|<<)$/i;
const INT = /^[-+]?(?:0b[01]+|0o?[0-7]+|0x[0-9a-f]+|[0-9]+)$/i;
const FLOAT = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/i;
const HEX_FLOAT = /^[-+]?0x[0-9a-f]*\.?[0-9a-f]*(?:p[-+]?[0-9]+)?$/i;
const SPECIAL = /^[-+]?\.?(?:inf|infinity|nan)$/i;
const SEXAGESIMAL = /^[-+]?[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9]*)?$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;

/** Whether `value`, written as a plain scalar, would be read by YAML 1.1 (or 1.2) as anything but that string. */
export function plainIsNotString(value: string): boolean {
  if (value === '' || WORDS.test(value)) return true;
  const c = value[0]!;
  if (!/[-+.0-9]/.test(c)) return false;
  const s = value.replace(/_/g, '');
  return INT.test(s) || FLOAT.test(s) || HEX_FLOAT.test(s) || SPECIAL.test(s) || SEXAGESIMAL.test(s) || TIMESTAMP.test(value);
}

/**
 * Block YAML for kubeconfig data (whole files or list items): like yaml's stringify, but every string key or value
 * that a YAML 1.1 reader would not read back as that string is double-quoted.
 */
export function stringifyForKubectl(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && plainIsNotString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}

