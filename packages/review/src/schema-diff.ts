import { resolveType, type FieldDecl, type TypeExpr } from '@verdict/language';
import type { InputChange } from './model.ts';
import { sameMeaning, textOf } from './semantic-key.ts';

interface FlatField {
  field: FieldDecl;
  /** The field's own type with nested records reduced to `{…}` (their fields are compared as paths). */
  shape: string;
  source: string;
}

/** Flattens nested records into dotted paths; list elements that are records use `[]`. */
function flatten(fields: FieldDecl[], source: string, prefix = '', out = new Map<string, FlatField>()): Map<string, FlatField> {
  for (const field of fields) {
    const path = prefix + field.name;
    out.set(path, { field, shape: shapeOf(field.type), source });
    const record = recordInside(field.type);
    if (record !== null) flatten(record.fields, source, path + record.suffix + '.', out);
  }
  return out;
}

function recordInside(written: TypeExpr): { fields: FieldDecl[]; suffix: string } | null {
  const type = resolveType(written);
  if (type.kind === 'RecordType') return { fields: type.fields, suffix: '' };
  if (type.kind === 'ListType') {
    const inner = recordInside(type.element);
    return inner === null ? null : { fields: inner.fields, suffix: '[]' + inner.suffix };
  }
  if (type.kind === 'MapType') {
    const inner = recordInside(type.value);
    return inner === null ? null : { fields: inner.fields, suffix: '{}' + inner.suffix };
  }
  return null;
}

function shapeOf(written: TypeExpr): string {
  const type = resolveType(written);
  switch (type.kind) {
    case 'PrimitiveType':
      return type.name;
    case 'LiteralUnionType':
      return type.values.map((v) => JSON.stringify(v)).join(' | ');
    case 'ListType':
      return `list<${shapeOf(type.element)}>`;
    case 'MapType':
      return `map<${shapeOf(type.value)}>`;
    case 'RecordType':
      return '{…}';
    case 'ErrorType':
      return '?';
  }
}

/** Whether every value the old type admits is admitted by the new one. */
function widens(writtenBefore: TypeExpr, writtenAfter: TypeExpr): boolean {
  const before = resolveType(writtenBefore);
  const after = resolveType(writtenAfter);
  if (sameMeaning(before, after)) return true;
  if (after.kind === 'PrimitiveType' && after.name === 'any') return true;
  if (before.kind === 'LiteralUnionType' && after.kind === 'LiteralUnionType') {
    return before.values.every((v) => after.values.includes(v));
  }
  if (before.kind === 'LiteralUnionType' && after.kind === 'PrimitiveType') {
    return before.values.every((v) => typeof v === after.name);
  }
  if (before.kind === 'ListType' && after.kind === 'ListType') return widens(before.element, after.element);
  if (before.kind === 'MapType' && after.kind === 'MapType') return widens(before.value, after.value);
  // Records are compared field by field through their paths; closing an open record narrows it.
  return before.kind === 'RecordType' && after.kind === 'RecordType' && (before.rest === null || after.rest !== null);
}

/**
 * Input schema changes, each marked breaking when an input the old version
 * accepted may be refused by the new one (inputs are validated strictly:
 * unknown fields are refused, so removing a field is breaking too).
 */
export function diffInputSchemas(before: FieldDecl[], after: FieldDecl[], oldSource: string, newSource: string): InputChange[] {
  const oldFields = flatten(before, oldSource);
  const newFields = flatten(after, newSource);
  const changes: InputChange[] = [];
  for (const [path, now] of newFields) {
    const was = oldFields.get(path);
    if (was === undefined) {
      if (parentAdded(path, oldFields)) continue;
      changes.push({ path, change: 'added', from: null, to: describe(now), breaking: !now.field.optional });
      continue;
    }
    // The same literals in another order are the same type.
    if (was.shape !== now.shape && !(widens(was.field.type, now.field.type) && widens(now.field.type, was.field.type))) {
      changes.push({ path, change: 'type', from: was.shape, to: now.shape, breaking: !widens(was.field.type, now.field.type) });
    }
    if (was.field.optional !== now.field.optional) {
      changes.push({
        path,
        change: 'optionality',
        from: was.field.optional ? 'optional' : 'required',
        to: now.field.optional ? 'optional' : 'required',
        breaking: was.field.optional,
      });
    }
    if (!sameMeaning(was.field.where, now.field.where)) {
      changes.push({
        path,
        change: 'constraint',
        from: textOf(oldSource, was.field.where?.span),
        to: textOf(newSource, now.field.where?.span),
        // A new or changed constraint may refuse old inputs; dropping one never does.
        breaking: now.field.where !== null,
      });
    }
    if (was.field.sensitive !== now.field.sensitive) {
      const label = (sensitive: boolean): string => (sensitive ? 'sensitive' : 'not sensitive');
      changes.push({ path, change: 'sensitivity', from: label(was.field.sensitive), to: label(now.field.sensitive), breaking: false });
    }
  }
  for (const [path, was] of oldFields) {
    if (!newFields.has(path) && !parentRemoved(path, newFields)) {
      changes.push({ path, change: 'removed', from: describe(was), to: null, breaking: true });
    }
  }
  return changes;
}

/** An added or removed field as it is declared: `contact?: string`, records spelled out. */
function describe(f: FlatField): string {
  const where = textOf(f.source, f.field.where?.span);
  return `${fieldText(f.field)}${where === null ? '' : ` where ${where}`}`;
}

function fieldText(field: FieldDecl): string {
  return `${field.name}${field.optional ? '?' : ''}: ${typeText(field.type)}${field.sensitive ? ' sensitive' : ''}`;
}

function typeText(written: TypeExpr): string {
  const type = resolveType(written);
  if (type.kind === 'RecordType') return `{ ${[...type.fields.map(fieldText), ...(type.rest === null ? [] : ['...'])].join(', ')} }`;
  if (type.kind === 'ListType') return `list<${typeText(type.element)}>`;
  if (type.kind === 'MapType') return `map<${typeText(type.value)}>`;
  return shapeOf(type);
}

/** A field under a record that is itself new is reported once, at the record. */
function parentAdded(path: string, oldFields: Map<string, FlatField>): boolean {
  return ancestors(path).some((p) => !oldFields.has(p));
}

function parentRemoved(path: string, newFields: Map<string, FlatField>): boolean {
  return ancestors(path).some((p) => !newFields.has(p));
}

function ancestors(path: string): string[] {
  const parts = path.split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.').replace(/(\[\]|\{\})+$/, ''));
  return out;
}
