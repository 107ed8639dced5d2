/**
 * Reference interpreter: a plain tree walk with the same semantics as the
 * closure compiler (both share `ops.ts` and the builtins), kept for
 * differential tests. Names are looked up at run time, scope by scope.
 */
import { INPUT_ROOT, check, type Analysis, type Expr, type MemberExpr, type Ruleset, type TableDecl, type TablePattern, type TypeExpr } from '@verdict/language';
import { BUILTIN_IMPLS } from './builtins/index.ts';
import { EvalState } from './context.ts';
import { addMapEntry, binary, conditionalTest, has, index, isFatal, isNullish, logicalRest, macroEntries, macroItems, member, optionalIndex, optionalMember, runMacro, runPairMacro, unary, type MacroKind, type PairMacroKind } from './ops.ts';
import { readsOptionalField, type NodeTypes } from './optional-fields.ts';
import { converterFor } from './schema.ts';
import { matchPattern } from './table.ts';
import { VError, getOwn, missingUnlessNull, toText, type VMap, type Value } from './values.ts';

export interface InterpreterEnv {
  /** A global name's value, or undefined when unknown. */
  lookup(name: string): Value | undefined;
  /** A table by name, or undefined. */
  table?(name: string): ((args: Value[], node: number) => Value) | undefined;
  state: EvalState;
  /**
   * Where `input` names the input document (nothing declared or bound is called `input`): the
   * top-level fields `input.<field>` reads, as their names read them, and the input itself.
   */
  inputRoot?: { fields: ReadonlySet<string>; read(field: string): Value; input: VMap };
  /** The checker's types: a read of a field a record type declares optional gives null when absent. */
  types?: NodeTypes;
}

interface Scope {
  name: string;
  value: Value;
  parent: Scope | null;
}

export function interpret(expr: Expr, env: InterpreterEnv): Value {
  return walk(expr, null, env);
}

function lookup(scope: Scope | null, name: string): Scope | null {
  for (let s = scope; s; s = s.parent) if (s.name === name) return s;
  return null;
}

/** `input.f` for a top-level field `f`, with no macro variable named `input` in scope. */
function isRooted(e: MemberExpr, scope: Scope | null, env: InterpreterEnv): boolean {
  return env.inputRoot !== undefined && e.object.kind === 'Ident' && e.object.name === INPUT_ROOT && env.inputRoot.fields.has(e.property) && lookup(scope, INPUT_ROOT) === null;
}

function walk(e: Expr, scope: Scope | null, env: InterpreterEnv): Value {
  const id = e.id;
  switch (e.kind) {
    case 'Null':
      return null;
    case 'Bool':
    case 'Number':
    case 'String':
      return e.value;
    case 'Template': {
      let out = '';
      for (const p of e.parts) {
        if (typeof p === 'string') {
          out += p;
          continue;
        }
        const v = walk(p, scope, env);
        if (v instanceof VError) return v;
        out += toText(v);
      }
      return env.state.checkLength(out.length, id) ?? out;
    }
    case 'Ident': {
      const bound = lookup(scope, e.name);
      if (bound) return bound.value; // may be null: do not fall through to globals
      const v = env.lookup(e.name);
      return v === undefined ? new VError('unknown_name', `unknown name \`${e.name}\``, id) : v;
    }
    case 'List': {
      const out: Value[] = [];
      for (const item of e.items) {
        const v = walk(item, scope, env);
        if (v instanceof VError) return v;
        out.push(v);
      }
      return out;
    }
    case 'Map': {
      const out: VMap = {};
      for (const en of e.entries) {
        const key = walk(en.key, scope, env);
        if (key instanceof VError) return key;
        const value = walk(en.value, scope, env);
        if (value instanceof VError) return value;
        const bad = addMapEntry(out, key, value, id);
        if (bad) return bad;
      }
      return out;
    }
    case 'Member':
      if (isRooted(e, scope, env)) return env.inputRoot!.read(e.property);
      return (readsOptionalField(e, env.types) ? optionalMember : member)(walk(e.object, scope, env), e.property, e.optional, id);
    case 'Index': {
      const o = walk(e.object, scope, env);
      if (e.optional && isNullish(o)) return null;
      return (readsOptionalField(e, env.types) ? optionalIndex : index)(o, walk(e.index, scope, env), e.optional, id);
    }
    case 'Has':
      if (isRooted(e.target, scope, env)) return has(env.inputRoot!.input, e.target.property, id);
      return has(walk(e.target.object, scope, env), e.target.property, id);
    case 'Unary':
      return unary(e.op, walk(e.operand, scope, env), id);
    case 'Conditional': {
      const t = conditionalTest(walk(e.test, scope, env), id);
      if (t instanceof VError) return t;
      return walk(t ? e.consequent : e.alternate, scope, env);
    }
    case 'Binary': {
      const l = walk(e.left, scope, env);
      if (e.op === '&&' || e.op === '||') {
        const decisive = e.op === '||';
        if (l === decisive) return decisive;
        if (isFatal(l)) return l;
        return logicalRest(e.op, l, walk(e.right, scope, env), id);
      }
      if (e.op === '??') return isNullish(l) ? walk(e.right, scope, env) : l;
      if (l instanceof VError) return l;
      return binary(e.op, l, walk(e.right, scope, env), id, env.state);
    }
    case 'Call': {
      const args: Value[] = [];
      for (const a of e.target ? [e.target, ...e.args] : e.args) {
        const v = walk(a, scope, env);
        if (v instanceof VError) return v;
        args.push(v);
      }
      const table = env.table?.(e.callee);
      if (table) return env.state.step(id) ?? table(args, id);
      const impl = BUILTIN_IMPLS.get(e.callee);
      if (!impl) return new VError('unknown_function', `unknown function \`${e.callee}\``, id);
      if (args.length < impl.minArgs || args.length > impl.maxArgs) return new VError('type_error', `wrong number of arguments to \`${e.callee}\``, id);
      return env.state.step(id) ?? impl.fn(args, id, env.state);
    }
    case 'Macro': {
      const valueName = e.valueVariable;
      if (valueName !== null) {
        const entries = macroEntries(walk(e.target, scope, env), id);
        if (entries instanceof VError) return entries;
        const bindPair = (key: Value, value: Value): Scope => ({ name: valueName, value, parent: { name: e.variable, value: key, parent: scope } });
        const pairFilter = e.filter;
        return runPairMacro(
          e.macro as PairMacroKind,
          entries,
          pairFilter ? (key, value) => walk(pairFilter, bindPair(key, value), env) : null,
          (key, value) => walk(e.body, bindPair(key, value), env),
          id,
          env.state,
        );
      }
      const items = macroItems(walk(e.target, scope, env), id);
      if (items instanceof VError) return items;
      const bind = (item: Value): Scope => ({ name: e.variable, value: item, parent: scope });
      const filter = e.filter;
      return runMacro(
        e.macro as MacroKind,
        items,
        filter ? (item) => walk(filter, bind(item), env) : null,
        (item) => walk(e.body, bind(item), env),
        id,
        env.state,
      );
    }
    case 'ErrorExpr':
      return new VError('syntax_error', 'the expression did not parse', id);
  }
}

/** Convenience: interpret with plain bindings and fresh limits. */
export function interpretWith(expr: Expr, bindings: Record<string, unknown>, state = new EvalState({ maxSteps: 1_000_000, maxListLength: 100_000 })): Value {
  return interpret(expr, {
    state,
    lookup: (name) => (Object.hasOwn(bindings, name) ? (bindings[name] as Value) : undefined),
  });
}

// ---------------------------------------------------------------- whole rulesets

export interface ReferenceDecision {
  /** Rules that fired (condition true, or erred under `on error fire`), in order. */
  fired: string[];
  messages: string[];
  /** [rule or output name, error code] for failing conditions and outputs. */
  errors: Array<[string, string]>;
  outputs: Record<string, Value>;
}

/** The checker's types of a ruleset given as its AST alone (checked once per AST). */
const checkedTypes = new WeakMap<Ruleset, NodeTypes>();

function typesOf(source: Ruleset | Analysis): NodeTypes {
  if ('check' in source) return source.check.types;
  let types = checkedTypes.get(source);
  if (types === undefined) checkedTypes.set(source, (types = check(source).types));
  return types;
}

/**
 * Reference semantics of a whole ruleset (no index, no validation, no
 * scoring): names looked up at run time through nested environments. The
 * checker's types say which field reads read declared optional fields (null
 * when absent); given the AST alone, it is checked here.
 */
export function referenceDecide(source: Ruleset | Analysis, input: VMap, overrides: Record<string, Value> = {}, state = new EvalState({ maxSteps: 1_000_000, maxListLength: 100_000 })): ReferenceDecision {
  const ast = 'check' in source ? source.ast : source;
  const types = typesOf(source);
  const decls = ast.decls;
  const lets = new Map<string, Expr>();
  const consts = new Map<string, Expr>();
  const params = new Map<string, Expr>();
  const tables = new Map<string, TableDecl>();
  const inputs = new Set<string>();
  const optionalInputs = new Set<string>();
  // a time written as its string where the declared type says timestamp or duration
  const timeConverters = new Map<string, (v: Value) => Value>();
  const convertAs = (key: string, type: TypeExpr | null) => {
    const convert = type === null ? null : converterFor(type);
    if (convert !== null) timeConverters.set(key, convert);
  };
  for (const d of decls) {
    if (d.kind === 'Let') lets.set(d.name.name, d.value);
    else if (d.kind === 'Const') {
      consts.set(d.name.name, d.value);
      convertAs(`const:${d.name.name}`, d.type);
    } else if (d.kind === 'Param') {
      params.set(d.name.name, d.default);
      convertAs(`param:${d.name.name}`, d.type);
    }
    else if (d.kind === 'Table') tables.set(d.name.name, d);
    else if (d.kind === 'Input') for (const f of d.fields) (f.optional ? optionalInputs : inputs).add(f.name);
  }
  const cache = new Map<string, Value>();
  const lazy = (key: string, expr: Expr, env: InterpreterEnv): Value => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const computed = interpret(expr, env);
    const convert = timeConverters.get(key);
    const v = convert === undefined ? computed : convert(computed);
    cache.set(key, v);
    return v;
  };
  // tables being called: the checker refuses recursion (VD3040), and so does the reference
  const active = new Set<string>();
  const table = (name: string): ((args: Value[], node: number) => Value) | undefined => {
    const t = tables.get(name);
    if (!t) return undefined;
    return (args, node) => {
      if (active.has(name)) return new VError('cycle', `table \`${name}\` calls itself`, node);
      active.add(name);
      try {
        return callTable(t, name, args, node);
      } finally {
        active.delete(name);
      }
    };
  };
  const callTable = (t: TableDecl, name: string, args: Value[], node: number): Value => {
    {
      const local: InterpreterEnv = {
        state,
        types,
        table,
        ...(t.params.some((p) => p.name.name === INPUT_ROOT) ? {} : { inputRoot }),
        lookup: (n) => {
          const i = t.params.findIndex((p) => p.name.name === n);
          return i >= 0 ? args[i] : global.lookup(n);
        },
      };
      for (const row of t.rows) {
        if (!row.isElse) {
          let ok = true;
          for (let i = 0; i < row.patterns.length && ok; i++) {
            const p = row.patterns[i] as TablePattern;
            if (p.kind === 'Wildcard') continue;
            const m = matchPattern(p.kind, p.kind === 'ComparePattern' ? p.op : null, args[i] as Value, interpret(p.value, local), node, state);
            if (m instanceof VError) return m;
            ok = m;
          }
          if (!ok) continue;
          if (row.guard) {
            const g = interpret(row.guard, local);
            if (g instanceof VError) return g;
            if (g !== true) continue;
          }
        }
        return interpret(row.result, local);
      }
      return new VError('no_matching_row', `no row of table \`${name}\` matches`, node);
    }
  };
  const declared = [...lets.keys(), ...consts.keys(), ...params.keys(), ...tables.keys(), ...inputs, ...optionalInputs];
  const readInput = (name: string): Value => (inputs.has(name) ? (getOwn(input, name) ?? missingUnlessNull(input, name, -1)) : (getOwn(input, name) ?? null));
  const inputRoot = declared.includes(INPUT_ROOT) ? undefined : { fields: new Set([...inputs, ...optionalInputs]), read: readInput, input };
  const global: InterpreterEnv = {
    state,
    types,
    table,
    ...(inputRoot === undefined ? {} : { inputRoot }),
    lookup: (name) => {
      const l = lets.get(name);
      if (l) return lazy(`let:${name}`, l, global);
      if (params.has(name)) return Object.hasOwn(overrides, name) ? overrides[name] : lazy(`param:${name}`, params.get(name) as Expr, global);
      const c = consts.get(name);
      if (c) return lazy(`const:${name}`, c, global);
      if (inputs.has(name) || optionalInputs.has(name)) return readInput(name);
      return undefined;
    },
  };
  const policy = decls.find((d) => d.kind === 'ErrorPolicy')?.policy.name === 'skip' ? 'skip' : 'fire';
  const out: ReferenceDecision = { fired: [], messages: [], errors: [], outputs: {} };
  for (const d of decls) {
    if (d.kind !== 'Rule' || !d.condition) continue;
    const rule = d;
    const ruleEnv: InterpreterEnv = {
      state,
      types,
      table,
      ...(inputRoot === undefined || rule.lets.some((l) => l.name.name === INPUT_ROOT) ? {} : { inputRoot }),
      lookup: (name) => {
        const l = rule.lets.find((x) => x.name.name === name);
        return l ? lazy(`rule:${rule.name.name}:${name}`, l.value, ruleEnv) : global.lookup(name);
      },
    };
    const v = interpret(rule.condition as Expr, ruleEnv);
    const failed = v !== true && v !== false;
    if (failed) out.errors.push([rule.name.name, v instanceof VError ? v.code : 'type_error']);
    if (v === true || (failed && policy === 'fire')) {
      out.fired.push(rule.name.name);
      let text = rule.name.name;
      if (rule.message?.kind === 'Template') text = rule.message.parts.map((p) => (typeof p === 'string' ? p : toText(interpret(p, ruleEnv)))).join('');
      else if (rule.message) text = toText(interpret(rule.message, ruleEnv));
      if (failed) text += ` (error: ${v instanceof VError ? v.message : ''})`;
      out.messages.push(text);
    }
  }
  for (const d of decls) {
    if (d.kind !== 'Output') continue;
    const v = interpret(d.value, global);
    if (v instanceof VError) out.errors.push([d.name.name, v.code]);
    out.outputs[d.name.name] = v instanceof VError ? null : v;
  }
  return out;
}
