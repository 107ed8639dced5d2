import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, format } from '@verdict/language';
import { compile } from '@verdict/engine';
import { runImport } from '../src/commands/import.ts';
import { UsageError, type CommandIO } from '../src/io.ts';
import { tempProject } from './helpers.ts';

async function run(argv: string[], cwd: string, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd, readStdin: async () => stdin };
  try {
    return { code: await runImport(argv, io), stdout, stderr };
  } catch (error) {
    // main() turns usage errors into exit 2.
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) return { code: 2, stdout, stderr: stderr + error.message };
    throw error;
  }
}

const rules = JSON.stringify([
  { name: 'adult', priority: 5, conditions: { all: [{ fact: 'age', operator: 'greaterThanInclusive', value: 18 }, { fact: 'user', path: '$.country', operator: 'in', value: ['FR', 'DE'] }] }, event: { type: 'allow', params: { tier: 'eu' } } },
  { conditions: { not: { fact: 'tags', operator: 'contains', value: 'blocked' } }, event: { type: 'review' } },
]);

describe('verdict import', () => {
  it('prints Verdict source that passes verdict check', async () => {
    const dir = tempProject({ 'rules.json': rules });
    const r = await run(['--from', 'json-rules-engine', 'rules.json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ruleset imported.rules');
    expect(r.stdout).toContain('decision allow > review > none');
    expect(analyze(r.stdout).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('writes -o with --name and reads standard input', async () => {
    const dir = tempProject({});
    const r = await run(['--from', 'json-rules-engine', '-', '--name', 'acme.age', '-o', 'out.policy'], dir, rules);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported 2 rules into out.policy');
    const text = readFileSync(join(dir, 'out.policy'), 'utf8');
    expect(text).toContain('ruleset acme.age');
    expect(text).toContain('(standard input)');
  });

  it('writes an open input by default (facts and fields no rule reads are accepted), closed with --records, in canonical format', async () => {
    const dir = tempProject({ 'rules.json': rules });
    const facts = { age: 20, user: { country: 'FR', name: 'Ann' }, tags: [], session: 'x' };
    const open = await run(['--from', 'json-rules-engine', 'rules.json'], dir);
    expect(format(open.stdout).text).toBe(open.stdout);
    const decision = compile(open.stdout).ruleset!.evaluate(facts);
    expect(decision.ok && decision.decision).toBe('allow');
    const closed = await run(['--from', 'json-rules-engine', 'rules.json', '--records'], dir);
    expect(closed.stdout).toMatch(/user\?: \{ country\?: string \}/);
    expect(format(closed.stdout).text).toBe(closed.stdout);
    expect(compile(closed.stdout).ruleset!.evaluate(facts).ok).toBe(false);
  });

  it('--help says what the import writes and names every option', async () => {
    const r = await run(['--help'], tempProject({}));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The input is open');
    for (const option of ['--conditions FILE', '--rename-facts', '--records', '--name NAME', '-o FILE']) expect(r.stdout).toContain(option);
  });

  it('keeps fact names that are not identifiers as quoted fields, and renames them with --rename-facts, warning on stderr', async () => {
    const dir = tempProject({ 'r.json': JSON.stringify({ conditions: { all: [{ fact: 'account-info', operator: 'equal', value: 1 }] }, event: { type: 'e' } }) });
    const kept = await run(['--from', 'json-rules-engine', 'r.json'], dir);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('`account-info`?: number');
    const d = compile(kept.stdout).ruleset!.evaluate({ 'account-info': 1, session: 'x' });
    expect(d.ok && d.violations.length).toBe(1);
    const r = await run(['--from', 'json-rules-engine', 'r.json', '--rename-facts'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('account_info?: number');
    expect(r.stderr).toContain('warning: (facts) at fact "account-info": renamed to the input field `account_info`');
  });

  it('exits 1 listing every unsupported feature', async () => {
    const bad = [{ name: 'x', conditions: { all: [{ condition: 'shared' }, { fact: 'a', operator: 'someFact:caseInsensitive:equal', value: 1 }] }, event: { type: 'e' } }];
    const dir = tempProject({ 'bad.json': JSON.stringify(bad), 'broken.json': '{ nope' });
    const r = await run(['--from', 'json-rules-engine', 'bad.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('2 problems');
    expect(r.stderr).toContain('rule "x" at conditions.all[0]: condition reference');
    expect(r.stderr).toContain('--conditions FILE');
    expect(r.stderr).toContain('--rename-facts');
    expect(r.stderr).toContain('custom operator decorator "caseInsensitive"');
    const broken = await run(['--from', 'json-rules-engine', 'broken.json'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('is not JSON');
  });

  it('is a usage error without --from, with another format, a missing file or no file', async () => {
    const dir = tempProject({ 'rules.json': rules });
    expect((await run(['rules.json'], dir)).code).toBe(2);
    expect((await run(['--from', 'drools', 'rules.json'], dir)).stderr).toContain('unknown format');
    expect((await run(['--from', 'json-rules-engine', 'missing.json'], dir)).code).toBe(2);
    expect((await run(['--from', 'json-rules-engine'], dir)).code).toBe(2);
  });

  it('--conditions FILE supplies the shared conditions a rule references', async () => {
    const rules = { name: 'adults', conditions: { all: [{ condition: 'adult' }] }, event: { type: 'ok' } };
    const dir = tempProject({ 'rules.json': JSON.stringify(rules), 'shared.json': JSON.stringify({ adult: { all: [{ fact: 'age', operator: 'greaterThanInclusive', value: 18 }] } }) });
    const without = await run(['--from', 'json-rules-engine', 'rules.json'], dir);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('pass them with --conditions FILE');
    const r = await run(['--from', 'json-rules-engine', 'rules.json', '--conditions', 'shared.json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('age');
    const bad = await run(['--from', 'json-rules-engine', 'rules.json', '--conditions', 'missing.json'], dir);
    expect(bad.code).toBe(2);
  });
});
