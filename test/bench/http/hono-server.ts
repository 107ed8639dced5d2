/**
 * Child process: a bare Hono route computing the `marketplace.admission`
 * decision in hand-written JS (no auth, no validation, no log): the ceiling
 * for an HTTP policy service on this stack. Prints `{"url": ...}` once listening.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AdmissionInput } from '../peers/admission-inputs.ts';
import { admissionByHand } from '../peers/admission-js.ts';

const app = new Hono();
app.post('/evaluate', async (c) => c.json(admissionByHand((await c.req.json<{ input: AdmissionInput }>()).input)));

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
