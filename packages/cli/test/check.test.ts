import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers.ts';

const good = 'ruleset demo.ok\n\ninput {\n  amount: number\n}\n\ndecision deny > allow\n\nrule big {\n  severity high\n  deny when amount > 10\n  because "too big"\n}\n';

describe('verdict check', () => {
  it('exits 0 on a clean ruleset and says so', async () => {
    const dir = tempProject({ 'ok.policy': good });
    const r = await runCli(['check', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 errors, 0 warnings in 1 file');
  });

  it('prints file:line:col code message, the source line and a caret, and exits 1', async () => {
    const dir = tempProject({ 'rules/bad.policy': 'ruleset demo.bad\nrule r { deny when }\n', 'rules/ok.policy': good });
    const r = await runCli(['check', 'rules'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rules/bad.policy:2:20 VD1003');
    expect(r.stdout).toContain('2 | rule r { deny when }');
    expect(r.stdout).toMatch(/\|\s{20}\^/);
    expect(r.stdout).toContain('in 2 files');
  });

  it('reports JSON with --format json', async () => {
    const dir = tempProject({ 'bad.policy': 'ruleset demo.bad\nrule r { deny when }\n' });
    const r = await runCli(['check', '--format', 'json', 'bad.policy'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { errors: number; files: Array<{ file: string; diagnostics: Array<{ code: string; span: { line: number } }> }> };
    expect(report.errors).toBeGreaterThan(0);
    expect(report.files[0]?.diagnostics.some((d) => d.code === 'VD1003' && d.span.line === 2)).toBe(true);
  });

  it('is a usage error (exit 2) for a missing path or no path', async () => {
    const dir = tempProject({});
    expect((await runCli(['check', 'nope.policy'], dir)).code).toBe(2);
    const none = await runCli(['check'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: verdict check');
  });

  it('rejects an unknown command and unknown flags without crashing', async () => {
    const dir = tempProject({ 'ok.policy': good });
    expect((await runCli(['frobnicate'], dir)).code).toBe(2);
    const r = await runCli(['check', '--bogus', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bogus');
  });
});

describe('verdict schema', () => {
  it('prints the input JSON Schema of the named ruleset', async () => {
    const dir = tempProject({ 'ok.policy': good });
    const r = await runCli(['schema', 'ok.policy'], dir);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['type']).toBe('object');
  });

  it('prints the decision JSON Schema with --output: outcomes, rules and typed outputs', async () => {
    const withOutput = good.replace('decision deny > allow\n', 'decision deny > allow\n\noutput doubled = amount * 2\n');
    const dir = tempProject({ 'ok.policy': withOutput });
    const r = await runCli(['schema', 'ok.policy', '--output'], dir);
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout) as { title: string; properties: Record<string, Record<string, unknown>> };
    expect(schema.title).toBe('demo.ok decision');
    expect(schema.properties['decision']).toMatchObject({ enum: ['deny', 'allow'] });
    expect(schema.properties['outputs']).toMatchObject({ required: ['doubled'], properties: { doubled: { anyOf: [{ type: 'number' }, { type: 'null' }] } } });
    expect(JSON.stringify(schema.properties['violations'])).toContain('{"const":"big"}');
  });

  it('asks for --ruleset when a directory holds several', async () => {
    const dir = tempProject({ 'a.policy': good, 'b.policy': good.replace('demo.ok', 'demo.other') });
    const r = await runCli(['schema', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ruleset');
    expect((await runCli(['schema', '.', '--ruleset', 'demo.other'], dir)).code).toBe(0);
    expect((await runCli(['schema', '.', '--ruleset', 'nope'], dir)).stderr).toContain('no ruleset named `nope`');
  });
});

describe('verdict fmt --stdout', () => {
  it('prints the canonical text without touching the file (git textconv)', async () => {
    const messy = 'ruleset demo.ok\ninput { amount: number }\ndecision deny > allow\nrule big { severity high deny when amount > 10 because "too big" }\n';
    const dir = tempProject({ 'p.policy': messy });
    const r = await runCli(['fmt', '--stdout', 'p.policy'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rule big {\n  severity high\n  deny when amount > 10\n  because "too big"\n}\n');
    const again = await runCli(['fmt', '--stdout', 'p.policy'], dir);
    expect(again.stdout).toBe(r.stdout);
  });
});
