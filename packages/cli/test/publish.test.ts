import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers.ts';

const source = 'ruleset demo.pub\n\ninput {\n  amount: number\n}\n\ndecision deny > allow\n\nrule big {\n  severity high\n  deny when amount > 10\n  because "too big"\n}\n';

describe('verdict publish', () => {
  it('is a usage error (exit 2) for an --expected-parent that is not a whole number from 1, before contacting the server', async () => {
    const dir = tempProject({ 'pub.policy': source });
    // port 9 (discard) on localhost: a request would fail with exit 1, so exit 2 shows nothing was sent
    for (const value of ['abc', '0', '-1', '1.5', '', '1e3', '99999999999999999999']) {
      const r = await runCli(['publish', 'pub.policy', '--server', 'http://127.0.0.1:9', '--key', 'vd_test_key_0123456789', '--expected-parent', value], dir);
      expect(r.code, `--expected-parent ${JSON.stringify(value)}`).toBe(2);
      expect(r.stderr).toContain('--expected-parent');
    }
  });

  it('accepts a whole --expected-parent and goes on to send the publish', async () => {
    const dir = tempProject({ 'pub.policy': source });
    const r = await runCli(['publish', 'pub.policy', '--server', 'http://127.0.0.1:9', '--key', 'vd_test_key_0123456789', '--expected-parent', '3'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach http://127.0.0.1:9');
  });
});
