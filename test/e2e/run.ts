// npm run e2e [-- <file filter>...] [--keep] [--seed] [--seed-002] [--live]
//
// The product as a user gets it: code-server (installed into a cache outside the repo on first use), the .vsix that
// `npm run package` builds, a test bed, and Debian's Chromium driven by playwright-core. Then every scenario in
// test/e2e/scenarios/ runs under node's test runner, one isolated workbench per file (the extension-host suite is one
// of them), in phases: each phase brings up its own test bed and runs the files that declare it by their name. Screenshots land in test/e2e/artifacts/. Whatever happens, every process the run started
// is ended: each workbench's process group, anything carrying the run's owner mark, and the test bed if this run
// brought it up. Filters pick scenario files by substring (`npm run e2e -- host`); --keep keeps the scratch dirs;
// LIQO_E2E_VSIX=<file> tests that .vsix instead of running `npm run package`; --update-screenshots copies the
// README's screenshots from a passing run into media/screenshots/; LIQO_E2E_MUTATE='from=>to' breaks the installed
// extension's code on purpose (the run must then fail).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { abortTestbed, currentTestbed, ensureTestbed, teardownTestbed } from '../testbed/index.ts';
import type { Testbed } from '../testbed/index.ts';
import { chromiumPath } from './lib/browser.ts';
import { buildHostTests, packageVsix } from './lib/build.ts';
import { abortInstall, ensureCodeServer } from './lib/code-server.ts';
import { artifactsDir, repoRoot } from './lib/paths.ts';
import { markedProcesses, sweepMarked } from './lib/procs.ts';

const log = (msg: string) => process.stderr.write(`[e2e] ${msg}\n`);
const secs = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

const args = process.argv.slice(2);
const keep = args.includes('--keep') || Boolean(process.env.LIQO_E2E_KEEP);
const updateMedia = args.includes('--update-screenshots');

/**
 * The pictures the product shows, refreshed from a passing run by --update-screenshots (paths under media/): README's
 * screenshots, and the walkthrough's step pictures (cropped to the part of the window each step is about).
 */
const MEDIA: Record<string, string> = {
  'federation-tree/04-virtual-node.png': 'screenshots/federation-tree.png',
  'federation-tree/04-virtual-node-hover.png': 'screenshots/virtual-node-hover.png',
  'federation-tree/05-offloaded-namespace.png': 'screenshots/offloaded-namespace.png',
  'federation-map/01-map-light.png': 'screenshots/federation-map-light.png',
  'federation-map/03-map-dark.png': 'screenshots/federation-map-dark.png',
  ...Object.fromEntries(
    ['add-kubeconfigs', 'rewrite-server', 'install-liqo', 'peer', 'offload', 'verify', 'stream-logs'].map((step) => [`walkthrough-live/media-${step}.png`, `walkthrough/${step}.png`]),
  ),
};
const filters = args.filter((a) => !a.startsWith('--'));
/**
 * The phases, in this order, each on its own test bed: seed-000's scenarios; seed-002's (Admiralty, KubeFed, Istio:
 * files named `*.seed-002.test.ts`); those that need Liqo's own controllers (`*.live.test.ts`) on the live test bed.
 * By default every phase with a matching file runs, each next one as a new run of this script once the previous
 * passed (it reuses the .vsix built here); --seed, --seed-002 and --live pick phases. --append-artifacts (a later
 * phase) keeps the earlier phases' screenshots.
 */
interface Phase {
  readonly scenario: 'seed-000' | 'seed-002' | 'live';
  readonly flag: string;
  readonly owns: (file: string) => boolean;
}
const PHASES: readonly Phase[] = [
  { scenario: 'seed-000', flag: '--seed', owns: (f) => !f.endsWith('.live.test.ts') && !f.endsWith('.seed-002.test.ts') },
  { scenario: 'seed-002', flag: '--seed-002', owns: (f) => f.endsWith('.seed-002.test.ts') },
  { scenario: 'live', flag: '--live', owns: (f) => f.endsWith('.live.test.ts') },
];
const picked = PHASES.filter((p) => args.includes(p.flag));
const matching = (f: string) => f.endsWith('.test.ts') && (filters.length === 0 || filters.some((x) => f.includes(x)));
const scenariosDir = join(repoRoot, 'test/e2e/scenarios');
const allFiles = readdirSync(scenariosDir).filter(matching).sort();
const phases = (picked.length ? picked : PHASES).filter((p) => allFiles.some(p.owns));
const phase = phases[0];
if (!phase) {
  log(`no scenario file matches ${filters.join(', ')}${picked.length ? ` in ${picked.map((p) => p.scenario).join(', ')}` : ''}`);
  process.exit(2);
}
const laterPhases = phases.slice(1);
const TESTBED_SCENARIO = phase.scenario;
/** A .vsix built elsewhere (debugging, mutation checks, an earlier phase): used instead of running `npm run package`. */
const prebuiltVsix = process.env.LIQO_E2E_VSIX;
if (prebuiltVsix && !existsSync(prebuiltVsix)) {
  log(`LIQO_E2E_VSIX=${prebuiltVsix} does not exist`);
  process.exit(2);
}
const files = allFiles.filter(phase.owns).map((f) => join(scenariosDir, f));

/** The next phases, once this one passed: a new run of this script on their test bed, with the .vsix built here. */
const nextPhases = (vsix: string | undefined): Promise<number> =>
  new Promise((resolve) => {
    const rest = args.filter((a) => !PHASES.some((p) => p.flag === a) && a !== '--append-artifacts');
    const env = vsix ? { ...process.env, LIQO_E2E_VSIX: vsix } : process.env;
    const p = spawn(process.execPath, [import.meta.filename, ...rest, ...laterPhases.map((x) => x.flag), '--append-artifacts'], { stdio: 'inherit', env });
    p.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
if (!existsSync(chromiumPath)) {
  log(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (Debian), or set LIQO_E2E_CHROMIUM.`);
  process.exit(1);
}

const runId = `e2e-${process.pid}-${Date.now().toString(36)}`;
const runRoot = mkdtempSync(join(tmpdir(), 'liqo-e2e-'));
if (!args.includes('--append-artifacts')) rmSync(artifactsDir, { recursive: true, force: true });
mkdirSync(artifactsDir, { recursive: true });

const before = currentTestbed();
const testbedWasUp = before?.scenario === TESTBED_SCENARIO && before.ready;
let testbedTouched = false;
let testbedStarting = false;
let child: ReturnType<typeof spawn> | undefined;
let cleaning: Promise<void> | undefined;
let keptVsixDir: string | undefined;
let keptVsix: string | undefined;

async function cleanup(): Promise<string[]> {
  const problems: string[] = [];
  const leftovers = markedProcesses(runId, true);
  if (leftovers.length > 0) {
    problems.push(`processes left behind by the scenarios (now killed): ${leftovers.join(', ')}`);
    await sweepMarked(runId, true);
  }
  if (testbedTouched && !testbedWasUp && !process.env.LIQO_E2E_KEEP_TESTBED) {
    // While this process is still bringing it up (a signal during setup) it holds the test bed's lock: abort instead.
    const stop = testbedStarting ? abortTestbed : teardownTestbed;
    await stop().catch((err: unknown) => problems.push(`test bed teardown: ${(err as Error).message}`));
  }
  if (!keep) rmSync(runRoot, { recursive: true, force: true });
  return problems;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (cleaning) return;
    log(`${sig}: stopping`);
    abortInstall();
    child?.kill('SIGTERM');
    cleaning = (async () => {
      await new Promise((r) => setTimeout(r, child ? 3000 : 0));
      child?.kill('SIGKILL');
      await cleanup();
    })().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const t0 = Date.now();
  log(`run ${runId}: ${files.length} scenario file(s): ${files.map((f) => relative(scenariosDir, f)).join(', ')}`);

  // Independent and slow on a cold machine: run side by side.
  const codeServerP = (async () => {
    const t = Date.now();
    const cs = await ensureCodeServer();
    log(`code-server ${cs.version} (VS Code ${cs.vscodeVersion}) ready in ${secs(t)}`);
    return cs;
  })();
  const testbedP = (async (): Promise<Testbed> => {
    const t = Date.now();
    testbedTouched = true;
    testbedStarting = true;
    const tb = await ensureTestbed(TESTBED_SCENARIO).finally(() => (testbedStarting = false));
    log(`test bed ${TESTBED_SCENARIO} ${testbedWasUp ? 'reused' : 'up'} in ${secs(t)} (${tb.kubeconfig})`);
    return tb;
  })();
  const buildP = (async () => {
    let t = Date.now();
    let vsix: string;
    if (prebuiltVsix) {
      vsix = join(runRoot, 'liqo-federation.vsix');
      copyFileSync(prebuiltVsix, vsix);
      log(`using the prebuilt ${prebuiltVsix} (LIQO_E2E_VSIX)`);
    } else {
      vsix = await packageVsix(join(runRoot, 'liqo-federation.vsix'));
      log(`npm run package → liqo-federation.vsix in ${secs(t)}`);
    }
    t = Date.now();
    await buildHostTests();
    log(`extension-host suite bundled in ${secs(t)}`);
    return vsix;
  })();
  // Let every step finish (a test bed half up while we clean up would be left running), then fail on the first error.
  const settled = await Promise.allSettled([codeServerP, testbedP, buildP]);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const [cs, testbed, vsix] = await Promise.all([codeServerP, testbedP, buildP]);
  if (laterPhases.length > 0) {
    // The later phases test the same .vsix: kept outside this run's scratch dir, which cleanup removes.
    keptVsixDir = mkdtempSync(join(tmpdir(), 'liqo-e2e-vsix-'));
    keptVsix = join(keptVsixDir, 'liqo-federation.vsix');
    copyFileSync(vsix, keptVsix);
  }
  log(`setup done in ${secs(t0)}; running scenarios`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LIQO_E2E_RUN_ID: runId,
    LIQO_E2E_RUN_DIR: runRoot,
    LIQO_E2E_VSIX: vsix,
    LIQO_E2E_TESTBED: JSON.stringify(testbed),
    LIQO_E2E_CODE_SERVER_VERSION: cs.version,
  };
  const code = await new Promise<number>((resolveCode) => {
    child = spawn(process.execPath, ['--test', '--test-force-exit', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=900000', ...files], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (c, sig) => resolveCode(c ?? (sig ? 128 : 1)));
  });
  child = undefined;
  if (code === 0 && updateMedia) {
    const media = join(repoRoot, 'media');
    for (const [from, to] of Object.entries(MEDIA)) {
      if (!existsSync(join(artifactsDir, from))) {
        log(`--update-screenshots: ${from} was not taken in this run`);
        continue;
      }
      mkdirSync(dirname(join(media, to)), { recursive: true });
      copyFileSync(join(artifactsDir, from), join(media, to));
    }
    log(`media/ pictures refreshed from this run`);
  }
  return code;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  log(`setup failed: ${(err as Error).stack ?? String(err)}`);
  exitCode = 1;
} finally {
  if (!cleaning) {
    const problems = await cleanup();
    for (const p of problems) log(p);
    if (problems.length > 0 && exitCode === 0) exitCode = 1;
  } else await cleaning;
}
if (exitCode === 0 && laterPhases.length > 0) {
  log(`next: ${laterPhases.map((p) => `${p.scenario} (${allFiles.filter(p.owns).length} scenario file(s))`).join(', ')}`);
  exitCode = await nextPhases(keptVsix);
}
if (keptVsixDir) rmSync(keptVsixDir, { recursive: true, force: true });
process.exit(exitCode);
