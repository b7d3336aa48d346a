// `npm run bench -- activation`: bundle load + activate() to the tree's first rendered rows, with a 1-context
// kubeconfig and with a 500-context one whose API servers never answer (a TCP listener that accepts and stays
// silent). Each sample is a fresh Node process loading dist/extension.cjs (production build) with a FAKE `vscode`
// module (fakeVscode.ts) — a benchmark cannot start a workbench per sample; the workbench's own start-up is not
// part of what the extension controls. Samples alternate between the two sizes; medians are reported with their
// ratio to the 150 ms goal and to the 1-context case.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const SIZES = [1, 500];
const PAIRS = 7;
const GOAL_MS = 150;

interface Sample {
  ms: number;
  cpu_ms: number;
  load_ms: number;
  activate_ms: number;
  rows: number;
  first: string;
}

function kubeconfig(n: number, port: number): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'current-context: ctx-0', 'clusters:'];
  for (let i = 0; i < n; i++) lines.push(`- name: c-${i}`, '  cluster:', `    server: https://127.0.0.1:${port}`);
  lines.push('contexts:');
  for (let i = 0; i < n; i++) lines.push(`- name: ctx-${i}`, `  context: {cluster: c-${i}, user: u-${i}}`);
  lines.push('users:');
  for (let i = 0; i < n; i++) lines.push(`- name: u-${i}`, '  user: {token: not-a-real-token}');
  return `${lines.join('\n')}\n`;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number): number => Math.round(x * 10) / 10;

export async function benchActivation(): Promise<void> {
  await run(process.execPath, ['esbuild.js', '--production'], { cwd: root });
  const sockets: Socket[] = [];
  const silent = createServer((s) => sockets.push(s)); // accepts, never answers (not even the TLS handshake)
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-bench-activation-'));
  try {
    const files = new Map<number, string>();
    for (const n of SIZES) {
      const f = path.join(dir, `kubeconfig-${n}`);
      await writeFile(f, kubeconfig(n, port), { mode: 0o600 });
      files.set(n, f);
    }
    const samples = new Map<number, Sample[]>(SIZES.map((n) => [n, []]));
    for (let i = 0; i < PAIRS; i++) {
      for (const n of i % 2 ? [...SIZES].reverse() : SIZES) {
        const { stdout } = await run(process.execPath, [path.join(import.meta.dirname, 'activationSample.ts')], {
          cwd: root,
          env: { ...process.env, KUBECONFIG: files.get(n)!, HOME: dir },
          timeout: 60_000,
        });
        samples.get(n)!.push(JSON.parse(stdout.trim().split('\n').pop()!) as Sample);
      }
    }
    const one = median(samples.get(1)!.map((s) => s.ms));
    for (const n of SIZES) {
      const s = samples.get(n)!;
      const ms = median(s.map((x) => x.ms));
      if (s.some((x) => x.rows !== n)) throw new Error(`expected ${n} rows, got ${s.map((x) => x.rows).join(', ')}`);
      console.log(
        JSON.stringify({
          bench: 'activation',
          contexts: n,
          ms: round(ms),
          cpu_ms: round(median(s.map((x) => x.cpu_ms))),
          load_ms: round(median(s.map((x) => x.load_ms))),
          activate_ms: round(median(s.map((x) => x.activate_ms))),
          max_ms: round(Math.max(...s.map((x) => x.ms))),
          goal_ms: GOAL_MS,
          ratio_to_goal: Math.round((ms / GOAL_MS) * 100) / 100,
          ratio_to_1_context: Math.round((ms / one) * 100) / 100,
          first_row: s[0]!.first,
          samples: s.length,
          measured_with: 'node + fake vscode module (test/bench/fakeVscode.ts), production bundle',
        }),
      );
    }
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await rm(dir, { recursive: true, force: true });
  }
}
