// The restore plan as a read-only Markdown document (the dry run), and the run's outcome appended after it: each
// step numbered with its exact liqoctl argv or the object it writes, what is already in place, what is unmapped.
import { stringify } from 'yaml';
import type { RestorePlan } from './restorePlan.ts';

export interface RunOutcome {
  readonly reports: readonly { readonly title: string; readonly outcome: string; readonly detail: string }[];
  readonly stopped?: { readonly at: number; readonly why: string };
}

export function planReport(plan: RestorePlan, referenceLine: string, outcome?: RunOutcome): string {
  const lines = ['# Return to last known working state', '', referenceLine, ''];
  if (plan.unmapped.length) {
    lines.push('## Clusters to map first', '');
    for (const u of plan.unmapped) lines.push(`- ${u.oldClusterId}: ${u.why}`);
    lines.push('');
  }
  lines.push(plan.steps.length ? `## Plan (${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}, in order)` : '## Plan: nothing to do', '');
  plan.steps.forEach((s, i) => {
    const done = outcome?.reports[i];
    lines.push(`${i + 1}. **${s.title}**${done ? ` — ${done.outcome}: ${done.detail}` : ''}`);
    if (s.kind === 'peer') lines.push('', '   ```sh', `   ${s.argv.map(shellWord).join(' ')}`, '   ```');
    if (s.kind === 'resourceSlice' || s.kind === 'namespaceOffloading') {
      lines.push('', '   ```yaml', ...stringify(s.manifest, { lineWidth: 0 }).trimEnd().split('\n').map((l) => `   ${l}`), '   ```');
      if (s.kind === 'namespaceOffloading' && s.replaces) lines.push('', '   The existing NamespaceOffloading is deleted first (Liqo reads its strategies at creation).');
    }
    if (s.kind === 'kubeconfig') lines.push('', `   Made with "Liqo: Rewrite Server…" on context ${s.context} (preview, write, undo).`);
    if (s.kind === 'blocked') lines.push('', `   Cannot run: ${s.why}`);
  });
  if (outcome?.stopped) lines.push('', `**Stopped at step ${outcome.stopped.at + 1}:** ${outcome.stopped.why} Steps before it are done and stay done.`);
  else if (outcome) lines.push('', '**Every step is done.** Run the command again to check: a second run has nothing to do.');
  if (plan.inPlace.length) {
    lines.push('', '## Already as recorded (skipped)', '');
    for (const p of plan.inPlace) lines.push(`- ${p}`);
  }
  lines.push('', 'Not restored by this plan: the network fabric outside Liqo (firewalls, load balancers, addresses the gateways use), Liqo and Kubernetes versions, CAs and credentials.');
  return lines.join('\n') + '\n';
}

/** A word as a POSIX shell would need it quoted, for reading (the runner never goes through a shell). */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
