// startServer: the rulesets directory is published onto production at start (a
// no-op on restart), and a graceful shutdown under load loses no decision: every
// 200 answered before or during close() has its row in the decision log afterwards.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { expect, it } from 'vitest';
import { startServer } from '../src/serve.ts';
import { forEachDriver, SLOW, silentLogger, testConfig, uniqueName } from './harness.ts';
import { brokenPolicy, input, policy } from './policies.ts';

forEachDriver('startServer: startup and graceful shutdown', (ctx) => {
  it(
    'publishes the rulesets directory onto production at start, skipping what does not compile, and republishes nothing on restart',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'verdict-rulesets-'));
      const name = uniqueName('dir');
      const broken = uniqueName('broken');
      mkdirSync(join(dir, 'family'));
      writeFileSync(join(dir, 'family', 'one.policy'), policy(name, { limit: 10 }));
      writeFileSync(join(dir, 'broken.policy'), brokenPolicy(broken));
      writeFileSync(join(dir, 'notes.txt'), 'not a policy');
      const adminKey = `vd_dir_${randomBytes(12).toString('hex')}`;
      try {
        for (const round of [1, 2]) {
          const server = await startServer(testConfig({ port: 0, adminKey, rulesetsDir: dir }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
          try {
            expect(server.generatedAdminKey).toBeNull();
            const res = await fetch(`${server.url}/v1/rulesets/${name}/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ input: input(50) }) });
            expect(res.status, `round ${round}`).toBe(200);
            expect(await res.json()).toMatchObject({ decision: 'deny', version: 1, channel: 'production' });
          } finally {
            await server.close();
          }
          expect((await ctx.store.listVersions(name)).map((v) => v.version)).toEqual([1]);
          expect((await ctx.store.channelHistory(name, 'production')).map((s) => s.revision)).toEqual([1]);
          expect(await ctx.store.latestVersion(broken)).toBeNull();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    'drains the decision log: every answered decision is logged',
    async () => {
      const adminKey = `vd_shutdown_${randomBytes(12).toString('hex')}`;
      const server = await startServer(testConfig({ port: 0, adminKey }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      const name = uniqueName('drain');
      const call = (path: string, method: string, body: unknown) =>
        fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` }, body: JSON.stringify(body) });
      expect((await call(`/v1/rulesets/${name}/versions`, 'POST', { source: policy(name) })).status).toBe(201);
      expect((await call(`/v1/rulesets/${name}/channels/production`, 'PUT', { version: 1 })).status).toBe(200);

      const total = 400;
      const answered: string[] = [];
      let failed = 0;
      let closing: Promise<void> | null = null;
      const one = async (i: number) => {
        try {
          const res = await call(`/v1/rulesets/${name}/evaluate`, 'POST', { input: input((i % 200) + 1) });
          const body = (await res.json()) as { decision_id?: string };
          if (res.status === 200) answered.push(body.decision_id!);
          else expect(res.status, JSON.stringify(body)).toBeLessThan(500);
        } catch {
          failed++; // connections the server had not accepted yet are refused once it stops listening
        }
        // close mid-load, once a quarter of the requests have been answered
        if (closing === null && answered.length >= total / 4) closing = server.close();
      };
      await Promise.all(Array.from({ length: total }, (_, i) => one(i)));
      expect(closing, 'close() was called under load').not.toBeNull();
      await closing;

      expect(answered.length).toBeGreaterThanOrEqual(total / 4);
      expect(answered.length + failed).toBeLessThanOrEqual(total);
      const logged = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await ctx.store.queryDecisions({ ruleset: name, limit: 1000, ...(cursor ? { cursor } : {}) });
        for (const d of page.items) logged.add(d.id);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      const missing = answered.filter((id) => !logged.has(id));
      expect(missing, `${missing.length} of ${answered.length} answered decisions are not in the log`).toEqual([]);
      expect(logged.size).toBe(answered.length);
      expect(await ctx.store.verifyChain()).toMatchObject({ ok: true });
    },
    SLOW,
  );

  it(
    'ends open event streams cleanly on close',
    async () => {
      const adminKey = `vd_sse_${randomBytes(12).toString('hex')}`;
      const server = await startServer(testConfig({ port: 0, adminKey }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      const res = await fetch(`${server.url}/v1/events`, { headers: { authorization: `Bearer ${adminKey}` } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('event: ready');
      const closing = server.close();
      // the stream ends (done), rather than being cut off when connections are finally forced closed
      let done = false;
      while (!done) done = (await reader.read()).done;
      await closing;
      expect(server.services.events.size).toBe(0);
    },
    SLOW,
  );

  it(
    'answers a request sent on an idle keep-alive connection as close() begins, with Connection: close',
    async () => {
      const adminKey = `vd_shutdown_${randomBytes(12).toString('hex')}`;
      const server = await startServer(testConfig({ port: 0, adminKey }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      const name = uniqueName('keepalive');
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };
      expect((await fetch(`${server.url}/v1/rulesets/${name}/versions`, { method: 'POST', headers, body: JSON.stringify({ source: policy(name) }) })).status).toBe(201);
      expect((await fetch(`${server.url}/v1/rulesets/${name}/channels/production`, { method: 'PUT', headers, body: JSON.stringify({ version: 1 }) })).status).toBe(200);

      const socket = connect(server.port, '127.0.0.1');
      await new Promise<void>((done, fail) => socket.once('connect', () => done()).once('error', fail));
      const reader = responses(socket);
      const request = () => {
        const body = JSON.stringify({ input: input(5) });
        socket.write(`POST /v1/rulesets/${name}/evaluate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer ${adminKey}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      };
      request();
      const first = await reader.next();
      expect(first.status).toBe(200);
      expect(first.headers['connection'] ?? 'keep-alive').not.toBe('close');

      const closing = server.close();
      request(); // on the now idle connection, after the listener closed
      const second = await reader.next();
      expect(second.status).toBe(200);
      expect(second.headers['connection']).toBe('close');
      await closing;
      socket.destroy();

      const ids = [first, second].map((r) => (JSON.parse(r.body) as { decision_id: string }).decision_id);
      const logged = await ctx.store.queryDecisions({ ruleset: name, limit: 100 });
      expect(logged.items.map((d) => d.id).sort()).toEqual(ids.sort());
    },
    SLOW,
  );
});

forEachDriver('startServer: requests the HTTP parser refuses', (ctx) => {
  it(
    'answers them with the structured JSON error and closes the connection',
    async () => {
      const server = await startServer(testConfig({ port: 0, adminKey: `vd_parser_${randomBytes(12).toString('hex')}` }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      try {
        const cases: Array<[string, string, number, string]> = [
          ['a 20 KB path', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 431, 'header_too_large'],
          ['content-length: abc', 'POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n', 400, 'bad_request'],
          ['no HTTP at all', 'HELLO\r\n\r\n', 400, 'bad_request'],
        ];
        for (const [what, request, status, code] of cases) {
          const response = await rawExchange(server.port, request);
          expect(response.status, what).toBe(status);
          expect(response.headers['content-type'], what).toBe('application/json');
          expect(response.headers['connection'], what).toBe('close');
          expect(Number(response.headers['content-length']), what).toBe(Buffer.byteLength(response.body));
          expect(JSON.parse(response.body), what).toEqual({ error: { code, message: expect.any(String), details: [] } });
        }
        // an answer to HEAD has no body, nor has one whose method is not known (the request line came in an earlier read)
        const head = await rawExchange(server.port, `HEAD /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
        expect(head).toMatchObject({ status: 431, body: '', headers: { 'content-length': '0', connection: 'close' } });
        const headBad = await rawExchange(server.port, 'HEAD /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n');
        expect(headBad).toMatchObject({ status: 400, body: '' });
        const split = await rawExchange(server.port, ['GET /healthz HTTP/1.1\r\nHost: localhost\r\n', `X-Big: ${'b'.repeat(20_000)}\r\n\r\n`]);
        expect(split).toMatchObject({ status: 431, body: '' });
        // the server still answers well-formed requests
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        expect(await (await fetch(`${server.url}/healthz`, { method: 'HEAD' })).text()).toBe('');
        expect(await (await fetch(`${server.url}/v1/nothing-here`, { method: 'HEAD' })).text()).toBe('');
      } finally {
        await server.close();
      }
    },
    SLOW,
  );
});

forEachDriver('startServer: restarts keep what operators changed', (ctx) => {
  it(
    'leaves production where it was moved when the rulesets file is unchanged, and moves it when the file publishes a new version',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'verdict-rulesets-'));
      const name = uniqueName('promoted');
      const file = join(dir, 'one.policy');
      writeFileSync(file, policy(name, { limit: 10 }));
      const adminKey = `vd_restart_${randomBytes(12).toString('hex')}`;
      const start = () => startServer(testConfig({ port: 0, adminKey, rulesetsDir: dir }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      const production = async () => (await ctx.store.getChannel(name, 'production'))?.version;
      try {
        const first = await start();
        try {
          expect(await production()).toBe(1);
          const headers = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };
          expect((await fetch(`${first.url}/v1/rulesets/${name}/versions`, { method: 'POST', headers, body: JSON.stringify({ source: policy(name, { limit: 20 }) }) })).status).toBe(201);
          expect((await fetch(`${first.url}/v1/rulesets/${name}/channels/production`, { method: 'PUT', headers, body: JSON.stringify({ version: 2 }) })).status).toBe(200);
        } finally {
          await first.close();
        }

        await (await start()).close();
        expect(await production(), 'an unchanged file leaves the promotion in place').toBe(2);
        expect((await ctx.store.channelHistory(name, 'production')).map((s) => s.revision)).toEqual([2, 1]);

        writeFileSync(file, policy(name, { limit: 30 }));
        await (await start()).close();
        expect(await production(), 'a changed file is a new version, put on production').toBe(3);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    'keeps a revoked VERDICT_ADMIN_KEY revoked on the next start, with a warning',
    async () => {
      const adminKey = `vd_revoked_${randomBytes(12).toString('hex')}`;
      const first = await startServer(testConfig({ port: 0, adminKey }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      const bootstrap = await ctx.store.findApiKey(adminKey);
      try {
        expect(bootstrap).not.toBeNull();
        const revoked = await fetch(`${first.url}/v1/keys/${bootstrap!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ctx.t.keys.admin}` } });
        expect(revoked.status, await revoked.text()).toBeLessThan(300);
      } finally {
        await first.close();
      }
      const keysBefore = (await ctx.store.listApiKeys()).length;

      const logged: Array<{ level: number; msg: string }> = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as { level: number; msg: string }) });
      const second = await startServer(testConfig({ port: 0, adminKey }), { store: ctx.store, handleSignals: false, logger });
      try {
        const res = await fetch(`${second.url}/v1/keys`, { headers: { authorization: `Bearer ${adminKey}` } });
        expect(res.status).toBe(401);
        expect(await ctx.store.findApiKey(adminKey)).toBeNull();
        const keys = await ctx.store.listApiKeys();
        expect(keys).toHaveLength(keysBefore);
        expect(keys.find((k) => k.id === bootstrap!.id)?.revokedAt).toBeInstanceOf(Date);
      } finally {
        await second.close();
      }
      expect(logged.some((l) => l.level === 40 && /VERDICT_ADMIN_KEY/.test(l.msg) && /revoked/.test(l.msg)), JSON.stringify(logged)).toBe(true);
    },
    SLOW,
  );
});

forEachDriver('startServer: readiness while draining', (ctx) => {
  it(
    'answers /readyz 503 (draining) once close() begins, on a connection that was already open',
    async () => {
      const adminKey = `vd_ready_${randomBytes(12).toString('hex')}`;
      const server = await startServer(testConfig({ port: 0, adminKey }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      const socket = connect(server.port, '127.0.0.1');
      await new Promise<void>((done, fail) => socket.once('connect', () => done()).once('error', fail));
      const reader = responses(socket);
      const ready = () => socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      ready();
      const before = await reader.next();
      expect(before.status).toBe(200);
      expect(JSON.parse(before.body)).toMatchObject({ status: 'ready' });

      const closing = server.close();
      ready();
      const during = await reader.next();
      expect(during.status).toBe(503);
      expect(JSON.parse(during.body)).toMatchObject({ status: 'draining' });
      expect(during.headers['connection']).toBe('close');
      await closing;
      socket.destroy();
    },
    SLOW,
  );
});

forEachDriver('startServer: shutdown delay', (ctx) => {
  it(
    'keeps accepting and answering new connections for VERDICT_SHUTDOWN_DELAY_MS while /readyz says draining',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'verdict-rulesets-'));
      const name = uniqueName('delay');
      writeFileSync(join(dir, 'one.policy'), policy(name, { limit: 10 }));
      const adminKey = `vd_delay_${randomBytes(12).toString('hex')}`;
      const server = await startServer(testConfig({ port: 0, adminKey, rulesetsDir: dir, shutdownDelayMs: 1500 }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      try {
        let closed = false;
        const closing = server.close().then(() => (closed = true));
        // fetch opens fresh connections: the listener is still there during the delay
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ status: 'draining' });
        const res = await fetch(`${server.url}/v1/rulesets/${name}/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ input: input(50) }) });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ decision: 'deny' });
        expect(closed).toBe(false);
        await closing;
        await expect(fetch(`${server.url}/readyz`)).rejects.toThrow();
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});

/** Sends `request` on a new connection and reads everything the server answers until it closes the connection. */
/** Sends `request` (given in parts: each written in its own read, 50 ms apart) and reads the answer until the server closes. */
async function rawExchange(port: number, request: string | string[]): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {}); // the server may reset after answering: what it sent is what counts
  await new Promise<void>((done) => {
    socket.once('close', () => done());
    void (async () => {
      for (const [i, part] of (Array.isArray(request) ? request : [request]).entries()) {
        if (i > 0) await new Promise((wait) => setTimeout(wait, 50));
        if (!socket.destroyed) socket.write(part);
      }
    })();
  });
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4) };
}

/** A minimal HTTP/1.1 response reader over a raw socket (Content-Length or chunked bodies). */
function responses(socket: Socket) {
  let buffer = '';
  let waiting: (() => void) | null = null;
  let ended = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    waiting?.();
  });
  socket.on('close', () => {
    ended = true;
    waiting?.();
  });
  const parse = (): { status: number; headers: Record<string, string>; body: string } | null => {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const [statusLine, ...lines] = buffer.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const rest = buffer.slice(end + 4);
    let body: string;
    let used: number;
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (Buffer.byteLength(rest) < length) return null;
      body = rest.slice(0, length);
      used = length;
    } else {
      const done = rest.indexOf('\r\n0\r\n\r\n');
      if (done < 0) return null;
      body = rest
        .slice(0, done + 2)
        .split('\r\n')
        .filter((_, i) => i % 2 === 1)
        .join('');
      used = done + 7;
    }
    buffer = rest.slice(used);
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
  };
  return {
    async next() {
      for (;;) {
        const parsed = parse();
        if (parsed !== null) return parsed;
        if (ended) throw new Error(`connection closed before a full response: ${JSON.stringify(buffer.slice(0, 200))}`);
        await new Promise<void>((done) => (waiting = done));
        waiting = null;
      }
    },
  };
}
