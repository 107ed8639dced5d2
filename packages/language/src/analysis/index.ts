/**
 * Rule analysis for reviewers (VD4xxx warnings): rules that can never fire,
 * rules that fire on every input, rules shadowed by a higher-precedence rule
 * whose condition they imply, and duplicate conditions. It runs on a ruleset
 * that checks without errors.
 */
import type { Expr, RuleDecl, Ruleset } from '../ast.ts';
import type { CheckResult } from '../checker/index.ts';
import { evaluateConstant, type ConstValue } from '../checker/const-eval.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { diagnostic } from '../diagnostics.ts';
import { conjunctionOf, implies, unsatisfiable, type Conjunction } from './constraints.ts';
import { constantParts, reasonerFor, unreachableRows, unreadLets } from './findings.ts';
import { inlineNames } from './inline.ts';
import { formulaOf, satisfiable, valid } from './truth.ts';
import type { Type } from '../checker/types.ts';

type Scalar = string | number | boolean;

interface AnalyzedRule {
  rule: RuleDecl;
  condition: Conjunction;
  /** Index of its outcome in the decision's precedence (0 = highest). */
  rank: number;
  keys: string[];
}

export function analyzeRules(ast: Ruleset, checked: CheckResult): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const consts = constValues(ast);
  const domains = literalDomains(checked.input);
  const rules: AnalyzedRule[] = [];
  const reasoner = reasonerFor(checked, consts);
  const globalLets = new Map(ast.decls.flatMap((d) => (d.kind === 'Let' ? [[d.name.name, d.value] as [string, Expr]] : [])));
  const reportedParts = new Set<number>();
  diagnostics.push(...unreachableRows(ast, reasoner), ...unreadLets(ast, checked));
  for (const decl of ast.decls) {
    if (decl.kind !== 'Rule' || decl.condition === null || decl.outcome === null) continue;
    const rank = checked.outcomes.indexOf(decl.outcome.name);
    if (rank < 0) continue;
    const lets = new Map(decl.lets.map((l) => [l.name.name, l.value] as [string, Expr]));
    const inlined = inlineNames(decl.condition, lets);
    const condition = conjunctionOf(inlined, domains, consts);
    const id = decl.name.name;
    // across `||` and `!` too: the reasoner decides over the input's intervals and value sets
    const formula = formulaOf(inlineNames(inlined, globalLets), reasoner);
    if (unsatisfiable(condition) || !satisfiable(formula, reasoner)) {
      diagnostics.push(
        diagnostic('VD4001', 'warning', `rule \`${id}\` can never fire: its condition is never true`, decl.condition.span, {
          hint: condition.constant === false ? 'the condition is false whatever the input' : 'its constraints contradict each other or the declared values of the input',
        }),
      );
      continue;
    }
    if (condition.constant === true) {
      diagnostics.push(diagnostic('VD4004', 'warning', `rule \`${id}\` fires on every input`, decl.condition.span, { hint: 'its condition does not depend on the input; check it is what you meant' }));
    } else if (valid(formula, reasoner)) {
      diagnostics.push(
        diagnostic('VD4004', 'warning', `rule \`${id}\` fires on every input`, decl.condition.span, { hint: 'its cases cover every value the input can have; check it is what you meant' }),
      );
    } else {
      diagnostics.push(...constantParts(inlineNames(decl.condition, lets), reasoner, reportedParts));
    }
    rules.push({ rule: decl, condition, rank, keys: keysOf(condition) });
  }

  // Compare each rule only with rules whose index key it mentions, so thousands of rules stay fast.
  const index = new Map<string, AnalyzedRule[]>();
  for (const r of rules) {
    const key = r.keys[0] ?? '*';
    const bucket = index.get(key) ?? [];
    bucket.push(r);
    index.set(key, bucket);
  }
  const reported = new Set<AnalyzedRule>();
  for (const b of rules) {
    const candidates = new Set<AnalyzedRule>([...(index.get('*') ?? []), ...b.keys.flatMap((k) => index.get(k) ?? [])]);
    for (const a of candidates) {
      if (a === b || reported.has(b) || !implies(b.condition, a.condition, domains)) continue;
      const mutual = implies(a.condition, b.condition, domains);
      const before = a.rule.span.start < b.rule.span.start;
      if (mutual && before) {
        reported.add(b);
        diagnostics.push(
          diagnostic('VD4003', 'warning', `rule \`${b.rule.name.name}\` has the same condition as rule \`${a.rule.name.name}\``, b.rule.condition!.span, {
            hint: 'merge the two rules, or make their conditions differ',
            related: [{ message: `the condition of \`${a.rule.name.name}\``, span: a.rule.condition!.span }],
          }),
        );
      } else if (!mutual && a.rank < b.rank) {
        reported.add(b);
        diagnostics.push(
          diagnostic(
            'VD4002',
            'warning',
            `rule \`${b.rule.name.name}\` never changes the decision: whenever it fires, \`${a.rule.name.name}\` fires too with the higher-precedence outcome \`${a.rule.outcome!.name}\``,
            b.rule.condition!.span,
            {
              hint: 'narrow the condition of one of them, or remove the shadowed rule if its violation is not needed',
              related: [{ message: `the shadowing rule \`${a.rule.name.name}\``, span: a.rule.name.span }],
            },
          ),
        );
      }
    }
  }
  return diagnostics;
}

/** Index keys of a condition: single-valued paths first (most selective), then paths, then opaque terms. */
function keysOf(c: Conjunction): string[] {
  const exact: string[] = [];
  const paths: string[] = [];
  for (const [path, constraint] of c.paths) {
    if (constraint.oneOf !== null) for (const v of constraint.oneOf) exact.push(`${path}=${JSON.stringify(v)}`);
    paths.push(path);
  }
  const single = [...c.paths].filter(([, k]) => k.oneOf?.length === 1).map(([p, k]) => `${p}=${JSON.stringify(k.oneOf![0])}`);
  return [...single, ...paths, ...c.opaque, ...exact.filter((e) => !single.includes(e))];
}

function constValues(ast: Ruleset): Map<string, ConstValue> {
  const values = new Map<string, ConstValue>();
  for (const decl of ast.decls) {
    if (decl.kind !== 'Const') continue;
    const v = evaluateConstant(decl.value, values);
    if (v !== undefined) values.set(decl.name.name, v);
  }
  return values;
}

/** Input paths with a literal-union type and their values (`service.tier` -> free, standard, enterprise). */
function literalDomains(input: Type): Map<string, Scalar[]> {
  const domains = new Map<string, Scalar[]>();
  const walk = (t: Type, path: string) => {
    if (t.kind === 'literal') domains.set(path, [...t.values]);
    else if (t.kind === 'record') for (const [name, f] of t.fields) if (!f.optional) walk(f.type, path === '' ? name : `${path}.${name}`);
  };
  walk(input, '');
  return domains;
}
