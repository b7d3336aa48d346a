// "Why Is This Pod Failing?" as one Markdown document: the cause in plain words on the first line, what to check,
// then the evidence per side (status, conditions, containers with their last terminated state, events, node or
// virtual node, previous logs; an Admiralty proxy pod's delegate or a delegate's proxy). Only text: the infra layer
// gathers the facts.
import { podCause, type PodCause } from './podCause.ts';
import type { AdmiraltyDiagnosis, ContainerStatusFacts, EventFacts, PodDiagnosisInput, PodSide, TerminatedState } from './podFacts.ts';

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
    const admiralty = n.metadata.labels?.['virtual-kubelet.io/provider'] === 'admiralty';
    out.push('', `### ${virtual ? 'Virtual node' : admiralty ? 'Admiralty virtual node' : 'Node'} ${md(n.metadata.name)}`, '');
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

/**
 * An Admiralty pod's two sides: a proxy pod and its delegate (the real pod, named with its cluster), or a delegate
 * and the proxy pod it stands for; a side that cannot be reached says why and what to do.
 */
function admiraltySections(input: PodDiagnosisInput, a: AdmiraltyDiagnosis, cause: PodCause): string[] {
  const here = md(input.local.cluster);
  const other = a.other;
  const out: string[] = [];
  if (a.role === 'proxy') {
    out.push(...sideSection(`On ${here} (Admiralty proxy pod, bound to ${md(a.via)}: the real pod is its delegate${other ? ` on ${md(other.cluster)}` : ''})`, input.local, []));
    if (other) out.push(...sideSection(`On ${md(other.cluster)} (delegate pod ${md(other.pod?.metadata.name ?? '')}: the real pod)`, other, []));
  } else {
    out.push(...sideSection(`On ${here} (Admiralty delegate pod of ${md(a.via)})`, input.local, []));
    if (other) out.push(...sideSection(`On ${md(other.cluster)} (proxy pod ${md(other.pod?.metadata.namespace ?? '')}/${md(other.pod?.metadata.name ?? '')}: the pod that was submitted)`, other, []));
  }
  if (a.missing) {
    out.push(`## ${a.role === 'proxy' ? 'The delegate pod' : 'The proxy pod'}`, '', `${md(a.missing.text.charAt(0).toUpperCase() + a.missing.text.slice(1))}.`, '');
    // The cause's "What to check" already lists them when the missing side is the answer.
    if (cause.checks !== a.missing.checks) out.push(...a.missing.checks.map((c) => `- ${md(c)}`), '');
  }
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
  // A proxy pod whose delegate is out of reach is not known to fail: the heading says what is missing instead.
  const unseen = input.admiralty?.role === 'proxy' && input.admiralty.missing?.kind === cause.kind;
  const title = unseen ? `Proxy pod ${name}: its delegate cannot be seen` : reportTitle(cause, name);
  const out: string[] = [md(cause.headline), '', `# ${md(title)}`, ''];
  if (cause.checks.length) out.push('**What to check**', '', ...cause.checks.map((c) => `- ${md(c)}`), '');
  const offloaded = input.remote !== undefined || input.remoteClusterId !== undefined;
  if (input.admiralty) {
    out.push(...admiraltySections(input, input.admiralty, cause));
    return { cause, title, markdown: out.join('\n') };
  }
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
