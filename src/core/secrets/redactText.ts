// Redacts credentials from free text before it reaches a log, an output channel or a notification: program output
// (liqoctl, credential plugins' stderr), command lines and error messages. It works on text, not structure, so it
// recognises secrets by their shape (PEM blocks, JWTs, well-known token formats) and by the name written next to
// them (`token: …`, `--password=…`, `"client-key-data": "…"`, `Authorization: Bearer …`, `https://user:pass@`).
// False positives are preferred to leaks: a redacted word costs a user a look at the source, a leak costs a key.

export const REDACTED = '<redacted>';

// PEM blocks (also when their line breaks were escaped, `\n` in JSON output, or folded away) are found by redactPem
// below with indexOf, not a regular expression: a lazy `BEGIN…END` match rescanned the rest of the text for every
// BEGIN without an END (quadratic: 20,000 of them took 20 s). A BEGIN header's label:
const PEM_HEADER = /-----BEGIN ([A-Z0-9 ]+)-----/g;
// An unterminated block (output cut short) with one of these labels is redacted to the end of the text.
const PEM_SECRET_LABEL = /(?:PRIVATE KEY|CERTIFICATE)$/;
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
// (The scheme is bounded: unbounded, a run like `a.a.a.…` was rescanned from every word boundary.)
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]*):[^\s@/]+@/gi;

// Names whose value is a secret. Matched as the end of a key (`AWS_SECRET_ACCESS_KEY`, `id-token`, `clientKeyData`).
// `pass` only as a word of its own (RABBITMQ_DEFAULT_PASS, db-pass), never inside one (bypass, compass).
// The prefix is bounded: unbounded, a long run like `a.a.a.…` made every word boundary rescan the rest of the run
// (quadratic: 50,000 of them took over a minute, a hang of whatever printed them).
const SECRET_NAME =
  '[A-Za-z0-9_.-]{0,128}(?:token|password|passwd|passphrase|secret|secret[_-]?key|secret[_-]?access[_-]?key|api[_-]?key|apikey|' +
  'private[_-]?key|client[_-]?key[_-]?data|clientKeyData|client[_-]?certificate[_-]?data|clientCertificateData|credentials?|' +
  'basic[_-]?auth|(?<![A-Za-z0-9])pass)';
// `name: value`, `name=value`, `"name": "value"`, `name = 'value'` — a quoted value runs to its closing quote; after
// `=` a bare value ends with the word (env and flag forms), after `:` with the line (a YAML plain scalar may hold
// spaces: `password: correct horse battery staple`). The key must end the word (`token-key: {.x}` names a key, it is
// not a secret: excluded below).
const NAMED_VALUE = new RegExp(
  `(["']?\\b${SECRET_NAME}["']?[ \\t]*(?:(:)|=)[ \\t]*)(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)'|(?<=:[ \\t]*)([^\\s][^\\r\\n]*)|([^\\s,;&}\\]]+))`,
  'gi',
);
// A YAML key named like a secret whose value is not on its line: a block scalar (`password: |`, `key: >-`) or a
// plain scalar on the next lines (`password:` then `  hunter2`). Its more-indented lines are the value.
const KEY_WITHOUT_INLINE_VALUE = new RegExp(`^([ \\t]*(?:- )?["']?${SECRET_NAME}["']?[ \\t]*:)[ \\t]*([|>][0-9+-]*)?[ \\t]*(?:#.*)?$`, 'i');
// A line that is itself a map entry or a list of maps: its own name says whether it is a secret.
const MAP_ENTRY = /^[ \t]*(?:- )?["']?[A-Za-z0-9_.\/-]+["']?[ \t]*:(?:[ \t]|$)/;
// Command-line flags: `--token xyz`, `--password=xyz`, `--client-key-data xyz`.
const SECRET_FLAG = new RegExp(`(--${SECRET_NAME})(=|[ \\t]+)("[^"]*"|'[^']*'|\\S+)`, 'gi');
// Key names that end like a secret but hold none (a JSONPath, a file path, a flag's name).
const NOT_A_SECRET_VALUE = /^(?:[|>][0-9+-]*(?:[ \t]+#.*)?|\{[^}]*\}|true|false|null|<redacted>|\$\{?[A-Z_]+\}?|[-*]+)$/i;

function redactNamed(match: string, prefix: string, _colon?: string, dq?: string, sq?: string, rest?: string, word?: string): string {
  // A value to the end of the line is taken greedily (a lazy match with a whitespace look-ahead was quadratic on a
  // long run of spaces); its trailing whitespace is kept as it was.
  const trailing = rest ? rest.slice(rest.trimEnd().length) : '';
  const bare = rest !== undefined ? rest.slice(0, rest.length - trailing.length) : word;
  const value = dq ?? sq ?? bare ?? '';
  if (value === '' || NOT_A_SECRET_VALUE.test(value)) return match;
  if (dq !== undefined) return `${prefix}"${REDACTED}"`;
  if (sq !== undefined) return `${prefix}'${REDACTED}'`;
  return `${prefix}${REDACTED}${trailing}`;
}

/** The text with every credential-looking part replaced by `<redacted>`. Idempotent; never throws. */
export function redactSecrets(text: string): string {
  if (!text) return text;
  let out = text.includes('-----BEGIN ') ? redactPem(text) : text;
  out = out.replace(BASE64_PEM, REDACTED);
  out = out.replace(JWT, REDACTED);
  for (const re of PREFIXED_TOKENS) out = out.replace(re, REDACTED);
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(URL_PASSWORD, (_m, head: string) => `${head}:${REDACTED}@`);
  out = out.replace(SECRET_FLAG, (m, flag: string, sep: string, value: string) =>
    NOT_A_SECRET_VALUE.test(value) ? m : `${flag}${sep}${REDACTED}`,
  );
  out = redactIndentedValues(out);
  out = out.replace(NAMED_VALUE, redactNamed);
  return out;
}

/** Each `-----BEGIN X----- … -----END X-----` as its header and footer around <redacted>; see PEM_HEADER. */
function redactPem(text: string): string {
  const parts: string[] = [];
  const noEnd = new Set<string>();
  let from = 0;
  PEM_HEADER.lastIndex = 0;
  for (let m = PEM_HEADER.exec(text); m; m = PEM_HEADER.exec(text)) {
    const label = m[1]!;
    const bodyStart = m.index + m[0].length;
    // Already redacted (idempotence): the header is followed by ` <redacted>`.
    if (text.startsWith(` ${REDACTED}`, bodyStart)) continue;
    const footer = `-----END ${label}-----`;
    const end = noEnd.has(label) ? -1 : text.indexOf(footer, bodyStart);
    if (end >= 0) {
      parts.push(text.slice(from, m.index), `-----BEGIN ${label}----- ${REDACTED} ${footer}`);
      from = end + footer.length;
      PEM_HEADER.lastIndex = from;
      continue;
    }
    noEnd.add(label);
    if (PEM_SECRET_LABEL.test(label)) {
      parts.push(text.slice(from, m.index), `-----BEGIN ${label}----- ${REDACTED}`);
      return parts.join('');
    }
  }
  parts.push(text.slice(from));
  return parts.join('');
}

const indentOf = (line: string): number => /^[ \t]*/.exec(line)![0].length;

/** The lines under a secret-named YAML key with no value on its line, when they are its value (not a nested map). */
function redactIndentedValues(text: string): string {
  if (!/:[ \t]*(?:[|>][0-9+-]*)?[ \t]*(?:#.*)?\r?$/m.test(text)) return text;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = KEY_WITHOUT_INLINE_VALUE.exec(lines[i]!.replace(/\r$/, ''));
    if (!m) continue;
    const block = m[2] !== undefined;
    // A list item's key is indented past its dash: `- password: |` has its value deeper than the dash.
    const keyIndent = indentOf(lines[i]!) + (/^[ \t]*- /.test(lines[i]!) ? 2 : 0);
    let j = i + 1;
    const body: number[] = [];
    for (; j < lines.length; j++) {
      const line = lines[j]!.replace(/\r$/, '');
      if (line.trim() === '') {
        body.push(j);
        continue;
      }
      if (indentOf(line) <= keyIndent) break;
      body.push(j);
    }
    while (body.length > 0 && lines[body.at(-1)!]!.trim() === '') body.pop();
    const valueLines = body.filter((k) => lines[k]!.trim() !== '');
    if (valueLines.length === 0) continue;
    // Under a plain `key:` a nested map keeps its entries (each judged by its own name); scalars and lists of them go.
    if (!block && MAP_ENTRY.test(lines[valueLines[0]!]!)) continue;
    const first = valueLines[0]!;
    const cr = lines[first]!.endsWith('\r') ? '\r' : '';
    lines[first] = `${lines[first]!.slice(0, indentOf(lines[first]!))}${REDACTED}${cr}`;
    lines.splice(first + 1, body.at(-1)! - first);
    i = first;
  }
  return lines.join('\n');
}

/** Each argument redacted on its own, plus the argument after a secret-named flag (`--token`, `xyz`). */
export function redactArgs(args: readonly string[]): string[] {
  const flag = new RegExp(`^--?${SECRET_NAME}$`, 'i');
  return args.map((arg, i) => (i > 0 && flag.test(args[i - 1] ?? '') ? REDACTED : redactSecrets(arg)));
}
