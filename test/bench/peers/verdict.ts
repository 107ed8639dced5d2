/** Verdict itself as a contender: a compiled ruleset, evaluated per input. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, type CompiledRuleset, type EvaluationResult } from '@verdict/engine';
import { normalized, type Contender } from './decision.ts';

export function compileOrThrow(source: string): CompiledRuleset {
  const { ruleset, diagnostics } = compile(source);
  const error = diagnostics.find((d) => d.severity === 'error');
  if (!ruleset || error) throw new Error(`ruleset does not compile: ${error?.code} ${error?.message}`);
  return ruleset;
}

export function rulesetSource(relative: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../rulesets/${relative}`, import.meta.url)), 'utf8');
}

/** `outputs` named here are compared too, as ` name=value` after the decision. */
export function verdictContender<Input>(ruleset: CompiledRuleset, options: { name?: string; outputs?: string[]; note?: string } = {}): Contender<Input, EvaluationResult> {
  const contender: Contender<Input, EvaluationResult> = {
    name: options.name ?? 'Verdict',
    evaluate: (input) => ruleset.evaluate(input),
    normalize: (raw) => {
      if (!raw.ok) throw new Error(`Verdict refused an input: ${raw.error.message}`);
      const outputs = (options.outputs ?? []).map((k) => ` ${k}=${String(raw.outputs[k])}`).join('');
      return normalized(raw.decision + outputs, raw.violations.map((v) => v.rule));
    },
  };
  if (options.note !== undefined) contender.note = options.note;
  return contender;
}
