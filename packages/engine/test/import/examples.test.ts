/** Rule sets in the style of json-rules-engine's documentation, run by both engines. */
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.ts';
import { importJsonRulesEngine } from '../../src/import/index.ts';

const fouledOut = {
  name: 'fouled out',
  conditions: {
    any: [
      { all: [{ fact: 'gameDuration', operator: 'equal', value: 40 }, { fact: 'personalFoulCount', operator: 'greaterThanInclusive', value: 5 }] },
      { all: [{ fact: 'gameDuration', operator: 'equal', value: 48 }, { fact: 'personalFoulCount', operator: 'greaterThanInclusive', value: 6 }] },
    ],
  },
  event: { type: 'fouledOut', params: { message: 'Player has fouled out!' } },
};

const employee = {
  name: 'microsoft employee',
  priority: 10,
  conditions: {
    all: [
      { fact: 'account', path: '$.company', operator: 'equal', value: 'microsoft' },
      { fact: 'account', path: '$.status', operator: 'in', value: ['active', 'paid-leave'] },
      { fact: 'account', path: '$.ptoDaysTaken', operator: 'doesNotContain', value: '2016-12-25' },
      { not: { fact: 'account', path: '$.history[0].action', operator: 'equal', value: 'terminated' } },
    ],
  },
  event: { type: 'microsoft-christmas-pto', params: { reason: 'worked on Christmas' } },
};

const inputs: Array<Record<string, unknown>> = [
  { gameDuration: 40, personalFoulCount: 6 },
  { gameDuration: 48, personalFoulCount: 5 },
  { gameDuration: 48, personalFoulCount: 6 },
  { personalFoulCount: 9 },
  { account: { company: 'microsoft', status: 'active', ptoDaysTaken: ['2016-12-24'], history: [], name: 'Lisa' } },
  { account: { company: 'microsoft', status: 'paid-leave', ptoDaysTaken: [], history: [{ action: 'terminated' }] } },
  { account: { company: 'microsoft', status: 'terminated', ptoDaysTaken: [] } },
  { account: { company: 'microsoft', status: 'active' }, gameDuration: 40, personalFoulCount: 5 },
];

describe('json-rules-engine import: documentation-style rules', () => {
  it('gives the same events as json-rules-engine', async () => {
    const imported = importJsonRulesEngine([fouledOut, employee], { origin: 'docs.json' });
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    expect(imported.outcomes).toEqual(['microsoft_christmas_pto', 'fouledOut', 'none']);
    const ruleset = compile(imported.source).ruleset!;
    const seen = new Set<string>();
    for (const input of inputs) {
      const engine = new Engine([fouledOut, employee], { allowUndefinedFacts: true });
      const { events } = await engine.run(structuredClone(input));
      const d = ruleset.evaluate(input);
      if (!d.ok) throw new Error(JSON.stringify(d.error));
      const ours = d.violations.map((v) => {
        const rule = imported.rules.find((r) => r.id === v.rule)!;
        return { type: rule.event.type, params: v.suggestion };
      });
      expect(ours.sort((a, b) => a.type.localeCompare(b.type)), JSON.stringify(input)).toEqual(events.map((e) => ({ type: e.type, params: e.params })).sort((a, b) => a.type.localeCompare(b.type)));
      for (const e of events) seen.add(e.type);
    }
    expect([...seen].sort()).toEqual(['fouledOut', 'microsoft-christmas-pto']);
  });
});
