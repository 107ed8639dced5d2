/**
 * Reads json-rules-engine rules (one rule, an array of rules, or `{ rules: [...] }`)
 * into the checked model, following json-rules-engine 7.3's own rules for
 * what a rule is (see `Rule`, `Condition` and `Almanac` in its sources).
 * Every problem is collected; nothing throws.
 */
import { isJson, type Json } from '../verdict-syntax.ts';
import type { Condition, FactRef, ImportIssue, JreRule, Operand } from './model.ts';
import { constantProblem, parseOperator } from './operators.ts';
import { parsePath } from './path.ts';

export interface ReadResult {
  rules: JreRule[];
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

/** The shared conditions of the current read (one read at a time: reading is synchronous). */
let sharedConditions: SharedConditions = {};
const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Shared conditions by name (`engine.setCondition(name, condition)`), referenced as `{ "condition": name }`. */
export type SharedConditions = Readonly<Record<string, unknown>>;

export function readRules(document: unknown, shared: SharedConditions = {}): ReadResult {
  const out: ReadResult = { rules: [], errors: [], warnings: [] };
  sharedConditions = shared;
  let list: unknown[];
  if (Array.isArray(document)) list = document;
  else if (isObject(document) && Array.isArray(document['rules'])) list = document['rules'];
  else if (isObject(document) && (has(document, 'conditions') || has(document, 'event'))) list = [document];
  else {
    out.errors.push({ rule: '(input)', where: '', message: 'expected a rule object, an array of rules or { "rules": [...] }' });
    return out;
  }
  list.forEach((raw, i) => {
    const rule = readRule(raw, i + 1, out);
    if (rule !== null) out.rules.push(rule);
  });
  if (list.length === 0) out.errors.push({ rule: '(input)', where: '', message: 'no rules to import' });
  return out;
}

function readRule(raw: unknown, index: number, out: ReadResult): JreRule | null {
  const fallback = `rule #${index}`;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw) as unknown;
    } catch {
      out.errors.push({ rule: fallback, where: '', message: 'a string rule must be JSON' });
      return null;
    }
  }
  if (!isObject(raw)) {
    out.errors.push({ rule: fallback, where: '', message: 'a rule must be an object' });
    return null;
  }
  let name: string | null = null;
  const rawName = raw['name'];
  if (rawName !== undefined && rawName !== null && rawName !== '' && rawName !== false) {
    if (typeof rawName === 'string' || typeof rawName === 'number') name = String(rawName);
    else out.errors.push({ rule: fallback, where: 'name', message: 'a rule name must be a string or a number' });
  }
  const label = name === null ? fallback : `rule ${JSON.stringify(name)}`;
  const errorsBefore = out.errors.length;
  const issue = (where: string, message: string): void => void out.errors.push({ rule: label, where, message });

  // json-rules-engine: `options.priority || 1`, then parseInt; zero or less is refused.
  const rawPriority = raw['priority'] === undefined || raw['priority'] === null || raw['priority'] === 0 || raw['priority'] === '' ? 1 : raw['priority'];
  const priority = typeof rawPriority === 'number' || typeof rawPriority === 'string' ? parseInt(String(rawPriority), 10) : NaN;
  if (!(priority > 0)) issue('priority', `priority must be a positive integer, got ${JSON.stringify(rawPriority)}`);

  let event: JreRule['event'] = { type: 'unknown', params: null };
  const rawEvent = raw['event'];
  if (rawEvent !== undefined) {
    if (!isObject(rawEvent) || !has(rawEvent, 'type')) issue('event', 'an event must be an object with a "type"');
    else {
      const type = rawEvent['type'];
      if (typeof type !== 'string' && typeof type !== 'number') issue('event.type', 'an event type must be a string or a number');
      const params = rawEvent['params'];
      let eventParams: Record<string, Json> | null = null;
      if (params !== undefined && params !== null && params !== false) {
        if (!isObject(params) || !isJson(params)) issue('event.params', 'event params must be a JSON object');
        else {
          eventParams = params as Record<string, Json>;
          for (const [key, value] of Object.entries(eventParams)) {
            if (isObject(value) && has(value, 'fact')) {
              out.warnings.push({
                rule: label,
                where: `event.params.${key}`,
                message: `${JSON.stringify(value)} is a fact reference: with the engine option replaceFactsInEventParams json-rules-engine sends the fact's value; the import keeps the reference as written in the suggestion`,
              });
            }
          }
        }
      }
      event = { type: String(type), params: eventParams };
    }
  }
  for (const key of ['onSuccess', 'onFailure']) if (raw[key] !== undefined) out.warnings.push({ rule: label, where: key, message: `${key} callbacks are ignored` });

  const rawConditions = raw['conditions'];
  let conditions: Condition | null = null;
  if (!isObject(rawConditions)) issue('conditions', 'a rule needs "conditions" with "all", "any" or "not" at its root');
  else if (!['all', 'any', 'not', 'condition'].some((k) => has(rawConditions, k))) issue('conditions', '"conditions" root must contain "all", "any", "not" or "condition"');
  else conditions = readCondition(rawConditions, 'conditions', label, out);
  if (out.errors.length > errorsBefore || conditions === null) return null;
  return { index, name, priority, event, conditions };
}

/** Shared conditions being expanded, innermost last (a cycle is an error). */
const resolving: string[] = [];

function readCondition(raw: unknown, where: string, label: string, out: ReadResult): Condition | null {
  const issue = (w: string, message: string): null => {
    out.errors.push({ rule: label, where: w, message });
    return null;
  };
  if (!isObject(raw)) return issue(where, 'a condition must be an object');
  // Same precedence as json-rules-engine's Condition.booleanOperator: any, then all, then not.
  const booleans = (['any', 'all', 'not'] as const).filter((k) => has(raw, k));
  if (booleans.length > 0) {
    const op = booleans[0]!;
    if (booleans.length > 1) out.warnings.push({ rule: label, where, message: `"${booleans.join('", "')}" together: json-rules-engine uses only "${op}"` });
    const sub = raw[op];
    if (op === 'not') {
      if (Array.isArray(sub)) return issue(`${where}.not`, '"not" takes one condition, not an array');
      const item = readCondition(sub, `${where}.not`, label, out);
      return item === null ? null : { kind: 'not', item };
    }
    if (!Array.isArray(sub)) return issue(`${where}.${op}`, `"${op}" must be an array`);
    const items = sub.map((c, i) => readCondition(c, `${where}.${op}[${i}]`, label, out));
    if (!items.every((c) => c !== null)) return null;
    return op === 'all' ? { kind: 'all', items: items as Condition[] } : { kind: 'any', items: items as Condition[] };
  }
  if (has(raw, 'condition')) {
    // json-rules-engine replaces `{ condition: name }` by the condition `engine.setCondition(name, ...)` set
    const name = raw['condition'];
    if (typeof name !== 'string' || !has(sharedConditions, name)) {
      return issue(where, `condition reference ${JSON.stringify(name)} is not among the shared conditions: pass them with --conditions FILE (a JSON object of name to condition, as engine.setCondition takes them)`);
    }
    if (resolving.includes(name)) return issue(where, `shared condition ${JSON.stringify(name)} refers to itself (${[...resolving, name].join(' -> ')})`);
    resolving.push(name);
    try {
      return readCondition(sharedConditions[name], `${where} (condition ${JSON.stringify(name)})`, label, out);
    } finally {
      resolving.pop();
    }
  }
  for (const key of ['fact', 'operator', 'value']) if (!has(raw, key)) return issue(where, `a condition needs "${key}"`);
  const operator = raw['operator'];
  if (typeof operator !== 'string') return issue(`${where}.operator`, 'the operator must be a string');
  const parsed = parseOperator(operator);
  if (!parsed.ok) return issue(`${where}.operator`, parsed.message);
  if (raw['params'] !== undefined) out.warnings.push({ rule: label, where: `${where}.params`, message: 'fact params are ignored: imported facts are input data' });
  const left = readRef(raw['fact'], raw['path'], `${where}`, label, out);
  const right = readOperand(raw['value'], `${where}.value`, label, out);
  if (left === null || right === null) return null;
  const problem = constantProblem(parsed.decorators, parsed.operator, { kind: 'fact' }, right.kind === 'const' ? right : { kind: 'fact' });
  if (problem !== null) return issue(`${where}.value`, problem);
  return { kind: 'leaf', decorators: parsed.decorators, operator: parsed.operator, left, right };
}

function readRef(fact: unknown, path: unknown, where: string, label: string, out: ReadResult): FactRef | null {
  if (typeof fact !== 'string' || fact === '') {
    out.errors.push({ rule: label, where: `${where}.fact`, message: 'a fact must be a non-empty string' });
    return null;
  }
  if (path === undefined || path === null || path === '') return { fact, path: [] };
  if (typeof path !== 'string') {
    out.errors.push({ rule: label, where: `${where}.path`, message: 'a path must be a string' });
    return null;
  }
  const parsed = parsePath(path);
  if (!parsed.ok) {
    out.errors.push({ rule: label, where: `${where}.path`, message: parsed.message });
    return null;
  }
  return { fact, path: parsed.segments };
}

function readOperand(value: unknown, where: string, label: string, out: ReadResult): Operand | null {
  if (isObject(value) && has(value, 'fact')) {
    if (value['params'] !== undefined) out.warnings.push({ rule: label, where: `${where}.params`, message: 'fact params are ignored: imported facts are input data' });
    const ref = readRef(value['fact'], value['path'], where, label, out);
    return ref === null ? null : { kind: 'ref', ref };
  }
  if (!isJson(value)) {
    out.errors.push({ rule: label, where, message: 'the value must be JSON' });
    return null;
  }
  return { kind: 'const', value };
}
