import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('prints each failing test of a tests_failed refusal, and sends --force with its reason', async () => {
    // A loopback server answering as the API does: 422 tests_failed without force, 201 with it.
    const bodies: Array<Record<string, unknown>> = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        bodies.push(body);
        res.setHeader('content-type', 'application/json');
        if (body['force'] === undefined) {
          res.statusCode = 422;
          res.end(JSON.stringify({ error: { code: 'tests_failed', message: '1 test of this version fail', details: [{ path: 'source', test: 'big is denied', line: 14, message: 'expected decision `deny`, got `allow`' }] } }));
        } else {
          res.statusCode = 201;
          res.end(JSON.stringify({ version: 4, created: true }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dir = tempProject({ 'pub.policy': source });
      const refused = await runCli(['publish', 'pub.policy', '--server', url, '--key', 'vd_test_key_0123456789'], dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe('422 tests_failed: 1 test of this version fail\n  test "big is denied" (line 14): expected decision `deny`, got `allow`\n');
      expect((await runCli(['publish', 'pub.policy', '--server', url, '--key', 'vd_test_key_0123456789', '--force', ' '], dir)).code).toBe(2);
      const forced = await runCli(['publish', 'pub.policy', '--server', url, '--key', 'vd_test_key_0123456789', '--force', 'hotfix, tests follow'], dir);
      expect([forced.code, forced.stdout]).toEqual([0, 'demo.pub version 4\n']);
      expect(bodies.map((b) => b['force'])).toEqual([undefined, { reason: 'hotfix, tests follow' }]);
    } finally {
      server.close();
    }
  });
});
