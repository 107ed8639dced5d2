/**
 * Optional renaming of facts whose names are not Verdict identifiers
 * (`account-information` → `account_information`). Without it such facts are
 * quoted input fields (`` `account-information` ``) and the facts a service sends
 * are taken as they are; with it the input must use the new names, which the
 * mapping returned (and the header) lists.
 */
import { fieldText, isPlainName, uniqueName } from '../verdict-syntax.ts';
import { isRecordKey } from './infer.ts';
import type { Condition, FactRef, JreRule } from './model.ts';

function facts(c: Condition, out: Set<string>): void {
  if (c.kind === 'all' || c.kind === 'any') c.items.forEach((x) => facts(x, out));
  else if (c.kind === 'not') facts(c.item, out);
  else {
    out.add(c.left.fact);
    if (c.right.kind === 'ref') out.add(c.right.ref.fact);
  }
}

export const isFieldName = (fact: string): boolean => isPlainName(fact) && isRecordKey(fact);

/**
 * A fact that can be declared as an input field, quoted if need be. Not `input`: it names the
 * input document, through which facts that are not identifiers are read (`` input.`a-b` ``).
 */
export const canDeclare = (fact: string): boolean => fact !== 'input' && fieldText(fact) !== null && isRecordKey(fact);

/** Renames; returns the rules and the mapping (old → new) of renamed facts only. */
export function renameFacts(rules: JreRule[]): { rules: JreRule[]; renamed: Map<string, string> } {
  const all = new Set<string>();
  for (const r of rules) facts(r.conditions, all);
  const used = new Set([...all].filter(isFieldName));
  const renamed = new Map<string, string>();
  for (const f of all) if (!isFieldName(f)) renamed.set(f, uniqueName(f, 'fact', used));
  if (renamed.size === 0) return { rules, renamed };
  const ref = (r: FactRef): FactRef => ({ ...r, fact: renamed.get(r.fact) ?? r.fact });
  const walk = (c: Condition): Condition => {
    if (c.kind === 'all' || c.kind === 'any') return { ...c, items: c.items.map(walk) };
    if (c.kind === 'not') return { kind: 'not', item: walk(c.item) };
    return { ...c, left: ref(c.left), right: c.right.kind === 'ref' ? { kind: 'ref', ref: ref(c.right.ref) } : c.right };
  };
  return { rules: rules.map((r) => ({ ...r, conditions: walk(r.conditions) })), renamed };
}
