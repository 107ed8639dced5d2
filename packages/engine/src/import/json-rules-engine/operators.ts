/**
 * json-rules-engine's operator names, decorators included, and the checks on
 * constant values that the decorators carry to an operator. Semantics follow
 * its sources (src/operator-map.js, src/engine-default-operators.js,
 * src/engine-default-operator-decorators.js):
 *
 * - `d1:d2:op` applies d1 to (d2 applied to op); `operatorMap.get` splits the
 *   name at each `:` from the left, each prefix being a decorator.
 * - `someFact`/`everyFact` (fact must be an array) test `next(item, value)` for
 *   some/every item of the fact; `someValue`/`everyValue` test `next(fact, item)`
 *   for some/every item of the value (which must be an array, else it throws);
 *   `swap` calls `next(value, fact)`; `not` negates.
 */
import type { Json } from '../verdict-syntax.ts';
import { DECORATORS, OPERATORS, type Decorator, type Operator } from './model.ts';

export type ParsedOperator = { ok: true; decorators: Decorator[]; operator: Operator } | { ok: false; message: string };

const PORT_BY_HAND =
  'Port it by hand: import the rules without this condition (or with a standard operator in its place), then write the test in the generated rule ' +
  'as a Verdict expression (e.g. `word.startsWith("b")` for a "startsWith" operator; see grammar/functions.md).';

const isDecorator = (name: string): name is Decorator => (DECORATORS as readonly string[]).includes(name);
const isOperator = (name: string): name is Operator => (OPERATORS as readonly string[]).includes(name);

/** Splits `everyFact:not:in` into decorators and an operator, as json-rules-engine's OperatorMap.get does. */
export function parseOperator(name: string): ParsedOperator {
  const parts = name.split(':');
  const operator = parts.pop()!;
  const custom = parts.find((p) => !isDecorator(p));
  if (custom !== undefined) {
    return {
      ok: false,
      message:
        `custom operator decorator ${JSON.stringify(custom)} (in ${JSON.stringify(name)}) cannot be imported: json-rules-engine runs it as JavaScript ` +
        `(engine.addOperatorDecorator), which an import cannot read. ${PORT_BY_HAND} Decorators json-rules-engine ships: ${DECORATORS.join(', ')}`,
    };
  }
  if (isOperator(operator)) return { ok: true, decorators: parts as Decorator[], operator };
  if (isDecorator(operator)) {
    return { ok: false, message: `${JSON.stringify(operator)} is an operator decorator: it goes before an operator, e.g. "${operator}:equal" (json-rules-engine answers "Unknown operator")` };
  }
  return {
    ok: false,
    message:
      `custom operator ${JSON.stringify(operator)} cannot be imported: json-rules-engine runs it as JavaScript (engine.addOperator), which an import cannot read. ` +
      `${PORT_BY_HAND} Standard operators: ${OPERATORS.join(', ')}; decorators: ${DECORATORS.join(', ')}`,
  };
}

/** One side of a comparison while decorators are applied: a constant from the rule, or a value read from the facts. */
export type Side = { kind: 'const'; value: Json } | { kind: 'fact' };

const NUMERIC = new Set<Operator>(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/**
 * The first constant the import cannot translate faithfully, following the
 * decorators to the operator: a value list that `someValue` cannot iterate (it
 * throws), an `in` list that is not a list (a string would be a substring
 * test), a number compared with a string (JavaScript coercion).
 */
export function constantProblem(decorators: readonly Decorator[], operator: Operator, left: Side, right: Side): string | null {
  if (decorators.length === 0) return baseProblem(operator, left, right);
  const [d, ...rest] = decorators as [Decorator, ...Decorator[]];
  switch (d) {
    case 'not':
      return constantProblem(rest, operator, left, right);
    case 'swap':
      return constantProblem(rest, operator, right, left);
    case 'someFact':
    case 'everyFact':
      // A constant that is not a list fails the decorator's array check: false, nothing to translate.
      if (left.kind === 'fact') return constantProblem(rest, operator, left, right);
      if (!Array.isArray(left.value)) return null;
      return first(left.value.map((v) => constantProblem(rest, operator, { kind: 'const', value: v }, right)));
    case 'someValue':
    case 'everyValue':
      if (right.kind === 'fact') return constantProblem(rest, operator, left, right);
      if (!Array.isArray(right.value)) return `${d} needs a list value or a fact reference (json-rules-engine calls value.${d === 'someValue' ? 'some' : 'every'}, which fails on ${JSON.stringify(right.value)})`;
      return first(right.value.map((v) => constantProblem(rest, operator, left, { kind: 'const', value: v })));
  }
}

function first(problems: Array<string | null>): string | null {
  return problems.find((p) => p !== null) ?? null;
}

function baseProblem(operator: Operator, left: Side, right: Side): string | null {
  if (NUMERIC.has(operator)) {
    // json-rules-engine compares with JavaScript's < (null counts as 0); only numbers and null translate.
    if (right.kind === 'const' && typeof right.value !== 'number' && right.value !== null) return `${operator} needs a number value or a fact reference`;
    if (left.kind === 'const' && (typeof left.value === 'string' || Array.isArray(left.value))) return `${operator} would compare ${JSON.stringify(left.value)} as a number (JavaScript coercion), which the import does not translate`;
    return null;
  }
  if ((operator === 'in' || operator === 'notIn') && right.kind === 'const' && !Array.isArray(right.value)) return `${operator} needs a list value or a fact reference`;
  return null;
}
