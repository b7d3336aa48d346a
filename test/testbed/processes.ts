// The test bed's long-running processes: each is spawned detached in its own process group, its pid appended to
// .testbed/pids at once (so `down` finds it even after a crash), its output sent to a log file. Stopping verifies
// via /proc that a pid still belongs to this test bed before signalling it, so a recycled pid is never hit.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateDir, statePaths } from './paths.ts';

/** Liqo's control-plane binaries (the live scenario) and its virtual kubelet. */
const LIQO_PROGRAMS = ['liqo-controller-manager', 'crd-replicator', 'webhook'];
const VK_PROGRAMS = ['virtual-kubelet'];

export interface DaemonSpec {
  /** unique id, e.g. `cluster-b/kube-apiserver` */
  id: string;
  argv: string[];
  logFile: string;
  env?: Record<string, string>;
}

export interface Daemon {
  id: string;
  pid: number;
}

export function spawnDaemon(spec: DaemonSpec): Daemon {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  const out = fs.openSync(spec.logFile, 'a');
  const [cmd, ...args] = spec.argv;
  if (!cmd) throw new Error(`empty argv for ${spec.id}`);
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...spec.env },
    cwd: stateDir,
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${spec.id} (${cmd})`);
  fs.appendFileSync(statePaths.pids, `${child.pid} ${spec.id}\n`);
  // A spawn error (ENOENT) arrives asynchronously; the readiness wait reports the dead process.
  child.on('error', () => undefined);
  child.unref();
  return { id: spec.id, pid: child.pid };
}

/** The command line of a live process, or undefined when it is gone (zombies count as gone). */
function cmdline(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return undefined;
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

const OUR_PROGRAMS = new Set(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'metrics-server', ...LIQO_PROGRAMS, ...VK_PROGRAMS]);
const OUR_SCRIPTS = ['log-writer.ts', 'vk-supervisor.ts'];

function cwdOf(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/**
 * True when pid is alive and is one of ours: a component binary or one of our scripts whose command line mentions
 * the state directory (a shell or editor that merely mentions .testbed/ is left alone). Liqo's binaries take their
 * kubeconfig from the environment, so for them the working directory (the state directory) tells.
 */
export function isOurs(pid: number): boolean {
  const line = cmdline(pid);
  if (!line) return false;
  const program = path.basename(line.split(' ')[0] ?? '');
  if (!OUR_PROGRAMS.has(program)) return line.includes(stateDir) && OUR_SCRIPTS.some((s) => line.includes(`${path.sep}${s} ${stateDir}`));
  return line.includes(stateDir) || (LIQO_PROGRAMS.includes(program) && cwdOf(pid) === stateDir);
}

/** Which stage of an orderly stop a process belongs to: virtual kubelets, then Liqo, then everything else. */
export function stopStage(pid: number): 0 | 1 | 2 {
  const line = cmdline(pid) ?? '';
  const program = path.basename(line.split(' ')[0] ?? '');
  if (VK_PROGRAMS.includes(program) || line.includes(`${path.sep}vk-supervisor.ts `)) return 0;
  return LIQO_PROGRAMS.includes(program) ? 1 : 2;
}

export function recordedPids(): { pid: number; id: string }[] {
  let text = '';
  try {
    text = fs.readFileSync(statePaths.pids, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((parts) => parts.length === 2 && /^\d+$/.test(parts[0] ?? ''))
    .map(([pid, id]) => ({ pid: Number(pid), id: id ?? '' }));
}

/** Every live process whose command line mentions the state directory, recorded or not (a crash backstop). */
export function strayPids(): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    if (isOurs(pid)) found.push(pid);
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  // The process group first (pid == pgid for our detached daemons), then the pid itself.
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Whether a process has fully exited, every thread and so every open file: not just its leader. A multi-threaded
 * program's leader thread can turn zombie ("Z") while its other threads are still closing the listening sockets, and a
 * kube-apiserver restarted in that moment could not bind its port.
 */
function exited(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (!/\) Z /.test(stat)) return false;
    return fs.readdirSync(`/proc/${pid}/task`).length <= 1;
  } catch {
    return true;
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves when all have fully exited (every thread, so every socket closed). */
export async function stopPids(pids: number[], graceMs = 5000): Promise<void> {
  const ours = pids.filter((pid) => isOurs(pid));
  for (const pid of ours) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let alive = ours;
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100);
    alive = alive.filter((pid) => !exited(pid));
  }
  for (const pid of alive) signal(pid, 'SIGKILL');
  while (alive.length > 0) {
    await sleep(50);
    alive = alive.filter((pid) => !exited(pid));
  }
}

/** The kernel's start time of a process (clock ticks since boot): with the pid, identifies it across pid reuse. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  return cmdline(pid) !== undefined;
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 15): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
