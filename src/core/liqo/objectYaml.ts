// The read-only YAML shown by Reveal in YAML: the object as the API returned it, minus managedFields, with any
// credential-looking field redacted (Liqo's AuthParams can carry cloud keys; a user's screen may be shared).
import { stringify } from 'yaml';
import type { KubeObject } from './objects.ts';

const SECRET_KEY = /(token|password|secret|privatekey|private_key|awssecretaccesskey|client-key-data|keydata)$/i;

export function redact(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key) && value !== null && value !== undefined && value !== '') return '<redacted>';
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'managedFields') continue;
      out[k] = redact(v, k);
    }
    return out;
  }
  return value;
}

export function objectYaml(o: KubeObject): string {
  const obj = o.kind === 'Secret' ? { ...o, data: '<redacted>', stringData: undefined } : o;
  return stringify(redact(obj), { lineWidth: 0, sortMapEntries: false });
}
