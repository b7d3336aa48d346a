// Credentials inside free text: passwords in URLs (`postgres://app:s3cret@db`), `password=…`/`token=…` pairs,
// bearer tokens, JWTs and the well-known token formats (GitHub, GitLab, Slack, Hugging Face, OpenAI, AWS, Google).
// Only the secret part is replaced, so a user still sees which host, flag or header a value is for.
export const REDACTED = '<redacted>';

const CREDENTIAL_WORDS = new Set(['token', 'tokens', 'password', 'passwd', 'pwd', 'passphrase', 'secret', 'key', 'apikey', 'credential', 'credentials', 'authorization', 'dsn']);
/** A last word that makes the name a reference to a credential, not one: HF_TOKEN_FILE, secretName, secretKeyRef. */
const REFERENCE_WORDS = new Set(['file', 'path', 'ref', 'name', 'names', 'dir', 'id', 'url', 'length', 'ttl', 'seconds', 'expiry', 'expiration', 'type', 'prefix', 'mode', 'enabled']);
/** Names that hold no credential though a word says so: PWD is the working directory; `key` of a taint or selector. */
const NOT_CREDENTIALS = new Set(['pwd', 'oldpwd', 'key', 'keys']);

/** A name (env var, flag, map key) that says its value is a credential: HF_TOKEN, DB_PASSWORD, client_secret, … */
export function isCredentialName(name: string): boolean {
  // Split camelCase and separators: awsSecretAccessKey → aws secret access key; HF_TOKEN → hf token.
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined = words.join('');
  if (words.length === 0 || NOT_CREDENTIALS.has(joined) || REFERENCE_WORDS.has(words.at(-1) ?? '')) return false;
  // Glued words count too: PGPASSWORD, APITOKEN, privatekey.
  return words.some((w) => CREDENTIAL_WORDS.has(w)) || /(token|password|passwd|secret|apikey|privatekey|accesskey)$/.test(joined);
}

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@]*):([^\s/@]+)@/gi;
// `Bearer x`/`Basic x` where x looks like a token (has a digit or a base64 sign), not a word ("Basic authentication").
const BEARER = /\b(bearer|basic)(\s+)((?=[A-Za-z0-9._~+/=-]*[0-9+/=_.~-])[A-Za-z0-9._~+/=-]{8,})/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const KNOWN_TOKENS = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bhf_[A-Za-z0-9]{20,}\b/g, // Hugging Face
  /\bsk-(proj-)?[A-Za-z0-9_-]{20,}\b/g, // OpenAI and alike
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key id
  /\bAIza[A-Za-z0-9_-]{30,}\b/g, // Google API key
];
// `--password=x`, `password: x`, `?token=x&`, `PGPASSWORD=x`: a credential name, then = or :, then the value.
const NAMED_VALUE = /([A-Za-z0-9_.-]*(?:token|password|passwd|pwd|secret|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[A-Za-z0-9_]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,"']+)/gi;

/** The text with every credential-looking part replaced by `<redacted>`. */
export function redactText(text: string): string {
  let out = text.replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
  out = out.replace(JWT, REDACTED);
  for (const re of KNOWN_TOKENS) out = out.replace(re, REDACTED);
  out = out.replace(BEARER, (m, word: string, space: string, value: string) => (value === REDACTED ? m : `${word}${space}${REDACTED}`));
  out = out.replace(NAMED_VALUE, (m, name: string, sep: string, value: string) => {
    // `--token-file=/var/run/…` names a file, not a secret (isCredentialName says so).
    if (value.includes(REDACTED) || !isCredentialName(name)) return m;
    return `${name}${sep}${REDACTED}`;
  });
  return out;
}

/**
 * Redacts the value following a credential flag given as two argv entries (`--password`, `hunter2`) and the value of
 * `--token=x` forms, plus any credential-looking text in every entry.
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    out.push(redactText(a));
    const flag = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)$/.exec(a);
    if (flag && isCredentialName(flag[1] ?? '') && i + 1 < args.length && !(args[i + 1] ?? '').startsWith('-')) {
      out.push(REDACTED);
      i++;
    }
  }
  return out;
}
