/**
 * Quoted field names (`` `account-information` ``) where fields are declared, and `input.<field>`,
 * the way to read a top-level field whose name is not an identifier.
 */
import { describe, expect, it } from 'vitest';
import { analyze, format, inputJsonSchema, parse } from '../../src/index.ts';

const prelude = `ruleset t.quoted
input {
  \`account-information\`: {
    \`company-name\`: string
    \`tax id\`?: string where size(value) > 2
    ...
  }
  \`files.count\`?: number
  amount: number
}
decision deny > allow
`;

const rule = (condition: string) => `rule r {\n  severity high\n  deny when ${condition}\n  because "x"\n}\n`;

function diagnostics(body: string) {
  return analyze(prelude + body).diagnostics;
}

const codes = (body: string) => diagnostics(body).map((d) => `${d.code}${d.severity === 'warning' ? 'w' : ''}`);

describe('quoted field names in declarations', () => {
  it('parse in input, nested and open records, and type aliases', () => {
    const { ast, diagnostics: found } = parse(`${prelude}type Owner = { \`e-mail\`: string, ... }\n`);
    expect(found).toEqual([]);
    const input = ast.decls.find((d) => d.kind === 'Input')!;
    expect(input.kind === 'Input' && input.fields.map((f) => f.name)).toEqual(['account-information', 'files.count', 'amount']);
    const alias = ast.decls.find((d) => d.kind === 'TypeAlias')!;
    expect(alias.kind === 'TypeAlias' && alias.type.kind === 'RecordType' && alias.type.fields[0]!.name).toBe('e-mail');
  });

  it('key the input schema by the real names', () => {
    const schema = inputJsonSchema(parse(prelude).ast) as { properties: Record<string, { properties?: Record<string, unknown>; required?: string[] }>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['account-information', 'files.count', 'amount']);
    expect(schema.properties['account-information']!.required).toEqual(['company-name']);
    expect(schema.required).toEqual(['account-information', 'amount']);
  });

  it('format quoted only where the name is not an identifier, idempotently', () => {
    const source = 'ruleset t.q\ninput { `a-b`: { `c d`: string, `plain`: number }, `x`: number }\ndecision deny > allow\n';
    const once = format(source).text!;
    expect(once).toContain('`a-b`: { `c d`: string, plain: number }');
    expect(once).toContain('\n  x: number\n');
    expect(format(once).text).toBe(once);
  });
});

describe('input.<field> reads a top-level field', () => {
  it.each([
    ['a quoted path', rule('input.`account-information`.`company-name` == "x"')],
    ['a plain name through input', rule('input.amount > 1 && amount > 1')],
    ['has() of a nested quoted field guards its read', rule('has(input.`account-information`.`tax id`) && input.`account-information`.`tax id` == "t"')],
    ['has() of an optional top-level field guards its read', rule('has(input.`files.count`) && input.`files.count` > 2')],
    ['a null test guards it too', rule('input.`files.count` != null && input.`files.count` > 2')],
    ['a default', rule('(input.`files.count` ?? 0) > 2')],
    ['a template hole', 'rule r {\n  severity low\n  deny when amount > 1\n  because "for {input.`account-information`.`company-name`}"\n}\n'],
    ['a macro variable named like a field does not hide it', rule('[1].exists(amount, input.amount > amount)')],
    ['test inputs with quoted and string keys', `${rule('amount > 1')}test "t" {\n  input { \`account-information\`: { \`company-name\`: "x" }, "files.count": 1, amount: 3 }\n  expect deny by [r]\n}\n`],
  ])('%s', (_name, body) => {
    expect(codes(body)).toEqual([]);
  });

  it('types the read as the field and records the field as what it refers to', () => {
    const result = analyze(prelude + rule('input.`files.count` ?? 0 > 2'));
    const refs = [...result.check.references.values()].map((s) => `${s.kind}:${s.name}`);
    expect(refs).toContain('input:files.count');
  });

  it('an unguarded optional read is VD2005, with the path as written', () => {
    const [d] = diagnostics(rule('input.`files.count` > 2'));
    expect(d?.code).toBe('VD2005');
    expect(d?.message).toContain('input.`files.count`');
  });

  it('an unknown field is VD2002, its quick fix quoted', () => {
    const source = prelude + rule('input.`account-informaton`.`company-name` == "x"');
    const d = analyze(source).diagnostics.find((x) => x.code === 'VD2002')!;
    expect(d.message).toBe('`input` has no field `account-informaton`');
    expect(d.hint).toBe('did you mean `account-information`?');
    expect(source.slice(d.fix!.span.start, d.fix!.span.end)).toBe('`account-informaton`');
    expect(d.fix!.replacement).toBe('`account-information`');
  });

  it('bare `input` is not a value', () => {
    const [d] = diagnostics(rule('size(input) > 1'));
    expect(d?.code).toBe('VD2001');
    expect(d?.message).toBe('`input` is read one field at a time');
  });

  it('a name that is not an identifier is suggested through input', () => {
    const d = diagnostics(rule('account_information.`company-name` == "x"')).find((x) => x.code === 'VD2001')!;
    expect(d.fix?.replacement).toBe('input.`account-information`');
  });

  it('a field named `input` is what `input` names', () => {
    const source = 'ruleset t.q\ninput { input: { a: number }, a: string }\ndecision deny > allow\n' + rule('input.a > 1');
    expect(analyze(source).diagnostics).toEqual([]);
  });

  it('a const may not read the input through it', () => {
    expect(codes('const C = input.amount\n' + rule('amount > C'))).toContain('VD3006');
  });
});
