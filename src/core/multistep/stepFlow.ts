// The model behind a multi-step input (Offload…, Peer Clusters…, Request Resources…): which step is asked now, its
// number and the number of steps as the answers so far make them, Back with every answer kept (an answer is offered
// again as the default when its step comes round), steps skipped by earlier answers, and the answers that count at the
// end. Pure: the vscode side (src/ui/operations/multiStepInput.ts) only shows the step this model names.

export interface StepSpec<A> {
  /** The answer this step gives. */
  readonly id: keyof A & string;
  /** True when earlier answers make this step irrelevant (it is then neither asked, counted, nor in the result). */
  readonly skip?: (answers: Partial<A>) => boolean;
}

export interface CurrentStep<A> {
  readonly id: keyof A & string;
  /** 1-based position among the steps that are asked. */
  readonly step: number;
  /** How many steps are asked, as the answers given so far (and those kept from a walk further on) make it. */
  readonly totalSteps: number;
  /** The answer given the last time this step was asked (kept across Back), the default to offer. */
  readonly previous: A[keyof A & string] | undefined;
  readonly canGoBack: boolean;
}

export class StepFlow<A extends object> {
  private readonly answers: Partial<A> = {};
  /** Indices into `steps` of the steps answered, in order: Back pops the last. */
  private readonly history: number[] = [];
  private index: number;
  private readonly steps: readonly StepSpec<A>[];
  private readonly given: Partial<A>;

  /**
   * @param steps every step, in order
   * @param given answers fixed from outside (the tree row the command ran on): their steps are not asked
   */
  constructor(steps: readonly StepSpec<A>[], given: Partial<A> = {}) {
    this.steps = steps;
    this.given = given;
    const ids = steps.map((s) => s.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) throw new Error(`step "${dup}" appears twice in the flow`);
    this.index = this.nextAsked(0);
  }

  private merged(): Partial<A> {
    return { ...this.answers, ...this.given };
  }

  private asked(i: number, answers: Partial<A>): boolean {
    const s = this.steps[i]!;
    return !(s.id in this.given) && !s.skip?.(answers);
  }

  private nextAsked(from: number): number {
    // Skips are judged on the answers given on the way here, not on kept answers of steps further on.
    const sofar = this.answersSoFar();
    let i = from;
    while (i < this.steps.length && !this.asked(i, sofar)) i++;
    return i;
  }

  /** The answers of the steps walked through (and the given ones): what skips and the result are judged on. */
  answersSoFar(): Partial<A> {
    const out: Partial<A> = { ...this.given };
    for (const i of this.history) {
      const id = this.steps[i]!.id;
      if (id in this.answers) out[id] = this.answers[id];
    }
    return out;
  }

  get done(): boolean {
    return this.index >= this.steps.length;
  }

  current(): CurrentStep<A> | undefined {
    if (this.done) return undefined;
    const id = this.steps[this.index]!.id;
    // Steps before this one count as the walk made them; those after as all answers known now (kept ones included)
    // make them: the count changes only when an answer that skips or adds a step changes.
    const sofar = this.answersSoFar();
    const all = this.merged();
    const before = this.history.length;
    let after = 0;
    for (let i = this.index + 1; i < this.steps.length; i++) if (this.asked(i, { ...all, ...sofar })) after++;
    return { id, step: before + 1, totalSteps: before + 1 + after, previous: this.answers[id], canGoBack: this.history.length > 0 };
  }

  /** Records the answer to the current step and moves to the next step that is asked. */
  answer(value: A[keyof A & string]): void {
    if (this.done) throw new Error('the flow has no step left to answer');
    const id = this.steps[this.index]!.id;
    this.answers[id] = value as Partial<A>[keyof A & string];
    this.history.push(this.index);
    this.index = this.nextAsked(this.index + 1);
  }

  /** Returns to the step answered last; its answer stays as the default. False when there is none (first step). */
  back(): boolean {
    const prev = this.history.pop();
    if (prev === undefined) return false;
    this.index = prev;
    return true;
  }

  /** The answers that count (given ones and those of the steps walked through): a skipped step's kept answer is not in. */
  result(): Partial<A> {
    if (!this.done) throw new Error('the flow is not finished');
    return this.answersSoFar();
  }
}
