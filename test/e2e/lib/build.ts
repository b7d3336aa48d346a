// Builds what the workbench runs: the .vsix exactly as `npm run package` makes it, and the extension-host suite
// (`node esbuild.js --host-tests` → out/host/index.cjs + out/host/**/*.test.cjs).
import { copyFileSync, existsSync, realpathSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, vsixPath } from './paths.ts';
import { runCommand } from './procs.ts';

function npmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm) && existsSync(fromNpm)) return fromNpm;
  return realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
}

/** The environment for build steps: this Node first on PATH (npm scripts expect the project's Node 24). */
function buildEnv(): NodeJS.ProcessEnv {
  const nodeDir = join(repoRoot, 'node_modules/.bin');
  return { ...process.env, PATH: `${nodeDir}:${process.env.PATH ?? ''}` };
}

/** Runs `npm run package` and copies the .vsix it built to dest (so a concurrent rebuild can't change it mid-run). */
export async function packageVsix(dest: string): Promise<string> {
  rmSync(vsixPath, { force: true });
  const res = await runCommand(process.execPath, [npmCli(), 'run', 'package'], { cwd: repoRoot, env: buildEnv(), timeoutMs: 5 * 60_000 });
  if (res.code !== 0 || !existsSync(vsixPath)) {
    throw new Error(`npm run package failed (exit ${res.code}):\n${res.stdout.slice(-4000)}\n${res.stderr.slice(-4000)}`);
  }
  copyFileSync(vsixPath, dest);
  return dest;
}

/** Bundles the extension-host suite afresh (stale bundles of deleted suites must not run). */
export async function buildHostTests(): Promise<string> {
  rmSync(join(repoRoot, 'out/host'), { recursive: true, force: true });
  const res = await runCommand(process.execPath, [join(repoRoot, 'esbuild.js'), '--host-tests'], { cwd: repoRoot, env: buildEnv(), timeoutMs: 5 * 60_000 });
  const entry = join(repoRoot, 'out/host/index.cjs');
  if (res.code !== 0 || !existsSync(entry)) throw new Error(`node esbuild.js --host-tests failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
  return entry;
}
