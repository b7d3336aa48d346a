// "Why Is This Pod Failing?" as one Markdown document: the cause in plain words on the first line, what to check,
// then the evidence per side (status, conditions, containers with their last terminated state, events, node or
// virtual node, previous logs). Only text: the infra layer gathers the facts.
import { podCause, type PodCause } from './podCause.ts';
import type { ContainerStatusFacts, EventFacts, PodDiagnosisInput, PodSide, TerminatedState } from './podFacts.ts';

/** Escapes what Markdown would read as markup in a value taken from the cluster. */
function md(s: string): string {
  return s.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

function terminatedText(t: TerminatedState): string {
  return [`exit code ${t.exitCode ?? '?'}`, t.reason, t.startedAt && t.finishedAt ? `ran ${t.startedAt} → ${t.finishedAt}` : t.finishedAt ? `at ${t.finishedAt}` : '', t.message].filter(Boolean).join(', ');
}

function containerLine(c: ContainerStatusFacts): string {
  const s = c.state;
  const state = s?.running ? `running since ${s.running.startedAt ?? '?'}` : s?.waiting ? `waiting: ${s.waiting.reason ?? '?'}${s.waiting.message ? ` (${s.waiting.message})` : ''}` : s?.terminated ? `terminated: ${terminatedText(s.terminated)}` : 'no state';
  const last = c.lastState?.terminated ? `; last terminated: ${terminatedText(c.lastState.terminated)}` : '';
  return `- \`${md(c.name)}\`: ${md(state)}${md(last)}; ready: ${c.ready ? 'yes' : 'no'}; restarts: ${c.restartCount ?? 0}`;
}

function eventTime(e: EventFacts): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '';
}

function sideSection(title: string, side: PodSide, extra: string[]): string[] {
  const out = [`## ${title}`, ''];
  const p = side.pod;
  if (!p) {
    out.push(`The pod could not be read${side.podError ? `: ${md(side.podError)}` : '.'}`, '');
    return out;
  }
  const st = p.status;
  out.push(`- Phase: **${md(st?.phase ?? 'Unknown')}**${st?.reason ? ` (${md(st.reason)})` : ''}${st?.message ? ` — ${md(st.message)}` : ''}`);
  out.push(`- Node: ${md(p.spec?.nodeName ?? '(not scheduled)')}`);
  out.push(...extra);
  out.push('', '### Conditions', '');
  const conds = st?.conditions ?? [];
  if (conds.length === 0) out.push('(none reported)');
  for (const c of conds) out.push(`- ${md(c.type)}: ${md(c.status)}${c.reason ? ` (${md(c.reason)})` : ''}${c.message ? ` — ${md(c.message)}` : ''}`);
  out.push('', '### Containers', '');
  const cs = [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? [])];
  if (cs.length === 0) out.push('(no container status yet)');
  for (const c of cs) out.push(containerLine(c));
  for (const c of p.spec?.containers ?? []) {
    const lim = c.resources?.limits;
    if (lim && Object.keys(lim).length) out.push(`- \`${md(c.name)}\` limits: ${Object.entries(lim).map(([k, v]) => `${md(k)}=${md(v)}`).join(', ')}`);
  }
  out.push('', '### Events', '');
  const events = [...side.events].sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  if (events.length === 0) out.push('(no events: they expire after an hour by default)');
  else {
    out.push('| Time | Type | Reason | From | Message |', '|---|---|---|---|---|');
    for (const e of events) {
      const from = [e.source?.component ?? e.reportingComponent, e.source?.host].filter(Boolean).join(', ');
      out.push(`| ${md(eventTime(e))} | ${md(e.type ?? '')} | ${md(e.reason ?? '')}${(e.count ?? 1) > 1 ? ` ×${e.count}` : ''} | ${md(from)} | ${md((e.message ?? '').replace(/\n/g, ' '))} |`);
    }
  }
  if (side.node) {
    const n = side.node;
    const virtual = n.metadata.labels?.['liqo.io/type'] === 'virtual-node';
    out.push('', `### ${virtual ? 'Virtual node' : 'Node'} ${md(n.metadata.name)}`, '');
    for (const c of n.status?.conditions ?? []) {
      const bad = c.type === 'Ready' ? c.status !== 'True' : c.status === 'True';
      out.push(`- ${bad ? '⚠ ' : ''}${md(c.type)}: ${md(c.status)}${c.reason ? ` (${md(c.reason)})` : ''}${c.message ? ` — ${md(c.message)}` : ''}`);
    }
  }
  for (const l of side.logs) {
    out.push('', `### Logs of \`${md(l.container)}\` (last run)`, '');
    if (l.error) out.push(`(not available: ${md(l.error)})`);
    else if (l.lines.length === 0) out.push('(empty)');
    else out.push('```text', ...l.lines.map((x) => x.replace(/```/g, "'''")), '```');
  }
  out.push('');
  return out;
}

export interface FailureReport {
  readonly cause: PodCause;
  /** What the report found, as its heading: a healthy or completed pod is not asked why it fails. */
  readonly title: string;
  readonly markdown: string;
}

/** The report's heading, by what it found. */
export function reportTitle(cause: PodCause, name: string): string {
  if (cause.kind === 'NoFailure') return `Pod ${name} is healthy`;
  if (cause.kind === 'Succeeded') return `Pod ${name} completed`;
  return `Why is pod ${name} failing?`;
}

export function failureReport(input: PodDiagnosisInput): FailureReport {
  const cause = podCause(input);
  const p = input.local.pod;
  const name = `${p?.metadata.namespace ?? '?'}/${p?.metadata.name ?? '?'}`;
  const title = reportTitle(cause, name);
  const out: string[] = [md(cause.headline), '', `# ${md(title)}`, ''];
  if (cause.checks.length) out.push('**What to check**', '', ...cause.checks.map((c) => `- ${md(c)}`), '');
  const offloaded = input.remote !== undefined || input.remoteClusterId !== undefined;
  out.push(...sideSection(offloaded ? `On ${md(input.local.cluster)} (consumer; the pod runs on a virtual node)` : `On ${md(input.local.cluster)}`, input.local, []));
  if (input.remote) {
    const r = input.remote;
    const extra = r.shadowPodPhase ? [`- ShadowPod phase: ${md(r.shadowPodPhase)}`] : [];
    out.push(...sideSection(`On ${md(r.cluster)} (provider${input.remoteClusterId ? `, cluster ID ${md(input.remoteClusterId)}` : ''}: the real pod)`, r, extra));
  } else if (offloaded) {
    out.push('## On the provider', '', `No kubeconfig context reaches the provider ${md(input.remoteClusterId ?? '')}: only the consumer's view is shown.`, '');
  }
  return { cause, title, markdown: out.join('\n') };
}
