import Ajv2020 from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Validators } from '../src/validate.ts';

/**
 * ajv's code for a schema with a quick check is made only when a value first fails the quick
 * check (compiling it was most of a small ruleset's compile), and the process's shared ajv
 * instances keep no ruleset's schema once its validator is made.
 */
const SCHEMA = {
  type: 'object',
  properties: { amount: { type: 'number' }, country: { type: 'string', minLength: 2 } },
  required: ['amount', 'country'],
  additionalProperties: false,
};

afterEach(() => vi.restoreAllMocks());

describe('input validators', () => {
  it('compile ajv only when a value fails the quick check, and report what ajv reports', () => {
    const compile = vi.spyOn(Ajv2020.prototype, 'compile');
    const validate = new Validators().compile(structuredClone(SCHEMA));
    expect(validate({ amount: 5, country: 'FR' })).toEqual([]);
    expect(compile).not.toHaveBeenCalled();
    expect(new Set(validate({ amount: 'x', country: 'FR', extra: 1 }).map((p) => `${p.path}: ${p.message}`))).toEqual(new Set(['amount: must be number', 'extra: is not a declared field']));
    expect(validate({ country: 'F' })).toHaveLength(2);
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it('still refuse an invalid schema when it is given, not at the first invalid value', () => {
    expect(() => new Validators().compile({ type: 'object', properties: { a: { type: 'no-such-type' } } })).toThrow();
  });

  it('let many rulesets compile the same schema object ($id included) without ajv keeping it', () => {
    const withId = { ...structuredClone(SCHEMA), $id: 'https://verdict.invalid/input' };
    for (let i = 0; i < 3; i++) {
      const validate = new Validators().compile(structuredClone(withId));
      expect(validate({ amount: 1 })).toEqual([{ path: 'country', message: 'is required' }]);
    }
  });
});
