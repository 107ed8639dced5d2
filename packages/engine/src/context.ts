/** Per-evaluation state shared by compiled closures and the reference interpreter. */
import { VError } from './values.ts';

export interface Limits {
  /** Macro iterations plus function and table calls per decision. */
  maxSteps: number;
  /** Longest list or string an expression may build. */
  maxListLength: number;
}

export const DEFAULT_LIMITS: Limits = { maxSteps: 1_000_000, maxListLength: 100_000 };

export class EvalState {
  steps = 0;
  constructor(readonly limits: Limits) {}

  /** Count one step; returns an error value once the budget is spent. */
  step(node: number): VError | null {
    if (++this.steps > this.limits.maxSteps) {
      return new VError('limit_exceeded', `evaluation exceeded ${this.limits.maxSteps} steps`, node);
    }
    return null;
  }

  checkLength(length: number, node: number): VError | null {
    if (length > this.limits.maxListLength) {
      return new VError('limit_exceeded', `result of length ${length} exceeds the limit of ${this.limits.maxListLength}`, node);
    }
    return null;
  }
}
