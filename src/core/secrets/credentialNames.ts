// Names that say their value is a credential (env vars, flags, map keys): HF_TOKEN, DB_PASSWORD, awsSecretAccessKey,
// client_secret. Used where structure tells a value's name (an env var, a YAML key), so a secret that does not look
// like one (`hunter2`) is still hidden; free text goes through redactText.ts.
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
  // `pass` as the last word: RABBITMQ_DEFAULT_PASS, DB_PASS, smtpPass (not PASS_THROUGH_MODE, not bypass).
  if (words.at(-1) === 'pass') return true;
  return words.some((w) => CREDENTIAL_WORDS.has(w)) || /(token|password|passwd|secret|apikey|privatekey|accesskey)$/.test(joined);
}
