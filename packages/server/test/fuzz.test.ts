// A short run of the API fuzzer (the full 100,000-request run is scripts/fuzz-api.ts, see
// docs/fuzzing.md): requests generated from the OpenAPI document across every route and key,
// with hostile bodies, over real HTTP connections. Zero 5xx, zero dropped connections.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { startServer } from '../src/serve.ts';
import { generateRequests, prepareFuzz, runFuzz } from './fuzz/run.ts';
import { forEachDriver, SLOW, silentLogger, testConfig, uniqueName } from './harness.ts';

const REQUESTS = Number(process.env['VERDICT_FUZZ_REQUESTS'] ?? 1000);
const SEED = Number(process.env['VERDICT_FUZZ_SEED'] ?? 20261207);

forEachDriver('API fuzz', (ctx) => {
  it(
    `${REQUESTS} generated requests: no 5xx, no dropped connection`,
    async () => {
      const adminKey = `vd_fuzz_${randomBytes(12).toString('hex')}`;
      const server = await startServer(testConfig({ port: 0, adminKey }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      try {
        const fuzz = await prepareFuzz(server, ctx.store, adminKey, uniqueName('fuzz'));
        const requests = await generateRequests(server, fuzz, REQUESTS, SEED);
        const report = await runFuzz(server, requests, { concurrency: 4 });
        console.info(`API fuzz [${ctx.driver}]: ${JSON.stringify({ requests: report.requests, seconds: report.seconds, statuses: report.statuses, rss: report.rss })}`);
        expect(report.serverErrors, JSON.stringify(report.serverErrors, null, 1)).toEqual([]);
        expect(report.dropped, JSON.stringify(report.dropped, null, 1)).toEqual([]);
        expect(report.requests).toBe(REQUESTS);
        // every route was reached, and bad input was answered as such
        expect(Object.keys(report.statuses).length).toBeGreaterThan(5);
      } finally {
        await server.close();
      }
    },
    SLOW,
  );
});
