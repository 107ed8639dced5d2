/** `type` aliases and open records (`...`): parsing, checking and the JSON Schema they give. */
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { analyze, format, inputJsonSchema, parse, resolveType, VERDICT_KEYWORDS, type JsonSchema } from '../../src/index.ts';

const PRELUDE = `ruleset t.types
type Port = { containerPort: number where value > 0, protocol?: "TCP" | "UDP", ... }
type Container = {
  name: string
  image: string where value.matches("^[a-z]")
  ports?: list<Port>
  ...
}
input {
  kind: "Pod" | "Deployment"
  containers: list<Container>
  owner: { team: string }
  ...
}
decision deny > allow
`;

const rule = (condition: string) => `rule r {\n  severity high\n  deny when ${condition}\n  because "x"\n}\n`;

function codes(body: string, prelude = PRELUDE): string[] {
  return analyze(prelude + body).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

function validator(schema: JsonSchema): (v: unknown) => boolean {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addVocabulary([...VERDICT_KEYWORDS]);
  const validate = ajv.compile(schema);
  return (v) => validate(v) === true;
}

describe('type aliases', () => {
  it('resolve wherever they are used, before or after their declaration', () => {
    const { ast, diagnostics } = parse(`ruleset t\ninput { a: A, b: list<A> }\ntype A = { x: B }\ntype B = number\ndecision deny > allow\n`);
    expect(diagnostics).toEqual([]);
    const input = ast.decls.find((d) => d.kind === 'Input')!;
    const a = resolveType(input.fields[0]!.type);
    expect(a.kind).toBe('RecordType');
    if (a.kind !== 'RecordType') return;
    expect(resolveType(a.fields[0]!.type)).toMatchObject({ kind: 'PrimitiveType', name: 'number' });
  });

  it('type-check reads through the alias', () => {
    expect(codes(rule('containers.exists(c, c.image.endsWith(":latest"))'))).toEqual([]);
    expect(codes(rule('containers.exists(c, c.imag == "x")'))).toEqual(['VD2002']);
    expect(codes(rule('containers.exists(c, c.image > 1)'))).toEqual(['VD2004']);
  });

  it('an unknown type name is VD1008, with the alias hint', () => {
    const { diagnostics } = parse(`ruleset t\ninput { a: Contaner }\ndecision deny > allow\n`);
    expect(diagnostics.map((d) => d.code)).toEqual(['VD1008']);
    expect(diagnostics[0]!.hint).toContain('`type` aliases');
  });

  it('an alias that refers to itself is VD3050, and resolves to no type', () => {
    const source = `ruleset t\ntype Tree = { children: list<Tree> }\ntype A = B\ntype B = list<A>\ninput { t: Tree }\ndecision deny > allow\n`;
    const result = analyze(source);
    expect(result.diagnostics.filter((d) => d.code === 'VD3050').map((d) => d.message)).toEqual([
      'type `Tree` refers to itself: Tree -> Tree',
      'type `A` refers to itself: A -> B -> A',
      'type `B` refers to itself: B -> A -> B',
    ]);
    // the schema stays finite
    expect(JSON.stringify(inputJsonSchema(result.ast))).toContain('"t":{}');
  });

  it('an alias named like a built-in type is VD3051; two aliases of one name are VD3001', () => {
    expect(codes('', `ruleset t\ntype string = number\ninput { a: number }\ndecision deny > allow\n`)).toEqual(['VD3051']);
    expect(codes('', `ruleset t\ntype A = number\ntype A = string\ninput { a: A }\ndecision deny > allow\n`)).toEqual(['VD3001']);
  });

  it('`type` stays a name everywhere but `type Name =`', () => {
    const source = `ruleset t\ninput { type: string }\nlet t = type\ndecision deny > allow\n${rule('t == "x"')}`;
    expect(analyze(source).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a where inside an alias is checked once, at the alias', () => {
    const errors = analyze(`ruleset t\ntype P = { n: number where value.startsWith("x") }\ninput { a: P, b: list<P> }\ndecision deny > allow\n`).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['VD2008']);
  });

  it('params and outputs may be declared with an alias', () => {
    const body = `type Limits = { max: number, min: number }\nparam limits: Limits = { max: 10, min: 1 }\noutput bounds: Limits = limits\n${rule('size(containers) > limits.max')}`;
    expect(codes(body)).toEqual([]);
    expect(codes(`type Limits = { max: number }\nparam limits: Limits = { max: "ten" }\n${rule('size(containers) > limits.max')}`)).toEqual(['VD2003']);
  });

  it('the formatter prints aliases and `...` back', () => {
    const result = format(`ruleset t\ntype P = {a: number,...}\ninput {p: P, ...}\ndecision deny > allow\n`);
    expect(result.text).toBe(`ruleset t\n\ntype P = {\n  a: number\n  ...\n}\n\ninput {\n  p: P\n  ...\n}\n\ndecision deny > allow\n`);
  });
});

describe('open records', () => {
  it('reading an undeclared field of an open record is still an error', () => {
    expect(codes(rule('containers.exists(c, c.resources == "x")'))).toEqual(['VD2002']);
    expect(codes(rule('metadata == "x"'))).toEqual(['VD2001']);
  });

  it('a test input may carry undeclared fields where a record is open, not where it is closed', () => {
    const test = (input: string) => `${rule('kind == "Pod"')}test "t" {\n  input ${input}\n  expect deny\n}\n`;
    const containers = '[{ name: "a", image: "nginx", resources: {}, ports: [{ containerPort: 80, hostIP: "x" }] }]';
    expect(codes(test(`{ kind: "Pod", containers: ${containers}, owner: { team: "a" }, metadata: { name: "p" } }`))).toEqual([]);
    expect(codes(test(`{ kind: "Pod", containers: ${containers}, owner: { team: "a", email: "x" } }`))).toEqual(['VD3022']);
  });

  it('an open record is not assignable to a closed one with the same fields', () => {
    const body = `type Open = { a: number, ... }\ntype Closed = { a: number }\nparam o: Open = { a: 1 }\nlet c: Closed = o\n${rule('c.a > 1')}`;
    expect(codes(body)).toEqual(['VD2003']);
    const back = `type Open = { a: number, ... }\ntype Closed = { a: number }\nparam c: Closed = { a: 1 }\nlet o: Open = c\n${rule('o.a > 1')}`;
    expect(codes(back)).toEqual([]);
  });

  it('the JSON Schema allows other properties exactly where a record is open', () => {
    const schema = inputJsonSchema(analyze(PRELUDE).ast);
    expect(schema['additionalProperties']).toBe(true);
    const valid = validator(schema);
    const pod = { kind: 'Pod', containers: [{ name: 'a', image: 'nginx', resources: {}, ports: [{ containerPort: 80, hostIP: 'x' }] }], owner: { team: 'a' }, metadata: {} };
    expect(valid(pod)).toBe(true);
    // the closed nested record still refuses extras
    expect(valid({ ...pod, owner: { team: 'a', email: 'x' } })).toBe(false);
    // declared fields keep their types and wheres
    expect(valid({ ...pod, containers: [{ name: 'a', image: 'Nginx' }] })).toBe(false);
    expect(valid({ ...pod, containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 0 }] }] })).toBe(false);
    expect(valid({ ...pod, kind: 'Job' })).toBe(false);
    const { containers: _, ...missing } = pod;
    expect(valid(missing)).toBe(false);
  });

  it('an input without `...` stays closed', () => {
    const schema = inputJsonSchema(analyze(`ruleset t\ntype P = { a: number }\ninput { p: P }\ndecision deny > allow\n`).ast);
    const valid = validator(schema);
    expect(schema['additionalProperties']).toBe(false);
    expect(valid({ p: { a: 1 } })).toBe(true);
    expect(valid({ p: { a: 1 }, q: 1 })).toBe(false);
    expect(valid({ p: { a: 1, b: 2 } })).toBe(false);
    expect((schema['properties'] as Record<string, JsonSchema>)['p']!['title']).toBe('P');
  });
});
