// Watches kubeconfig files for edits. Editors and tools often replace a file (write temp + rename), which a watch on
// the file itself misses, so the parent folders are watched and events filtered by name. A symlinked kubeconfig
// (dotfiles repositories) is watched at every hop of its link chain and at the file it finally names, so an edit of
// the target, a write through the link and a retargeted link all reload. Bursts are debounced.
import { existsSync, lstatSync, readlinkSync, realpathSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';

function nearestExisting(dir: string, names: Set<string> | 'all'): { dir: string; names: Set<string> | 'all' } {
  let child = dir;
  let parent = dir;
  while (!existsSync(parent)) {
    child = parent;
    const up = path.dirname(parent);
    if (up === parent) break;
    parent = up;
  }
  return parent === dir ? { dir, names } : { dir: parent, names: new Set([path.basename(child)]) };
}

/** The path itself, every symlink it passes through and the file it finally names (which may not exist yet). */
export function linkChain(file: string): string[] {
  const out = [path.resolve(file)];
  let current = out[0]!;
  for (let hops = 0; hops < 40; hops++) {
    let next: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) break;
      next = path.resolve(path.dirname(current), readlinkSync(current));
    } catch {
      break;
    }
    out.push(next);
    current = next;
  }
  // A folder on the way may itself be a link (~/.kube -> dotfiles/kube): events arrive under its real name.
  try {
    const real = path.join(realpathSync(path.dirname(current)), path.basename(current));
    if (!out.includes(real)) out.push(real);
  } catch {
    // the folder does not exist (yet): its nearest existing ancestor is watched
  }
  return out;
}

export class KubeconfigWatcher {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly onChange: () => void;
  private readonly debounceMs: number;

  constructor(onChange: () => void, debounceMs = 200) {
    this.onChange = onChange;
    this.debounceMs = debounceMs;
  }

  /** Replaces what is watched: files (their folders, filtered by name) and whole folders. */
  watch(files: readonly string[], folders: readonly string[] = []): void {
    this.close();
    const byDir = new Map<string, Set<string> | 'all'>();
    for (const f of files.flatMap(linkChain)) {
      const dir = path.dirname(f);
      const cur = byDir.get(dir);
      if (cur === 'all') continue;
      const set = cur ?? new Set<string>();
      set.add(path.basename(f));
      byDir.set(dir, set);
    }
    for (const d of folders) byDir.set(d, 'all');
    for (const [wanted, wantedNames] of byDir) {
      // A folder that does not exist yet (~/.kube before the first cluster): watch its nearest existing ancestor for
      // the first missing segment, so creating it triggers a reload that then watches the real folder.
      const { dir, names } = nearestExisting(wanted, wantedNames);
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          if (names === 'all' || name === null || names.has(name.toString())) this.fire();
        });
        w.on('error', () => undefined);
        this.watchers.push(w);
      } catch {
        // Not watchable (permissions): Refresh still reloads by hand.
      }
    }
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.debounceMs);
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
