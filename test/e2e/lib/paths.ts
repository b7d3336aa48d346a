// Where the end-to-end harness keeps things: the repository, the per-machine cache (outside the repo, keyed by
// version), the git-ignored artifacts folder, and the per-run scratch folders.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const artifactsDir = join(repoRoot, 'test/e2e/artifacts');
export const vsixPath = join(repoRoot, 'liqo-federation.vsix');
export const hostTestsEntry = join(repoRoot, 'out/host/index.cjs');

/** The VS Code build the harness drives. 4.139.x bundles VS Code 1.139.1 and needs Node 24. */
export const codeServerVersion = process.env.LIQO_E2E_CODE_SERVER_VERSION ?? '4.139.1';

export function cacheRoot(): string {
  if (process.env.LIQO_E2E_CACHE) return resolve(process.env.LIQO_E2E_CACHE);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'liqo-vscode-e2e');
}

/** A fresh scratch folder for one run (or one workbench), under the system temp dir, never inside the repo. */
export function freshRunDir(prefix: string): string {
  const base = join(process.env.LIQO_E2E_RUN_DIR ?? tmpdir());
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

export function ensureDir(dir: string): string {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}
