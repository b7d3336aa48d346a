// Property run of the secret redaction as a class (issue 18): generated secret values in every shape people write
// them in — YAML inline, quoted, block scalars (`password: |`, `>-`), the value on the line after its key, JSON,
// env assignments (RABBITMQ_DEFAULT_PASS=…), flags as one or two arguments (`--secret-key value`) — embedded in
// generated surrounding text (indentation, CRLF, other keys, prose), through redactSecrets (logs, notifications),
// redactArgs (command lines) and Reveal in YAML (objectYaml: env, args, a ConfigMap holding a config file). No
// secret value, nor any line of a multi-line one, may survive. Each case has a time bound: a hang detector (a
// regular expression gone super-linear), not a performance claim. REDACTION_PROPERTY_RUNS/_SEED set count and seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactArgs, redactSecrets } from '../../src/core/secrets/redactText.ts';
import { objectYaml } from '../../src/core/liqo/objectYaml.ts';
import { failureReason } from '../../src/core/liqoctl/command.ts';
import { classifySshFailure } from '../../src/core/ssh/sshFailure.ts';
import type { KubeObject } from '../../src/core/liqo/objects.ts';
import { mulberry32, pick, type Rand } from './kubeconfigGenerator.ts';

const RUNS = Number(process.env.REDACTION_PROPERTY_RUNS ?? 5000);
const SEED = Number(process.env.REDACTION_PROPERTY_SEED ?? 20261206);
const CASE_BOUND_MS = 2000;

// Names as they appear in YAML and JSON keys (config files, Helm values, kubeconfigs).
const KEY_NAMES = ['password', 'passwd', 'pass', 'passphrase', 'secret', 'secretKey', 'secret-key', 'secret_key', 'token', 'accessToken', 'id-token', 'apiKey', 'api_key', 'privateKey', 'client-key-data', 'dbPassword', 'clientSecret', 'AWS_SECRET_ACCESS_KEY', 'RABBITMQ_DEFAULT_PASS', 'smtp_pass'];
// Names of environment variables.
const ENV_NAMES = ['RABBITMQ_DEFAULT_PASS', 'DB_PASS', 'REDIS_PASS', 'MYSQL_ROOT_PASSWORD', 'PGPASSWORD', 'AWS_SECRET_ACCESS_KEY', 'HF_TOKEN', 'SECRET_KEY', 'API_KEY', 'MINIO_SECRET_KEY', 'GITHUB_TOKEN', 'APP_PASSPHRASE'];
// Flags of command lines.
const FLAG_NAMES = ['secret-key', 'password', 'pass', 'token', 'client-secret', 'api-key', 'secret', 'bootstrap-token', 'db-password', 'aws-secret-access-key'];
const PROSE = ['INFO  Installing Liqo', 'Error: connection refused', 'user: admin', 'name: app', 'namespace: liqo', 'WARN retrying in 2s', 'host: db.local', 'replicas: 3', '# settings', ''];

const WORD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SYMBOLS = '!@%^*_+~/.-$?';

function secretValue(r: Rand, spaces: boolean): string {
  const n = 10 + Math.floor(r() * 23);
  let v = WORD[Math.floor(r() * WORD.length)]!;
  while (v.length < n) {
    const x = r();
    if (spaces && x < 0.08 && !v.endsWith(' ')) v += ' ';
    else if (x < 0.2) v += SYMBOLS[Math.floor(r() * SYMBOLS.length)]!;
    else v += WORD[Math.floor(r() * WORD.length)]!;
  }
  return v.trimEnd() + WORD[Math.floor(r() * WORD.length)]!;
}

/** A piece of text holding secrets, and the strings that must not survive. */
interface Shape {
  readonly text: string;
  readonly secrets: readonly string[];
}

function textShape(r: Rand, indent: string): Shape {
  const key = pick(r, KEY_NAMES);
  const env = pick(r, ENV_NAMES);
  const flag = pick(r, FLAG_NAMES);
  const kind = Math.floor(r() * 11);
  switch (kind) {
    case 0: {
      const v = secretValue(r, true);
      return { text: `${indent}${key}: ${v}`, secrets: [v] };
    }
    case 1: {
      const v = secretValue(r, true);
      return { text: `${indent}${key}: "${v}"`, secrets: [v] };
    }
    case 2: {
      const v = secretValue(r, true);
      return { text: `${indent}${key}: '${v}'`, secrets: [v] };
    }
    case 3: {
      // A block scalar: one to three lines, deeper than the key.
      const lines = Array.from({ length: 1 + Math.floor(r() * 3) }, () => secretValue(r, true));
      const deeper = indent + pick(r, ['  ', '    ', '\t']);
      return { text: `${indent}${key}: ${pick(r, ['|', '|-', '|+', '>', '>-', '|2'])}${pick(r, ['', ' ', ' # the key'])}\n${lines.map((l) => deeper + l).join('\n')}`, secrets: lines };
    }
    case 4: {
      // The value on the line after its key (a YAML plain scalar).
      const v = secretValue(r, false);
      return { text: `${indent}${key}:\n${indent}  ${v}`, secrets: [v] };
    }
    case 5: {
      const v = secretValue(r, false);
      return { text: `${indent}${pick(r, ['', 'export '])}${env}=${v}`, secrets: [v] };
    }
    case 6: {
      const v = secretValue(r, true);
      return { text: `${indent}{"${key}": "${v}", "user": "admin"}`, secrets: [v] };
    }
    case 7: {
      const v = secretValue(r, false);
      return { text: `${indent}Running app --${flag} ${v} --namespace liqo`, secrets: [v] };
    }
    case 8: {
      const v = secretValue(r, false);
      return { text: `${indent}Running app --${flag}=${v}`, secrets: [v] };
    }
    case 9: {
      // A list item holding the key.
      const v = secretValue(r, true);
      return { text: `${indent}- ${key}: ${v}`, secrets: [v] };
    }
    default: {
      const v = secretValue(r, false);
      return { text: `${indent}- name: ${env}\n${indent}  value: x\n${indent}${env}: ${v}`, secrets: [v] };
    }
  }
}

function document(r: Rand): Shape {
  const parts: string[] = [];
  const secrets: string[] = [];
  const count = 1 + Math.floor(r() * 4);
  for (let i = 0; i < count; i++) {
    for (let k = Math.floor(r() * 3); k > 0; k--) parts.push(pick(r, ['', '  ', '    ']) + pick(r, PROSE));
    const s = textShape(r, pick(r, ['', '  ', '    ', '      ']));
    parts.push(s.text);
    secrets.push(...s.secrets);
  }
  for (let k = Math.floor(r() * 3); k > 0; k--) parts.push(pick(r, PROSE));
  const eol = r() < 0.2 ? '\r\n' : '\n';
  return { text: parts.join('\n').replace(/\n/g, eol), secrets };
}

function argv(r: Rand): Shape {
  const args = ['peer'];
  const secrets: string[] = [];
  for (let i = 1 + Math.floor(r() * 3); i > 0; i--) {
    const v = secretValue(r, r() < 0.3);
    const flag = pick(r, FLAG_NAMES);
    if (r() < 0.5) args.push(`--${flag}`, v);
    else args.push(`--${flag}=${v}`);
    secrets.push(v);
    if (r() < 0.5) args.push('--namespace', 'liqo');
  }
  return { text: args.join('\u0000'), secrets };
}

function podAndConfigMap(r: Rand): { objects: KubeObject[]; secrets: string[] } {
  const secrets: string[] = [];
  const env = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
    const v = secretValue(r, r() < 0.3);
    secrets.push(v);
    return { name: pick(r, ENV_NAMES), value: v };
  });
  const a = argv(r);
  secrets.push(...a.secrets);
  const doc = document(r);
  secrets.push(...doc.secrets);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'app:1', env, args: a.text.split('\u0000') }] } };
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'default' }, data: { [pick(r, ['application.yaml', 'settings.env', 'config'])]: doc.text } };
  return { objects: [pod as unknown as KubeObject, cm as unknown as KubeObject], secrets };
}

function survivors(out: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => out.includes(s));
}

test(`redaction property: ${RUNS} generated texts, argv and objects keep no secret value`, () => {
  const r = mulberry32(SEED);
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const doc = document(r);
    const out = redactSecrets(doc.text);
    assert.deepEqual(survivors(out, doc.secrets), [], `case ${i}: a secret survived redactSecrets\n--- in\n${doc.text}\n--- out\n${out}`);
    assert.equal(redactSecrets(out), out, `case ${i}: not idempotent`);

    const a = argv(r);
    const args = a.text.split('\u0000');
    const redacted = redactArgs(args);
    assert.deepEqual(survivors(redacted.join('\u0000'), a.secrets), [], `case ${i}: a secret survived redactArgs: ${JSON.stringify(args)} → ${JSON.stringify(redacted)}`);
    assert.deepEqual(survivors(redactSecrets(args.join(' ')), a.secrets.filter((s) => !s.includes(' '))), [], `case ${i}: a secret survived as a command line: ${args.join(' ')}`);

    const { objects, secrets } = podAndConfigMap(r);
    const yaml = objects.map(objectYaml).join('---\n');
    assert.deepEqual(survivors(yaml, secrets), [], `case ${i}: a secret survived Reveal in YAML\n${yaml}`);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < CASE_BOUND_MS, `case ${i} took ${Math.round(elapsed)} ms (hang detector bound ${CASE_BOUND_MS} ms)`);
  }
});

test('the issue\'s examples, each on its own', () => {
  const cases: [string, string][] = [
    ['password: |\n  hunter2-block\nuser: admin', 'hunter2-block'],
    ['password:\n  hunter2-nextline\n', 'hunter2-nextline'],
    ['secretKey: s3cr3t-key-value', 's3cr3t-key-value'],
    ['RABBITMQ_DEFAULT_PASS=guest-pass-value', 'guest-pass-value'],
    ['run --secret-key s3cr3t-flag-value --x y', 's3cr3t-flag-value'],
  ];
  for (const [text, secret] of cases) assert.ok(!redactSecrets(text).includes(secret), `${text} → ${redactSecrets(text)}`);
  assert.ok(!redactArgs(['--secret-key', 'two-arg-value']).includes('two-arg-value'));
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mq' }, spec: { containers: [{ name: 'mq', env: [{ name: 'RABBITMQ_DEFAULT_PASS', value: 'plain-guest' }] }] } };
  assert.ok(!objectYaml(pod as unknown as KubeObject).includes('plain-guest'));
  // What stays readable: a nested map under a credential-named key, prose, the names themselves.
  assert.equal(redactSecrets('credentials:\n  name: x\n  region: eu'), 'credentials:\n  name: x\n  region: eu');
  assert.equal(redactSecrets('bypass: true\ncompass: north'), 'bypass: true\ncompass: north');
  assert.equal(redactSecrets('password: |\n  a\n  b\nuser: admin'), 'password: |\n  <redacted>\nuser: admin');
});

test(`stderr quoted in liqoctl's and ssh's final errors keeps no secret (${Math.min(RUNS, 2000)} generated outputs)`, () => {
  const r = mulberry32(SEED + 1);
  for (let i = 0; i < Math.min(RUNS, 2000); i++) {
    const doc = document(r);
    const prefix = pick(r, ['', 'ERRO ', 'Error: ']);
    // liqoctl (pterm) and Go programs prefix the message's first line; its continuation lines are printed as they are.
    const stderr = `${prefix}failed:\n${doc.text}`;
    const liqoctl = failureReason({ exitCode: 1, stdout: '', stderr });
    assert.deepEqual(survivors(liqoctl, doc.secrets), [], `case ${i}: liqoctl's error keeps a secret\n${stderr}\n→ ${liqoctl}`);
    const ssh = classifySshFailure(pick(r, [1, 255]), stderr, { target: { host: 'edge', user: 'ops' } });
    assert.deepEqual(survivors(ssh.message, doc.secrets), [], `case ${i}: ssh's error keeps a secret\n${stderr}\n→ ${ssh.message}`);
  }
});

test('long adversarial runs return: no quadratic rescans (hang detector: 5 s a case)', () => {
  const N = 50_000;
  const cases: Record<string, string> = {
    'spaces after a value': `token: a${' '.repeat(2 * N)}b`,
    'a.a.a…': 'a.'.repeat(N),
    'a-a-a…': 'a-'.repeat(N),
    'BEGIN without END (key label)': '-----BEGIN CERTIFICATE-----'.repeat(N / 10),
    'BEGIN without END (other label)': '-----BEGIN A-----\n'.repeat(N / 10),
    'scheme://user: runs': 'a://b:'.repeat(N / 3),
    'block scalar of 50,000 lines': `password: |\n${'  x\n'.repeat(N)}`,
    'keys without values': 'password:\n'.repeat(N / 5),
    'flags': '--token '.repeat(N / 4),
  };
  for (const [name, text] of Object.entries(cases)) {
    const started = performance.now();
    redactSecrets(text);
    redactArgs(text.split(' ').slice(0, 20_000));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 5000, `${name} (${text.length} chars) took ${Math.round(elapsed)} ms`);
  }
});
