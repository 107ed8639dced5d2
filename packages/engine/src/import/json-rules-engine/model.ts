/** The json-rules-engine rule format, read into a small checked model. */
import type { Json } from '../verdict-syntax.ts';

export const OPERATORS = [
  'equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive',
  'in', 'notIn', 'contains', 'doesNotContain',
] as const;
export type Operator = (typeof OPERATORS)[number];

/**
 * The operator decorators json-rules-engine ships (src/engine-default-operator-decorators.js),
 * written before an operator and applied left to right: `everyFact:someValue:equal`.
 */
export const DECORATORS = ['someFact', 'someValue', 'everyFact', 'everyValue', 'swap', 'not'] as const;
export type Decorator = (typeof DECORATORS)[number];

/** One step of a JSONPath: `.name` / `['name']` or `[index]`. */
export type Segment = { kind: 'key'; name: string } | { kind: 'index'; index: number };

/** A fact and an optional path into it. */
export interface FactRef {
  fact: string;
  path: Segment[];
}

export type Operand = { kind: 'ref'; ref: FactRef } | { kind: 'const'; value: Json };

export type Condition =
  | { kind: 'all'; items: Condition[] }
  | { kind: 'any'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'leaf'; decorators: Decorator[]; operator: Operator; left: FactRef; right: Operand };

export interface JreRule {
  /** Position in the input, from 1. */
  index: number;
  /** The rule's `name`, as text, or null. */
  name: string | null;
  /** json-rules-engine's effective priority (a positive integer, default 1). */
  priority: number;
  event: { type: string; params: Record<string, Json> | null };
  conditions: Condition;
}

/** A problem with the input, naming the rule (by name or position) and where in it. */
export interface ImportIssue {
  rule: string;
  where: string;
  message: string;
}
