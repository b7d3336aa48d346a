// The read-only guard: the one object both doors to a cluster consult before anything leaves this process — the
// ClusterClient's apply and delete (every API write, dry runs included: the audit log would count them) and the
// liqoctl runner's runs against clusters (before a temporary kubeconfig is written or a process spawned). It holds
// the current liqo.readOnlyContexts patterns; the policy (matching, the words of a refusal) is core's.
import { readOnlyMatch, readOnlyRefusal, usablePatterns } from '../../core/readOnly/readOnlyContexts.ts';

/** A write refused because its context is read-only; `message` is for the user as it is. */
export class ReadOnlyRefusal extends Error {
  readonly contextName: string;
  readonly pattern: string;
  constructor(action: string, contextName: string, pattern: string) {
    super(readOnlyRefusal(action, contextName, pattern));
    this.name = 'ReadOnlyRefusal';
    this.contextName = contextName;
    this.pattern = pattern;
  }
}

/** What a door asks before a write: throws a ReadOnlyRefusal for a read-only context. */
export interface WriteGate {
  assertWritable(contextName: string, action: string): void;
}

export class ReadOnlyGuard implements WriteGate {
  private patterns: readonly string[];

  constructor(patterns: unknown = []) {
    this.patterns = usablePatterns(patterns);
  }

  /** The setting's value as read (anything that is not a list of strings counts as no pattern). */
  setPatterns(value: unknown): void {
    this.patterns = usablePatterns(value);
  }

  get current(): readonly string[] {
    return this.patterns;
  }

  /** The pattern that makes `contextName` read-only, if any. */
  matchOf(contextName: string): string | undefined {
    return readOnlyMatch(contextName, this.patterns);
  }

  assertWritable(contextName: string, action: string): void {
    const pattern = this.matchOf(contextName);
    if (pattern !== undefined) throw new ReadOnlyRefusal(action, contextName, pattern);
  }
}
