// Shows the step a StepFlow (src/core/multistep) names as VS Code's multi-step samples do: one QuickPick or InputBox
// per step with `step`/`totalSteps` in its title, a Back button (QuickInputButtons.Back) from the second step on that
// returns with the earlier answer kept, validation inline, and Escape (or the input losing focus) ending the whole flow
// with `undefined`: the caller then writes nothing.
import * as vscode from 'vscode';
import { StepFlow, type CurrentStep, type StepSpec } from '../../core/multistep/stepFlow.ts';

export interface PickItem<V> extends vscode.QuickPickItem {
  readonly value: V;
}

interface StepBase<A> {
  readonly title: (answers: Partial<A>) => string;
  readonly placeholder?: string;
  /**
   * Runs once the step is answered, with no input on screen (it may show progress or a modal). False ends the flow;
   * a throw ends it with that error. Runs again each time the step is answered (after a Back, the answer may differ).
   */
  readonly after?: (answers: Partial<A>) => Promise<boolean>;
}

export interface PickStep<A, V> extends StepBase<A> {
  readonly kind: 'pick';
  readonly items: (answers: Partial<A>) => Promise<readonly PickItem<V>[]> | readonly PickItem<V>[];
  /** How an answer is recognised among the items, to select it again after a Back. */
  readonly same?: (a: V, b: V) => boolean;
}

/** A multi-select: the answer is the values of the items picked (none is an answer too). */
export interface PickManyStep<A, V> extends StepBase<A> {
  readonly kind: 'pickMany';
  readonly items: (answers: Partial<A>) => Promise<readonly PickItem<V>[]> | readonly PickItem<V>[];
  /** From the items picked to the step's answer (and back, to select them again after a Back). */
  readonly toAnswer: (picked: readonly V[]) => unknown;
  readonly fromAnswer: (answer: unknown) => readonly V[];
  readonly same?: (a: V, b: V) => boolean;
}

export interface InputStep<A> extends StepBase<A> {
  readonly kind: 'input';
  /** The value offered the first time (a kept answer wins after a Back). */
  readonly value?: (answers: Partial<A>) => string;
  /** A problem with the text typed, shown under the box; the step cannot be accepted while there is one. */
  readonly validate?: (value: string, answers: Partial<A>) => string | undefined;
}

export type StepUi<A> = PickStep<A, unknown> | PickManyStep<A, unknown> | InputStep<A>;

type Outcome = { kind: 'answer'; value: unknown } | { kind: 'back' } | { kind: 'cancel' };

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Walks the flow and returns its answers (the given ones included), or undefined when the user pressed Escape at any
 * step or an `after` check declined.
 */
export async function runMultiStep<A extends object>(
  flowTitle: string,
  steps: readonly StepSpec<A>[],
  given: Partial<A>,
  ui: { readonly [K in keyof A]: StepUi<A> },
): Promise<Partial<A> | undefined> {
  const flow = new StepFlow<A>(steps, given);
  for (let cur = flow.current(); cur; cur = flow.current()) {
    const answersSoFar = flow.answersSoFar();
    const stepUi = ui[cur.id];
    const outcome = stepUi.kind === 'input' ? await showInput(flowTitle, cur, stepUi, answersSoFar) : await showPick(flowTitle, cur, stepUi, answersSoFar);
    if (outcome.kind === 'cancel') return undefined;
    if (outcome.kind === 'back') {
      flow.back();
      continue;
    }
    flow.answer(outcome.value as A[keyof A & string]);
    if (stepUi.after && !(await stepUi.after({ ...answersSoFar, [cur.id]: outcome.value } as Partial<A>))) return undefined;
  }
  return flow.result();
}

function titled(input: vscode.QuickInput, flowTitle: string, cur: { step: number; totalSteps: number }, stepTitle: string): void {
  input.title = `${flowTitle}: ${stepTitle}`;
  input.step = cur.step;
  input.totalSteps = cur.totalSteps;
  input.ignoreFocusOut = true;
}

async function showPick<A extends object>(flowTitle: string, cur: CurrentStep<A>, stepUi: PickStep<A, unknown> | PickManyStep<A, unknown>, answers: Partial<A>): Promise<Outcome> {
  const qp = vscode.window.createQuickPick<PickItem<unknown>>();
  titled(qp, flowTitle, cur, stepUi.title(answers));
  qp.placeholder = stepUi.placeholder;
  qp.buttons = cur.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  qp.canSelectMany = stepUi.kind === 'pickMany';
  qp.busy = true;
  qp.enabled = false;
  qp.show();
  const disposables: vscode.Disposable[] = [qp];
  try {
    return await new Promise<Outcome>((resolve, reject) => {
      disposables.push(
        qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && resolve({ kind: 'back' })),
        qp.onDidHide(() => resolve({ kind: 'cancel' })),
        qp.onDidAccept(() => {
          if (stepUi.kind === 'pickMany') {
            resolve({ kind: 'answer', value: stepUi.toAnswer(qp.selectedItems.map((i) => i.value)) });
            return;
          }
          const item = qp.selectedItems[0] ?? qp.activeItems[0];
          if (item) resolve({ kind: 'answer', value: item.value });
        }),
      );
      // Items can take a cluster round trip (namespaces, virtual nodes): the box shows busy until they are there.
      Promise.resolve(stepUi.items(answers)).then((items) => {
        const same = stepUi.same ?? sameJson;
        qp.items = items;
        if (stepUi.kind === 'pickMany') {
          const kept = cur.previous === undefined ? [] : stepUi.fromAnswer(cur.previous);
          qp.selectedItems = items.filter((i) => kept.some((k) => same(k, i.value)));
        } else if (cur.previous !== undefined) {
          const again = items.find((i) => same(i.value, cur.previous));
          if (again) qp.activeItems = [again];
        }
        qp.busy = false;
        qp.enabled = true;
      }, reject);
    });
  } finally {
    for (const d of disposables) d.dispose();
  }
}

async function showInput<A extends object>(flowTitle: string, cur: CurrentStep<A>, stepUi: InputStep<A>, answers: Partial<A>): Promise<Outcome> {
  const box = vscode.window.createInputBox();
  titled(box, flowTitle, cur, stepUi.title(answers));
  box.placeholder = stepUi.placeholder;
  box.buttons = cur.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  box.value = typeof cur.previous === 'string' ? cur.previous : (stepUi.value?.(answers) ?? '');
  const problem = (v: string) => stepUi.validate?.(v, answers);
  box.validationMessage = box.value ? problem(box.value) : undefined;
  box.show();
  const disposables: vscode.Disposable[] = [box];
  try {
    return await new Promise<Outcome>((resolve) => {
      disposables.push(
        box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && resolve({ kind: 'back' })),
        box.onDidHide(() => resolve({ kind: 'cancel' })),
        box.onDidChangeValue((v) => (box.validationMessage = problem(v))),
        box.onDidAccept(() => {
          const p = problem(box.value);
          box.validationMessage = p;
          if (p === undefined) resolve({ kind: 'answer', value: box.value.trim() });
        }),
      );
    });
  } finally {
    for (const d of disposables) d.dispose();
  }
}
