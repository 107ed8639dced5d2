/** Completion of test assertions, `cases` tables and a decision's `compliant` list, word by word. */
import { describe, expect, it } from 'vitest';
import { CompletionItemKind } from 'vscode-languageserver-types';
import { completion, SourceFile } from '../src/index.ts';

const RULESET = `ruleset t.fees

input {
  amount: number
  service: { tier: "free" | "paid", sla?: { availability: number } }
}

decision deny > refer > allow

rule big {
  severity high
  deny when amount > 100
  because "Amount {amount} is too large"
  suggest amount = 100
  suggest note = "at most 100"
}

rule odd {
  severity low
  refer when amount % 2 == 1
  because "odd"
}

output fee: number = amount * 0.01

table tier_fee(tier: string, tags: list<string>) -> number {
  "free", _ -> 0
  else -> 1
}

test "t" {
  input { amount: 500, service: { tier: "free" } }
  ‸
}
`;

/** The completion items at `‸` in `text` (`‸` in the snippet replaces the one in RULESET). */
function itemsAt(snippet: string, text = RULESET) {
  const full = text.replace('‸', snippet);
  const offset = full.indexOf('‸');
  return completion(new SourceFile(full.slice(0, offset) + full.slice(offset + 1)), offset);
}
const labelsAt = (snippet: string, text?: string): string[] => itemsAt(snippet, text).map((i) => i.label);
const insertOf = (snippet: string, label: string): string | undefined => itemsAt(snippet).find((i) => i.label === label)?.insertText;

describe('completion of test statements and assertions', () => {
  it('offers the statements of a test, `cases` as a table to fill in', () => {
    expect(labelsAt('‸')).toEqual(['input', 'params', 'expect', 'cases']);
    expect(insertOf('‸', 'cases')).toBe('cases {\n\t{ $1 } -> ${2|deny,refer,allow|}\n}');
    // On a new line after an assertion, a new statement (not the assertion's next word).
    expect(labelsAt('expect deny\n  ‸')).toEqual(['input', 'params', 'expect', 'cases']);
  });

  it('offers outcomes and every assertion after `expect`, with snippets naming the rules and error codes', () => {
    const labels = labelsAt('expect ‸');
    expect(labels).toEqual(['deny', 'refer', 'allow', 'outputs', 'suggest', 'score', 'invalid', 'message', 'error']);
    expect(insertOf('expect ‸', 'message')).toBe('message ${1|big,odd|} "$2"');
    expect(insertOf('expect ‸', 'error')).toMatch(/^error \$\{1\|big,odd\|\} \$\{2\|division_by_zero,.*no_matching_row.*\|\}$/);
    const message = itemsAt('expect ‸').find((i) => i.label === 'message');
    expect(JSON.stringify(message?.documentation)).toContain('exactly this message');
  });

  it('offers each assertion its next word', () => {
    expect(labelsAt('expect message ‸')).toEqual(['big', 'odd']);
    expect(labelsAt('expect error ‸')).toEqual(['big', 'odd']);
    expect(labelsAt('expect message big ‸')).toEqual(['contains']);
    expect(labelsAt('expect error big ‸')).toEqual(expect.arrayContaining(['division_by_zero', 'no_such_key', 'limit_exceeded']));
    expect(labelsAt('expect outputs ‸')).toEqual(['exactly']);
    expect(labelsAt('expect suggest big ‸')).toEqual(['exactly']);
    expect(labelsAt('expect invalid ‸')).toEqual(['at']);
    expect(labelsAt('expect deny ‸')).toEqual(['by']);
    expect(labelsAt('expect outputs { fee: 5 } ‸')).toEqual(['within']);
    expect(labelsAt('expect outputs exactly {\n    fee: 5\n  } ‸')).toEqual(['within']);
    expect(insertOf('expect outputs { fee: 5 } ‸', 'within')).toBe('within ${1:0.001}');
  });

  it('offers the input paths in `expect invalid at "`', () => {
    expect(labelsAt('expect invalid at "‸"')).toEqual(['amount', 'service', 'service.tier', 'service.sla', 'service.sla.availability']);
    expect(labelsAt('expect invalid at "amount", "ser‸"')).toContain('service.tier');
  });

  it("offers outputs in `expect outputs exactly {`, and the rule's suggestion fields in `expect suggest r {`", () => {
    expect(labelsAt('expect outputs exactly { ‸ }')).toEqual(['fee']);
    expect(labelsAt('expect suggest big { ‸ }')).toEqual(['amount', 'note']);
    expect(labelsAt('expect suggest big exactly { amount: 100, ‸ }')).toEqual(['note']);
  });

  it('completes the rows of `cases`: a row, the input fields inside one, outcomes after `->`, rules after `by [`', () => {
    expect(labelsAt('cases {\n    ‸\n  }')).toEqual(['{ } -> outcome']);
    expect(labelsAt('cases {\n    { ‸ }\n  }')).toEqual(['amount', 'service']);
    expect(labelsAt('cases {\n    { service: { ‸ } }\n  }')).toEqual(['tier', 'sla']);
    expect(labelsAt('cases {\n    { amount: 5 } -> ‸\n  }')).toEqual(['deny', 'refer', 'allow']);
    expect(labelsAt('cases {\n    { amount: 5 } -> deny ‸\n  }')).toEqual(['by', '{ } -> outcome']);
    expect(labelsAt('cases {\n    { amount: 5 } -> deny by [‸]\n  }')).toEqual(['big', 'odd']);
  });
});

describe('completion in a decision and at the top level', () => {
  /** RULESET with its test's cursor line an assertion, and `replace` done (which holds the cursor). */
  const elsewhere = (from: string, to: string): string => RULESET.replace('  ‸\n', '  expect deny\n').replace(from, to);
  const at = (decision: string): string[] => labelsAt('‸', elsewhere('decision deny > refer > allow', decision));

  it('offers `compliant` after the outcomes, then the outcomes not yet listed', () => {
    expect(at('decision deny > refer > allow ‸')).toEqual(['compliant']);
    expect(at('decision deny > refer > allow comp‸')).toEqual(['compliant']);
    expect(at('decision deny > refer > allow compliant ‸')).toEqual(['deny', 'refer', 'allow']);
    expect(at('decision deny > refer > allow compliant refer, ‸')).toEqual(['deny', 'allow']);
    // a new outcome is a new name: nothing to offer
    expect(at('decision deny > ‸')).toEqual([]);
  });

  it('offers `compliant` and `type` among the declarations on the line after a decision, `contains` among table patterns', () => {
    const next = at('decision deny > refer > allow\n‸');
    expect(next).toEqual(expect.arrayContaining(['compliant', 'type', 'rule', 'test']));
    // `contains` the pattern (a keyword), beside `contains` the function
    const keywords = (text: string): string[] => itemsAt('‸', text).filter((i) => i.kind === CompletionItemKind.Keyword).map((i) => i.label);
    expect(keywords(elsewhere('  else -> 1', '  ‸\n  else -> 1'))).toContain('contains');
    expect(keywords(elsewhere('  deny when amount > 100', '  deny when ‸'))).not.toContain('contains');
  });
});
