/** Dotted paths before the cursor and the types they reach, for completion (no Monaco here, so it is unit-tested in Node). */
import type { Analysis, Type } from '@verdict/language';

function stripNullable(t: Type): Type {
  return t.kind === 'nullable' ? t.inner : t;
}

/** The record type reached by walking `path` (e.g. ["service", "sla"]) from the ruleset's names. */
export function typeOfPath(analysis: Analysis, path: string[], locals: ReadonlyMap<string, Type> = new Map()): Type | null {
  const [head, ...rest] = path;
  if (head === undefined) return null;
  const symbol = analysis.check.symbols.get(head);
  let type: Type | null = locals.get(head) ?? (symbol ? symbol.type : null);
  if (type === null) {
    const field = analysis.check.input.kind === 'record' ? analysis.check.input.fields.get(head) : undefined;
    type = field ? field.type : null;
  }
  for (const name of rest) {
    if (type === null) return null;
    const t = stripNullable(type);
    if (t.kind === 'record') type = t.fields.get(name)?.type ?? null;
    else if (t.kind === 'map') type = t.value;
    else return null;
  }
  return type === null ? null : stripNullable(type);
}

/** `service.sla?.` before the cursor -> ["service", "sla"]; null when the cursor is not after a dot. */
export function dottedPathBefore(text: string): { path: string[]; prefix: string } | null {
  const match = /((?:[A-Za-z_][A-Za-z0-9_]*\s*\??\.\s*)+)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(text);
  if (match === null) return null;
  // The char before the chain must not continue it (e.g. a number `1.`).
  const before = text[match.index - 1];
  if (before !== undefined && /[A-Za-z0-9_.\])"']/.test(before)) return null;
  const path = match[1]!.split(/\??\./).map((s) => s.trim()).filter((s) => s !== '');
  return { path, prefix: match[2] ?? '' };
}

/** The lets of the rule around `offset`, with their inferred types (they are not ruleset-level symbols). */
export function ruleLocals(analysis: Analysis, offset: number): Map<string, Type> {
  const locals = new Map<string, Type>();
  for (const decl of analysis.ast.decls) {
    if (decl.kind !== 'Rule' || offset < decl.span.start || offset > decl.span.end) continue;
    for (const local of decl.lets) {
      const type = analysis.check.types.get(local.value.id);
      if (type !== undefined) locals.set(local.name.name, type);
    }
  }
  return locals;
}

/** The call the cursor is inside (`round(x, |`): its name, the argument index, and whether it is in method form (`x.f(`). */
export function callBefore(text: string): { name: string; argument: number; method: boolean } | null {
  let depth = 0;
  let commas = 0;
  let quote: string | null = null;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote && text[i - 1] !== '\\') quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '[' || c === '{') {
      if (depth === 0) return null;
      depth--;
    } else if (c === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const match = /(\.\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(0, i));
      if (match === null) return null;
      return { name: match[2]!, argument: commas, method: match[1] !== undefined };
    } else if (c === ',' && depth === 0) commas++;
  }
  return null;
}
