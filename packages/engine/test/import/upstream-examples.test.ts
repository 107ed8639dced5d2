/**
 * json-rules-engine's own examples (examples/01-13 of its repository, transcribed
 * in upstream-examples.json with the commit they come from), imported and
 * evaluated on the facts as each example passes them, with the values of the
 * facts it computes at run time added as input. The fired events are compared
 * with json-rules-engine itself, set up as the example sets it up (its dynamic
 * facts, fact priorities, rule callbacks, custom almanac, engine options).
 */
import { readFileSync } from 'node:fs';
import { Almanac, Engine, Fact } from 'json-rules-engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyze, format } from '@verdict/language';
import { compile } from '../../src/index.ts';
import { formatImportIssue, importJsonRulesEngine, type ImportedRule } from '../../src/import/index.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Facts = Record<string, Json>;
interface Run {
  facts: Facts;
  /** Values of the facts the example computes during the run (dynamic facts, pipes). */
  resolved?: Facts;
  /** Facts a rule callback adds during the run (example 07). */
  chained?: Facts;
}
interface Stage {
  rules: Array<Record<string, Json>>;
  conditions?: Record<string, Json>;
  refused?: string;
  runs: Run[];
}
interface Example {
  id: string;
  file: string;
  stages: Stage[];
}
interface Fixture {
  source: { commit: string };
  clock: string;
  accountData: Record<string, Json>;
  examples: Example[];
}

const fixture = JSON.parse(readFileSync(new URL('./upstream-examples.json', import.meta.url), 'utf8')) as Fixture;
const accountData = fixture.accountData;
/** examples/support/account-api-client.js, without its console output. */
const getAccountInformation = async (accountId: unknown): Promise<unknown> => structuredClone(accountData[String(accountId)]);

type Almanacish = { factValue: (id: string, params?: Record<string, unknown>) => Promise<unknown> };

/** The example's own engine: its rules plus the facts, callbacks and options it sets up. */
function engineFor(id: string, rules: Array<Record<string, Json>>, conditions: Record<string, Json> = {}): { engine: Engine; runOptions: () => Record<string, unknown> } {
  const withCallbacks = rules.map((r) => ({ ...r })) as Array<Record<string, unknown>>;
  let runOptions = (): Record<string, unknown> => ({});
  if (id === '07') {
    // examples/07-rule-chaining.js: the drinks rule's callbacks add facts the invite rule reads.
    withCallbacks[0]!['onSuccess'] = async (_event: unknown, almanac: Almanac) => {
      almanac.addFact('screwdriverAficionado', true);
      const accountId = await almanac.factValue('accountId');
      almanac.addFact('accountInfo', await getAccountInformation(accountId));
    };
    withCallbacks[0]!['onFailure'] = (_event: unknown, almanac: Almanac) => {
      almanac.addFact('screwdriverAficionado', false);
    };
  }
  const engine = new Engine([], id === '11' ? { replaceFactsInEventParams: true } : {});
  // examples/10-condition-sharing.js: engine.setCondition before the rules that reference it.
  for (const [name, condition] of Object.entries(conditions)) engine.setCondition(name, condition as never);
  for (const rule of withCallbacks) engine.addRule(rule as never);
  const accountInformation = (_params: unknown, almanac: Almanacish) => almanac.factValue('accountId').then(getAccountInformation);
  switch (id) {
    case '03':
      engine.addFact('account-information', accountInformation as never);
      break;
    case '04':
      engine.addFact('account-information', accountInformation as never);
      engine.addFact('employee-tenure', ((params: { unit: string }, almanac: Almanacish) =>
        almanac.factValue('account-information').then((info) => {
          const created = new Date((info as { createdAt: string }).createdAt);
          const now = new Date();
          return params.unit === 'years' ? now.getFullYear() - created.getFullYear() : now.getTime() - created.getTime();
        })) as never);
      break;
    case '05':
      engine.addFact('account-information', accountInformation as never, { priority: 1 });
      engine.addFact('date', (() => Date.now()) as never, { priority: 100 });
      break;
    case '08':
      engine.addFact('account', ((params: { accountType: string }, almanac: Almanacish) =>
        almanac.factValue('accounts').then((accounts) => (accounts as Array<{ type: string }>).filter((a) => a.type === params.accountType)[0])) as never);
      engine.addFact('product', ((params: { productId: string }, almanac: Almanacish) =>
        almanac.factValue('products').then((products) => (products as Array<{ productId: string }>).filter((p) => p.productId === params.productId)[0])) as never);
      break;
    case '11': {
      // examples/11-using-facts-in-events.js: an in-memory high score, set from each highscore event.
      let currentHighScore: unknown = null;
      engine.addFact(new Fact('currentHighScore', () => currentHighScore));
      engine.on('success', (event) => {
        if (event.type === 'highscore') currentHighScore = event.params;
      });
      break;
    }
    case '12':
      // examples/12-using-custom-almanac.js: a PipedAlmanac runs a fact through the pipes its params name.
      runOptions = () => ({ almanac: pipedAlmanac() });
      break;
    case '13':
      engine.addFact('validTags', ['dev', 'staging', 'load', 'prod'] as never);
      break;
  }
  return { engine, runOptions };
}

function pipedAlmanac(): Almanac {
  class PipedAlmanac extends Almanac {
    pipes = new Map<string, (v: number) => number>([['addOne', (v) => v + 1]]);
    override factValue(factId: string, params?: Record<string, unknown>, path?: string): Promise<never> {
      let pipes: string[] = [];
      if (params !== undefined && 'pipes' in params && Array.isArray(params['pipes'])) {
        pipes = params['pipes'] as string[];
        delete params['pipes'];
      }
      return super.factValue(factId, params, path).then((value) => pipes.reduce((v, name) => this.pipes.get(name)?.(v as number) ?? v, value as unknown)) as Promise<never>;
    }
  }
  return new PipedAlmanac();
}

/** The params a rule passes with a fact (the first condition naming it), for reading its computed value. */
function paramsOf(rules: unknown, fact: string): Record<string, unknown> | undefined {
  if (Array.isArray(rules)) {
    for (const r of rules) {
      const p = paramsOf(r, fact);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (typeof rules !== 'object' || rules === null) return undefined;
  const c = rules as Record<string, unknown>;
  if (c['fact'] === fact && c['params'] !== undefined) return structuredClone(c['params']) as Record<string, unknown>;
  for (const v of Object.values(c)) {
    const p = paramsOf(v, fact);
    if (p !== undefined) return p;
  }
  return undefined;
}

interface Event {
  type: string;
  params: unknown;
}
const sorted = (events: Event[]): Event[] => [...events].sort((a, b) => a.type.localeCompare(b.type));

async function runJre(id: string, stage: Stage, run: Run): Promise<{ events: Event[]; almanac: Almanac }> {
  const { engine, runOptions } = engineFor(id, stage.rules, stage.conditions);
  const result = await engine.run(structuredClone(run.facts), runOptions());
  return { events: result.events.map((e) => ({ type: e.type, params: e.params ?? null })), almanac: result.almanac };
}

function imported(stage: Stage) {
  const r = importJsonRulesEngine(stage.rules, { origin: 'example.json', ...(stage.conditions === undefined ? {} : { conditions: stage.conditions }) });
  if (!r.ok) throw new Error(r.errors.map(formatImportIssue).join('\n'));
  expect(analyze(r.source).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(format(r.source).text, 'canonical format').toBe(r.source);
  const ruleset = compile(r.source).ruleset!;
  return { ...r, ruleset };
}

/** The events of the imported ruleset: each fired rule's json-rules-engine event type and params (its suggestion). */
function verdictEvents(r: ReturnType<typeof imported>, input: Facts): Event[] {
  const d = r.ruleset.evaluate(input);
  if (!d.ok) throw new Error(`input refused: ${JSON.stringify(d.error)}\n${JSON.stringify(input)}`);
  expect(d.errors).toEqual([]);
  return d.violations.map((v) => {
    const rule = r.rules.find((x) => x.id === v.rule) as ImportedRule;
    // The message keeps naming the json-rules-engine event.
    expect(v.message).toContain(`json-rules-engine event ${JSON.stringify(rule.event.type)}`);
    const params = v.suggestion === null ? null : Object.fromEntries(Object.entries(v.suggestion).map(([field, value]) => [rule.suggest[field] ?? field, value]));
    return { type: rule.event.type, params };
  });
}

const example = (id: string): Example => fixture.examples.find((e) => e.id === id)!;

describe(`json-rules-engine's examples 01-13 (commit ${fixture.source.commit.slice(0, 7)}) imported and run against json-rules-engine 7.3.1`, () => {
  // Examples 04 and 05 read the current date.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(fixture.clock));
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it('transcribes all thirteen examples', () => {
    expect(fixture.examples.map((e) => e.id)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13']);
  });

  const plain = ['01', '02', '03', '04', '05', '08', '09', '10', '12'];
  it.each(plain)('example %s: the same events, on the facts as passed (and the values the example computes)', async (id) => {
    const stage = example(id).stages[0]!;
    const r = imported(stage);
    for (const run of stage.runs) {
      const jre = await runJre(id, stage, run);
      // The values the fixture passes for computed facts are those json-rules-engine computed.
      for (const [fact, value] of Object.entries(run.resolved ?? {})) {
        expect(await jre.almanac.factValue(fact, paramsOf(stage.rules, fact)), `${id}: ${fact}`).toEqual(value);
      }
      const input = { ...run.facts, ...run.resolved };
      expect(sorted(verdictEvents(r, input)), `${id}: ${JSON.stringify(input)}`).toEqual(sorted(jre.events));
    }
  });

  it('the examples fire events (the comparison is not all "nothing fired")', async () => {
    const fired: string[] = [];
    for (const id of plain) {
      const stage = example(id).stages[0]!;
      for (const run of stage.runs) fired.push(...(await runJre(id, stage, run)).events.map((e) => e.type));
    }
    expect(new Set(fired)).toEqual(
      new Set(['message', 'fouledOut', 'microsoft-christmas-pto', 'microsoft-terminated-employees', 'five-year-tenure', 'customer-can-afford-gift-card', 'honor-roll', 'invite-to-screwdriver-social', 'invite-to-other-social', 'Over 21(ish)']),
    );
  });

  it('example 06 (custom operator) is refused with how to port it by hand', () => {
    const stage = example('06').stages[0]!;
    const r = importJsonRulesEngine(stage.rules);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.errors.map(formatImportIssue).join('\n');
    expect(text).toContain(stage.refused);
    expect(text).toContain('Port it by hand');
  });

  it('example 07 (rule chaining): the same events once the facts the callback adds are input; without them the chained rule does not fire', async () => {
    const stage = example('07').stages[0]!;
    const r = imported(stage);
    const missed: Event[] = [];
    for (const run of stage.runs) {
      const jre = await runJre('07', stage, run);
      for (const [fact, value] of Object.entries(run.chained ?? {})) expect(await jre.almanac.factValue(fact)).toEqual(value);
      expect(sorted(verdictEvents(r, { ...run.facts, ...run.chained }))).toEqual(sorted(jre.events));
      // Verdict rules do not add facts: on the facts as passed, what the callback enabled is missing.
      const alone = verdictEvents(r, run.facts);
      expect(alone.every((e) => jre.events.some((j) => j.type === e.type))).toBe(true);
      missed.push(...jre.events.filter((j) => !alone.some((e) => e.type === j.type)));
    }
    expect(missed).toEqual([{ type: 'invite-to-screwdriver-social', params: null }]);
  });

  it('example 11 (facts in events): the same event types; params written as fact references stay references', async () => {
    const stage = example('11').stages[0]!;
    const r = imported(stage);
    expect(r.warnings.filter((w) => w.message.includes('replaceFactsInEventParams'))).toHaveLength(4);
    // One engine for the three runs, as the example: its high score carries over.
    const { engine } = engineFor('11', stage.rules);
    const types: string[][] = [];
    for (const run of stage.runs) {
      const before = await engine.run(structuredClone(run.facts));
      expect(await before.almanac.factValue('currentHighScore')).toEqual(run.resolved!['currentHighScore']);
      const jreEvents = before.events.map((e) => ({ type: e.type, params: e.params ?? null }));
      const ours = verdictEvents(r, { ...run.facts, ...run.resolved });
      expect(ours.map((e) => e.type).sort()).toEqual(jreEvents.map((e) => e.type).sort());
      for (const e of ours) expect(e.params).toEqual(stage.rules.find((x) => (x['event'] as { type: string }).type === e.type)!['event']!['params' as never]);
      types.push(jreEvents.map((e) => e.type));
    }
    expect(types).toEqual([['highscore'], ['gameover'], ['highscore']]);
  });

  it('example 13 (operator decorators): everyFact:in imports and agrees; the custom decorator the example adds is refused', async () => {
    const [first, second] = example('13').stages as [Stage, Stage];
    const r = imported(first);
    expect(r.source).toContain('tags.all(item, item in (validTags ?? []))');
    for (const run of first.runs) {
      const jre = await runJre('13', first, run);
      expect(sorted(verdictEvents(r, { ...run.facts, ...run.resolved }))).toEqual(sorted(jre.events));
    }
    const refused = importJsonRulesEngine(second.rules);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.errors.map(formatImportIssue).join('\n')).toContain(second.refused);
  });
});
