/** Input validation with ajv (all errors), compiled once per ruleset. */
import { DECIMAL_PATTERN, DURATION_PATTERN, TIMESTAMP_PATTERN, extendPath, type JsonSchema } from '@verdict/language';
import { DECIMAL_TEXT } from './money.ts';
import Ajv2020, { type CodeOptions, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { RE2JS } from 're2js';
import { patternCost } from './builtins/strings.ts';
import { compileQuickCheck, type QuickCheck } from './codegen/quick-check.ts';
import type { EvalState } from './context.ts';
import { DURATION_FORMAT } from './schema.ts';
import { parseDuration, parseTimestamp } from './time.ts';
import { isPrototypeName, type VError } from './values.ts';

export type Validator = (value: unknown) => Array<{ path: string; message: string }>;

/** The string formats the language's schemas use, for ajv and the quick check alike. */
const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => parseTimestamp(s) !== null,
  [DURATION_FORMAT]: (s) => parseDuration(s) !== null,
};

/**
 * ajv's `pattern` keyword through RE2, as `matches` is evaluated: linear time whatever the pattern
 * and the input (JavaScript's RegExp backtracks: `^(a+)+$` against 30 a's and a `!` ran a minute),
 * and the same answer as a rule that calls `matches`. A pattern RE2 cannot compile makes the
 * schema fail to compile (a compile diagnostic), never a silent fallback to RegExp.
 */
const re2Pattern: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string) => {
    const re = RE2JS.compile(pattern);
    // the language's own patterns of the time and decimal types are not `where` patterns: uncounted
    const counted = !Object.hasOwn(TIME_PATTERNS, pattern);
    return {
      test: (s: string) => {
        if (counted && meter !== null) {
          const spent = meter.charge(patternCost(pattern, s), -1);
          if (spent !== null) throw new ValidationSpent(spent);
        }
        return re.matcher(s).find();
      },
      toString: () => `re2:${pattern}`,
    };
  },
  { code: 're2js' },
);

/**
 * Thrown out of input validation when the evaluation's step budget is spent on it (a `where`
 * pattern, as `matches` is charged, or a `where` condition): the evaluation answers `limit_exceeded`.
 */
export class ValidationSpent extends Error {
  constructor(readonly error: VError) {
    super(error.message);
  }
}

/** The evaluation whose budget `where` patterns spend while validators run (none: uncounted). */
let meter: EvalState | null = null;

/**
 * From now on, `where` patterns are charged to `state` before each search: the size of the
 * pattern's RE2 program times (the text's length + 101), as `matches` is charged; once the budget is
 * spent, the search is not made and `ValidationSpent` is thrown. Returns the meter it replaces,
 * put back (by this same call) when the evaluation is over; null stops the counting.
 */
export function meterPatterns(state: EvalState | null): EvalState | null {
  const outer = meter;
  meter = state;
  return outer;
}

/**
 * The patterns of the time types, as the quick check tests them: the parsers accept exactly the
 * strings the patterns describe (the timestamp parser also refuses impossible dates, which the
 * `date-time` format beside its pattern refuses too), so a typed input need not wait for ajv.
 */
const TIME_PATTERNS: Record<string, (s: string) => boolean> = {
  [TIMESTAMP_PATTERN]: FORMATS['date-time']!,
  [DURATION_PATTERN]: FORMATS[DURATION_FORMAT]!,
  // a decimal's digits: the same expression as the pattern
  [DECIMAL_PATTERN]: (s) => DECIMAL_TEXT.test(s),
};

function addFormats(ajv: Ajv2020): Ajv2020 {
  for (const [name, validate] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

/**
 * The process's two ajv instances (with and without `ownProperties`), shared by every ruleset:
 * an instance compiles JSON Schema's meta-schema once, to check each schema it is given, and
 * that was a fixed cost of every compile while each ruleset had its own.
 */
const AJV_INSTANCES = new Map<boolean, Ajv2020>();

/** Compiles `schema` and drops it from ajv's cache, which would otherwise keep every ruleset's schema for good. */
function compileUncached(ajv: Ajv2020, schema: JsonSchema): ValidateFunction {
  const validate = ajv.compile(schema);
  ajv.removeSchema(schema as object);
  return validate;
}

/**
 * A ruleset's validators: ajv's (see AJV_INSTANCES) with the quick check in front. `ownProperties` tests fields with
 * `hasOwnProperty`, which a field named like an `Object.prototype` member needs (ajv otherwise
 * tests `data.field !== undefined` and reads the prototype's); it costs a little, so only schemas
 * that need it get it.
 */
export class Validators {
  private ajv(ownProperties: boolean): Ajv2020 {
    let ajv = AJV_INSTANCES.get(ownProperties);
    if (ajv === undefined) {
      // strictNumbers: NaN and ±Infinity (no JSON has them, but an embedding caller or a JSON -1e400
      // can) are not numbers to a ruleset; a NaN compared with `>` is false and a rule would pass
      ajv = addFormats(new Ajv2020({ allErrors: true, strict: false, strictNumbers: true, logger: false, ownProperties, code: { regExp: re2Pattern } }));
      AJV_INSTANCES.set(ownProperties, ajv);
    }
    return ajv;
  }

  /** Compile a schema; throws when the schema itself is invalid (see `ajvFor`). */
  compile(schema: JsonSchema, root = ''): Validator {
    const quick = compileQuickCheck(schema, FORMATS, TIME_PATTERNS);
    return reporter(this.ajvFor(schema, quick), quick, root);
  }

  /**
   * The quick check and ajv apart, for a caller that wants to know which one accepted a value
   * (the evaluator runs typed code after the quick check); throws when the schema is invalid.
   */
  compileParts(schema: JsonSchema): { quick: QuickCheck | null; validate: Validator } {
    const quick = compileQuickCheck(schema, FORMATS, TIME_PATTERNS);
    return { quick, validate: reporter(this.ajvFor(schema, quick), null, '') };
  }

  /**
   * ajv's validator of `schema`. With a quick check, valid values never reach ajv, and compiling
   * its code is most of a small ruleset's compile (10-18 ms of 19-27 for the admission example):
   * it is compiled when a value first fails the quick check. The schema is checked at once all the
   * same (cheap), so an invalid one still throws here.
   */
  private ajvFor(schema: JsonSchema, quick: QuickCheck | null): () => ValidateFunction {
    const ajv = this.ajv(namesPrototypeMember(schema));
    if (quick === null) {
      const validate = compileUncached(ajv, schema);
      return () => validate;
    }
    ajv.validateSchema(schema, true);
    let validate: ValidateFunction | null = null;
    return () => (validate ??= compileUncached(ajv, schema));
  }
}

/** What a valid value gets: one shared, frozen empty list (no allocation per decision). */
export const NO_PROBLEMS: Array<{ path: string; message: string }> = Object.freeze([]) as unknown as Array<{ path: string; message: string }>;

/** ajv's errors as paths and messages; `quick` (when the schema allows one) spares ajv the valid values. */
function reporter(ajvValidator: () => ValidateFunction, quick: QuickCheck | null, root: string): Validator {
  return (value) => {
    if (quick !== null && quick(value)) return NO_PROBLEMS;
    const validate = ajvValidator();
    if (validate(value)) return NO_PROBLEMS;
    const seen = new Set<string>();
    const out: Array<{ path: string; message: string }> = [];
    for (const err of validate.errors ?? []) {
      const detail = describe(err, root);
      const key = `${detail.path}\u0000${detail.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(detail);
    }
    return out;
  };
}

/** Whether any `properties` in the schema names an `Object.prototype` member. */
function namesPrototypeMember(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(namesPrototypeMember);
  if (schema === null || typeof schema !== 'object') return false;
  const node = schema as Record<string, unknown>;
  const props = node['properties'];
  if (props !== null && typeof props === 'object' && Object.keys(props).some(isPrototypeName)) return true;
  return Object.values(node).some(namesPrototypeMember);
}

/** "/service/tags/0" -> "service.tags[0]"; keys as they are, but one holding a `.` in backquotes (see `joinPath`). */
function toPath(pointer: string, root: string): string {
  let path = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(seg) ? `${path}[${seg}]` : extendPath(path, seg);
  }
  return path;
}

const join = extendPath;

function describe(err: ErrorObject, root: string): { path: string; message: string } {
  const at = toPath(err.instancePath, root);
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return { path: join(at, String(params['missingProperty'])), message: 'is required' };
    case 'additionalProperties':
      return { path: join(at, String(params['additionalProperty'])), message: 'is not a declared field' };
    case 'enum':
      return { path: at, message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path: at, message: err.message ?? `fails ${err.keyword}` };
  }
}
