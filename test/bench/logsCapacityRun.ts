// One run of the logs bench's capacity measurement (logsBench.ts) for one view kind, in a process of its own: the
// bench starts this CAPACITY_RUNS times per view with `--expose-gc`, so each run's RSS baseline is taken after a
// full GC and no run inherits another's heap. Prints the run's figures as one JSON object.
import { capacity, VIEW_KINDS, type ViewKind } from './logsBench.ts';

const view = process.argv[2] as ViewKind;
if (!VIEW_KINDS.includes(view)) throw new Error(`logsCapacityRun.ts <${VIEW_KINDS.join('|')}>: not "${process.argv[2] ?? ''}"`);
if (typeof globalThis.gc !== 'function') throw new Error('logsCapacityRun.ts needs --expose-gc (its baseline is taken after a full GC)');
process.stdout.write(`${JSON.stringify(await capacity(view))}\n`);
