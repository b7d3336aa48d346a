// One isolated VS Code workbench (code-server) per test: its own HOME, TMPDIR, XDG_* dirs, user-data dir and
// extensions dir under a fresh scratch folder, settings pre-written, the server started detached on 127.0.0.1 and
// ended with its whole process group (plus anything else carrying its owner mark) afterwards.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { CodeServer } from './code-server.ts';
import { artifactsDir, freshRunDir } from './paths.ts';
import { OWNER_VAR, killGroup, runCommand, spawnDetached, sweepMarked } from './procs.ts';

export type Trust = 'trusted' | 'restricted';

export interface WorkbenchOptions {
  codeServer: CodeServer;
  /** Names the scratch folder, the owner mark and the log copy under test/e2e/artifacts/<name>/. */
  name: string;
  /** .vsix file(s) to install into the isolated extensions dir before the server starts. */
  vsix?: string | string[];
  /** Mutation check: replace text in the installed extensions' dist/*.cjs (e.g. break a tree label on purpose). */
  mutate?: { from: string; to: string };
  /** Files/folders for the extension's `liqo.kubeconfigs` setting. */
  kubeconfigs?: string[];
  /** 'trusted' (default): workspace trust off, everything allowed. 'restricted': trust on, the folder untrusted. */
  trust?: Trust;
  /** Folder to open; default: an empty folder inside the scratch dir. */
  folder?: string;
  /** More user settings (merged over the defaults). */
  settings?: Record<string, unknown>;
  /** Settings written to the User layer only, where a user sets them in the Settings editor's User tab. */
  userSettings?: Record<string, unknown>;
  /** Start VS Code's own server (server-main.js) with --enable-smoke-test-driver, so the workbench honours the
   *  extensionDevelopmentPath / extensionTestsPath of the URL payload (extension-host tests). */
  smokeTestDriver?: boolean;
  host?: string;
  /** Fixed port (demo); default: a free one. */
  port?: number;
  /** Prepended to the server's PATH (e.g. the test bed's kubectl/liqoctl). */
  extraPath?: string[];
  env?: Record<string, string>;
}

export interface Workbench {
  url: string;
  origin: string;
  host: string;
  port: number;
  folder: string;
  runDir: string;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  owner: string;
  pid: number;
  /** Ends the server's process group and any escaped process with its owner mark; copies logs; removes the scratch dir. */
  stop(opts?: { keep?: boolean }): Promise<void>;
}

/** Settings every harness workbench starts with: quiet, offline, deterministic. */
export function baseSettings(trust: Trust, kubeconfigs: string[] | undefined): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'telemetry.feedback.enabled': false,
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': 'off',
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'chat.agent.enabled': false,
    'github.copilot.enable': { '*': false },
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'npm.autoDetect': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
    'workbench.editor.useModal': 'off',
    'workbench.tree.enableStickyScroll': false,
    'workbench.list.smoothScrolling': false,
    'window.restoreWindows': 'none',
    'files.hotExit': 'off',
    'security.workspace.trust.enabled': trust === 'restricted',
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'security.workspace.trust.emptyWindow': trust !== 'restricted',
    ...(kubeconfigs ? { 'liqo.kubeconfigs': kubeconfigs } : {}),
  };
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`workbench server exited before it answered; see ${logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
      await res.body?.cancel();
      if (res.status < 500) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`workbench server did not answer ${url} within ${timeoutMs} ms (${last}); see ${logFile}`);
}

/** Applies a text mutation to every installed extension's bundled code; fails if the text is nowhere. */
function mutateInstalled(extensionsDir: string, m: { from: string; to: string }): void {
  let hits = 0;
  for (const ext of readdirSync(extensionsDir, { withFileTypes: true })) {
    if (!ext.isDirectory()) continue;
    const dist = join(extensionsDir, ext.name, 'dist');
    if (!existsSync(dist)) continue;
    for (const f of readdirSync(dist)) {
      if (!f.endsWith('.cjs') && !f.endsWith('.js')) continue;
      const file = join(dist, f);
      const text = readFileSync(file, 'utf8');
      const n = text.split(m.from).length - 1;
      if (n > 0) writeFileSync(file, text.split(m.from).join(m.to));
      hits += n;
    }
  }
  if (hits === 0) throw new Error(`mutation: ${JSON.stringify(m.from)} not found in any installed extension`);
  process.stderr.write(`[e2e] mutation applied: ${JSON.stringify(m.from)} → ${JSON.stringify(m.to)} (${hits}×)\n`);
}

const runId = () => process.env.LIQO_E2E_RUN_ID ?? `solo-${process.pid}`;

export async function startWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const cs = opts.codeServer;
  const trust = opts.trust ?? 'trusted';
  const host = opts.host ?? '127.0.0.1';
  const runDir = freshRunDir(`wb-${opts.name.replace(/[^\w.-]+/g, '_')}`);
  const d = (p: string) => {
    const full = join(runDir, p);
    mkdirSync(full, { recursive: true });
    return full;
  };
  const home = d('home');
  const userDataDir = d('user-data');
  const extensionsDir = d('extensions');
  const serverDataDir = d('server-data');
  const logsDir = d('logs');
  const folder = opts.folder ?? d('workspace');
  const owner = `${runId()}/${opts.name}`;

  const env: NodeJS.ProcessEnv = {
    PATH: [...(opts.extraPath ?? []), dirname(cs.node), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(':'),
    HOME: home,
    USER: process.env.USER ?? 'root',
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    TMPDIR: d('tmp'),
    XDG_CONFIG_HOME: d('xdg/config'),
    XDG_DATA_HOME: d('xdg/data'),
    XDG_CACHE_HOME: d('xdg/cache'),
    XDG_STATE_HOME: d('xdg/state'),
    XDG_RUNTIME_DIR: d('xdg/runtime'),
    VSCODE_AGENT_FOLDER: serverDataDir,
    [OWNER_VAR]: owner,
    ...opts.env,
  };

  const settings = { ...baseSettings(trust, opts.kubeconfigs), ...opts.settings };
  // User settings: code-server keeps them in <user-data>/User; VS Code's own server may use <server-data>/data/User.
  for (const dir of ['user-data/User', 'server-data/data/User']) writeFileSync(join(d(dir), 'settings.json'), JSON.stringify({ ...settings, ...opts.userSettings }, null, 2));
  // The remote ("Machine") settings layer: settings whose scope is machine / machine-overridable (liqo.kubeconfigs)
  // are ignored in the user layer of a remote window, which every code-server window is. code-server keeps them in
  // <user-data>/Machine, VS Code's own server in <server-data>/data/Machine.
  for (const dir of ['user-data/Machine', 'server-data/data/Machine']) writeFileSync(join(d(dir), 'settings.json'), JSON.stringify(settings, null, 2));
  const configFile = join(runDir, 'code-server.yaml');
  writeFileSync(configFile, `bind-addr: ${host}:0\nauth: none\ncert: false\ndisable-telemetry: true\ndisable-update-check: true\n`);

  for (const vsix of typeof opts.vsix === 'string' ? [opts.vsix] : (opts.vsix ?? [])) {
    const res = await runCommand(
      cs.node,
      [cs.entry, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
      { env, cwd: home, timeoutMs: 120_000 },
    );
    if (res.code !== 0 || !/successfully installed/i.test(res.stdout + res.stderr)) {
      throw new Error(`installing ${vsix} failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
    }
  }
  if (opts.mutate) mutateInstalled(extensionsDir, opts.mutate);

  const port = opts.port ?? (await freePort(host));
  const logFile = join(logsDir, 'server.log');
  const args = opts.smokeTestDriver
    ? [
        cs.serverMain,
        '--host', host,
        '--port', String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        '--enable-smoke-test-driver',
        '--disable-telemetry',
        '--disable-workspace-trust',
        '--user-data-dir', userDataDir,
        '--server-data-dir', serverDataDir,
        '--extensions-dir', extensionsDir,
        '--logsPath', join(logsDir, 'vscode'),
      ]
    : [
        cs.entry,
        '--config', configFile,
        '--bind-addr', `${host}:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        ...(process.env.LIQO_E2E_LOG_LEVEL ? ['--log', process.env.LIQO_E2E_LOG_LEVEL] : []),
        '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir,
        ...(trust === 'trusted' ? ['--disable-workspace-trust'] : []),
        folder,
      ];
  const child = spawnDetached(cs.node, args, env, logFile, home);
  const pid = child.pid;
  if (!pid) throw new Error('workbench server did not start');
  let exited = false;
  child.on('exit', () => (exited = true));

  let stopped = false;
  const stop = async (stopOpts: { keep?: boolean } = {}) => {
    if (stopped) return;
    stopped = true;
    await killGroup(pid);
    await sweepMarked(owner);
    const logCopy = join(artifactsDir, opts.name, 'logs');
    try {
      mkdirSync(logCopy, { recursive: true });
      cpSync(logsDir, logCopy, { recursive: true });
      const vsLogs = join(userDataDir, 'logs');
      if (existsSync(vsLogs)) cpSync(vsLogs, join(logCopy, 'user-data-logs'), { recursive: true });
    } catch {
      // logs are a courtesy
    }
    if (!stopOpts.keep && !process.env.LIQO_E2E_KEEP) rmSync(runDir, { recursive: true, force: true });
  };

  const origin = `http://${host}:${port}`;
  try {
    await waitForHttp(opts.smokeTestDriver ? `${origin}/version` : `${origin}/healthz`, 60_000, () => !exited, logFile);
  } catch (err) {
    await stop({ keep: true });
    throw err;
  }
  const url = `${origin}/?folder=${encodeURIComponent(folder)}`;
  return { url, origin, host, port, folder, runDir, home, userDataDir, extensionsDir, logFile, owner, pid, stop };
}
