// Read-only contexts as policy: which kubeconfig context names the `liqo.readOnlyContexts` patterns cover, how the
// row menu adds and removes one exact name, which commands write to a cluster (and so refuse on one), and the words
// of a refusal. Pure: the infra guard and the UI consult it, nothing here reads a setting.

export const READ_ONLY_SETTING = 'liqo.readOnlyContexts';

/**
 * One pattern as a RegExp: `*` any run of characters, `?` one character, `\` makes the next character literal.
 * Case-insensitive on purpose: a guard written as `*prod*` is meant to cover `Prod-EU` too, and a pattern that
 * covers one context too many only asks the user to lift it, while one that misses lets a write through.
 */
export function patternRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, 'iu');
}

function escapeRegExp(ch: string): string {
  return /[.*+?^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
}

/** The setting's entries that are patterns at all (strings with something besides blanks), trimmed. */
export function usablePatterns(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim());
}

/**
 * The pattern that makes `contextName` read-only, or undefined. The exact-name entry (what the row menu writes)
 * wins over a wider pattern, so "Allow Writes" can say precisely what it removed and what still holds.
 */
export function readOnlyMatch(contextName: string, patterns: readonly string[]): string | undefined {
  const exact = patterns.find((p) => p === escapePattern(contextName));
  if (exact !== undefined) return exact;
  return patterns.find((p) => patternRegExp(p).test(contextName));
}

/** A context name as a pattern that matches only itself (its `*`, `?` and `\` made literal). */
export function escapePattern(contextName: string): string {
  return contextName.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** The setting after "Mark Context Read-Only": the exact name added (once). */
export function withReadOnly(patterns: readonly string[], contextName: string): string[] {
  const own = escapePattern(contextName);
  return patterns.includes(own) ? [...patterns] : [...patterns, own];
}

/**
 * The setting after "Allow Writes to Context": the exact-name entry removed. `stillBy` is a wider pattern that keeps
 * the context read-only anyway (the user must edit that pattern by hand: it covers other contexts too).
 */
export function withoutReadOnly(patterns: readonly string[], contextName: string): { patterns: string[]; stillBy?: string } {
  const own = escapePattern(contextName);
  const next = patterns.filter((p) => p !== own);
  const stillBy = readOnlyMatch(contextName, next);
  return stillBy === undefined ? { patterns: next } : { patterns: next, stillBy };
}

/**
 * Every command, classified: the ones that write to a cluster or run liqoctl against it (refused on a read-only
 * context, by title), and the ones that do not. A unit test checks package.json's commands are exactly these, so a
 * new command has to be put on one side before it ships.
 */
export const CLUSTER_WRITING_COMMANDS: Readonly<Record<string, string>> = {
  'liqo.peering.peer': 'Peer Clusters…',
  'liqo.peering.unpeer': 'Unpeer…',
  'liqo.peering.requestResources': 'Request Resources…',
  'liqo.peering.cleanUpLeftover': 'Clean Up Leftover Peering…',
  'liqo.namespace.offload': 'Offload Namespace…',
  'liqo.namespace.unoffload': 'Unoffload…',
  'liqo.namespace.verifyOffloading': 'Verify Offloading',
  'liqo.cluster.installLiqo': 'Install Liqo…',
  'liqo.federation.restore': 'Restore Federation…',
  'liqo.drift.restoreItem': 'Restore This Item',
};

/** Commands that read clusters, edit kubeconfig files, or only change this window: allowed on read-only contexts. */
export const NON_CLUSTER_WRITING_COMMANDS: readonly string[] = [
  'liqo.cluster.hide', 'liqo.cluster.muteAlerts', 'liqo.cluster.retry', 'liqo.cluster.unmuteAlerts',
  'liqo.cluster.markReadOnly', 'liqo.cluster.allowWrites',
  'liqo.federation.clearFilter', 'liqo.federation.filter', 'liqo.federation.openState', 'liqo.federation.refresh',
  'liqo.federation.saveState', 'liqo.federation.showDrift', 'liqo.federation.showFailing', 'liqo.federation.showHidden',
  'liqo.kubeconfig.add', 'liqo.kubeconfig.deleteContext', 'liqo.kubeconfig.extractContext', 'liqo.kubeconfig.importSsh',
  'liqo.kubeconfig.mergeInto', 'liqo.kubeconfig.open', 'liqo.kubeconfig.removeFromList', 'liqo.kubeconfig.renameContext',
  'liqo.kubeconfig.rewriteServer', 'liqo.kubeconfig.undo', 'liqo.liqoctl.download', 'liqo.logs.clear', 'liqo.logs.stop',
  'liqo.map.export', 'liqo.map.show', 'liqo.namespace.streamLogs', 'liqo.namespace.streamLogsBySelector',
  'liqo.peering.revealPeer', 'liqo.pod.streamLogs', 'liqo.pod.whyFailing', 'liqo.resource.revealYaml',
  'liqo.tunnel.open', 'liqo.tunnel.stop',
  // A port-forward opens a stream to a pod; it changes nothing stored in the cluster.
  'liqo.service.openInBrowser', 'liqo.forward.stop',
  'liqo.drift.refresh', 'liqo.walkthrough.open',
];

export function writesToCluster(commandId: string): boolean {
  return Object.hasOwn(CLUSTER_WRITING_COMMANDS, commandId);
}

/** The refusal, for a notification as it is: what was refused, where, which entry of which setting, the way out. */
export function readOnlyRefusal(action: string, contextName: string, pattern: string): string {
  const exact = pattern === escapePattern(contextName);
  const lift = exact
    ? `run "Allow Writes to Context" on its row, or remove "${pattern}" from ${READ_ONLY_SETTING} in your settings`
    : `remove or narrow the pattern "${pattern}" in ${READ_ONLY_SETTING} in your settings (it may cover other contexts too)`;
  return `${action} refused: context "${contextName}" is read-only (${READ_ONLY_SETTING} has ${exact ? 'its name' : `the pattern "${pattern}"`}). Nothing was sent to the cluster. To allow writes, ${lift}.`;
}

/** Why a row is read-only, for its tooltip: the exact name listed, or the pattern it matches. */
export function readOnlyReason(pattern: string, contextName: string): string {
  return pattern === escapePattern(contextName) ? `its name is listed in ${READ_ONLY_SETTING}` : `it matches "${pattern}" in ${READ_ONLY_SETTING}`;
}
