/**
 * Per-evaluation state shared by compiled closures, generated code and the reference interpreter:
 * the step budget every kind of work is counted against (the cost model in grammar/README.md).
 */
import { VError } from './values.ts';

export interface Limits {
  /** Steps per decision: calls, macro iterations, and the sizes of what is built, scanned and matched. */
  maxSteps: number;
  /** Longest list or string an expression may build. */
  maxListLength: number;
}

export const DEFAULT_LIMITS: Limits = { maxSteps: 1_000_000, maxListLength: 100_000 };

/** Characters or items built or scanned per step: a string or list of n costs floor(n / 16) steps. */
export const ITEMS_PER_STEP = 16;

/**
 * One budget of steps for many evaluations (a batch): each evaluation may spend what is left of it,
 * within its own `maxSteps`.
 */
export class StepBudget {
  spent = 0;
  constructor(readonly maxSteps: number) {}

  get exhausted(): boolean {
    return this.spent >= this.maxSteps;
  }
}

export class EvalState {
  steps = 0;
  /** The steps this evaluation may spend: its own limit, or what is left of a shared budget. */
  private readonly max: number;
  constructor(
    readonly limits: Limits,
    private readonly budget: StepBudget | null = null,
  ) {
    this.max = budget === null ? limits.maxSteps : Math.min(limits.maxSteps, Math.max(0, budget.maxSteps - budget.spent));
  }

  /** Count one step; returns an error value once the budget is spent. */
  step(node: number): VError | null {
    if (++this.steps > this.max) return this.spentError(node);
    return null;
  }

  /** Count `n` steps at once (work whose size is known before it is done); an error value once the budget is spent. */
  charge(n: number, node: number): VError | null {
    if ((this.steps += n) > this.max) return this.spentError(node);
    return null;
  }

  /** Scanning `length` characters or items: floor(length / 16) steps. */
  scan(length: number, node: number): VError | null {
    return length < ITEMS_PER_STEP ? null : this.charge(Math.floor(length / ITEMS_PER_STEP), node);
  }

  /**
   * Comparing two strings: when they have the same length n (only then are they read through),
   * floor(n / 16) steps; strings of different lengths, or shorter than 16, cost nothing.
   */
  compare(a: string, b: string, node: number): VError | null {
    return a.length < ITEMS_PER_STEP || a.length !== b.length ? null : this.charge(Math.floor(a.length / ITEMS_PER_STEP), node);
  }

  /** Building a list or string of `length`: refused past `maxListLength`, else counted as a scan of it. */
  checkLength(length: number, node: number): VError | null {
    if (length > this.limits.maxListLength) {
      return new VError('limit_exceeded', `result of length ${length} exceeds the limit of ${this.limits.maxListLength}`, node);
    }
    return length < ITEMS_PER_STEP ? null : this.charge(Math.floor(length / ITEMS_PER_STEP), node);
  }

  /** Hands the steps spent to the shared budget (once, when the evaluation is over). */
  settle(): void {
    if (this.budget !== null) this.budget.spent += Math.min(this.steps, this.max);
  }

  private spentError(node: number): VError {
    if (this.budget !== null && this.max < this.limits.maxSteps) {
      return new VError('limit_exceeded', `the batch exceeded its budget of ${this.budget.maxSteps} steps`, node);
    }
    return new VError('limit_exceeded', `evaluation exceeded ${this.limits.maxSteps} steps`, node);
  }
}
