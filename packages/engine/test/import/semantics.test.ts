/**
 * null values and the operator decorators json-rules-engine ships: each case
 * gives the expected answers (json-rules-engine's, read from its sources), and
 * the test checks them against json-rules-engine itself and the imported rule.
 */
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { analyze } from '@verdict/language';
import { compile } from '../../src/index.ts';
import { formatImportIssue, importJsonRulesEngine } from '../../src/import/index.ts';

type Facts = Record<string, unknown>;
type Case = [string, Record<string, unknown>, Array<[Facts, boolean]>];

/** Fires in json-rules-engine (missing facts undefined) and in the imported ruleset, on each input. */
async function both(condition: Record<string, unknown>, inputs: Facts[]): Promise<{ jre: boolean[]; verdict: boolean[]; source: string }> {
  const rule = { conditions: { all: [condition] }, event: { type: 'hit' } };
  const r = importJsonRulesEngine(rule);
  if (!r.ok) throw new Error(r.errors.map(formatImportIssue).join('\n'));
  const errors = analyze(r.source).diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.message}`), r.source).toEqual([]);
  const ruleset = compile(r.source).ruleset!;
  const jre: boolean[] = [];
  const verdict: boolean[] = [];
  for (const input of inputs) {
    const { events } = await new Engine([rule as never], { allowUndefinedFacts: true }).run(structuredClone(input));
    jre.push(events.length === 1);
    const d = ruleset.evaluate(input);
    if (!d.ok) throw new Error(`${JSON.stringify(input)} refused: ${JSON.stringify(d.error)}\n${r.source}`);
    expect(d.errors, r.source).toEqual([]);
    verdict.push(d.violations.length === 1);
  }
  return { jre, verdict, source: r.source };
}

async function check(condition: Record<string, unknown>, samples: Array<[Facts, boolean]>): Promise<string> {
  const { jre, verdict, source } = await both(condition, samples.map(([input]) => input));
  const want = samples.map(([, w]) => w);
  expect(jre, 'json-rules-engine answers as the case says').toEqual(want);
  expect(verdict, source).toEqual(want);
  return source;
}

describe('json-rules-engine import: null values (=== null; a path into a null fact reads null; null is 0 in < and >)', () => {
  const cases: Case[] = [
    ['equal null, top level', { fact: 'x', operator: 'equal', value: null }, [[{ x: null }, true], [{ x: 0 }, false], [{ x: '' }, false], [{ x: 'a' }, false]]],
    ['notEqual null, top level', { fact: 'x', operator: 'notEqual', value: null }, [[{ x: null }, false], [{ x: 0 }, true], [{ x: [] }, true]]],
    ['equal null on a path', { fact: 'u', path: '$.a', operator: 'equal', value: null }, [[{ u: { a: null } }, true], [{ u: {} }, false], [{}, false], [{ u: { a: 1 } }, false]]],
    ['notEqual null on a path', { fact: 'u', path: '$.a', operator: 'notEqual', value: null }, [[{ u: { a: null } }, false], [{ u: {} }, true], [{}, true], [{ u: { a: 'x' } }, true]]],
    ['in a list with null', { fact: 'x', operator: 'in', value: [null, 'a'] }, [[{ x: null }, true], [{ x: 'a' }, true], [{ x: 'b' }, false]]],
    ['notIn a list with null, on a path', { fact: 'u', path: '$.a', operator: 'notIn', value: [null, 1] }, [[{ u: { a: null } }, false], [{ u: { a: 1 } }, false], [{ u: { a: 2 } }, true], [{ u: {} }, true], [{}, true]]],
    ['contains null', { fact: 'l', operator: 'contains', value: null }, [[{ l: [1, null] }, true], [{ l: [1] }, false], [{}, false]]],
    ['doesNotContain null', { fact: 'l', operator: 'doesNotContain', value: null }, [[{ l: [null] }, false], [{ l: ['a'] }, true], [{}, false]]],
    ['lessThan null compares with 0', { fact: 'n', operator: 'lessThan', value: null }, [[{ n: -1 }, true], [{ n: 0 }, false], [{}, false]]],
    ['greaterThanInclusive null compares with 0', { fact: 'n', operator: 'greaterThanInclusive', value: null }, [[{ n: 0 }, true], [{ n: -0.5 }, false], [{}, false]]],
  ];
  it.each(cases)('%s', async (_, condition, samples) => {
    await check(condition, samples);
  });

  it('reads a path into a null fact as null, and compares it as 0 on the right of a comparison (example 11)', async () => {
    // Both rules of json-rules-engine's example 11: `high` is compared with null, so it may be null in the input.
    const rules = [
      { name: 'high score', conditions: { any: [{ fact: 'high', operator: 'equal', value: null }, { fact: 'score', operator: 'greaterThan', value: { fact: 'high', path: '$.score' } }] }, event: { type: 'high' } },
      { name: 'game over', conditions: { all: [{ fact: 'score', operator: 'lessThanInclusive', value: { fact: 'high', path: '$.score' } }] }, event: { type: 'over' } },
    ];
    const r = importJsonRulesEngine(rules);
    if (!r.ok) throw new Error(r.errors.map(formatImportIssue).join('\n'));
    const ruleset = compile(r.source).ruleset!;
    const inputs: Facts[] = [{ high: null, score: 5 }, { high: null, score: -1 }, { high: { score: 9 }, score: 5 }, { high: { score: 3 }, score: 5 }, { high: {}, score: 5 }, { high: 'x', score: 5 }];
    const seen: string[][] = [];
    for (const input of inputs) {
      const { events } = await new Engine(rules as never[], { allowUndefinedFacts: true }).run(structuredClone(input));
      const d = ruleset.evaluate(input);
      if (!d.ok) throw new Error(JSON.stringify(d.error));
      const fired = d.violations.map((v) => r.rules.find((x) => x.id === v.rule)!.event.type).sort();
      expect(fired, `${JSON.stringify(input)}\n${r.source}`).toEqual(events.map((e) => e.type).sort());
      seen.push(fired);
    }
    // null <= -1 is false and -1 <= null true in JavaScript: game over for a score of -1 against no high score.
    expect(seen).toEqual([['high'], ['high', 'over'], ['over'], ['high'], [], []]);
  });

  it('tells a fact given as null from a missing one with has(input.x) (a missing top-level field reads as null)', () => {
    const r = importJsonRulesEngine({ conditions: { all: [{ fact: 'x', operator: 'equal', value: null }, { fact: 'u', path: '$.a', operator: 'equal', value: null }] }, event: { type: 'e' } });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.source).toMatch(/\n {2}x\?: any\n/);
    expect(r.source).toMatch(/u\?: \{\s+a\?: any/);
    expect(r.source).toContain('has(input.x) && x == null');
    expect(r.source).toContain('u != null && has(u.a) && u.a == null');
    const ruleset = compile(r.source).ruleset!;
    const fired = [{}, { x: null, u: { a: null } }, { x: null, u: {} }].map((i) => {
      const d = ruleset.evaluate(i);
      return d.ok && d.violations.length === 1;
    });
    expect(fired).toEqual([false, true, false]);
  });
});

describe('json-rules-engine import: operator decorators (src/engine-default-operator-decorators.js)', () => {
  const cases: Case[] = [
    ['someFact:equal', { fact: 'l', operator: 'someFact:equal', value: 'a' }, [[{ l: ['b', 'a'] }, true], [{ l: ['b'] }, false], [{ l: [] }, false], [{}, false]]],
    ['everyFact:equal', { fact: 'l', operator: 'everyFact:equal', value: 'a' }, [[{ l: ['a', 'a'] }, true], [{ l: ['a', 'b'] }, false], [{ l: [] }, true], [{}, false]]],
    ['everyFact:greaterThan', { fact: 'l', operator: 'everyFact:greaterThan', value: 2 }, [[{ l: [3, 4] }, true], [{ l: [3, 2] }, false], [{ l: [] }, true], [{}, false]]],
    ['everyFact:in (example 13)', { fact: 'tags', operator: 'everyFact:in', value: { fact: 'valid' } }, [[{ tags: ['dev', 'prod'], valid: ['dev', 'staging', 'prod'] }, true], [{ tags: ['dev', 'deleted'], valid: ['dev', 'prod'] }, false], [{ tags: [], valid: ['dev'] }, true], [{ valid: ['dev'] }, false]]],
    ['someValue:equal', { fact: 'x', operator: 'someValue:equal', value: ['a', 'b'] }, [[{ x: 'b' }, true], [{ x: 'c' }, false], [{}, false]]],
    ['everyValue:greaterThan', { fact: 'x', operator: 'everyValue:greaterThan', value: [1, 2] }, [[{ x: 3 }, true], [{ x: 2 }, false], [{}, false]]],
    ['everyValue over an empty list is true', { fact: 'x', operator: 'everyValue:lessThan', value: [] }, [[{ x: 3 }, true], [{}, true]]],
    ['someValue:contains', { fact: 'l', operator: 'someValue:contains', value: ['a', 'b'] }, [[{ l: ['c', 'b'] }, true], [{ l: ['c'] }, false], [{}, false]]],
    ['not:equal', { fact: 'x', operator: 'not:equal', value: 1 }, [[{ x: 1 }, false], [{ x: 2 }, true], [{}, true]]],
    ['not:in', { fact: 'x', operator: 'not:in', value: ['a'] }, [[{ x: 'a' }, false], [{ x: 'b' }, true], [{}, true]]],
    ['not:contains is true on a missing fact (doesNotContain is false)', { fact: 'l', operator: 'not:contains', value: 'a' }, [[{ l: ['a'] }, false], [{ l: [] }, true], [{}, true]]],
    ['not:lessThan', { fact: 'x', operator: 'not:lessThan', value: 3 }, [[{ x: 3 }, true], [{ x: 2 }, false], [{}, true]]],
    ['not:not:equal', { fact: 'x', operator: 'not:not:equal', value: 1 }, [[{ x: 1 }, true], [{ x: 2 }, false]]],
    ['swap:contains (the value is the list)', { fact: 'x', operator: 'swap:contains', value: ['a', 'b'] }, [[{ x: 'a' }, true], [{ x: 'c' }, false], [{}, false]]],
    ['swap:doesNotContain', { fact: 'x', operator: 'swap:doesNotContain', value: ['a', 'b'] }, [[{ x: 'a' }, false], [{ x: 'c' }, true], [{}, true]]],
    ['swap:in (the fact is the list)', { fact: 'l', operator: 'swap:in', value: 'a' }, [[{ l: ['a'] }, true], [{ l: ['b'] }, false]]],
    ['swap:lessThan (value < fact)', { fact: 'x', operator: 'swap:lessThan', value: 3 }, [[{ x: 4 }, true], [{ x: 3 }, false], [{}, false]]],
    ['swap:lessThan with a value that fails the number check', { fact: 'x', operator: 'swap:lessThan', value: true }, [[{ x: 4 }, false]]],
    ['swap:contains with a value that is not a list', { fact: 'x', operator: 'swap:contains', value: 3 }, [[{ x: 3 }, false], [{}, false]]],
    ['swap:someFact:equal (some value item equals the fact)', { fact: 'x', operator: 'swap:someFact:equal', value: [1, 2] }, [[{ x: 2 }, true], [{ x: 3 }, false], [{}, false]]],
    ['someFact:someValue:equal', { fact: 'l', operator: 'someFact:someValue:equal', value: [1, 2] }, [[{ l: [3, 2] }, true], [{ l: [3] }, false], [{}, false]]],
    ['everyFact:someValue:equal', { fact: 'l', operator: 'everyFact:someValue:equal', value: ['a', 'b'] }, [[{ l: ['a', 'b'] }, true], [{ l: ['a', 'c'] }, false], [{ l: [] }, true], [{}, false]]],
    ['everyFact:not:in', { fact: 'l', operator: 'everyFact:not:in', value: ['x'] }, [[{ l: ['a', 'b'] }, true], [{ l: ['a', 'x'] }, false], [{}, false]]],
    ['not:someFact:lessThan', { fact: 'l', operator: 'not:someFact:lessThan', value: 0 }, [[{ l: [1, 2] }, true], [{ l: [1, -1] }, false], [{}, true]]],
    ['someFact:lessThan a fact', { fact: 'l', operator: 'someFact:lessThan', value: { fact: 'y' } }, [[{ l: [3, -1], y: 0 }, true], [{ l: [3], y: 4 }, true], [{ l: [3], y: 2 }, false], [{ l: [3] }, false]]],
    ['everyFact:contains on a list of lists', { fact: 'l', operator: 'everyFact:contains', value: 'a' }, [[{ l: [['a'], ['b', 'a']] }, true], [{ l: [['a'], []] }, false], [{}, false]]],
    ['someFact on a path', { fact: 'u', path: '$.tags', operator: 'someFact:equal', value: 'a' }, [[{ u: { tags: ['a'] } }, true], [{ u: {} }, false], [{}, false]]],
    ['everyFact on a path', { fact: 'u', path: '$.tags', operator: 'everyFact:notEqual', value: 'a' }, [[{ u: { tags: ['b'] } }, true], [{ u: { tags: ['a'] } }, false], [{ u: {} }, false], [{}, false]]],
  ];
  it.each(cases)('%s', async (_, condition, samples) => {
    await check(condition, samples);
  });

  it('writes decorators as macros over the fact, or as || / && over the listed values', async () => {
    expect(await check({ fact: 'tags', operator: 'everyFact:in', value: { fact: 'valid' } }, [])).toContain('tags != null && tags.all(item, item in (valid ?? []))');
    expect(await check({ fact: 'l', operator: 'someFact:equal', value: 'a' }, [])).toContain('(l ?? []).exists(item, item == "a")');
    expect(await check({ fact: 'x', operator: 'someValue:equal', value: ['a', 'b'] }, [])).toContain('x == "a" || x == "b"');
    expect(await check({ fact: 'l', operator: 'someFact:someValue:equal', value: [1, 2] }, [])).toContain('(l ?? []).exists(item, item == 1 || item == 2)');
    expect(await check({ fact: 'x', operator: 'not:in', value: ['a'] }, [])).toContain('!((x ?? "") in ["a"])');
  });
});
