// Lint: typescript-eslint, plus the layering rules of STYLE.md — `vscode` only in src/ui (and the wiring in
// src/extension.ts); dependencies point ui → infra → core; core does no I/O.
import tseslint from 'typescript-eslint';

const nodeIo = ['fs', 'fs/promises', 'net', 'tls', 'http', 'https', 'http2', 'child_process', 'os', 'dgram', 'dns', 'worker_threads', 'cluster'];
const ioModules = [...nodeIo, ...nodeIo.map((m) => `node:${m}`), '@kubernetes/client-node', 'execa'];

// Only src/infra/cluster talks to API servers (through the one ClusterClient per cluster).
const netNames = ['net', 'tls', 'http', 'https', 'http2'];
const netModules = [...netNames, ...netNames.map((m) => `node:${m}`), '@kubernetes/client-node'];
const netBan = netModules.map((name) => ({ name, message: 'Only src/infra/cluster talks to API servers: use the session\'s ClusterClient.' }));

const vscodeBan = { name: 'vscode', message: 'Only src/ui (and src/extension.ts) may import vscode.' };
const upward = (layer, banned) => ({
  group: banned.flatMap((b) => [`**/${b}/**`, `**/${b}`, `../${b}/*`, `../../${b}/*`]),
  message: `src/${layer} must not import from src/${banned.join(' or src/')}: dependencies point ui → infra → core.`,
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.testbed/**', 'test/e2e/artifacts/**', '.vscode-test/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/ui/**', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan] }] },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBan, ...ioModules.map((name) => ({ name, message: 'src/core is pure: no network, no file system, no processes. Do I/O in src/infra.' }))],
          patterns: [upward('core', ['infra', 'ui'])],
        },
      ],
    },
  },
  {
    files: ['src/infra/**/*.ts'],
    ignores: ['src/infra/cluster/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan, ...netBan], patterns: [upward('infra', ['ui'])] }] },
  },
  {
    // The liqoctl download speaks https itself (not fetch): it must refuse downgrade redirects, cap the body while it
    // streams and time out a silent server, which fetch does not let it do. It talks to release mirrors, not clusters.
    files: ['src/infra/liqoctl/download.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [upward('infra', ['ui'])] }] },
  },
  {
    files: ['src/infra/cluster/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [upward('infra', ['ui'])] }] },
  },
  {
    files: ['src/ui/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: netBan }] },
  },
  {
    files: ['test/unit/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The unit tier runs without VS Code.' }] }] },
  },
);
