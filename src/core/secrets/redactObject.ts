// What Reveal in YAML may show of an object: managedFields dropped, Secrets' data and stringData values hidden (their
// keys stay, so a user sees what a Secret holds), kubectl's last-applied-configuration hidden (a copy of the whole
// manifest, secrets included), env values of credential-named variables hidden, credential flags in args/command
// hidden, and credential-looking text (URL passwords, bearer tokens, JWTs, PEM, known token formats) hidden anywhere
// by redactText.ts, the same redaction logs and notifications get.
import type { KubeObject } from '../liqo/objects.ts';
import { isCredentialName } from './credentialNames.ts';
import { REDACTED, redactArgs, redactSecrets } from './redactText.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export function redactObject(o: KubeObject): unknown {
  const walked = redactValue(o, '') as Record<string, unknown>;
  if (o.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const m = walked[field];
      if (m && typeof m === 'object') walked[field] = Object.fromEntries(Object.keys(m).map((k) => [k, REDACTED]));
    }
  }
  const annotations = (walked.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  if (annotations && LAST_APPLIED_ANNOTATION in annotations) annotations[LAST_APPLIED_ANNOTATION] = REDACTED;
  return walked;
}

/** One value under map key `key`: strings are scanned, credential-named scalars hidden, containers' argv and env read as such. */
export function redactValue(value: unknown, key: string): unknown {
  if (typeof value === 'string') return value !== '' && isCredentialName(key) ? REDACTED : redactSecrets(value);
  if (typeof value === 'number') return isCredentialName(key) ? REDACTED : value;
  if (Array.isArray(value)) {
    if ((key === 'args' || key === 'command') && value.every((v) => typeof v === 'string')) return redactArgs(value as string[]);
    if (key === 'env') return value.map(redactEnvVar);
    return value.map((v) => redactValue(v, ''));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'managedFields') continue;
      out[k] = redactValue(v, k);
    }
    return out;
  }
  return value;
}

/** `{name: HF_TOKEN, value: hf_…}`: the value hidden by its name or its look; `valueFrom` (a reference) is kept. */
function redactEnvVar(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return redactValue(v, '');
  const { name, value, ...rest } = v as { name?: unknown; value?: unknown };
  const out: Record<string, unknown> = { ...(name !== undefined ? { name } : {}) };
  if (value !== undefined) out.value = typeof value === 'string' && value !== '' && typeof name === 'string' && isCredentialName(name) ? REDACTED : redactValue(value, '');
  for (const [k, x] of Object.entries(rest)) out[k] = redactValue(x, k);
  return out;
}
