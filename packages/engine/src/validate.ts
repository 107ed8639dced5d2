/** Input validation with ajv (all errors), compiled once per ruleset. */
import type { JsonSchema } from '@verdict/language';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { DURATION_FORMAT } from './schema.ts';
import { parseDuration, parseTimestamp } from './time.ts';

export type Validator = (value: unknown) => Array<{ path: string; message: string }>;

/** `ownProperties`: test fields with `hasOwnProperty`, needed when a field is named like an `Object.prototype` member. */
export function newAjv(ownProperties = false): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false, ownProperties });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => parseTimestamp(s) !== null });
  ajv.addFormat(DURATION_FORMAT, { type: 'string', validate: (s: string) => parseDuration(s) !== null });
  return ajv;
}

/** Compile a schema; throws when the schema itself is invalid. */
export function makeValidator(ajv: Ajv2020, schema: JsonSchema, root = ''): Validator {
  // ajv tests `data.field !== undefined`: an absent `constructor` or `toString` field would be read
  // from the prototype. Own-property tests cost a little, so only schemas that need them get them.
  const validate: ValidateFunction = (namesPrototypeMember(schema) ? newAjv(true) : ajv).compile(schema);
  return (value) => {
    if (validate(value)) return [];
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

/** Whether any `properties` or `required` in the schema names an `Object.prototype` member. */
function namesPrototypeMember(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(namesPrototypeMember);
  if (schema === null || typeof schema !== 'object') return false;
  const node = schema as Record<string, unknown>;
  const props = node['properties'];
  if (props !== null && typeof props === 'object' && Object.keys(props).some((k) => k in Object.prototype)) return true;
  return Object.values(node).some(namesPrototypeMember);
}

/** "/service/tags/0" -> "service.tags[0]". */
function toPath(pointer: string, root: string): string {
  let path = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(seg) ? `[${seg}]` : path === '' ? seg : `.${seg}`;
  }
  return path;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

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
