import type { EvalState } from '../context.ts';
import type { Value } from '../values.ts';

/** A builtin implementation: arguments are already evaluated and never errors. */
export interface BuiltinImpl {
  minArgs: number;
  maxArgs: number;
  fn: (args: Value[], node: number, state: EvalState) => Value;
}

export type BuiltinTable = Record<string, BuiltinImpl>;
