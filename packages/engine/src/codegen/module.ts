/**
 * One generated module per ruleset: every expression added becomes a
 * function in a single `new Function` body, built once after the whole
 * ruleset is compiled. Until `build()` (and for good if the host refuses
 * `new Function`, as a strict Content-Security-Policy does) each handle runs
 * the closure compiler's closure, so generation is an optimisation only.
 */
import type { Expr } from '@verdict/language';
import { COMPUTING, type Closure, type CompileEnv, type Ctx, type Locals } from '../compiler.ts';
import { conditionalTest, has, index, isFatal, isNullish, logicalRest, macroItems, member, binary, optionalIndex, optionalMember, typeError, unary } from '../ops.ts';
import { matchPattern } from '../table.ts';
import { VError, formatNumber, thrownError, toText, typeName, type Value } from '../values.ts';
import { Emitter, PRELUDE, Scope, jsString, type ModuleTables } from './emit.ts';
import { TypedEmitter } from './emit-typed.ts';
import type { RecordType } from './static-types.ts';

/** A compiled expression; `fn` becomes the generated function once the module is built. */
export interface FastHandle {
  fn: Closure;
}

/** Told of each rule whose condition gave anything but `false`, at once (before the next condition runs). */
export interface ScanSink {
  settle(rule: number, value: Value): unknown;
}

/**
 * Every rule's condition in declaration order, telling `sink` of each result that is not
 * `false` (a host exception becomes an error value, as in the generic loop).
 */
export type Scan = (ctx: Ctx, sink: ScanSink) => void;

/** Told of each message hole whose typed code failed (a limit): answers the text to put in its place. */
export interface MessageSink {
  holeFailed(rule: number, error: VError): string;
}

/** A rule's whole message in typed code, for inputs the quick check accepted; `rule` is the rule's position, for the sink. */
export type MessageText = (ctx: Ctx, sink: MessageSink, rule: number) => string;

/** The rule scan; `fn` stays null unless the module is built. */
export interface ScanHandle {
  fn: Scan | null;
  /** The same scan in typed code, for inputs the quick check accepted (null without input types). */
  typed: Scan | null;
}

/**
 * Above this many rules no scan is generated: one straight-line function per
 * ruleset pays off while V8 still optimises (and inlines into) it.
 */
export const MAX_SCAN_RULES = 256;

/** Typed code of all conditions up to this many characters is written inline in the typed scan. */
const MAX_INLINE_SCAN = 20_000;

/** The helpers generated code calls, by the names it uses. */
const RUNTIME = { VError, COMPUTING, formatNumber, matchPattern, binary, conditionalTest, has, index, isFatal, isNullish, logicalRest, macroItems, member, optionalIndex, optionalMember, thrownError, toText, typeError, typeName, unary };

export class FastModule {
  private readonly values: unknown[] = [];
  private readonly closures: Closure[] = [];
  private readonly builtins: unknown[] = [];
  private readonly functions: string[] = [];
  private readonly handles: FastHandle[] = [];
  private readonly emitter: Emitter;
  /** Emits typed code first where it can (null without input types). */
  private readonly typedEmitter: Emitter | null;
  /** Typed code alone (null without input types). */
  private readonly typed: TypedEmitter | null;
  /** Whole typed messages `m<i>`, and who wants each once built. */
  private readonly messages: Array<(fn: MessageText) => void> = [];
  /** What each handle was added from, for its typed twin. */
  private readonly sources = new Map<FastHandle, { expr: Expr; locals: Locals }>();
  /** Handles with a typed twin `g<position>`, and who wants it once built. */
  private readonly twins = new Map<FastHandle, { position: number; built: ((fn: Closure) => void) | undefined }>();
  private readonly listeners = new Map<FastHandle, (fn: Closure) => void>();
  private readonly positions = new Map<FastHandle, number>();
  /** Slots of the `let`s generated code reads, with a closure that reads each. */
  private readonly letReads = new Map<number, string>();
  /** Slots of the `let`s whose own expression was added, with its handle. */
  private readonly letValues = new Map<number, FastHandle>();
  private scan: { source: string; typed: string | null; handle: ScanHandle } | null = null;
  private hoisted = 0;

  /**
   * `env` is compiled against silently: its diagnostics were reported by the closure compiler.
   * With `input` (the input's record type), the rule scan also gets a typed twin.
   */
  constructor(env: CompileEnv, input: RecordType | null = null) {
    const tables: ModuleTables = {
      value: (v) => `K[${this.values.push(v) - 1}]`,
      closure: (c) => `C[${this.closures.push(c) - 1}]`,
      builtin: (fn) => `F[${this.builtins.push(fn) - 1}]`,
      hoist: (build) => {
        const name = `h${this.hoisted++}`;
        this.functions.push(build(name));
        return name;
      },
      letComputer: (slot, closure) => {
        if (!this.letReads.has(slot)) this.letReads.set(slot, tables.closure(closure));
        return `L${slot}`;
      },
    };
    const silent = { ...env, diagnostics: [] };
    this.emitter = new Emitter(silent, tables);
    this.typed = input === null ? null : new TypedEmitter(silent, tables, input);
    this.typedEmitter = this.typed === null ? null : new Emitter(silent, tables, this.typed);
  }

  /**
   * Adds `expr`, whose closure is `fallback`: the handle runs it until `build()`, which then hands
   * the generated function to `built` (so a compiled rule can swap it in).
   */
  add(expr: Expr, fallback: Closure, locals: Locals = new Map(), built?: (fn: Closure) => void): FastHandle {
    const handle: FastHandle = { fn: fallback };
    if (built) this.listeners.set(handle, built);
    this.sources.set(handle, { expr, locals });
    const scope = new Scope();
    const body = this.emitter.expr(expr, locals, scope);
    this.functions.push(`function f${this.handles.length}(ctx) {
  ${PRELUDE}
  ${scope.declaration()}
  return ${body};
}`);
    this.positions.set(handle, this.handles.length);
    this.handles.push(handle);
    return handle;
  }

  /** Adds `expr` as `add` does, and its typed twin (`addTypedTwin`), handed to `builtTyped`. */
  addWithTwin(expr: Expr, fallback: Closure, locals: Locals, built: (fn: Closure) => void, builtTyped: (fn: Closure) => void): FastHandle {
    const handle = this.add(expr, fallback, locals, built);
    this.addTypedTwin(handle, builtTyped);
    return handle;
  }

  /** Adds a `let`'s expression (as `add` does) and computes the let through it where generated code reads it. */
  addLet(slot: number, expr: Expr, fallback: Closure, locals: Locals = new Map()): FastHandle {
    const handle = this.add(expr, fallback, locals);
    this.letValues.set(slot, handle);
    return handle;
  }

  /**
   * The computers of the lets generated code reads: the let's generated function between marking
   * its slot computing and caching the value (what the closures' lazy slot does), or the read's
   * closure when the let's expression was not added.
   */
  private letComputers(): string {
    return [...this.letReads].map(([slot, closure]) => {
      const handle = this.letValues.get(slot);
      const position = handle === undefined ? undefined : this.positions.get(handle);
      if (position === undefined) return `function L${slot}(ctx) { return ${closure}(ctx); }`;
      return `function L${slot}(ctx) { const SL = ctx.slots; SL[${slot}] = COMPUTING; const v = f${position}(ctx); SL[${slot}] = v; return v; }`;
    }).join('\n');
  }

  /**
   * Adds the rule scan over `conditions` (each an added handle, or a closure for a rule
   * without one). Its call sites are each monomorphic, unlike the generic loop's one call
   * site for every rule, so V8 can inline the conditions; each result that is not `false` goes
   * to the caller's sink at once. Null when there are too many rules.
   */
  addScan(conditions: Array<FastHandle | Closure>): ScanHandle | null {
    if (conditions.length > MAX_SCAN_RULES) return null;
    const generic = conditions.map((c) => {
      const position = typeof c === 'function' ? undefined : this.positions.get(c);
      return position === undefined ? `C[${this.closures.push(c as Closure) - 1}](ctx)` : `f${position}(ctx)`;
    });
    const handle: ScanHandle = { fn: null, typed: null };
    this.scan = { handle, source: scanSource('scan', generic), typed: this.typedScan(conditions, generic) };
    return handle;
  }

  /**
   * The typed scan: each condition's typed code emitted once, then written inline in one function
   * when all of it is small (no call, and the context's fields loaded once), else as the bodies of
   * the conditions' typed twins, called in turn.
   */
  private typedScan(conditions: Array<FastHandle | Closure>, generic: string[]): string | null {
    if (this.typedEmitter === null) return null;
    const bodies = conditions.map((c) => (typeof c === 'function' ? null : this.typedBody(c)));
    if (bodies.reduce((n, b) => n + (b?.code.length ?? 0), 0) <= MAX_INLINE_SCAN) {
      // each condition's temporaries declared in its own block
      return scanSource('scanTyped', bodies.map((b, i) => (b === null ? (generic[i] as string) : b.code)), PRELUDE, bodies.map((b) => b?.declaration ?? ''));
    }
    const calls = conditions.map((c, i) => {
      const body = bodies[i];
      if (typeof c === 'function' || body === null || body === undefined) return generic[i] as string;
      this.addTypedTwin(c, undefined, body);
      const twin = this.twins.get(c);
      return twin === undefined ? (generic[i] as string) : `g${twin.position}(ctx)`;
    });
    return scanSource('scanTyped', calls);
  }

  /** `handle`'s expression in typed code, with the declaration of its own temporaries; null without input types. */
  private typedBody(handle: FastHandle): { code: string; declaration: string } | null {
    const source = this.sources.get(handle);
    if (source === undefined || this.typedEmitter === null) return null;
    const scope = new Scope();
    const code = this.typedEmitter.expr(source.expr, source.locals, scope);
    return { code, declaration: scope.declaration() };
  }

  /**
   * Adds the typed twin of `handle` (see `emit-typed.ts`): a function `g<i>` with the same
   * meaning on inputs the quick check accepted, handed to `built` once the module is built.
   * Nothing without input types. `body` is its typed code when already emitted.
   */
  addTypedTwin(handle: FastHandle, built?: (fn: Closure) => void, body?: { code: string; declaration: string }): void {
    const position = this.positions.get(handle);
    if (position === undefined || this.twins.has(handle)) return;
    const made = body ?? this.typedBody(handle);
    if (made === null) return;
    this.functions.push(`function g${position}(ctx) {
  ${PRELUDE}
  ${made.declaration}
  return ${made.code};
}`);
    this.twins.set(handle, { position, built });
  }

  /**
   * Adds a rule's message as one typed function (text parts and holes joined in order, each hole's
   * failure told to the sink in its place), handed to `built` once the module is built. False, and
   * nothing added, when a hole is not typed or the message has no hole.
   */
  addTypedMessage(parts: Array<string | Expr>, locals: Locals, built: (fn: MessageText) => void): boolean {
    if (this.typed === null || parts.every((p) => typeof p === 'string')) return false;
    const scope = new Scope();
    const pieces: string[] = [];
    let literal = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        literal += part;
        continue;
      }
      if (literal !== '') pieces.push(jsString(literal));
      literal = '';
      const text = this.typed.text(part, locals, scope, (v) => `sink.holeFailed(rule, ${v})`);
      if (text === null) return false;
      pieces.push(text);
    }
    if (literal !== '') pieces.push(jsString(literal));
    // a leading "" makes `+` join strings even when the first piece is a hole
    this.functions.push(`function m${this.messages.length}(ctx, sink, rule) {
  ${PRELUDE}
  ${scope.declaration()}
  return ${typeof parts[0] === 'string' && parts[0] !== '' ? '' : '"" + '}${pieces.join(' + ')};
}`);
    this.messages.push(built);
    return true;
  }

  /** Generates and binds every added function; false when the host refused generated code. */
  build(): boolean {
    const names = Object.keys(RUNTIME);
    const source = `"use strict";
const { ${names.join(', ')} } = R;
${this.functions.join('\n')}
${this.letComputers()}
${this.scan?.source ?? ''}
${this.scan?.typed ?? ''}
return [[${this.handles.map((_, i) => `f${i}`).join(', ')}], ${this.scan ? 'scan' : 'null'}, ${this.scan?.typed ? 'scanTyped' : 'null'}, [${[...this.twins.values()].map((t) => `g${t.position}`).join(', ')}], [${this.messages.map((_, i) => `m${i}`).join(', ')}]];`;
    let made: Closure[];
    let scan: Scan | null;
    let scanTyped: Scan | null;
    let twins: Closure[];
    let messages: MessageText[];
    try {
      [made, scan, scanTyped, twins, messages] = new Function('R', 'K', 'C', 'F', source)(RUNTIME, this.values, this.closures, this.builtins) as [Closure[], Scan | null, Scan | null, Closure[], MessageText[]];
    } catch {
      return false;
    }
    this.messages.forEach((built, i) => built(messages[i] as MessageText));
    [...this.twins.values()].forEach((twin, i) => twin.built?.(twins[i] as Closure));
    if (this.scan) {
      this.scan.handle.fn = scan;
      this.scan.handle.typed = scanTyped;
    }
    this.handles.forEach((h, i) => {
      h.fn = made[i] as Closure;
      this.listeners.get(h)?.(h.fn);
    });
    return true;
  }
}

/** A scan over the condition calls: each in its own try (a host exception becomes an error value), each result not `false` to the sink at once. */
function scanSource(name: string, calls: string[], prelude = '', declarations: string[] = []): string {
  const body = calls.map(
    (call, i) => `  try { ${declarations[i] ?? ''} v = ${call}; } catch (e) { v = thrownError(e, -1); }
  if (v !== false) sink.settle(${i}, v);`,
  );
  return `function ${name}(ctx, sink) {\n  ${prelude}\n  let v;\n${body.join('\n')}\n}`;
}
