/**
 * Every checker diagnostic, one factory per kind, so wording stays in one
 * place (cel-go's style). Messages are short and lowercase with user text in
 * backticks; hints say what would fix it. Codes are listed with examples in
 * grammar/diagnostics.md.
 */
import type { Span } from '../ast.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { show, type Type } from './types.ts';
import { fieldNameText } from '../names.ts';

/** `replacement`: the guess as source text, when that differs from the name (a quoted field name). */
const didYouMean = (guess: string | null, span: Span, replacement = guess) =>
  guess === null || replacement === null ? {} : { hint: `did you mean \`${guess}\`?`, fix: { span, replacement, title: `change to \`${guess}\`` } };

export const messages = {
  unknownName: (name: string, span: Span, guess: string | null): Diagnostic =>
    diagnostic('VD2001', 'error', `unknown name \`${name}\``, span, guess === null ? { hint: 'declare it with `const`, `param` or `let`, or add it to `input`' } : didYouMean(guess, span)),
  inputIsNotAValue: (span: Span): Diagnostic =>
    diagnostic('VD2001', 'error', '`input` is read one field at a time', span, { hint: 'read a top-level field as `input.amount`, or `` input.`account-information` `` for a name that is not an identifier' }),
  unknownField: (field: string, owner: string, span: Span, guess: string | null, fields: string[]): Diagnostic =>
    diagnostic(
      'VD2002',
      'error',
      `\`${owner}\` has no field \`${field}\``,
      span,
      guess === null ? { hint: `its fields are: ${fields.map((f) => fieldNameText(f)).join(', ') || '(none)'}` } : didYouMean(guess, span, fieldNameText(guess)),
    ),
  typeMismatch: (what: string, expected: string, actual: Type, span: Span, hint?: string): Diagnostic =>
    diagnostic('VD2003', 'error', `${what} must be ${expected}; this is ${article(show(actual))}`, span, hint === undefined ? {} : { hint }),
  operatorTypes: (op: string, left: Type, right: Type | null, span: Span, hint?: string): Diagnostic =>
    diagnostic(
      'VD2004',
      'error',
      right === null ? `\`${op}\` cannot be applied to ${article(show(left))}` : `\`${op}\` cannot be applied to ${article(show(left))} and ${article(show(right))}`,
      span,
      hint === undefined ? {} : { hint },
    ),
  mayBeAbsent: (path: string, span: Span, type: Type, read?: string): Diagnostic => {
    // A default must have the value's own type (`?? 0` on a string passes nowhere useful): a value
    // with no neutral default (a union member, a timestamp, a record) gets only a guard.
    const fallback = neutralDefault(type);
    const guard = path.includes('.') && /^[\w.]+$/.test(path) ? `has(${path}) && ...` : `${path} != null && ...`;
    if (path.includes('?.') || !/^[\w.]+$/.test(path)) {
      return diagnostic('VD2005', 'error', `\`${path}\` may be null here`, span, {
        hint: fallback === null ? `test it first: \`(${path}) != null ? ... : ...\`` : `give it a default: \`(${path} ?? ${fallback})\``,
      });
    }
    const readHint =
      read === undefined
        ? fallback === null
          ? `guard it (\`${guard}\`${path.includes('.') ? `, \`${path} != null && ...\`` : ''})`
          : `give it a default (\`${path} ?? ${fallback}\`), or guard it (\`${path} != null && ...\`${path.includes('.') ? `, \`has(${path}) && ...\`` : ''})`
        : fallback === null
          ? `guard it (\`has(${path}) && ...\`)`
          : `read through it with \`?.\` and give a default (\`${read} ?? ${fallback}\`), or guard it (\`has(${path}) && ...\`)`;
    return diagnostic('VD2005', 'error', `\`${path}\` is optional and may be absent here`, span, { hint: readHint });
  },
  hasNeedsField: (span: Span, name: string | null): Diagnostic =>
    diagnostic('VD2006', 'error', '`has` tests a field: `has(a.b)`', span, {
      hint: name === null ? 'write `has(record.field)`' : `for a top-level input field write \`has(input.${name})\` or \`${name} != null\``,
    }),
  unknownFunction: (name: string, span: Span, guess: string | null): Diagnostic =>
    diagnostic('VD2006', 'error', `unknown function \`${name}\``, span, guess === null ? { hint: 'see grammar/functions.md for the built-in functions' } : didYouMean(guess, span)),
  arity: (name: string, expected: string, given: number, span: Span): Diagnostic =>
    diagnostic('VD2007', 'error', `\`${name}\` takes ${expected}; ${given} given`, span),
  argumentType: (name: string, param: string, expected: string, actual: Type, span: Span): Diagnostic =>
    diagnostic('VD2008', 'error', `argument \`${param}\` of \`${name}\` must be ${expected}; this is ${article(show(actual))}`, span),
  notInUnion: (value: string, owner: string, allowed: string[], span: Span, guess: string | null): Diagnostic =>
    diagnostic('VD2009', 'error', `${value} is not a possible value of \`${owner}\``, span, {
      hint: guess === null ? `its values are: ${allowed.join(', ')}` : `did you mean ${guess}? its values are: ${allowed.join(', ')}`,
      ...(guess === null ? {} : { fix: { span, replacement: guess, title: `change to ${guess}` } }),
    }),
  noFields: (owner: string, type: Type, span: Span): Diagnostic =>
    diagnostic('VD2010', 'error', `\`${owner}\` is ${article(show(type))}; it has no fields`, span),
  notIterable: (macro: string, type: Type, span: Span): Diagnostic =>
    diagnostic('VD2011', 'error', `\`${macro}\` needs a list or a map; this is ${article(show(type))}`, span),
  notIndexable: (type: Type, span: Span): Diagnostic => diagnostic('VD2012', 'error', `${article(show(type))} cannot be indexed`, span, { hint: 'lists take a number index, maps a string key' }),
  reservedFieldName: (name: string, span: Span): Diagnostic =>
    diagnostic('VD2013', 'error', `an input field cannot be named \`${name}\``, span, { hint: 'JSON Schema validators and JavaScript objects treat this key as special; choose another name' }),

  duplicateName: (name: string, span: Span, first: Span): Diagnostic =>
    diagnostic('VD3001', 'error', `\`${name}\` is declared twice`, span, { hint: 'rename one of them', related: [{ message: 'first declared here', span: first }] }),
  unknownOutcome: (outcome: string, span: Span, outcomes: string[], guess: string | null): Diagnostic =>
    diagnostic('VD3002', 'error', `outcome \`${outcome}\` is not declared in \`decision\``, span, {
      hint: guess === null ? `the outcomes are: ${outcomes.join(', ') || '(none: add a `decision` line)'}` : `did you mean \`${guess}\`?`,
      ...(guess === null ? {} : { fix: { span, replacement: guess, title: `change to \`${guess}\`` } }),
    }),
  missingDecision: (span: Span): Diagnostic =>
    diagnostic('VD3003', 'error', 'this ruleset has no `decision` declaration', span, { hint: 'add one such as `decision deny > allow` (the last outcome is the default)' }),
  badDecision: (message: string, span: Span): Diagnostic => diagnostic('VD3004', 'error', message, span, { hint: 'list each outcome once, highest precedence first, e.g. `decision deny > refer > allow`' }),
  cycle: (names: string[], span: Span): Diagnostic =>
    diagnostic('VD3005', 'error', `\`${names[0] ?? ''}\` depends on itself: ${names.join(' -> ')}`, span, { hint: 'break the cycle; a `let` cannot refer back to itself' }),
  notConstant: (name: string, reference: string, span: Span): Diagnostic =>
    diagnostic('VD3006', 'error', `const \`${name}\` reads \`${reference}\`, which is not constant`, span, { hint: 'use `let` for values computed from the input or params' }),
  missingWhen: (rule: string, span: Span): Diagnostic =>
    diagnostic('VD3007', 'error', `rule \`${rule}\` has no \`<outcome> when <condition>\` statement`, span, { hint: 'add one, e.g. `deny when amount > 100`' }),
  missingSeverity: (rule: string, span: Span): Diagnostic =>
    diagnostic('VD3008', 'error', `rule \`${rule}\` has no severity`, span, { hint: 'add `severity critical`, `high`, `medium` or `low`' }),
  unknownSeverity: (severity: string, span: Span, guess: string | null): Diagnostic =>
    diagnostic('VD3009', 'error', `unknown severity \`${severity}\``, span, guess === null ? { hint: 'severities are critical, high, medium and low' } : didYouMean(guess, span)),
  missingMessage: (rule: string, span: Span): Diagnostic =>
    diagnostic('VD3010', 'warning', `rule \`${rule}\` has no \`because\` message`, span, { hint: 'say why in a sentence: `because "..."`; without one the violation message is the rule id' }),
  duplicateSuggestion: (field: string, span: Span): Diagnostic =>
    diagnostic('VD3011', 'error', `suggestion field \`${field}\` is set twice`, span, { hint: 'each `suggest` names a different field' }),
  defaultBreaksWhere: (param: string, value: string, span: Span): Diagnostic =>
    diagnostic('VD3012', 'error', `the default of param \`${param}\` (${value}) does not satisfy its \`where\``, span, { hint: 'change the default or the constraint' }),
  tableArity: (table: string, expected: number, given: number, span: Span): Diagnostic =>
    diagnostic('VD3013', 'error', `table \`${table}\` has ${expected} column${expected === 1 ? '' : 's'}; this row has ${given} pattern${given === 1 ? '' : 's'}`, span, {
      hint: 'give one pattern per column, `_` for any value',
    }),
  unreachableRow: (span: Span): Diagnostic =>
    diagnostic('VD3014', 'warning', 'this row comes after `else` and can never match', span, { hint: 'move `else` to the last row' }),
  noElse: (table: string, span: Span): Diagnostic =>
    diagnostic('VD3015', 'warning', `table \`${table}\` has no \`else\` row; a call that matches no row is an error at run time`, span, { hint: 'add `else -> <value>`' }),
  defaultOutcomeRule: (rule: string, outcome: string, span: Span): Diagnostic =>
    diagnostic('VD3016', 'warning', `rule \`${rule}\` produces the default outcome \`${outcome}\`, so it never changes the decision`, span, {
      hint: 'rules state when a non-default outcome applies',
    }),
  badWeight: (message: string, span: Span): Diagnostic => diagnostic('VD3017', 'error', message, span, { hint: 'weights are non-negative numbers per severity, e.g. `weights { critical: 8 }`' }),
  badErrorPolicy: (policy: string, span: Span): Diagnostic =>
    diagnostic('VD3018', 'error', `unknown error policy \`${policy}\``, span, { hint: 'write `on error fire` (fail closed, the default) or `on error skip`' }),
  duplicateDeclaration: (what: string, span: Span, first: Span): Diagnostic =>
    diagnostic('VD3019', 'error', `a ruleset has one \`${what}\` declaration; this is a second`, span, { hint: 'merge them', related: [{ message: 'first here', span: first }] }),
  testUnknownRule: (rule: string, span: Span, guess: string | null): Diagnostic =>
    diagnostic('VD3020', 'error', `test names rule \`${rule}\`, which does not exist`, span, guess === null ? {} : didYouMean(guess, span)),
  testUnknownName: (what: string, name: string, span: Span, guess: string | null): Diagnostic =>
    diagnostic('VD3021', 'error', `test names ${what} \`${name}\`, which does not exist`, span, guess === null ? {} : didYouMean(guess, span)),
  testInput: (message: string, span: Span, hint?: string): Diagnostic =>
    diagnostic('VD3022', 'error', message, span, { hint: hint ?? 'fix the test input, or write `expect invalid` if the input is meant to be refused' }),
  testWithoutExpectation: (name: string, span: Span): Diagnostic =>
    diagnostic('VD3023', 'warning', `test ${name} expects nothing`, span, { hint: 'add `expect <outcome>`, `expect outputs {...}` or `expect invalid`' }),
  duplicateTest: (name: string, span: Span): Diagnostic => diagnostic('VD3024', 'warning', `there are two tests named ${name}`, span, { hint: 'test names identify failures; make them unique' }),
  testWithoutInput: (name: string, span: Span): Diagnostic => diagnostic('VD3025', 'error', `test ${name} has no \`input\``, span, { hint: 'add `input { ... }`' }),
  paramValue: (param: string, message: string, span: Span): Diagnostic => diagnostic('VD3026', 'error', `param \`${param}\`: ${message}`, span),
  invalidPattern: (pattern: string, problem: string, span: Span): Diagnostic =>
    diagnostic('VD3070', 'error', `invalid regular expression ${JSON.stringify(pattern)}: ${problem}`, span, {
      hint: 'patterns are RE2 syntax: no backreferences or lookaround; escape a literal `(`, `[`, `{` or `\\` with `\\` (written `\\\\` in a string)',
    }),
  unknownErrorCode: (code: string, span: Span, guess: string | null, codes: string[]): Diagnostic =>
    diagnostic('VD3071', 'warning', `\`${code}\` is not an evaluation error code`, span, {
      hint: guess === null ? `the codes are: ${codes.join(', ')}` : `did you mean \`${guess}\`?`,
      ...(guess === null ? {} : { fix: { span, replacement: guess, title: `change to \`${guess}\`` } }),
    }),
  recursiveTable: (names: string[], span: Span): Diagnostic =>
    diagnostic('VD3040', 'error', `table \`${names[0] ?? ''}\` calls itself: ${names.join(' -> ')}`, span, {
      hint: 'tables may not call themselves, directly or through other tables or lets; iterate over a list with a macro (`all`, `exists`, `map`, `filter`) instead',
    }),
  aliasCycle: (names: string[], span: Span): Diagnostic =>
    diagnostic('VD3050', 'error', `type \`${names[0] ?? ''}\` refers to itself: ${names.join(' -> ')}`, span, {
      hint: 'a type alias names a finite type; write the nested part out, or use `any` or `map<any>` where the nesting is open-ended',
    }),
  aliasShadowsBuiltin: (name: string, span: Span): Diagnostic =>
    diagnostic('VD3051', 'error', `\`${name}\` is a built-in type; an alias cannot take its name`, span, { hint: 'choose another name, e.g. a capitalised one' }),
  unused: (what: string, name: string, span: Span): Diagnostic =>
    diagnostic('VD3030', 'warning', `${what} \`${name}\` is never used`, span, { hint: 'remove it, or use it in a rule' }),
};

/** The default a reader would write for an absent value of `type`, or null when no value is neutral. */
function neutralDefault(type: Type): string | null {
  switch (type.kind) {
    case 'string':
      return '""';
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
    case 'list':
      return '[]';
    case 'map':
      return '{}';
    default:
      return null;
  }
}

function article(type: string): string {
  if (/^["\d]/.test(type) || type.startsWith('{') || type.includes(' | ')) return `the value ${type}`;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
