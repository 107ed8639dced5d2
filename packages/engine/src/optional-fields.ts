/**
 * Which field reads read a field its record type declares optional (`sla?: { ... }`), by the
 * checker's types. Such a read gives null when the record leaves the field out, as an absent
 * optional top-level input field does (`ops.ts`, `optionalMember`): so `r.f == null` is true for
 * an absent `f`, and the guards the checker accepts (`r.f != null && r.f.g > 0`,
 * `r.f == null || ...`) hold at run time. Reads of maps and `any` keep CEL's `no_such_field`.
 */
import type { Expr, Type } from '@verdict/language';

/** The checker's type of each expression node, by id (`Analysis.check.types`). */
export type NodeTypes = ReadonlyMap<number, Type>;

/**
 * `r.f`, `r?.f` or `r["f"]` (a literal key) where the type of `r` is a record declaring `f`
 * optional. Without types (a standalone expression), no read is.
 */
export function readsOptionalField(e: Expr, types: NodeTypes | undefined): boolean {
  if (types === undefined) return false;
  let property: string;
  if (e.kind === 'Member') property = e.property;
  else if (e.kind === 'Index' && e.index.kind === 'String') property = e.index.value;
  else return false;
  let object = types.get(e.object.id);
  if (object?.kind === 'nullable') object = object.inner;
  return object?.kind === 'record' && object.fields.get(property)?.optional === true;
}
