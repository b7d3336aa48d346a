// Redacts credentials from free text before it reaches a log, an output channel or a notification: program output
// (liqoctl, credential plugins' stderr), command lines and error messages. It works on text, not structure, so it
// recognises secrets by their shape (PEM blocks, JWTs, well-known token formats) and by the name written next to
// them (`token: …`, `--password=…`, `"client-key-data": "…"`, `Authorization: Bearer …`, `https://user:pass@`).
// False positives are preferred to leaks: a redacted word costs a user a look at the source, a leak costs a key.

export const REDACTED = '<redacted>';

// A PEM block, also when its line breaks were escaped (`\n` in JSON output) or folded away.
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
// An unterminated PEM block (output cut short): redact to the end of the text.
const PEM_START = /-----BEGIN ([A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE))-----(?! <redacted>)[\s\S]*$/g;
// Base64 of "-----BEGIN": kubeconfig *-data fields and secrets carry PEM this way.
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g;
// JSON Web Tokens (OIDC id-tokens, service-account tokens): three base64url parts, the first two JSON objects.
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
// Token formats with a recognisable prefix: EKS (`k8s-aws-v1.`), GitHub, GitLab, Slack, Hugging Face, OpenAI-style,
// AWS access key ids, Google OAuth access tokens, and Kubernetes bootstrap tokens (`abcdef.0123456789abcdef`).
const PREFIXED_TOKENS = [
  /\bk8s-aws-v1\.[A-Za-z0-9_-]+/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\bhf_[A-Za-z0-9]{20,}/g,
  /\bsk-[A-Za-z0-9_-]{20,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bya29\.[A-Za-z0-9_-]{20,}/g,
  /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g,
];
// `Authorization: Bearer x`, `Bearer x`, `Basic x`.
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Userinfo in URLs: `scheme://user:password@host` keeps the user, hides the password.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]+@/gi;

// Names whose value is a secret. Matched as the end of a key (`AWS_SECRET_ACCESS_KEY`, `id-token`, `clientKeyData`).
const SECRET_NAME =
  '[A-Za-z0-9_.-]*(?:token|password|passwd|secret|secret[_-]?access[_-]?key|api[_-]?key|apikey|private[_-]?key|' +
  'client[_-]?key[_-]?data|clientKeyData|client[_-]?certificate[_-]?data|clientCertificateData|credentials?|basic[_-]?auth)';
// `name: value`, `name=value`, `"name": "value"`, `name = 'value'` — the value runs to the closing quote or the
// end of the word. The key must end the word (`token-key: {.x}` names a key, it is not a secret: excluded below).
const NAMED_VALUE = new RegExp(
  `(["']?\\b${SECRET_NAME}["']?[ \\t]*[:=][ \\t]*)(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)'|([^\\s,;&}\\]]+))`,
  'gi',
);
// Command-line flags: `--token xyz`, `--password=xyz`, `--client-key-data xyz`.
const SECRET_FLAG = new RegExp(`(--${SECRET_NAME})(=|[ \\t]+)("[^"]*"|'[^']*'|\\S+)`, 'gi');
// Key names that end like a secret but hold none (a JSONPath, a file path, a flag's name).
const NOT_A_SECRET_VALUE = /^(?:\{[^}]*\}|true|false|null|<redacted>|\$\{?[A-Z_]+\}?|[-*]+)$/i;

function redactNamed(match: string, prefix: string, dq?: string, sq?: string, bare?: string): string {
  const value = dq ?? sq ?? bare ?? '';
  if (value === '' || NOT_A_SECRET_VALUE.test(value)) return match;
  if (dq !== undefined) return `${prefix}"${REDACTED}"`;
  if (sq !== undefined) return `${prefix}'${REDACTED}'`;
  return `${prefix}${REDACTED}`;
}

/** The text with every credential-looking part replaced by `<redacted>`. Idempotent; never throws. */
export function redactSecrets(text: string): string {
  if (!text) return text;
  let out = text.replace(PEM_BLOCK, (_m, label: string) => `-----BEGIN ${label}----- ${REDACTED} -----END ${label}-----`);
  out = out.replace(PEM_START, (_m, label: string) => `-----BEGIN ${label}----- ${REDACTED}`);
  out = out.replace(BASE64_PEM, REDACTED);
  out = out.replace(JWT, REDACTED);
  for (const re of PREFIXED_TOKENS) out = out.replace(re, REDACTED);
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(URL_PASSWORD, (_m, head: string) => `${head}:${REDACTED}@`);
  out = out.replace(SECRET_FLAG, (m, flag: string, sep: string, value: string) =>
    NOT_A_SECRET_VALUE.test(value) ? m : `${flag}${sep}${REDACTED}`,
  );
  out = out.replace(NAMED_VALUE, redactNamed);
  return out;
}

/** Each argument redacted on its own, plus the argument after a secret-named flag (`--token`, `xyz`). */
export function redactArgs(args: readonly string[]): string[] {
  const flag = new RegExp(`^--?${SECRET_NAME}$`, 'i');
  return args.map((arg, i) => (i > 0 && flag.test(args[i - 1] ?? '') ? REDACTED : redactSecrets(arg)));
}
