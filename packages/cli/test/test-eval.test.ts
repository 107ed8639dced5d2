import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runCli, tempProject } from './helpers.ts';

const repo = resolve(import.meta.dirname, '../../..');

const policy = `ruleset demo.limits
input {
  amount: number where value >= 0
  region: string
}
decision deny > allow
param limit: number = 100 where value > 0
rule too_big {
  severity high
  deny when region == "eu" && amount > limit
  because "amount {amount} is over {limit}"
}
test "small is allowed" {
  input { amount: 5, region: "eu" }
  expect allow by []
}
test "big is denied" {
  input { amount: 500, region: "eu" }
  expect deny by [too_big]
}
`;

describe('verdict test', () => {
  it('passes the reference rulesets with every rule seen firing and passing', async () => {
    const r = await runCli(['test', 'rulesets', '--coverage', '--min-coverage', '100'], repo);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed, coverage 100\.0%/);
    expect(r.code).toBe(0);
  });

  it('reports a failing expectation with its line and exits 1', async () => {
    const dir = tempProject({ 'p.policy': policy.replace('expect deny by [too_big]', 'expect allow') });
    const r = await runCli(['test', 'p.policy'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ big is denied');
    expect(r.stdout).toMatch(/p\.policy:17: expected decision `allow`, got `deny` \(fired: too_big\)/);
    expect(r.stdout).toContain('1 passed, 1 failed');
  });

  it('fails under --min-coverage and names the operand that never decided', async () => {
    // Only the `eu` branch is tested: `region == "eu"` is never seen false.
    const dir = tempProject({ 'p.policy': policy });
    const r = await runCli(['test', 'p.policy', '--min-coverage', '100'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('`region == "eu"` (in too_big) never decided its condition');
    expect(r.stdout).toMatch(/coverage 75\.0% is under the minimum 100%/);
  });

  it('refuses a --min-coverage that is not a percentage (empty included) as a usage error', async () => {
    const dir = tempProject({ 'p.policy': policy });
    for (const bad of ['', ' ', 'abc', '101', '1e9']) {
      const r = await runCli(['test', 'p.policy', '--min-coverage', bad], dir);
      expect(r.code, JSON.stringify(bad)).toBe(2);
      expect(r.stderr).toContain('--min-coverage is a percentage from 0 to 100');
    }
  });

  it('a file that does not compile has no coverage, and the run fails', async () => {
    const dir = tempProject({ 'p.policy': policy, 'broken.policy': policy.replace('ruleset demo.limits', 'ruleset demo.broken').replace('amount > limit', 'amount > limt') });
    const r = await runCli(['test', '.', '--coverage'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 file did not compile, no coverage (a file did not compile)');
    expect(r.stdout).not.toMatch(/, coverage \d/);
    const json = await runCli(['test', '.', '--format', 'json'], dir);
    expect((JSON.parse(json.stdout) as { coverage: unknown }).coverage).toBeNull();
    const minimum = await runCli(['test', '.', '--min-coverage', '0'], dir);
    expect(minimum.code).toBe(1);
  });

  it('emits JSON with per-rule coverage', async () => {
    const dir = tempProject({ 'p.policy': policy });
    const r = await runCli(['test', 'p.policy', '--format', 'json'], dir);
    const report = JSON.parse(r.stdout) as { passed: number; files: Array<{ coverage: { rules: Array<{ rule: string; fired: number; passed: number }> } }> };
    expect(report.passed).toBe(2);
    expect(report.files[0]!.coverage.rules).toEqual([{ rule: 'too_big', line: 8, fired: 1, passed: 1 }]);
  });
});

describe('verdict eval', () => {
  it('prints one decision per input line, an error object for a bad line, and goes on', async () => {
    const dir = tempProject({ 'p.policy': policy, 'in.jsonl': '{"amount": 500, "region": "eu"}\nnot json\n{"amount": -1, "region": "eu"}\n{"amount": 1, "region": "us"}\n' });
    const r = await runCli(['eval', 'p.policy', '--input', 'in.jsonl'], dir);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]!['decision']).toBe('deny');
    expect(lines[1]!['error']).toBeDefined();
    expect((lines[2]!['error'] as { code: string }).code).toBe('invalid_input');
    expect(lines[3]!['decision']).toBe('allow');
    expect(r.code).toBe(1);
  });

  it('applies --params and refuses a bad one by name', async () => {
    const dir = tempProject({ 'p.policy': policy, 'in.json': '{"amount": 50, "region": "eu"}', 'ok.json': '{"limit": 10}', 'bad.json': '{"limit": -5}' });
    const ok = await runCli(['eval', 'p.policy', '--input', 'in.json', '--params', 'ok.json'], dir);
    expect(JSON.parse(ok.stdout)['decision']).toBe('deny');
    const bad = await runCli(['eval', 'p.policy', '--input', 'in.json', '--params', 'bad.json'], dir);
    expect(bad.stdout).toContain('limit');
    expect(bad.code).toBe(1);
  });
});
