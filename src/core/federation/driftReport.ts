// The drift as a read-only Markdown document: which record it was compared with, then one line per item (side,
// what differs, what restores it), or a plain statement that nothing drifted.
import type { DriftItem } from './drift.ts';
import type { FederationRecord } from './knownGood.ts';

export function driftReport(items: readonly DriftItem[], reference: FederationRecord, referenceSource: string, checkedAt: string): string {
  const ids = reference.clusters.map((c) => c.clusterId).join(', ');
  const lines = [
    '# Federation drift',
    '',
    `Compared with the record of ${reference.takenAt} (${referenceSource}); clusters ${ids}. Checked ${checkedAt}.`,
    '',
  ];
  if (items.length === 0) {
    lines.push('Nothing drifted: every recorded peering, ResourceSlice, offloading, version and connection fact is as recorded.');
    return lines.join('\n') + '\n';
  }
  lines.push(`${items.length} difference${items.length === 1 ? '' : 's'}:`, '');
  for (const i of items) lines.push(`- **${i.side}** — ${i.text}`, `  - Restore: ${i.restore}`);
  lines.push('', 'Run "Liqo: Return to Last Known Working State…" to see the plan that restores what Liqo can restore.');
  return lines.join('\n') + '\n';
}
